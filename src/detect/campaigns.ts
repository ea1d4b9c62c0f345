/**
 * Campaign grouping: from Leiden modules on the account–identifier graph to reported clusters, each a whole
 * campaign, connected through shared identifiers, with a stated reason for every member.
 *
 * Why a second step: a 25,000-account swarm is large and internally sparse (each payment card ties a handful of
 * accounts; what ties the handfuls together is a few proxy/automation fingerprints), so modularity at γ = 1
 * cuts it into many modules (the resolution limit, Fortunato & Barthélemy 2007, doi:10.1073/pnas.0605965104).
 * Lowering γ for the whole graph would also fuse unrelated legitimate groups, so instead modules are merged
 * only where strong evidence crosses the cut:
 *
 * 1. Binding. Modules are merged (union–find) when
 *    - a payment instrument (not a hub) has accounts in both — a shared card means a shared payer; or
 *    - a fingerprint (not a hub) is concentrated: at least `concentration` of its accounts lie in modules that
 *      hold two or more of them; it then binds every module holding one of its accounts. A swarm's automation
 *      fingerprint sits mostly in a few swarm modules (bound, and it pulls in the small card groups that hold
 *      one of its accounts each); a common browser fingerprint is spread one account per unrelated module
 *      (not bound).
 *    IPs never bind: NAT, VPN and residential-proxy exits are shared by unrelated people by design.
 * 2. Membership. Within a merged group, an account is a member only with strong evidence, checked against the
 *    other members (iterated until no account drops out, since removing one can remove another's tie):
 *    - a payment instrument shared with another member (a shared card means a shared payer); or
 *    - a fingerprint shared with another member that is concentrated in the group (≥ `concentration` of its
 *      accounts are members), plus at least one more shared identifier of any kind (so a crowd tied by
 *      nothing but one fingerprint is not admitted wholesale); or
 *    - at least `minWeakTies` distinct weak ties (IPs, unconcentrated fingerprints) shared with members, where
 *      all proxy-flagged IPs together count as one tie (one proxy service is one coincidence, however many of
 *      its exits two customers happen to share).
 *    So a legitimate user whose only tie is a residential-proxy exit IP shared with the swarm is never a member.
 * 3. Connectivity. The members are split into their connected parts. Strong identifiers (instruments,
 *    concentrated fingerprints) join any two members; a weak identifier (an IP, an unconcentrated
 *    fingerprint) with ≥ `concentration` of its accounts among the members joins two members only when one of
 *    them was admitted on weak ties alone. So a bystander household, strong among themselves through a family
 *    card, is not joined to a swarm through the residential-proxy exit that is also its home line, and a
 *    mobile-carrier NAT does not glue unrelated households into one cluster. Each part is checked again from
 *    step 2, so every reported cluster is connected through shared identifiers.
 * 4. Parts with fewer than `minClusterSize` accounts are not reported.
 *
 * Roles: `core` — a strong tie plus at least one more independent tie; `member` — admitted on a single strong
 * tie or on weak ties alone.
 */
import type { DetectedCluster, SharedIdentifier } from '../core/partition';
import { MEMBER_ROLES } from '../core/partition';
import { IDENTIFIER_KINDS, SUBKINDS, type IdentifierKind, type World } from '../core/world';
import type { AccountGraph } from '../graph/account-graph';

export interface CampaignOptions {
  /** Smallest cluster reported, in accounts. */
  minClusterSize: number;
  /** Share of a fingerprint's accounts that must lie together for it to bind modules or count as strong. */
  concentration: number;
  /** Weak ties (proxy IPs counting as one) that admit an account without a strong tie. */
  minWeakTies: number;
  /** Ties named in each member's evidence sentence (the rest are counted). */
  evidenceTies: number;
}

export const CAMPAIGN_DEFAULTS: Readonly<CampaignOptions> = Object.freeze({
  minClusterSize: 3,
  concentration: 0.5,
  minWeakTies: 3,
  evidenceTies: 4,
});

/** How a node counts as a tie. */
const TIE_ACCOUNT = 0;
const TIE_INSTRUMENT = 1;
const TIE_FINGERPRINT = 2;
const TIE_PROXY_IP = 3;
const TIE_IP = 4;

