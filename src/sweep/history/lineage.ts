/**
 * Cluster lineage between two sweeps: which cluster of this week continues which cluster of last week,
 * which id it keeps, and what happened to it (new, grown, shrunk, merged, split, unchanged; dormant for the
 * clusters that vanished).
 *
 * For a previous cluster P and a current cluster C (sets of external account ids), with o = |P ∩ C|:
 *
 *   overlap coefficient  s(P, C) = o / min(|P|, |C|)          (Szymkiewicz–Simpson)
 *   Jaccard              J(P, C) = o / |P ∪ C| = o / (|P| + |C| − o)
 *
 * P and C are *linked* when o ≥ minOverlap and s(P, C) ≥ linkThreshold: at least that share of the smaller
 * of the two is in the other. The overlap coefficient, not Jaccard, decides the link, so that a cluster that
 * tripled (J = 0.33), a 50-account cluster swallowed by a 25,000-account one (J = 0.002) and a small piece
 * split off a big one are still recognised as continuations; Jaccard ranks candidates.
 *
 * Ids are then handed down by a greedy one-to-one matching over the linked pairs, taken in this order:
 * overlap o descending, J descending, |P| descending, P's cluster id ascending (older id first), then C's
 * smallest account id ascending. Each P gives its id to at most one C and each C takes at most one id, so:
 *   - a merge keeps the id of the parent that contributed the most members (normally the largest parent);
 *   - a split gives the id to the child holding the most of the parent's members; other children get new ids;
 *   - an id that is not handed down (its cluster vanished or was absorbed) is retired, never reused.
 * Current clusters with no id from a parent get fresh ids from the allocator (numbers never handed out before).
 *
 * Events, for each current cluster C:
 *   new        no linked parent
 *   merged     two or more linked parents
 *   split      its (single) linked parent is linked to two or more current clusters
 *   grown      |C| − |P| ≥ max(growthMinAccounts, growthRatio · |P|)
 *   shrunk     |P| − |C| ≥ max(growthMinAccounts, growthRatio · |P|)
 *   unchanged  otherwise (members may still have churned: joined/left are always reported)
 * and for each previous cluster with no linked current cluster: dormant.
 *
 * A campaign that pauses for a week and comes back must not come back as a stranger (its case status, its
 * ban list and its history hang on its id). So a current cluster with no linked previous cluster is also
 * compared with the *dormant pool* — clusters that went dormant in the last `dormantSweeps` sweeps and have
 * not been seen since, each with its members when last seen — by the same link rule and the same greedy
 * one-to-one hand-down; a linked one takes the dormant id back with the event
 *   returned   it continues a cluster last seen before the previous sweep (last_seen_sweep says which)
 *
 * The event taxonomy (birth, growth, contraction, merging, splitting, death) is that of
 *   G. Palla, A.-L. Barabási, T. Vicsek, "Quantifying social group evolution", Nature 446 (2007) 664–667,
 *   doi:10.1038/nature05670;
 * matching communities across time steps by set overlap above a threshold follows
 *   D. Greene, D. Doyle, P. Cunningham, "Tracking the evolution of communities in dynamic social networks",
 *   ASONAM 2010, 176–183, doi:10.1109/ASONAM.2010.17.
 */

import type { IdentifierLink } from './identifier-links';

export const CLUSTER_EVENTS = ['new', 'grown', 'shrunk', 'merged', 'split', 'unchanged', 'returned', 'dormant'] as const;
export type ClusterEventKind = (typeof CLUSTER_EVENTS)[number];

export interface LineageOptions {
  /** Minimum overlap coefficient o / min(|P|, |C|) for P and C to be linked. */
  linkThreshold: number;
  /** Minimum number of shared accounts for a link (guards tiny clusters against chance overlap). */
  minOverlap: number;
  /** Relative size change that counts as grown/shrunk. */
  growthRatio: number;
  /** Absolute size change (accounts) below which a cluster is unchanged whatever the ratio. */
  growthMinAccounts: number;
  /** How many sweeps back a dormant cluster can return under its old id (sweeps with a state dir; 0 = never). */
  dormantSweeps: number;
  /** Strong identifiers (instruments, fingerprints) a new cluster must share with a known one to be linked to it. */
  minSharedIdentifiers: number;
}

export const LINEAGE_DEFAULTS: Readonly<LineageOptions> = {
  linkThreshold: 0.5,
  minOverlap: 2,
  growthRatio: 0.1,
  growthMinAccounts: 3,
  dormantSweeps: 4,
  minSharedIdentifiers: 3,
};

