/**
 * Which shared identifiers are population infrastructure (hubs) and which may be evidence — judged the same way
 * for every kind (card, IP, fingerprint), by where the identifier's accounts lie, never by its kind or by a
 * fixed share of the platform.
 *
 * A carrier NAT, a browser's TLS handshake, a commercial VPN exit, a reseller's card or a public SDK's default
 * fingerprint is shared by accounts that otherwise belong to many separate groups (households, teams) and that
 * are no more likely to share it with their own group-mates than its prevalence predicts. A swarm's automation
 * fingerprint, its operator's prepaid card or its private proxy exits are shared by accounts that the swarm's
 * other identifiers already tie together, or that share nothing else at all.
 *
 * Identifiers are visited from the least shared to the most shared, while a union–find over accounts grows the
 * groups tied by the identifiers accepted so far. For identifier x (degree d = distinct accounts), among its
 * *attached* accounts (those already in a group of two or more):
 *
 *   c_g      accounts of x in group g, s_g the size of g, c_max the largest c_g, n = Σ_g c_g
 *   n_eff  = (n − c_max)² / (Σ_g c_g² − c_max²)        effective number of separate groups x touches outside its
 *                                                      largest (inverse Simpson index; Hill 1973,
 *                                                      doi:10.2307/1934352) — outside, so that one big group
 *                                                      cannot make a browser build look like a few groups' tool
 *   q̄      = mean over attached accounts of (c_g − 1)/(s_g − 1)   share of an account's group-mates also on x
 *   p      = d / A                                     x's prevalence among the A accounts with identifiers
 *
 *   x is concentrated  ⇔  c_max ≥ concentration · d              (most of its accounts in one group: a swarm's tool), or
 *                         q̄ ≥ concentration and q̄ ≥ 2p          (group-mates share it at least half the time
 *                         and twice as often as strangers: a browser build on 80% of a small world covers whole
 *                         households by chance, a swarm's card that covers each of its card groups does not)
 *   x is a hub  ⇔  n_eff ≥ spreadGroups  and  x is not concentrated
 *
 * A hub links nothing in the account graph and is reported with both numbers. Any other identifier joins its
 * accounts' groups for the judgement of larger identifiers. Accounts in no group yet (they share nothing
 * smaller) say nothing either way: an identifier whose accounts share nothing else is not a hub.
 *
 * spreadGroups grows with the platform, spreadGroups = clamp(⌈√A / 4⌉, 3, 50): the carrier NATs, VPN exits and
 * browser fingerprints of a large platform touch hundreds to hundreds of thousands of households, while a tool
 * shared by a handful of crews touches a handful of groups; in a 38-account world three separate groups outside
 * the largest are already many (two could still be crews joined by one tool). It can be set explicitly.
 *
 * While a large swarm's own identifiers are visited its small pieces (card groups) are not yet joined, so one of
 * its exits may look spread too. The second look below (rescueRelated) finds such identifiers by what else
 * touches their groups, and a second pass joins them first.
 */
import { IDENTIFIER_KINDS, type IdentifierKind, type World } from '../core/world';
import { arrivalSource } from './arrival';

export interface DispersionOptions {
  /** Effective number of separate groups at which an unconcentrated identifier becomes a hub; 0 = derived. */
  spreadGroups: number;
  /** Share of group-mates also on it (q̄) that keeps an identifier evidence however many groups it touches. */
  concentration: number;
  /** Explicit hub limit per kind: an identifier with more accounts is a hub whatever its spread. */
  hubLimit: Partial<Record<IdentifierKind, number>>;
}