export interface Campaign {
  cluster: DetectedCluster;
  /** Smallest member's external id, for sorting. */
  firstId: string;
}

export function groupCampaigns(
  world: World,
  accountGraph: AccountGraph,
  moduleOf: Int32Array,
  moduleCount: number,
  options: CampaignOptions,
): Campaign[] {
  const grouping = new CampaignGrouping(world, accountGraph, moduleOf, moduleCount, options);
  return grouping.run();
}

class CampaignGrouping {
  private readonly graph;
  private readonly accountCount: number;
  private readonly tieClass: Uint8Array;
  /** Per graph node: for identifiers, how many current members link to it. */
  private readonly insideCount: Int32Array;
  private readonly isMember: Uint8Array;
  private readonly partOf: Int32Array;
  /** Per account, during connectedPieces: 1 when admitted on a strong tie. */
  private readonly strongMember: Uint8Array;
  private readonly stack: Int32Array;

  constructor(
    private readonly world: World,
    private readonly accountGraph: AccountGraph,
    private readonly moduleOf: Int32Array,
    private readonly moduleCount: number,
    private readonly options: CampaignOptions,
  ) {
    this.graph = accountGraph.graph;
    this.accountCount = accountGraph.accountCount;
    const nodeCount = this.graph.nodeCount;
    this.tieClass = new Uint8Array(nodeCount);
    for (const kind of IDENTIFIER_KINDS) {
      const start = accountGraph.nodeOffset[kind];
      const table = world.identifiers[kind];
      for (let i = 0; i < table.size; i++) {
        this.tieClass[start + i] =
          kind === 'instrument'
            ? TIE_INSTRUMENT
            : kind === 'fingerprint'
              ? TIE_FINGERPRINT
              : table.proxy.length > 0 && table.proxy[i] === 1
                ? TIE_PROXY_IP
                : TIE_IP;
      }
    }
    this.insideCount = new Int32Array(nodeCount);
    this.isMember = new Uint8Array(this.accountCount);
    this.partOf = new Int32Array(this.accountCount).fill(-1);
    this.strongMember = new Uint8Array(this.accountCount);
    this.stack = new Int32Array(nodeCount);
  }

  run(): Campaign[] {
    const groupOfModule = this.bindModules();
    // Accounts bucketed by group (counting sort), ascending within a group.
    const groupCount = this.moduleCount;
    const start = new Int32Array(groupCount + 1);
    for (let a = 0; a < this.accountCount; a++) start[groupOfModule[this.moduleOf[a]] + 1]++;
    for (let g = 0; g < groupCount; g++) start[g + 1] += start[g];
    const cursor = start.slice(0, groupCount);
    const accounts = new Int32Array(this.accountCount);
    for (let a = 0; a < this.accountCount; a++) accounts[cursor[groupOfModule[this.moduleOf[a]]]++] = a;

    const campaigns: Campaign[] = [];
    for (let g = 0; g < groupCount; g++) {
      if (start[g + 1] - start[g] < this.options.minClusterSize) continue;
      const pending: Int32Array[] = [accounts.subarray(start[g], start[g + 1])];
      while (pending.length > 0) {
        const part = pending.pop() as Int32Array;
        const result = this.settle(part);
        if (result.campaign) campaigns.push(result.campaign);
        for (const piece of result.pieces) if (piece.length >= this.options.minClusterSize) pending.push(piece);
      }
    }
    return campaigns;
  }