/** A cluster as lineage sees it: its members and the figures whose change we report. */
export interface LineageCluster {
  /** Set for previous clusters; ignored (may be empty) for current clusters. */
  cluster_id: string;
  /** External account ids. Need not be sorted; duplicates are ignored. */
  accounts: readonly string[];
  /** Unknown while ids are assigned (before scoring); filled in afterwards by the since-last-sweep step. */
  risk?: number | null;
  tier?: string | null;
}

/** A cluster of the dormant pool: as last seen, in sweep `last_seen_sweep`. */
export interface DormantCluster extends LineageCluster {
  last_seen_sweep: string;
}

/** Hands out new cluster ids; never returns an id handed out before (the state dir persists its counter). */
export interface ClusterIdAllocator {
  next(): string;
}

export interface ClusterEvent {
  cluster_id: string;
  event: ClusterEventKind;
  /** The previous cluster whose id this one continues (its own id in a sweep with --state; may differ in a diff). */
  previous_id: string | null;
  accounts_before: number;
  accounts_after: number;
  /** Accounts in this cluster now that were not in its id's cluster before (all members for new clusters). */
  joined: number;
  /** Accounts in its id's cluster before that are not in it now (all members for dormant clusters). */
  left: number;
  risk_before: number | null;
  risk_after: number | null;
  tier_before: string | null;
  tier_after: string | null;
  /** Previous clusters linked to this one, largest overlap first, with the number of shared accounts. */
  parents: { cluster_id: string; shared: number }[];
  /** Jaccard similarity with the cluster it continues (previous_id); null for new and dormant clusters. */
  jaccard: number | null;
  /** For `returned` only: the sweep the cluster was last seen in (before and after counts refer to it). */
  last_seen_sweep?: string;
  /** For `new` only (sweeps with a state dir): known clusters whose instruments or fingerprints it reuses. */
  identifier_links?: IdentifierLink[];
}

export interface LineageResult {
  /** Parallel to the current clusters: the id each one gets. */
  ids: string[];
  /** One event per current cluster (same order), then one `dormant` event per vanished previous cluster (by id). */
  events: ClusterEvent[];
  /** Previous ids not handed down to any current cluster because they were absorbed in a merge or a split. */
  retired: string[];
  parameters: LineageOptions;
}

interface Link {
  previous: number;
  current: number;
  shared: number;
  jaccard: number;
}

function uniqueSet(accounts: readonly string[]): Set<string> {
  return new Set(accounts);
}

function smallestAccount(accounts: Set<string>): string {
  let smallest: string | null = null;
  for (const account of accounts) if (smallest === null || account < smallest) smallest = account;
  return smallest ?? '';
}