export interface IdentifierJudgement {
  /** 1 for a hub (per kind, per identifier). */
  hub: Record<IdentifierKind, Uint8Array>;
  /**
   * 1 for an identifier that is concentrated in one group yet spread over ≥ spreadGroups others: a public SDK's
   * fingerprint that a swarm also uses. Evidence for the group that holds most of it, never a tie to anyone else.
   */
  mixed: Record<IdentifierKind, Uint8Array>;
  /** For each hub: effective number of separate groups and q̄, the share of group-mates also on it (NaN when set by an explicit limit). */
  spread: Record<IdentifierKind, Float32Array>;
  mates: Record<IdentifierKind, Float32Array>;
  /** The spreadGroups used. */
  spreadGroups: number;
  /** Accounts with at least one identifier (A). */
  accountsWithIdentifiers: number;
}

export function derivedSpreadGroups(accountsWithIdentifiers: number): number {
  return Math.min(50, Math.max(3, Math.ceil(Math.sqrt(accountsWithIdentifiers) / 4)));
}

/** Identifier-major adjacency of one kind: the accounts of identifier i are accounts[offsets[i] … offsets[i+1]). */
function accountsByIdentifier(world: World, kind: IdentifierKind, degree: Int32Array): { offsets: Int32Array; accounts: Int32Array } {
  const links = world.links[kind];
  const offsets = new Int32Array(degree.length + 1);
  for (let i = 0; i < degree.length; i++) offsets[i + 1] = offsets[i] + degree[i];
  const cursor = offsets.slice(0, degree.length);
  const accounts = new Int32Array(links.size);
  for (let l = 0; l < links.size; l++) accounts[cursor[links.identifier[l]]++] = links.account[l];
  return { offsets, accounts };
}

/**
 * The view an identifier belongs to: who pays (instruments), where from (IPs), with what software or device
 * (fingerprints, clients and templates), when (synchrony groups). Identifiers of one view are not independent evidence —
 * an operator buys cards in batches, rents exits from one pool, builds clients from one toolchain, and a
 * household shares its line and its router alike — so two of them on the same accounts are one fact; two views
 * agreeing are two (the multi-view idea of SliceNDice, Nilforoshan & Shah 2019, doi:10.1109/ICDE.2019.00220).
 * A client (SDK and version) and its request scaffold (template) are the same fact as the TLS stack they come
 * with: the software that made the request (an SDK's default client and default template always travel together,
 * as a harness's do), so all three share the software view. Acting in step is a view of its own (a template
 * shared with the public says little, the same minutes on it day after day say more). Every rule treats the views
 * alike.
 */
const VIEW: Record<IdentifierKind, number> = { instrument: 0, ip: 1, fingerprint: 2, client: 2, template: 2, synchrony: 3 };
export const VIEW_COUNT = 4;

export function viewOf(kind: IdentifierKind): number {
  return VIEW[kind];
}

/**
 * The view of one identifier: its kind's, except that a co-arrival cohort (arrival.ts) is in the view of the
 * identifier it arrived on — arriving at an exit together with others is a fact about that exit, not a second,
 * independent coincidence.
 */
export function identifierView(kind: IdentifierKind, subkind: number): number {
  if (kind === 'synchrony') {
    const source = arrivalSource(subkind);
    if (source !== null) return VIEW[source];
  }
  return VIEW[kind];
}

/**
 * Second look at the identifiers judged spread: while the ascending pass visits a swarm's exits, the swarm's
 * card groups are not yet joined, so each exit seems to touch dozens of separate groups, just as a carrier NAT
 * touches households. What differs is that the swarm's groups are touched together, again and again, by
 * identifiers from another view (its automation fingerprints), while the households on a NAT meet other
 * identifiers (browser builds, VPN exits) only as often as chance has it.
 *
 * For spread identifiers x and y of different views, o(x, y) = groups (of two or more accounts) that both touch
 * and e(x, y) = |G_x|·|G_y| / N_G what independence predicts. y relates to x when o ≥ 2 and o ≥ 3·e; x is
 * evidence after all when Σ_y o(x, y) over related y reaches |G_x| (on average each of its groups meets it again
 * through another source).
 */
