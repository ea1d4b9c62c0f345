/**
 * Campaign grouping: from Leiden modules on the account–identifier graph to reported clusters, each a whole
 * campaign, connected through shared identifiers, with a stated reason for every member. Every rule here is the
 * same for every identifier kind: what decides is where an identifier's accounts lie (its concentration) and how
 * many independent identifiers tie a group together. The kind enters only through the identifier's prior
 * (specificity · proxy factor, src/graph/account-graph.ts), a number.
 *
 * Why a second step: a 25,000-account swarm is large and internally sparse, so modularity at γ = 1 cuts it into
 * many modules (the resolution limit, Fortunato & Barthélemy 2007, doi:10.1073/pnas.0605965104). Lowering γ for
 * the whole graph would also fuse unrelated legitimate groups, so modules are merged only where independent
 * evidence crosses the cut:
 *
 * 1. Binding (union–find over modules). Each identifier x ties its home R — the module holding most of its
 *    accounts — to every other module P holding one of its accounts. R and P are bound when
 *      - identifiers from at least two views tie them — who pays, where from, with what software or device
 *        (viewOf in src/graph/dispersion.ts): two independent coincidences are needed, and one shared exit
 *        between a household and a swarm is one, as are several exits of one commercial proxy pool, or
 *      - one identifier lies on at least two and at least `concentration` of the accounts of both (a tool that
 *        defines both groups: sub-operators joined by one harness), or
 *      - one identifier whose prior is at least `definingSpecificity` has two or more accounts in P (a payer
 *        that several accounts on both sides share: a payment ring's card groups, joined by accounts holding two).
 *    An identifier the public uses too (AccountGraph.mixed) binds nothing, and attaches nothing in step 3, nor
 *    does one whose accounts outside the candidate lie in spreadGroups or more modules (publicTool). Binding is
 *    generous on purpose: it only proposes a campaign; steps 2–3 decide who is in it, and what they set apart is
 *    settled again on its own.
 * 2. Structure. Inside a candidate set of accounts, an identifier is *structural* when at least two members share
 *    it and at least `concentration` of all its accounts are members — whatever its kind. Shared identifiers that
 *    are mostly outside the set (a carrier NAT that two members happen to use) are not evidence of the group.
 * 3. Membership. An account needs a structural tie. Then, for each view V, the members are split into
 *    components through structural identifiers of the other views; every component but the largest is attached
 *    to the rest through V alone, and stays only when
 *      - an attaching identifier defines it: its prior is at least `definingSpecificity` (a card shared inside
 *        the group: the payer is the operator, even for accounts that share nothing else), or
 *      - it is tied in as a whole and is a group of its own: `ownGroupIdentifiers` structural identifiers (a crew
 *        joined by one tool), or one and two or more distinct attaching identifiers (a card group on the swarm's
 *        exits), or
 *      - V is the group's backbone (it falls apart without V) and two or more identifiers attach it
 *        (hangingAccounts says when).
 *    Otherwise it goes, and is settled again on its own: a household whose home line is also one of the swarm's
 *    residential exits hangs off that one exit with only its family card of its own. Then a member tied in only
 *    by places (exits, NATs, TLS builds, the waves on them) that sends next to nothing while the campaign
 *    harvests goes too (idleOnPlaces): a customer of the same proxy pool who signed up the same week. Steps 2–3 repeat until
 *    nothing changes, and the members are split into connected parts through structural identifiers, each
 *    settled again, so every reported cluster is connected through structural identifiers.
 * 4. Parts with fewer than `minClusterSize` accounts are not reported.
 * 5. Growth through a backbone (grow): a campaign whose backbone is one view V — a swarm held together only by a
 *    private pool of exits, which step 1 leaves in hundreds of card-group modules — is proposed with the loose
 *    accounts on two or more of its structural V identifiers and the smaller campaigns tied to it as a whole
 *    through them, and the union is settled again by steps 2–4; the growth stands only if it keeps every member.
 *
 * Co-arrival waves (src/graph/arrival.ts) are identifiers like any other here, with two provisions: a wave and the
 * identifier it arrived on are one evidence unit where distinct attaching identifiers are counted (an exit and the
 * wave on it are one coincidence), and a wave on a public tool is public; publicTool also counts the accounts the
 * graph let go of (an exit's or a build's users from before the wave) as outsiders.
 *
 * Roles: `core` — two or more structural ties (evidence units); `member` — one.
 */
import type { DetectedCluster, SharedIdentifier } from '../core/partition';
import { MEMBER_ROLES } from '../core/partition';
import { ACCOUNT_STATUSES, IDENTIFIER_KINDS, MS_PER_DAY, SUBKINDS, type IdentifierKind, type World } from '../core/world';
import type { AccountGraph } from '../graph/account-graph';
import { arrivalSource, parseArrivalId } from '../graph/arrival';
import { VIEW_COUNT } from '../graph/dispersion';

export interface CampaignOptions {
  /** Smallest cluster reported, in accounts. */
  minClusterSize: number;
  /** Share of an identifier's accounts that must be members for it to be structural (and to bind modules alone). */
  concentration: number;
  /** Prior (specificity · proxy factor) at which one identifier may define the accounts hanging off it. */
  definingSpecificity: number;
  /** Structural identifiers of its own that make a hanging part a coordinated group in its own right. */
  ownGroupIdentifiers: number;
  /** Ties named in each member's evidence sentence (the rest are counted). */
  evidenceTies: number;
}

export const CAMPAIGN_DEFAULTS: Readonly<CampaignOptions> = Object.freeze({
  minClusterSize: 3,
  concentration: 0.5,
  definingSpecificity: 0.5,
  ownGroupIdentifiers: 3,
  evidenceTies: 4,
});

export interface Campaign {
  cluster: DetectedCluster;
  /** Smallest member's external id, for sorting. */
  firstId: string;
}