export function compareIds(a: string, b: string): number {
  // Cluster ids like C0009 and C0010 compare by number when both have one, so "older first" holds past C9999.
  const na = Number(a.replace(/^\D+/, ''));
  const nb = Number(b.replace(/^\D+/, ''));
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function validateLineageOptions(options: LineageOptions): string | null {
  if (!(options.linkThreshold > 0 && options.linkThreshold <= 1)) return `link threshold ${options.linkThreshold} must be in (0, 1]`;
  if (!(Number.isInteger(options.minOverlap) && options.minOverlap >= 1)) return `minimum overlap ${options.minOverlap} must be a whole number ≥ 1`;
  if (!(options.growthRatio >= 0)) return `growth ratio ${options.growthRatio} must be ≥ 0`;
  if (!(Number.isInteger(options.growthMinAccounts) && options.growthMinAccounts >= 1)) {
    return `growth minimum ${options.growthMinAccounts} must be a whole number ≥ 1`;
  }
  if (!(Number.isInteger(options.dormantSweeps) && options.dormantSweeps >= 0)) {
    return `dormant look-back ${options.dormantSweeps} must be a whole number ≥ 0`;
  }
  if (!(Number.isInteger(options.minSharedIdentifiers) && options.minSharedIdentifiers >= 1)) {
    return `minimum shared identifiers ${options.minSharedIdentifiers} must be a whole number ≥ 1`;
  }
  return null;
}

/**
 * Links every current cluster to its previous clusters, hands down ids, and names each change.
 * Pure: the only side effect is allocator.next() for current clusters that continue nothing.
 */
/**
 * Every link between `earlier` and the current clusters `eligible` (by index) under the link rule, in hand-down
 * order: overlap descending, Jaccard descending, earlier size descending, older id first, then the current
 * cluster with the smaller first account. One pass over current members counts every overlap: each account
 * is in at most one cluster per sweep, but the dormant pool mixes sweeps, so an account may be in several of
 * its clusters and is counted for each.
 */
function linksBetween(
  earlier: readonly LineageCluster[],
  earlierSets: readonly Set<string>[],
  currentSets: readonly Set<string>[],
  currentKeys: readonly string[],
  eligible: (current: number) => boolean,
  parameters: LineageOptions,
): Link[] {
  // The first cluster holding an account; `alsoIn` lists the others (only the dormant pool has any).
  const earlierOf = new Map<string, number>();
  const alsoIn = new Map<string, number[]>();
  earlierSets.forEach((members, index) => {
    for (const account of members) {
      if (!earlierOf.has(account)) earlierOf.set(account, index);
      else {
        let more = alsoIn.get(account);
        if (!more) alsoIn.set(account, (more = []));
        more.push(index);
      }
    }
  });
  const links: Link[] = [];
  currentSets.forEach((members, currentIndex) => {
    if (!eligible(currentIndex)) return;
    const sharedByEarlier = new Map<number, number>();
    for (const account of members) {
      const earlierIndex = earlierOf.get(account);
      if (earlierIndex === undefined) continue;
      sharedByEarlier.set(earlierIndex, (sharedByEarlier.get(earlierIndex) ?? 0) + 1);
      if (alsoIn.size === 0) continue;
      for (const other of alsoIn.get(account) ?? []) sharedByEarlier.set(other, (sharedByEarlier.get(other) ?? 0) + 1);
    }
    for (const [earlierIndex, shared] of sharedByEarlier) {
      const before = earlierSets[earlierIndex].size;
      const after = members.size;
      const coefficient = shared / Math.min(before, after);
      if (shared >= parameters.minOverlap && coefficient >= parameters.linkThreshold) {
        links.push({ previous: earlierIndex, current: currentIndex, shared, jaccard: shared / (before + after - shared) });
      }
    }
  });
  links.sort(
    (a, b) =>
      b.shared - a.shared ||
      b.jaccard - a.jaccard ||
      earlierSets[b.previous].size - earlierSets[a.previous].size ||
      compareIds(earlier[a.previous].cluster_id, earlier[b.previous].cluster_id) ||
      (currentKeys[a.current] < currentKeys[b.current] ? -1 : currentKeys[a.current] > currentKeys[b.current] ? 1 : 0),
  );
  return links;
}

export function traceLineage(
  previous: readonly LineageCluster[],
  current: readonly LineageCluster[],
  allocator: ClusterIdAllocator,
  options: Partial<LineageOptions> = {},
  dormantPool: readonly DormantCluster[] = [],
): LineageResult {
  const parameters: LineageOptions = { ...LINEAGE_DEFAULTS, ...options };
  const previousSets = previous.map((cluster) => uniqueSet(cluster.accounts));
  const currentSets = current.map((cluster) => uniqueSet(cluster.accounts));
  const currentKeys = currentSets.map(smallestAccount);
  const links = linksBetween(previous, previousSets, currentSets, currentKeys, () => true, parameters);

  const heirOf = new Int32Array(previous.length).fill(-1);
  const parentOf = new Int32Array(current.length).fill(-1);
  const parentsOf: Link[][] = current.map(() => []);
  const childrenOf = new Int32Array(previous.length);
  for (const link of links) {
    parentsOf[link.current].push(link);
    childrenOf[link.previous]++;
    if (heirOf[link.previous] === -1 && parentOf[link.current] === -1) {
      heirOf[link.previous] = link.current;
      parentOf[link.current] = link.previous;
    }
  }

  // Clusters linked to nothing in the previous sweep may be a dormant cluster returning.
  const pool = parameters.dormantSweeps > 0 ? dormantPool : [];
  const poolSets = pool.map((cluster) => uniqueSet(cluster.accounts));
  const returnedFrom = new Int32Array(current.length).fill(-1);
  const poolTaken = new Uint8Array(pool.length);
  const returnLinks: (Link | null)[] = current.map(() => null);
  for (const link of linksBetween(pool, poolSets, currentSets, currentKeys, (c) => parentsOf[c].length === 0, parameters)) {
    if (poolTaken[link.previous] || returnedFrom[link.current] >= 0) continue;
    poolTaken[link.previous] = 1;
    returnedFrom[link.current] = link.previous;
    returnLinks[link.current] = link;
  }

  // Fresh ids in a stable order (largest first, then smallest member), so the same inputs give the same ids.
  const ids: string[] = new Array<string>(current.length);
  const needFresh: number[] = [];
  for (let c = 0; c < current.length; c++) {
    if (parentOf[c] >= 0) ids[c] = previous[parentOf[c]].cluster_id;
    else if (returnedFrom[c] >= 0) ids[c] = pool[returnedFrom[c]].cluster_id;
    else needFresh.push(c);
  }
  needFresh.sort(
    (a, b) => currentSets[b].size - currentSets[a].size || (currentKeys[a] < currentKeys[b] ? -1 : currentKeys[a] > currentKeys[b] ? 1 : 0),
  );
  for (const c of needFresh) ids[c] = allocator.next();

  const events: ClusterEvent[] = [];
  for (let c = 0; c < current.length; c++) {
    const members = currentSets[c];
    if (returnedFrom[c] >= 0) {
      const back = pool[returnedFrom[c]];
      const link = returnLinks[c] as Link;
      const before = poolSets[returnedFrom[c]];
      events.push({
        cluster_id: ids[c],
        event: 'returned',
        previous_id: back.cluster_id,
        accounts_before: before.size,
        accounts_after: members.size,
        joined: members.size - link.shared,
        left: before.size - link.shared,
        risk_before: back.risk ?? null,
        risk_after: current[c].risk ?? null,
        tier_before: back.tier ?? null,
        tier_after: current[c].tier ?? null,
        parents: [{ cluster_id: back.cluster_id, shared: link.shared }],
        jaccard: link.jaccard,
        last_seen_sweep: back.last_seen_sweep,
      });
      continue;
    }
    const parents = parentsOf[c].map((link) => ({ cluster_id: previous[link.previous].cluster_id, shared: link.shared }));
    const p = parentOf[c];
    const before = p >= 0 ? previousSets[p] : null;
    let joined = members.size;
    let left = 0;
    let jaccard: number | null = null;
    if (before) {
      let shared = 0;
      for (const account of members) if (before.has(account)) shared++;
      joined = members.size - shared;
      left = before.size - shared;
      jaccard = shared / (before.size + members.size - shared);
    }
    let event: ClusterEventKind;
    if (parentsOf[c].length === 0) event = 'new';
    else if (parentsOf[c].length >= 2) event = 'merged';
    else if (childrenOf[parentsOf[c][0].previous] >= 2) event = 'split';
    else {
      const sizeBefore = (before as Set<string>).size;
      const change = members.size - sizeBefore;
      const significant = Math.max(parameters.growthMinAccounts, parameters.growthRatio * sizeBefore);
      event = change >= significant ? 'grown' : -change >= significant ? 'shrunk' : 'unchanged';
    }
    events.push({
      cluster_id: ids[c],
      event,
      previous_id: p >= 0 ? previous[p].cluster_id : null,
      accounts_before: before ? before.size : 0,
      accounts_after: members.size,
      joined,
      left,
      risk_before: p >= 0 ? (previous[p].risk ?? null) : null,
      risk_after: current[c].risk ?? null,
      tier_before: p >= 0 ? (previous[p].tier ?? null) : null,
      tier_after: current[c].tier ?? null,
      parents,
      jaccard,
    });
  }

  const retired: string[] = [];
  const dormant: number[] = [];
  for (let p = 0; p < previous.length; p++) {
    if (heirOf[p] >= 0) continue;
    if (childrenOf[p] > 0) retired.push(previous[p].cluster_id);
    else dormant.push(p);
  }
  dormant.sort((a, b) => compareIds(previous[a].cluster_id, previous[b].cluster_id));
  for (const p of dormant) {
    events.push({
      cluster_id: previous[p].cluster_id,
      event: 'dormant',
      previous_id: previous[p].cluster_id,
      accounts_before: previousSets[p].size,
      accounts_after: 0,
      joined: 0,
      left: previousSets[p].size,
      risk_before: previous[p].risk ?? null,
      risk_after: null,
      tier_before: previous[p].tier ?? null,
      tier_after: null,
      parents: [],
      jaccard: null,
    });
  }
  retired.sort(compareIds);
  return { ids, events, retired, parameters };
}

/** An allocator over a counter, formatting ids as C0001, C0002…; `peek()` tells the state what to persist. */
export function counterAllocator(nextNumber: number, prefix = 'C'): ClusterIdAllocator & { peek(): number } {
  let counter = nextNumber;
  return {
    next(): string {
      const id = `${prefix}${String(counter).padStart(4, '0')}`;
      counter++;
      return id;
    },
    peek: () => counter,
  };
}

/** The number inside an id like C0042 (0 when there is none), so a state can start its counter past any id it has seen. */
export function clusterIdNumber(clusterId: string): number {
  const match = /(\d+)$/.exec(clusterId);
  return match ? Number(match[1]) : 0;
}