  /** Step 1: union–find over modules through instruments and concentrated fingerprints. */
  private bindModules(): Int32Array {
    const parent = new Int32Array(this.moduleCount);
    for (let m = 0; m < this.moduleCount; m++) parent[m] = m;
    const find = (m: number): number => {
      while (parent[m] !== m) {
        parent[m] = parent[parent[m]];
        m = parent[m];
      }
      return m;
    };
    const union = (a: number, b: number): void => {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    };
    const { offsets, targets } = this.graph;
    const perModule = new Int32Array(this.moduleCount);
    const touched = new Int32Array(this.accountCount);
    for (let x = this.accountCount; x < this.graph.nodeCount; x++) {
      const tie = this.tieClass[x];
      if (tie !== TIE_INSTRUMENT && tie !== TIE_FINGERPRINT) continue;
      const first = offsets[x];
      const end = offsets[x + 1];
      if (end - first < 2) continue;
      if (tie === TIE_INSTRUMENT) {
        const m0 = this.moduleOf[targets[first]];
        for (let e = first + 1; e < end; e++) union(m0, this.moduleOf[targets[e]]);
        continue;
      }
      let modules = 0;
      for (let e = first; e < end; e++) {
        const m = this.moduleOf[targets[e]];
        if (perModule[m]++ === 0) touched[modules++] = m;
      }
      let together = 0;
      for (let i = 0; i < modules; i++) if (perModule[touched[i]] >= 2) together += perModule[touched[i]];
      // A concentrated fingerprint binds every module holding one of its accounts: a swarm's small card
      // groups each hold one account per automation fingerprint and must join the swarm through it.
      if (modules > 1 && together >= this.options.concentration * (end - first)) {
        for (let i = 1; i < modules; i++) union(touched[0], touched[i]);
      }
      for (let i = 0; i < modules; i++) perModule[touched[i]] = 0;
    }
    const group = new Int32Array(this.moduleCount);
    for (let m = 0; m < this.moduleCount; m++) group[m] = find(m);
    return group;
  }

  /**
   * Steps 2–3 for one candidate set: drop accounts without strong evidence, then either return the campaign
   * (when the members are connected) or the connected pieces to be checked again.
   */
  private settle(part: Int32Array): { campaign: Campaign | null; pieces: Int32Array[] } {
    const { offsets, targets } = this.graph;
    const touchedIdentifiers: number[] = [];
    for (let i = 0; i < part.length; i++) {
      const a = part[i];
      this.isMember[a] = 1;
      for (let e = offsets[a]; e < offsets[a + 1]; e++) {
        const x = targets[e];
        if (this.insideCount[x]++ === 0) touchedIdentifiers.push(x);
      }
    }
    let members = part;
    for (;;) {
      const kept: number[] = [];
      const dropped: number[] = [];
      for (let i = 0; i < members.length; i++) (this.qualifies(members[i]) ? kept : dropped).push(members[i]);
      if (dropped.length === 0) break;
      for (const a of dropped) {
        this.isMember[a] = 0;
        for (let e = offsets[a]; e < offsets[a + 1]; e++) this.insideCount[targets[e]]--;
      }
      members = Int32Array.from(kept);
      if (members.length < this.options.minClusterSize) break;
    }
    let result: { campaign: Campaign | null; pieces: Int32Array[] } = { campaign: null, pieces: [] };
    if (members.length >= this.options.minClusterSize) {
      const pieces = this.connectedPieces(members);
      result = pieces.length === 1 ? { campaign: this.describe(members, touchedIdentifiers), pieces: [] } : { campaign: null, pieces };
    }
    for (const x of touchedIdentifiers) this.insideCount[x] = 0;
    for (let i = 0; i < part.length; i++) this.isMember[part[i]] = 0;
    return result;
  }

  private isStrong(x: number, inside: number): boolean {
    const tie = this.tieClass[x];
    if (tie === TIE_INSTRUMENT) return true;
    if (tie !== TIE_FINGERPRINT) return false;
    const degree = this.graph.offsets[x + 1] - this.graph.offsets[x];
    return inside >= this.options.concentration * degree;
  }

  /** Whether x holds any two members together: an instrument, or a fingerprint concentrated among the members. */
  private binds(x: number, inside: number): boolean {
    const tie = this.tieClass[x];
    if (tie === TIE_INSTRUMENT) return true;
    return tie === TIE_FINGERPRINT && this.isStrong(x, inside);
  }