/** A settled campaign and its backbone views (bit V set when the members fall apart without view V). */
interface SettledCampaign {
  campaign: Campaign;
  backbone: number;
}

/** What settling a candidate set gives: a campaign, or the pieces to settle again. */
interface Settled {
  campaign: Campaign | null;
  pieces: Int32Array[];
  backbone: number;
}

/** Growth rounds per campaign (step 5): each round proposes what the last one's new structural identifiers reach. */
const GROWTH_ROUNDS = 20;

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
  /** Per identifier node: its prior (specificity · proxy factor) and its view. */
  private readonly prior: Float64Array;
  private readonly view: Int32Array;
  /** Per identifier node: 1 for a tool the public uses too (AccountGraph.mixed); it never attaches a part. */
  private readonly mixed: Uint8Array;
  /** Per graph node: for identifiers, how many current members link to it. */
  private readonly insideCount: Int32Array;
  private readonly isMember: Uint8Array;
  private readonly partOf: Int32Array;
  private readonly stack: Int32Array;
  private readonly dropped: Uint8Array;
  /** Per identifier node, within one hangingAccounts call: 0 unknown, 1 public (publicTool), 2 not. */
  private readonly publicMark: Uint8Array;
  private readonly moduleStamp: Int32Array;
  private stamp = 0;
  private readonly publicMarked: number[] = [];
  /** Per account, within one attachedThroughBackbone call: attaching identifiers it is on (capped at 2). */
  private readonly hits: Uint8Array;
  /** Per identifier node, the accounts the graph let go of (arrival.ts incumbents), as CSR; null when none. */
  private readonly letGo: { offsets: Int32Array; accounts: Int32Array } | null;
  /** Per account, for growth: the evidence unit of its first attaching identifier. */
  private readonly firstUnit: Int32Array;
  /** Per identifier node, within one view of one hangingAccounts call: 0 unknown, 1 its members lie in one component, 2 in two or more. */
  private readonly spans: Uint8Array;
  /** Set by hangingAccounts: bit V when view V is the member set's backbone. */
  private backboneViews = 0;
  /** Per account: exchanges per day present in the export (usageRates). */
  private readonly usage: Float64Array;

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
    this.prior = new Float64Array(nodeCount);
    this.view = new Int32Array(nodeCount);
    this.mixed = new Uint8Array(nodeCount);
    for (const kind of IDENTIFIER_KINDS) {
      this.prior.set(accountGraph.prior[kind], accountGraph.nodeOffset[kind]);
      this.view.set(accountGraph.view[kind], accountGraph.nodeOffset[kind]);
      this.mixed.set(accountGraph.mixed[kind], accountGraph.nodeOffset[kind]);
    }
    this.insideCount = new Int32Array(nodeCount);
    this.isMember = new Uint8Array(this.accountCount);
    this.partOf = new Int32Array(this.accountCount).fill(-1);
    this.stack = new Int32Array(nodeCount);
    this.dropped = new Uint8Array(this.accountCount);
    this.publicMark = new Uint8Array(nodeCount);
    this.moduleStamp = new Int32Array(moduleCount);
    this.hits = new Uint8Array(this.accountCount);
    this.firstUnit = new Int32Array(this.accountCount);
    this.spans = new Uint8Array(nodeCount);
    this.letGo = letGoAccounts(world, accountGraph);
    this.usage = usageRates(world, this.accountCount);
  }

  /** Do the current members on identifier x lie in two or more components? Cached in spans, recorded in `spanned`. */
  private spansComponents(x: number, component: Int32Array, spanned: number[]): boolean {
    if (this.spans[x] !== 0) return this.spans[x] === 2;
    const { offsets, targets } = this.graph;
    let first = -1;
    let two = false;
    for (let f = offsets[x]; f < offsets[x + 1] && !two; f++) {
      const b = targets[f];
      if (this.isMember[b] !== 1) continue;
      if (first === -1) first = component[b];
      else two = component[b] !== first;
    }
    this.spans[x] = two ? 2 : 1;
    spanned.push(x);
    return two;
  }

  /**
   * An identifier the public uses too, seen from the current candidate: its accounts outside the members lie in
   * spreadGroups or more different Leiden modules. However concentrated in the candidate (a public SDK's client
   * on a 25,000-account swarm that uses it), it does not attach a part: a team on the same SDK version is a
   * coincidence the platform's other users make a thousand times over. A sub-operators' shared harness has no
   * such outsiders. Judgements are cached until the member set changes (forgetPublicTools).
   */
  private publicTool(x: number): boolean {
    if (this.publicMark[x] !== 0) return this.publicMark[x] === 1;
    // A co-arrival wave on a public tool is as public as the tool: the sign-up days of a public SDK's users.
    const unit = this.accountGraph.unit[x];
    if (unit !== x && this.publicTool(unit)) {
      this.publicMark[x] = 1;
      this.publicMarked.push(x);
      return true;
    }
    const { offsets, targets } = this.graph;
    const stamp = ++this.stamp;
    let modules = 0;
    for (let e = offsets[x]; e < offsets[x + 1] && modules < this.accountGraph.spreadGroups; e++) {
      const b = targets[e];
      if (this.isMember[b] === 1) continue;
      const m = this.moduleOf[b];
      if (this.moduleStamp[m] !== stamp) {
        this.moduleStamp[m] = stamp;
        modules++;
      }
    }
    // The accounts the graph let go of (its users before a wave came) are outsiders too: an identifier the public
    // used before a swarm arrived on it is still a tool the public uses.
    if (this.letGo !== null) {
      const { offsets: from, accounts } = this.letGo;
      for (let e = from[x]; e < from[x + 1] && modules < this.accountGraph.spreadGroups; e++) {
        const m = this.moduleOf[accounts[e]];
        if (this.moduleStamp[m] !== stamp) {
          this.moduleStamp[m] = stamp;
          modules++;
        }
      }
    }
    const isPublic = modules >= this.accountGraph.spreadGroups;
    this.publicMark[x] = isPublic ? 1 : 2;
    this.publicMarked.push(x);
    return isPublic;
  }

  /** Forgets publicTool's judgements: they hold for one member set. */
  private forgetPublicTools(): void {
    for (const x of this.publicMarked) this.publicMark[x] = 0;
    this.publicMarked.length = 0;
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

    const pending: Int32Array[] = [];
    for (let g = 0; g < groupCount; g++) {
      if (start[g + 1] - start[g] >= this.options.minClusterSize) pending.push(accounts.subarray(start[g], start[g + 1]));
    }
    const settled: SettledCampaign[] = [];
    this.settleAll(pending, settled);
    return this.grow(settled);
  }

  /** Settles every pending part, and again every piece a settling sets apart, into `into`. */
  private settleAll(pending: Int32Array[], into: SettledCampaign[]): void {
    while (pending.length > 0) {
      const part = pending.pop() as Int32Array;
      const result = this.settle(part);
      if (result.campaign) into.push({ campaign: result.campaign, backbone: result.backbone });
      for (const piece of result.pieces) {
        // Every piece is smaller than its part (that is what makes this loop end); one that is not would be
        // settled again for ever, so it is a bug, reported as one rather than a hang.
        if (piece.length >= part.length) throw new Error(`campaign settling made no progress on a part of ${part.length} accounts`);
        if (piece.length >= this.options.minClusterSize) pending.push(piece);
      }
    }
  }

  /**
   * Step 5, growth through a backbone. A campaign whose backbone is view V (it falls apart without V into
   * comparable pieces: a swarm whose cards tie handfuls, held together by a private pool of exits) was cut by
   * Leiden into modules that only V ties together, and one view binds no modules in step 1. So, from the largest
   * campaign down: every account outside it on one of its structural V identifiers (not a public tool), and every
   * smaller campaign holding such an account, is proposed with it, and the union is settled again by steps 2–4 —
   * the same rule that keeps an account tied in through V alone when V is the backbone (two or more distinct
   * attaching identifiers), or a group of its own tied in whole. The growth stands only when the union settles
   * into one campaign that keeps every old member; what an absorbed campaign loses is settled again on its own.
   * A campaign held together by other views (cards and fingerprints) has no backbone and grows nothing: the
   * customers of a commercial proxy pool it shares stay out.
   */
  private grow(found: SettledCampaign[]): Campaign[] {
    const sizeOf = (entry: SettledCampaign): number => entry.campaign.cluster.accounts.length;
    const entries: (SettledCampaign | null)[] = [...found].sort(
      (p, q) => sizeOf(q) - sizeOf(p) || (p.campaign.firstId < q.campaign.firstId ? -1 : p.campaign.firstId > q.campaign.firstId ? 1 : 0),
    );
    const owner = new Int32Array(this.accountCount).fill(-1);
    entries.forEach((entry, i) => {
      for (const a of (entry as SettledCampaign).campaign.cluster.accounts) owner[a] = i;
    });
    const leftovers: Int32Array[] = [];
    for (let i = 0; i < entries.length; i++) {
      for (let round = 0; round < GROWTH_ROUNDS; round++) {
        const entry = entries[i];
        if (entry === null || entry.backbone === 0) break;
        const members = entry.campaign.cluster.accounts;
        const { loose, absorbed } = this.attachedThroughBackbone(members, entry.backbone, owner, i, entries);
        if (loose.length === 0 && absorbed.length === 0) break;
        const union: number[] = Array.from(members);
        for (const a of loose) union.push(a);
        for (const j of absorbed) for (const a of (entries[j] as SettledCampaign).campaign.cluster.accounts) union.push(a);
        const result = this.settle(Int32Array.from(union).sort());
        const grown = result.campaign?.cluster.accounts;
        if (!result.campaign || !grown || grown.length <= members.length || !this.keepsAll(grown, members)) break;
        for (const a of grown) owner[a] = i;
        for (const j of absorbed) {
          const rest = (entries[j] as SettledCampaign).campaign.cluster.accounts.filter((a) => owner[a] === j);
          entries[j] = null;
          for (const a of rest) owner[a] = -1;
          if (rest.length >= this.options.minClusterSize) leftovers.push(rest);
        }
        entries[i] = { campaign: result.campaign, backbone: result.backbone };
      }
    }
    const resettled: SettledCampaign[] = [];
    this.settleAll(leftovers, resettled);
    const campaigns: Campaign[] = [];
    for (const entry of entries) if (entry !== null) campaigns.push(entry.campaign);
    for (const entry of resettled) campaigns.push(entry.campaign);
    return campaigns;
  }

  /** Does the sorted `grown` hold every account of `members`? */
  private keepsAll(grown: Int32Array, members: Int32Array): boolean {
    for (const a of grown) this.dropped[a] = 1;
    let all = true;
    for (let i = 0; i < members.length && all; i++) all = this.dropped[members[i]] === 1;
    for (const a of grown) this.dropped[a] = 0;
    return all;
  }

  /**
   * For growth (step 5): the accounts outside `members` on one of the members' structural identifiers of a
   * backbone view (not a public tool) — those in no campaign (`loose`), and the campaigns no larger than this one
   * that hold the others (`absorbed`, by index into entries).
   */
  private attachedThroughBackbone(
    members: Int32Array,
    backbone: number,
    owner: Int32Array,
    self: number,
    entries: ReadonlyArray<SettledCampaign | null>,
  ): { loose: number[]; absorbed: number[] } {
    const { offsets, targets } = this.graph;
    const touched: number[] = [];
    for (let i = 0; i < members.length; i++) {
      const a = members[i];
      this.isMember[a] = 1;
      for (let e = offsets[a]; e < offsets[a + 1]; e++) if (this.insideCount[targets[e]]++ === 0) touched.push(targets[e]);
    }
    this.forgetPublicTools();
    // Per outside account: how many distinct attaching identifiers it is on (capped at 2), in `hits`.
    const hits = this.hits;
    const seen: number[] = [];
    for (const x of touched) {
      if (((backbone >> this.view[x]) & 1) === 0 || this.mixed[x] === 1) continue;
      if (!this.structural(x, this.insideCount[x]) || this.publicTool(x)) continue;
      for (let f = offsets[x]; f < offsets[x + 1]; f++) {
        const b = targets[f];
        if (this.isMember[b] === 1 || owner[b] === self) continue;
        // Distinct evidence units: an exit and the arrival wave on it are one (AccountGraph.unit).
        const unit = this.accountGraph.unit[x];
        if (hits[b] === 0) {
          seen.push(b);
          hits[b] = 1;
          this.firstUnit[b] = unit;
        } else if (hits[b] === 1 && this.firstUnit[b] !== unit) {
          hits[b] = 2;
        }
      }
    }
    // A loose account needs two distinct attaching identifiers; a campaign needs `concentration` of its accounts on
    // one — judged against this campaign as it stands, so what an absorbed campaign's own identifiers would add
    // does not snowball (a reseller's clients, a VPN's users).
    const loose: number[] = [];
    const absorbed: number[] = [];
    const onAttaching = new Map<number, number>();
    for (const b of seen) {
      const j = owner[b];
      if (j === -1) {
        if (hits[b] >= 2) loose.push(b);
      } else {
        onAttaching.set(j, (onAttaching.get(j) ?? 0) + 1);
      }
    }
    for (const [j, count] of onAttaching) {
      const other = entries[j];
      if (other === null) continue;
      const size = other.campaign.cluster.accounts.length;
      if (size <= members.length && count >= this.options.concentration * size) absorbed.push(j);
    }
    for (const b of seen) hits[b] = 0;
    this.forgetPublicTools();
    for (const x of touched) this.insideCount[x] = 0;
    for (let i = 0; i < members.length; i++) this.isMember[members[i]] = 0;
    return { loose, absorbed };
  }

  /**
   * Step 1: every identifier ties its home module R (most of its accounts) to each other module P holding one.
   * (R, P) is bound by identifiers of two views, or by one that covers or defines both. Entries are sorted by
   * (pair, view), so counting needs no hash map.
   */
  private bindModules(): Int32Array {
    const { offsets, targets } = this.graph;
    const moduleCount = this.moduleCount;
    const accountsInModule = new Int32Array(moduleCount);
    for (let a = 0; a < this.accountCount; a++) accountsInModule[this.moduleOf[a]]++;
    const perModule = new Int32Array(moduleCount);
    const touched = new Int32Array(moduleCount);
    // One entry per (identifier, other module): the module pair, and the identifier's view, or −1 when the
    // identifier alone binds the pair.
    let pairKey = new Float64Array(1024);
    let pairView = new Int32Array(1024);
    let count = 0;
    const kappa = this.options.concentration;
    for (let x = this.accountCount; x < this.graph.nodeCount; x++) {
      const first = offsets[x];
      const end = offsets[x + 1];
      // A tool the public uses too ties no module to another.
      if (end - first < 2 || this.mixed[x] === 1) continue;
      let modules = 0;
      for (let e = first; e < end; e++) {
        const m = this.moduleOf[targets[e]];
        if (perModule[m]++ === 0) touched[modules++] = m;
      }
      // The identifier's home is the module holding most of its accounts (ties: the lowest module number).
      let home = touched[0];
      for (let i = 1; i < modules; i++) {
        const m = touched[i];
        if (perModule[m] > perModule[home] || (perModule[m] === perModule[home] && m < home)) home = m;
      }
      const homeCovered = perModule[home] >= 2 && perModule[home] >= kappa * accountsInModule[home];
      const definingPrior = this.prior[x] >= this.options.definingSpecificity;
      for (let i = 0; i < modules; i++) {
        const m = touched[i];
        if (m === home) continue;
        const covers = homeCovered && perModule[m] >= 2 && perModule[m] >= kappa * accountsInModule[m];
        const defines = definingPrior && perModule[m] >= 2;
        if (count === pairKey.length) {
          const grownKey = new Float64Array(pairKey.length * 2);
          grownKey.set(pairKey);
          pairKey = grownKey;
          const grownView = new Int32Array(pairView.length * 2);
          grownView.set(pairView);
          pairView = grownView;
        }
        pairKey[count] = Math.min(m, home) * moduleCount + Math.max(m, home);
        pairView[count++] = covers || defines ? -1 : this.view[x];
      }
      for (let i = 0; i < modules; i++) perModule[touched[i]] = 0;
    }
    const order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort((p, q) => pairKey[p] - pairKey[q] || pairView[p] - pairView[q]);

    const parent = new Int32Array(moduleCount);
    for (let m = 0; m < moduleCount; m++) parent[m] = m;
    const find = (m: number): number => {
      while (parent[m] !== m) {
        parent[m] = parent[parent[m]];
        m = parent[m];
      }
      return m;
    };
    for (let i = 0; i < count; ) {
      const pair = pairKey[order[i]];
      // Distinct views tying the pair (sorted, so a new view is a change from the previous entry).
      let views = 0;
      let previous = Number.NaN;
      let binding = false;
      for (; i < count && pairKey[order[i]] === pair; i++) {
        const view = pairView[order[i]];
        if (view === -1) binding = true;
        else if (view !== previous) views++;
        previous = view;
      }
      if (views < 2 && !binding) continue;
      const ra = find(Math.floor(pair / moduleCount));
      const rb = find(pair % moduleCount);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
    const group = new Int32Array(moduleCount);
    for (let m = 0; m < moduleCount; m++) group[m] = find(m);
    return group;
  }

  /** Structural: shared by two or more members, with at least `concentration` of all its accounts members. */
  private structural(x: number, inside: number): boolean {
    return inside >= 2 && inside >= this.options.concentration * (this.graph.offsets[x + 1] - this.graph.offsets[x]);
  }

  private hasStructuralTie(a: number): boolean {
    const { offsets, targets } = this.graph;
    for (let e = offsets[a]; e < offsets[a + 1]; e++) {
      const x = targets[e];
      if (this.structural(x, this.insideCount[x])) return true;
    }
    return false;
  }

  private leave(a: number): void {
    const { offsets, targets } = this.graph;
    this.isMember[a] = 0;
    for (let e = offsets[a]; e < offsets[a + 1]; e++) this.insideCount[targets[e]]--;
  }

  /**
   * Steps 2–3 for one candidate set: drop accounts without a structural tie, split into connected pieces, and set
   * apart parts hanging off the rest through one view (settled again on their own); return the campaign when
   * nothing changes, else the pieces.
   */
  private settle(part: Int32Array): Settled {
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
    let result: Settled = { campaign: null, pieces: [], backbone: 0 };
    // Parts set apart as hanging are settled again on their own: a household may be a small cluster of its
    // own, and a second swarm that shares one exit with the first is a campaign of its own.
    const setApart: number[] = [];
    for (;;) {
      this.forgetPublicTools(); // the member set may have changed
      const kept: number[] = [];
      const untied: number[] = [];
      for (let i = 0; i < members.length; i++) (this.hasStructuralTie(members[i]) ? kept : untied).push(members[i]);
      if (untied.length > 0) {
        for (const a of untied) this.leave(a);
        members = Int32Array.from(kept);
        continue;
      }
      if (members.length < this.options.minClusterSize) break;
      const pieces = this.connectedPieces(members);
      if (pieces.length > 1) {
        result = { campaign: null, pieces, backbone: 0 };
        break;
      }
      let hanging = this.hangingAccounts(members);
      if (hanging.length === 0) hanging = this.idleOnPlaces(members);
      if (hanging.length === 0) {
        result = { campaign: this.describe(members, touchedIdentifiers), pieces: [], backbone: this.backboneViews };
        break;
      }
      for (const a of hanging) {
        this.leave(a);
        setApart.push(a);
      }
      members = members.filter((a) => this.isMember[a] === 1);
    }
    if (setApart.length >= this.options.minClusterSize) result.pieces.push(Int32Array.from(setApart).sort());
    this.forgetPublicTools();
    for (const x of touchedIdentifiers) this.insideCount[x] = 0;
    for (let i = 0; i < part.length; i++) this.isMember[part[i]] = 0;
    return result;
  }

  /**
   * Step 3b: members tied in only by places, who do not do what the campaign does. A member whose every structural
   * tie has a prior below `definingSpecificity` — exits, NATs, TLS builds and the co-arrival waves on them, places
   * and software many people pass through — is there by a coincidence of place and time that an ordinary customer
   * of the same proxy pool can share. It stays unless its usage says otherwise: it goes when its exchanges per
   * day present are below a tenth of the campaign's lowest decile (usageRates) — an order of magnitude below
   * nearly every member, not a quieter member (late joiners, accounts suspended early and the campaign's own
   * low tail are all inside its lowest decile). A defining identifier (a card) ties a quiet member in only when
   * a member that is not quiet shares it. A campaign whose lowest decile sent nothing (a tenth or more of it idle)
   * has a floor of 0 and keeps them all.
   * Returns the accounts that go; they are settled again on their own.
   */
  private idleOnPlaces(members: Int32Array): number[] {
    const rates = Float64Array.from(members, (a) => this.usage[a]).sort();
    const floor = rates[Math.floor(IDLE_DECILE * (rates.length - 1))] * IDLE_FACTOR;
    if (!(floor > 0)) return [];
    const { offsets, targets } = this.graph;
    const quiet = members.filter((a) => this.usage[a] < floor);
    const isQuiet = (b: number) => this.isMember[b] === 1 && this.usage[b] < floor;
    // A defining identifier ties a quiet member in only when a member that is not quiet shares it: a family card
    // that two quiet accounts on the swarm's exits share ties them to each other, not to the campaign.
    const tiedIn = (x: number): boolean => {
      if (this.prior[x] < this.options.definingSpecificity || !this.structural(x, this.insideCount[x])) return false;
      for (let f = offsets[x]; f < offsets[x + 1]; f++) if (this.isMember[targets[f]] === 1 && !isQuiet(targets[f])) return true;
      return false;
    };
    const idle: number[] = [];
    for (const a of quiet) {
      let placeOnly = true;
      for (let e = offsets[a]; e < offsets[a + 1] && placeOnly; e++) if (tiedIn(targets[e])) placeOnly = false;
      if (placeOnly) idle.push(a);
    }
    return idle;
  }

  /**
   * Connected pieces of the members through structural identifiers that are not public tools (publicTool): a
   * public SDK's client version that a swarm and an enterprise team both use is structural in their union, yet it
   * is no reason to report them as one group — each is settled on its own.
   */
  private connectedPieces(members: Int32Array): Int32Array[] {
    const { offsets, targets } = this.graph;
    const pieces: Int32Array[] = [];
    const visitedIdentifiers: number[] = [];
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
        for (let e = offsets[a]; e < offsets[a + 1]; e++) {
          const x = targets[e];
          const inside = this.insideCount[x];
          // A visited identifier is marked by a negative count, restored below.
          if (inside < 2 || !this.structural(x, inside) || this.publicTool(x)) continue;
          visitedIdentifiers.push(x);
          this.insideCount[x] = -inside;
          for (let f = offsets[x]; f < offsets[x + 1]; f++) {
            const b = targets[f];
            if (this.isMember[b] !== 1 || this.partOf[b] !== -1) continue;
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
    for (let i = 0; i < members.length; i++) this.partOf[members[i]] = -1;
    return pieces;
  }

  /**
   * Accounts in parts that hang off the rest through one view only (step 3). For each view V (payment, network,
   * software/device), the members are split into components through structural identifiers of the other views;
   * the largest is the main part, and every other component C is attached to the rest only by identifiers of V.
   * C stays when an attaching identifier's prior reaches `definingSpecificity`, or C is a group tied to the rest
   * as a whole — `minClusterSize` accounts, V's attaching identifiers on ≥ `concentration` of them — that either
   * has `ownGroupIdentifiers` structural identifiers of its own (a crew joined by one shared tool) or has one and is
   * attached by two or more distinct identifiers (a card group whose accounts each use the swarm's exits); or C
   * is attached by two or more distinct identifiers of V and V is the group's backbone (without V it falls apart
   * into comparable pieces: a swarm on a private pool of exits whose cards tie handfuls only);
   * otherwise its accounts are returned. A household on a swarm's exit has its family card of its own and one
   * attaching identifier, its home line; a customer of the swarm's proxy pool is one account tied in through the
   * network view alone, while the swarm holds together through its cards and fingerprints. An identifier the public uses too
   * (AccountGraph.mixed: a public SDK's fingerprint that a swarm also uses) attaches nothing.
   */
  private hangingAccounts(members: Int32Array): number[] {
    const { offsets, targets } = this.graph;
    const component = this.partOf;
    const dropped = this.dropped;
    const hanging: number[] = [];
    const viewHanging: number[] = [];
    const kappa = this.options.concentration;
    this.backboneViews = 0;
    for (let view = 0; view < VIEW_COUNT; view++) {
      // Components through structural identifiers of the other views (component[a] = index; −1 unvisited).
      const sizes: number[] = [];
      const ownIdentifiers: number[] = [];
      const visited: number[] = [];
      for (let i = 0; i < members.length; i++) {
        const root = members[i];
        if (component[root] !== -1) continue;
        const c = sizes.length;
        let size = 0;
        let own = 0;
        let top = 0;
        this.stack[top++] = root;
        component[root] = c;
        while (top > 0) {
          const a = this.stack[--top];
          size++;
          for (let e = offsets[a]; e < offsets[a + 1]; e++) {
            const x = targets[e];
            const inside = this.insideCount[x];
            // A public tool (a public SDK's fingerprint) holds no part together here either, as in connectedPieces.
            if (inside < 2 || this.view[x] === view || !this.structural(x, inside) || this.mixed[x] === 1 || this.publicTool(x)) continue;
            // A visited identifier is marked by a negative count, restored below.
            this.insideCount[x] = -inside;
            visited.push(x);
            own++;
            for (let f = offsets[x]; f < offsets[x + 1]; f++) {
              const b = targets[f];
              if (this.isMember[b] !== 1 || component[b] !== -1) continue;
              component[b] = c;
              this.stack[top++] = b;
            }
          }
        }
        sizes.push(size);
        ownIdentifiers.push(own);
      }
      for (const x of visited) this.insideCount[x] = -this.insideCount[x];
      if (sizes.length > 1) {
        let main = 0;
        for (let c = 1; c < sizes.length; c++) if (sizes[c] > sizes[main]) main = c;
        // Which components V's identifiers attach to others, the best prior among them, and the accounts on them.
        const definingPrior = new Float64Array(sizes.length);
        const attachedAccounts = new Int32Array(sizes.length);
        // Distinct attaching identifiers per component, capped at 2 (all the rule needs).
        const attaching = new Int32Array(sizes.length);
        const firstAttaching = new Int32Array(sizes.length).fill(-1);
        const spanned: number[] = [];
        for (let i = 0; i < members.length; i++) {
          const a = members[i];
          const c = component[a];
          let onAttaching = false;
          for (let e = offsets[a]; e < offsets[a + 1]; e++) {
            const x = targets[e];
            // A tool the public uses too (a public SDK's fingerprint) ties nobody to the swarm that also uses it.
            if (this.view[x] !== view || this.mixed[x] === 1 || !this.structural(x, this.insideCount[x]) || this.publicTool(x)) continue;
            // x attaches a to another component exactly when x's members lie in two or more components: judged
            // once per identifier (spans), not once per member — a private template on 20,000 members of one
            // component would otherwise be scanned 20,000 times.
            if (!this.spansComponents(x, component, spanned)) continue;
            onAttaching = true;
            if (this.prior[x] > definingPrior[c]) definingPrior[c] = this.prior[x];
            // Distinct evidence units: an exit and the arrival wave on it are one (AccountGraph.unit).
            const unit = this.accountGraph.unit[x];
            if (attaching[c] === 0) {
              attaching[c] = 1;
              firstAttaching[c] = unit;
            } else if (attaching[c] === 1 && firstAttaching[c] !== unit) {
              attaching[c] = 2;
            }
          }
          if (onAttaching) attachedAccounts[c]++;
        }
        for (const x of spanned) this.spans[x] = 0;
        // V is the group's backbone when the group falls apart without it — the largest other piece tied in as a
        // whole is at least half the main one, or the other pieces of two or more accounts tied in as a whole
        // hold as many accounts as the main one (a swarm whose cards tie only handfuls, held together by its
        // exits), or nothing holds together without V — no piece reaches `minClusterSize` — and
        // `ownGroupIdentifiers` identifiers of V tie the members (fresh cards and a public SDK on a private pool:
        // without its exits, single accounts; not the two addresses of a campus NAT): then an account tied in
        // through V alone looks like the rest. Not "the main piece is under half the members": customers of a
        // shared pool can outnumber a swarm body that holds together through its cards and fingerprints. Single accounts do not count: a
        // commercial pool's customers are single accounts on its exits. When one body holds together without V,
        // what hangs off it through V alone is an outsider on its exits.
        let secondTiedWhole = 0;
        let restTiedWhole = 0;
        for (let c = 0; c < sizes.length; c++) {
          if (c === main || sizes[c] < 2 || attachedAccounts[c] < kappa * sizes[c]) continue;
          restTiedWhole += sizes[c];
          if (sizes[c] > secondTiedWhole) secondTiedWhole = sizes[c];
        }
        const backbone =
          2 * secondTiedWhole >= sizes[main] ||
          restTiedWhole >= sizes[main] ||
          (sizes[main] < this.options.minClusterSize && this.structuralOfView(members, view, this.options.ownGroupIdentifiers));
        if (backbone) this.backboneViews |= 1 << view;
        for (let i = 0; i < members.length; i++) {
          const a = members[i];
          const c = component[a];
          if (c === main || dropped[a] === 1) continue;
          const defined = definingPrior[c] >= this.options.definingSpecificity;
          const tiedWhole = sizes[c] >= this.options.minClusterSize && attachedAccounts[c] >= kappa * sizes[c];
          // A group of its own joined by one tool, or a group joined again and again by different identifiers.
          const ownGroup = tiedWhole && (ownIdentifiers[c] >= this.options.ownGroupIdentifiers || (ownIdentifiers[c] >= 1 && attaching[c] >= 2));
          if (defined || ownGroup) continue;
          if (attaching[c] >= 2 && backbone) continue;
          dropped[a] = 1;
          viewHanging.push(a);
        }
        // Each view leaves its own main part in place, but two views can each call the other's main part the
        // outsider (households joined by family cards in one view and by a campus NAT in the other): then nothing
        // would be left, and the same members would be set apart and settled again for ever. A view that would
        // set apart the last members sets nothing apart; the parts are settled on what the earlier views left.
        if (hanging.length + viewHanging.length < members.length) {
          for (const a of viewHanging) hanging.push(a);
        } else {
          for (const a of viewHanging) dropped[a] = 0;
        }
        viewHanging.length = 0;
      }
      for (let i = 0; i < members.length; i++) component[members[i]] = -1;
    }
    for (const a of hanging) dropped[a] = 0;
    return hanging;
  }

  /**
   * Are at least `enough` distinct identifiers of `view` structural in the members (public tools aside)? Several
   * independent exits tie a swarm on a private pool; the two addresses of one campus NAT do not make a group.
   */
  private structuralOfView(members: Int32Array, view: number, enough: number): boolean {
    const { offsets, targets } = this.graph;
    const counted: number[] = [];
    for (let i = 0; i < members.length && counted.length < enough; i++) {
      const a = members[i];
      for (let e = offsets[a]; e < offsets[a + 1] && counted.length < enough; e++) {
        const x = targets[e];
        const inside = this.insideCount[x];
        if (this.view[x] !== view || inside < 2 || !this.structural(x, inside) || this.mixed[x] === 1 || this.publicTool(x)) continue;
        // A counted identifier is marked by a negative count, restored below.
        this.insideCount[x] = -inside;
        counted.push(x);
      }
    }
    for (const x of counted) this.insideCount[x] = -this.insideCount[x];
    return counted.length >= enough;
  }

  private identifierName(x: number): { kind: IdentifierKind; identifier: number; label: string } {
    let kind: IdentifierKind = IDENTIFIER_KINDS[0];
    for (const k of IDENTIFIER_KINDS) if (x >= this.accountGraph.nodeOffset[k]) kind = k;
    const identifier = x - this.accountGraph.nodeOffset[kind];
    const table = this.world.identifiers[kind];
    const subkind = SUBKINDS[kind][table.subkind[identifier]];
    const proxy = kind === 'ip' && table.proxy.length > 0 && table.proxy[identifier] === 1;
    const label =
      kind === 'instrument'
        ? `${subkind} ${table.ids[identifier]}`
        : kind === 'ip'
          ? `${proxy ? 'proxy exit IP' : 'IP'} ${table.ids[identifier]}`
          : kind === 'fingerprint'
            ? `${subkind} fingerprint ${table.ids[identifier]}`
            : kind === 'synchrony'
              ? waveLabel(table.ids[identifier]) ?? `same-minute activity (${table.ids[identifier]})`
              : `${kind} ${table.ids[identifier]}`;
    return { kind, identifier, label };
  }

  /**
   * How a member's tie reads in its evidence: the identifier's label, and for synchrony the member's own numbers
   * ("same-minute activity on template 7f3a… on 31 days", then "with 212 other members").
   */
  private tieLabel(a: number, x: number): string {
    const { kind, identifier, label } = this.identifierName(x);
    if (kind !== 'synchrony' || arrivalSource(this.world.identifiers.synchrony.subkind[identifier]) !== null) return label;
    const links = this.world.links.synchrony;
    let lo = 0;
    let hi = links.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (links.account[mid] < a) lo = mid + 1;
      else hi = mid;
    }
    for (let l = lo; l < links.size && links.account[l] === a; l++) {
      if (links.identifier[l] !== identifier) continue;
      const template = this.world.identifiers.synchrony.ids[identifier].replace(/^sync:/, '').replace(/#\d+$/, '');
      return `same-minute activity on template ${template} on ${formatCount(links.rows[l])} day${links.rows[l] === 1 ? '' : 's'}`;
    }
    return label;
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
    const ties: { x: number; inside: number; structural: boolean }[] = [];
    for (let i = 0; i < members.length; i++) {
      const a = members[i];
      modules.add(this.moduleOf[a]);
      const id = this.world.accounts.ids[a];
      if (firstId === null || id < firstId) firstId = id;
      ties.length = 0;
      // Structural ties counted as evidence units (an exit and the wave that arrived on it are one).
      const structuralUnits = new Set<number>();
      for (let e = offsets[a]; e < offsets[a + 1]; e++) {
        const x = targets[e];
        const inside = this.insideCount[x];
        if (inside < 2) continue;
        const structural = this.structural(x, inside);
        ties.push({ x, inside, structural });
        if (structural) structuralUnits.add(this.accountGraph.unit[x]);
      }
      const structuralTies = structuralUnits.size;
      roles[i] = MEMBER_ROLES.indexOf(structuralTies >= 2 ? 'core' : 'member');
      // A co-arrival wave is told with the identifier it arrived on, when the member shares that too: one tie.
      const waveOf = new Map<number, { x: number; inside: number }>();
      for (const t of ties) {
        const source = this.accountGraph.unit[t.x];
        if (source !== t.x && ties.some((other) => other.x === source)) waveOf.set(source, t);
      }
      // The waves told with their identifier are not told again on their own.
      const told = waveOf.size === 0 ? ties : ties.filter((t) => waveOf.get(this.accountGraph.unit[t.x]) !== t);
      told.sort((p, q) => Number(q.structural) - Number(p.structural) || q.inside - p.inside || p.x - q.x);
      const named = told.slice(0, this.options.evidenceTies).map((t) => {
        const shared = `${this.tieLabel(a, t.x)} with ${formatCount(t.inside - 1)} other member${t.inside === 2 ? '' : 's'}`;
        const wave = waveOf.get(t.x);
        if (!wave) return shared;
        const day = (parseArrivalId(this.world.identifiers.synchrony.ids[this.identifierName(wave.x).identifier]) as { day: string }).day;
        return wave.inside === t.inside
          ? `${shared}, all first seen on it within days of each other (from ${day})`
          : `${shared}, ${formatCount(wave.inside - 1)} of them first seen on it within days of this one (from ${day})`;
      });
      const more = told.length - named.length;
      evidence[i] = `shares ${named.join('; ')}` + (more > 0 ? `; and ${formatCount(more)} more shared identifier${more === 1 ? '' : 's'}` : '');
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

/**
 * How a co-arrival wave (src/graph/arrival.ts, id `arrival:<kind>:<id>:<day>`) reads in evidence when the member
 * does not share the identifier it arrived on ("shares the arrival wave on IP 203.0.113.7 of 2026-09-01 (first used
 * within days of each other) with 11 other members"); null for a template synchrony group.
 */
function waveLabel(id: string): string | null {
  const wave = parseArrivalId(id);
  if (wave === null) return null;
  const what = wave.kind === 'instrument' ? 'payment instrument' : wave.kind === 'ip' ? 'IP' : 'fingerprint';
  return `the arrival wave on ${what} ${wave.source} of ${wave.day} (first used within days of each other)`;
}

/** idleOnPlaces: the campaign's low tail (its lowest decile) and how far below it a place-only member is idle. */
const IDLE_DECILE = 0.1;
const IDLE_FACTOR = 0.1;

/**
 * Per account: exchanges per day present — from its creation (or the export's first exchange day, when it was
 * created before or its creation is unknown) to the export's last exchange day, or to its own last exchange day when
 * it is suspended or terminated (a harvester cut off early is not a quiet account), at least one day. An account
 * that sent nothing has rate 0. Accounts that only appear in links count as present the whole export.
 */
function usageRates(world: World, accountCount: number): Float64Array {
  const { exchanges, accounts } = world;
  const rate = new Float64Array(accountCount);
  let first = Infinity;
  let last = -Infinity;
  for (let c = 0; c < exchanges.cells; c++) {
    const day = exchanges.day[c];
    if (day < first) first = day;
    if (day > last) last = day;
  }
  if (first > last) return rate;
  const counted = Math.min(accountCount, exchanges.accountOffsets.length - 1);
  for (let a = 0; a < counted; a++) {
    let total = 0;
    for (let c = exchanges.accountOffsets[a]; c < exchanges.accountOffsets[a + 1]; c++) total += exchanges.count[c];
    if (total === 0) continue;
    const created = a < accounts.size ? Math.floor(accounts.createdAt[a] / MS_PER_DAY) : NaN;
    const from = Number.isFinite(created) ? Math.max(first, Math.min(created, last)) : first;
    const stopped = a < accounts.size && ACCOUNT_STATUSES[accounts.status[a]] !== 'active';
    const to = stopped ? Math.max(from, exchanges.day[exchanges.accountOffsets[a + 1] - 1]) : last;
    rate[a] = total / (to - from + 1);
  }
  return rate;
}

/** Per identifier node, the accounts whose links the graph left out (AccountGraph.leftOut), as CSR; null when none. */
function letGoAccounts(world: World, accountGraph: AccountGraph): { offsets: Int32Array; accounts: Int32Array } | null {
  const leftOut = accountGraph.leftOut;
  if (leftOut === null) return null;
  const nodeCount = accountGraph.graph.nodeCount;
  const offsets = new Int32Array(nodeCount + 1);
  for (const kind of IDENTIFIER_KINDS) {
    const mask = leftOut[kind];
    if (!mask) continue;
    const links = world.links[kind];
    for (let l = 0; l < links.size; l++) if (mask[l] === 1) offsets[accountGraph.nodeOffset[kind] + links.identifier[l] + 1]++;
  }
  for (let v = 0; v < nodeCount; v++) offsets[v + 1] += offsets[v];
  const accounts = new Int32Array(offsets[nodeCount]);
  const cursor = offsets.slice(0, nodeCount);
  for (const kind of IDENTIFIER_KINDS) {
    const mask = leftOut[kind];
    if (!mask) continue;
    const links = world.links[kind];
    for (let l = 0; l < links.size; l++) if (mask[l] === 1) accounts[cursor[accountGraph.nodeOffset[kind] + links.identifier[l]]++] = links.account[l];
  }
  return { offsets, accounts };
}