function rescueRelated(
  adjacency: Record<IdentifierKind, { offsets: Int32Array; accounts: Int32Array }>,
  hub: Record<IdentifierKind, Uint8Array>,
  spread: Record<IdentifierKind, Float32Array>,
  find: (a: number) => number,
  groupSize: Int32Array,
  accountCount: number,
): Record<IdentifierKind, Uint8Array> | null {
  const candidateKind: IdentifierKind[] = [];
  const candidateIdentifier: number[] = [];
  for (const kind of IDENTIFIER_KINDS) {
    // Hubs by an explicit limit (spread NaN) stay hubs.
    for (let i = 0; i < hub[kind].length; i++) {
      if (hub[kind][i] === 1 && !Number.isNaN(spread[kind][i])) {
        candidateKind.push(kind);
        candidateIdentifier.push(i);
      }
    }
  }
  const candidates = candidateKind.length;
  if (candidates < 2) return null;
  const view = new Int32Array(candidates);
  const groupsOf = new Int32Array(candidates);
  const lastCandidate = new Int32Array(accountCount).fill(-1);
  let incidenceBound = 0;
  for (let c = 0; c < candidates; c++) {
    const { offsets } = adjacency[candidateKind[c]];
    incidenceBound += offsets[candidateIdentifier[c] + 1] - offsets[candidateIdentifier[c]];
  }
  // One (group, candidate) incidence per group a candidate touches, encoded g · C + c.
  const incidences = new Float64Array(incidenceBound);
  let incidenceCount = 0;
  for (let c = 0; c < candidates; c++) {
    const kind = candidateKind[c];
    const x = candidateIdentifier[c];
    view[c] = viewOf(kind);
    const { offsets, accounts } = adjacency[kind];
    for (let e = offsets[x]; e < offsets[x + 1]; e++) {
      const g = find(accounts[e]);
      if (groupSize[g] < 2 || lastCandidate[g] === c) continue;
      lastCandidate[g] = c;
      groupsOf[c]++;
      incidences[incidenceCount++] = g * candidates + c;
    }
  }
  let groupCount = 0;
  for (let a = 0; a < accountCount; a++) if (find(a) === a && groupSize[a] >= 2) groupCount++;
  const sorted = incidences.subarray(0, incidenceCount).sort();
  // Pairs of candidates of different views touching the same group; a group touched by very many candidates
  // (a giant merged group) is skipped, since pairing them would be quadratic and it says nothing specific.
  const MAX_PER_GROUP = 400;
  let pairs = new Float64Array(1024);
  let pairCount = 0;
  const members: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    const g = Math.floor(sorted[i] / candidates);
    members.length = 0;
    for (; i < sorted.length && Math.floor(sorted[i] / candidates) === g; i++) members.push(sorted[i] % candidates);
    if (members.length < 2 || members.length > MAX_PER_GROUP) continue;
    for (let p = 0; p < members.length; p++) {
      for (let q = p + 1; q < members.length; q++) {
        if (view[members[p]] === view[members[q]]) continue;
        if (pairCount === pairs.length) {
          const grown = new Float64Array(pairs.length * 2);
          grown.set(pairs);
          pairs = grown;
        }
        pairs[pairCount++] = members[p] * candidates + members[q];
      }
    }
  }
  const pairKeys = pairs.subarray(0, pairCount).sort();
  const related = new Float64Array(candidates);
  for (let i = 0; i < pairCount; ) {
    const key = pairKeys[i];
    let overlap = 0;
    for (; i < pairCount && pairKeys[i] === key; i++) overlap++;
    const x = Math.floor(key / candidates);
    const y = key % candidates;
    const expected = (groupsOf[x] * groupsOf[y]) / Math.max(1, groupCount);
    if (overlap < 2 || overlap < 3 * expected) continue;
    related[x] += overlap;
    related[y] += overlap;
  }
  let rescued: Record<IdentifierKind, Uint8Array> | null = null;
  for (let c = 0; c < candidates; c++) {
    if (groupsOf[c] === 0 || related[c] < groupsOf[c]) continue;
    rescued ??= Object.fromEntries(IDENTIFIER_KINDS.map((kind) => [kind, new Uint8Array(hub[kind].length)])) as Record<IdentifierKind, Uint8Array>;
    rescued[candidateKind[c]][candidateIdentifier[c]] = 1;
  }
  return rescued;
}