  private qualifies(a: number): boolean {
    const { offsets, targets } = this.graph;
    let weak = 0;
    let proxyTie = 0;
    let concentratedFingerprint = false;
    for (let e = offsets[a]; e < offsets[a + 1]; e++) {
      const x = targets[e];
      const inside = this.insideCount[x];
      if (inside < 2) continue;
      if (this.tieClass[x] === TIE_INSTRUMENT) return true;
      if (this.tieClass[x] === TIE_FINGERPRINT && this.isStrong(x, inside)) concentratedFingerprint = true;
      else if (this.tieClass[x] === TIE_PROXY_IP) proxyTie = 1;
      else weak++;
    }
    const otherTies = weak + proxyTie;
    // A concentrated fingerprint needs one more tie of any kind: users tied by nothing but one fingerprint
    // would otherwise be admitted wholesale when Leiden builds a module around that fingerprint alone.
    return (concentratedFingerprint && otherTies >= 1) || otherTies >= this.options.minWeakTies;
  }

  /**
   * Connected pieces of the members. Strong identifiers (instruments, concentrated fingerprints) join any two
   * members; a weak identifier (an IP, an unconcentrated fingerprint) that is concentrated among the members
   * joins two members only when one of them was admitted on weak ties alone. So a bystander household — strong
   * among themselves through a family card — is not joined to a swarm through the proxy exit on its home line.
   */
  private connectedPieces(members: Int32Array): Int32Array[] {
    const { offsets, targets } = this.graph;
    const pieces: Int32Array[] = [];
    const visitedIdentifiers: number[] = [];
    let weakOnlyMembers = 0;
    for (let i = 0; i < members.length; i++) {
      this.strongMember[members[i]] = this.hasStrongTie(members[i]) ? 1 : 0;
      if (this.strongMember[members[i]] === 0) weakOnlyMembers++;
    }
    let pieceNumber = 0;
    for (let i = 0; i < members.length; i++) {
      const root = members[i];
      if (this.partOf[root] !== -1) continue;
      const piece: number[] = [];
      let top = 0;
      this.stack[top++] = root;
      this.partOf[root] = pieceNumber;
      while (top > 0) {
        const a = this.stack[--top];
        piece.push(a);
        const aStrong = this.strongMember[a] === 1;
        for (let e = offsets[a]; e < offsets[a + 1]; e++) {
          const x = targets[e];
          const inside = this.insideCount[x];
          // A visited strong identifier is marked by a negative count, restored below.
          if (inside < 2) continue;
          const strong = this.binds(x, inside);
          if (!strong) {
            if (aStrong && weakOnlyMembers === 0) continue;
            const degree = offsets[x + 1] - offsets[x];
            if (inside < this.options.concentration * degree) continue;
          } else {
            visitedIdentifiers.push(x);
            this.insideCount[x] = -inside;
          }
          for (let f = offsets[x]; f < offsets[x + 1]; f++) {
            const b = targets[f];
            if (this.isMember[b] !== 1 || this.partOf[b] !== -1) continue;
            if (!strong && aStrong && this.strongMember[b] === 1) continue;
            this.partOf[b] = pieceNumber;
            this.stack[top++] = b;
          }
        }
      }
      piece.sort((p, q) => p - q);
      pieces.push(Int32Array.from(piece));
      pieceNumber++;
    }
    for (const x of visitedIdentifiers) this.insideCount[x] = -this.insideCount[x];
    for (let i = 0; i < members.length; i++) {
      this.partOf[members[i]] = -1;
      this.strongMember[members[i]] = 0;
    }
    return pieces;
  }

  /** A shared instrument, or a concentrated fingerprint shared with another member. */
  private hasStrongTie(a: number): boolean {
    const { offsets, targets } = this.graph;
    for (let e = offsets[a]; e < offsets[a + 1]; e++) {
      const x = targets[e];
      const inside = this.insideCount[x];
      if (inside >= 2 && this.binds(x, inside)) return true;
    }
    return false;
  }

  private identifierName(x: number): { kind: IdentifierKind; identifier: number; label: string } {
    let kind: IdentifierKind = IDENTIFIER_KINDS[0];
    for (const k of IDENTIFIER_KINDS) if (x >= this.accountGraph.nodeOffset[k]) kind = k;
    const identifier = x - this.accountGraph.nodeOffset[kind];
    const table = this.world.identifiers[kind];
    const subkind = SUBKINDS[kind][table.subkind[identifier]];
    const label =
      kind === 'instrument'
        ? `${subkind} ${table.ids[identifier]}`
        : kind === 'ip'
          ? `${this.tieClass[x] === TIE_PROXY_IP ? 'proxy exit IP' : 'IP'} ${table.ids[identifier]}`
          : `${subkind} fingerprint ${table.ids[identifier]}`;
    return { kind, identifier, label };
  }

  /** The reported cluster for a settled, connected member set (insideCount is live for these members). */
  private describe(members: Int32Array, touchedIdentifiers: number[]): Campaign {
    const { offsets, targets } = this.graph;
    const shared: SharedIdentifier[] = [];
    let links = 0;
    for (const x of touchedIdentifiers) {
      const inside = this.insideCount[x];
      if (inside < 2) continue;
      const { kind, identifier } = this.identifierName(x);
      shared.push({ kind, identifier, members: inside });
      links += inside;
    }
    shared.sort(
      (p, q) =>
        q.members - p.members ||
        IDENTIFIER_KINDS.indexOf(p.kind) - IDENTIFIER_KINDS.indexOf(q.kind) ||
        p.identifier - q.identifier,
    );
    const roles = new Uint8Array(members.length);
    const evidence: string[] = new Array(members.length);
    const modules = new Set<number>();
    let firstId: string | null = null;
    const ties: { x: number; inside: number; strong: boolean }[] = [];
    for (let i = 0; i < members.length; i++) {
      const a = members[i];
      modules.add(this.moduleOf[a]);
      const id = this.world.accounts.ids[a];
      if (firstId === null || id < firstId) firstId = id;
      ties.length = 0;
      let strong = 0;
      let independent = 0;
      let proxySeen = false;
      for (let e = offsets[a]; e < offsets[a + 1]; e++) {
        const x = targets[e];
        const inside = this.insideCount[x];
        if (inside < 2) continue;
        const isStrong = this.isStrong(x, inside);
        ties.push({ x, inside, strong: isStrong });
        if (isStrong) strong++;
        if (this.tieClass[x] === TIE_PROXY_IP) {
          if (!proxySeen) independent++;
          proxySeen = true;
        } else {
          independent++;
        }
      }
      roles[i] = MEMBER_ROLES.indexOf(strong >= 1 && independent >= 2 ? 'core' : 'member');
      ties.sort((p, q) => Number(q.strong) - Number(p.strong) || q.inside - p.inside || p.x - q.x);
      const named = ties
        .slice(0, this.options.evidenceTies)
        .map((t) => `${this.identifierName(t.x).label} with ${formatCount(t.inside - 1)} other member${t.inside === 2 ? '' : 's'}`);
      const more = ties.length - named.length;
      evidence[i] =
        `shares ${named.join('; ')}` +
        (more > 0 ? `; and ${formatCount(more)} more shared identifier${more === 1 ? '' : 's'}` : '') +
        (strong === 0 ? ` (${formatCount(independent)} independent weak ties, no strong tie)` : '');
    }
    return {
      cluster: { accounts: members, roles, evidence, identifiers: shared, links, subclusters: modules.size },
      firstId: firstId ?? '',
    };
  }
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * The Partition's deterministic cluster order — size descending, then the smallest member's external id — and
 * each account's index in it (-1 outside every cluster). Both engines (embedded and GDS) order through here so
 * the same grouping always gets the same cluster numbers.
 */
export function orderCampaigns(campaigns: Campaign[], accountCount: number): { clusters: DetectedCluster[]; accountCluster: Int32Array } {
  const ordered = [...campaigns].sort(
    (p, q) => q.cluster.accounts.length - p.cluster.accounts.length || (p.firstId < q.firstId ? -1 : p.firstId > q.firstId ? 1 : 0),
  );
  const accountCluster = new Int32Array(accountCount).fill(-1);
  ordered.forEach((campaign, index) => {
    for (const a of campaign.cluster.accounts) accountCluster[a] = index;
  });
  return { clusters: ordered.map((campaign) => campaign.cluster), accountCluster };
}