export function judgeIdentifiers(world: World, degree: Record<IdentifierKind, Int32Array>, options: DispersionOptions): IdentifierJudgement {
  const accountCount = world.accounts.size;
  const hasIdentifier = new Uint8Array(accountCount);
  for (const kind of IDENTIFIER_KINDS) {
    const links = world.links[kind];
    for (let l = 0; l < links.size; l++) hasIdentifier[links.account[l]] = 1;
  }
  let accountsWithIdentifiers = 0;
  for (let a = 0; a < accountCount; a++) accountsWithIdentifiers += hasIdentifier[a];
  const spreadGroups = options.spreadGroups > 0 ? options.spreadGroups : derivedSpreadGroups(accountsWithIdentifiers);

  // A co-arrival wave (arrival.ts) is judged through the identifier it arrived on (account-graph.ts): it takes no
  // part here, so every other identifier is judged exactly as without waves.
  const syncSubkind = world.identifiers.synchrony.subkind;
  const isWave = (kind: IdentifierKind, i: number): boolean => kind === 'synchrony' && arrivalSource(syncSubkind[i]) !== null;
  const hub = {} as Record<IdentifierKind, Uint8Array>;
  const spread = {} as Record<IdentifierKind, Float32Array>;
  const matesOf = {} as Record<IdentifierKind, Float32Array>;
  const mixed = {} as Record<IdentifierKind, Uint8Array>;
  const adjacency = {} as Record<IdentifierKind, { offsets: Int32Array; accounts: Int32Array }>;
  // Every identifier shared by two or more accounts, in ascending degree (counting sort; ties by kind, then index).
  let maxDegree = 0;
  let candidates = 0;
  for (const kind of IDENTIFIER_KINDS) {
    const size = degree[kind].length;
    hub[kind] = new Uint8Array(size);
    spread[kind] = new Float32Array(size);
    matesOf[kind] = new Float32Array(size);
    mixed[kind] = new Uint8Array(size);
    adjacency[kind] = accountsByIdentifier(world, kind, degree[kind]);
    for (let i = 0; i < size; i++) {
      const d = degree[kind][i];
      if (d < 2 || isWave(kind, i)) continue;
      candidates++;
      if (d > maxDegree) maxDegree = d;
    }
  }
  const byDegree = new Int32Array(maxDegree + 2);
  for (const kind of IDENTIFIER_KINDS) degree[kind].forEach((d, i) => {
    if (d >= 2 && !isWave(kind, i)) byDegree[d + 1]++;
  });
  for (let d = 1; d <= maxDegree + 1; d++) byDegree[d] += byDegree[d - 1];
  const orderKind = new Uint8Array(candidates);
  const orderIdentifier = new Int32Array(candidates);
  for (let k = 0; k < IDENTIFIER_KINDS.length; k++) {
    const kindDegree = degree[IDENTIFIER_KINDS[k]];
    for (let i = 0; i < kindDegree.length; i++) {
      const d = kindDegree[i];
      if (d < 2 || isWave(IDENTIFIER_KINDS[k], i)) continue;
      const slot = byDegree[d]++;
      orderKind[slot] = k;
      orderIdentifier[slot] = i;
    }
  }

  const parent = new Int32Array(accountCount);
  const groupSize = new Int32Array(accountCount);
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const countInGroup = new Int32Array(accountCount);
  const touched = new Int32Array(accountCount);

  const join = (offsets: Int32Array, accounts: Int32Array, x: number): void => {
    let root = find(accounts[offsets[x]]);
    for (let e = offsets[x] + 1; e < offsets[x + 1]; e++) {
      const other = find(accounts[e]);
      if (other === root) continue;
      const big = groupSize[root] >= groupSize[other] ? root : other;
      const small = big === root ? other : root;
      parent[small] = big;
      groupSize[big] += groupSize[small];
      root = big;
    }
  };

  /** Judges x against the groups so far; marks it a hub (and returns true) when it is spread. */
  const isSpread = (offsets: Int32Array, accounts: Int32Array, kind: IdentifierKind, x: number, d: number): boolean => {
    let groups = 0;
    for (let e = offsets[x]; e < offsets[x + 1]; e++) {
      const root = find(accounts[e]);
      if (groupSize[root] < 2) continue;
      if (countInGroup[root]++ === 0) touched[groups++] = root;
    }
    let attached = 0;
    let sumSquares = 0;
    let mates = 0;
    let largest = 0;
    for (let g = 0; g < groups; g++) {
      const c = countInGroup[touched[g]];
      attached += c;
      sumSquares += c * c;
      if (c > largest) largest = c;
      // Each of the c accounts sees c − 1 of its s − 1 group-mates on x.
      mates += (c * (c - 1)) / (groupSize[touched[g]] - 1);
    }
    // Spread is measured outside the largest group, so one big group (a swarm, or legitimate accounts
    // wrongly joined to it) cannot make a browser fingerprint look like the tool of a few groups.
    const rest = attached - largest;
    const effectiveGroups = rest > 0 ? (rest * rest) / (sumSquares - largest * largest) : 0;
    const prevalence = d / Math.max(1, accountsWithIdentifiers);
    const meanMates = attached > 0 ? mates / attached : 0;
    const concentrated = largest >= options.concentration * d || (meanMates >= options.concentration && meanMates >= 2 * prevalence);
    for (let g = 0; g < groups; g++) countInGroup[touched[g]] = 0;
    // Concentrated in one group yet spread outside it: a tool the swarm uses that the public uses too.
    mixed[kind][x] = effectiveGroups >= spreadGroups && concentrated ? 1 : 0;
    if (effectiveGroups < spreadGroups || concentrated) return false;
    hub[kind][x] = 1;
    spread[kind][x] = effectiveGroups;
    matesOf[kind][x] = meanMates;
    return true;
  };

  /** One ascending pass; identifiers flagged in `evidence` are joined first and not judged. */
  const pass = (evidence: Record<IdentifierKind, Uint8Array> | null): void => {
    for (let a = 0; a < accountCount; a++) parent[a] = a;
    groupSize.fill(1);
    if (evidence !== null) {
      for (const kind of IDENTIFIER_KINDS) {
        for (let x = 0; x < evidence[kind].length; x++) if (evidence[kind][x] === 1) join(adjacency[kind].offsets, adjacency[kind].accounts, x);
      }
    }
    for (let o = 0; o < candidates; o++) {
      const kind = IDENTIFIER_KINDS[orderKind[o]];
      const x = orderIdentifier[o];
      const { offsets, accounts } = adjacency[kind];
      const d = offsets[x + 1] - offsets[x];
      const explicit = options.hubLimit[kind];
      hub[kind][x] = 0;
      if (explicit !== undefined && d > explicit) {
        hub[kind][x] = 1;
        spread[kind][x] = Number.NaN;
        matesOf[kind][x] = Number.NaN;
        continue;
      }
      if ((evidence === null || evidence[kind][x] === 0) && isSpread(offsets, accounts, kind, x, d)) continue;
      join(offsets, accounts, x);
    }
  };

  pass(null);
  const rescued = rescueRelated(adjacency, hub, spread, find, groupSize, accountCount);
  // Identifiers found related bind in a second pass, so the larger ones after them are judged against the
  // swarm joined whole, not against its pieces.
  if (rescued !== null) pass(rescued);
  return { hub, mixed, spread, mates: matesOf, spreadGroups, accountsWithIdentifiers };
}
