/**
 * Leiden community detection optimising modularity with resolution γ, on the CSR graph.
 *
 *   V.A. Traag, L. Waltman, N.J. van Eck (2019), "From Louvain to Leiden: guaranteeing well-connected
 *   communities", Scientific Reports 9:5233, doi:10.1038/s41598-019-41695-z.
 *
 * Quality optimised (Newman–Girvan modularity with the Reichardt–Bornholdt resolution γ):
 *   Q = Σ_c [ in_c / m − γ · (K_c / 2m)² ]
 * Gain of moving node v (strength k_v) into community C, with v already removed from its own community:
 *   ΔQ ∝ k_{v,C} − γ · k_v · K_C / (2m)          (k_{v,C}: weight of v's edges into C)
 *
 * One iteration (the paper's Algorithm A.2), repeated on the previous partition until an iteration moves no
 * node, raises modularity by less than `tolerance`, or `maxIterations` is reached:
 *   1. fast local moving: a queue seeded with every node in random order (random blocks of MOVE_ORDER_BLOCK
 *      neighbouring nodes, each block in random order — see blockPermutation); a node moves to the neighbouring
 *      community (or an empty one) with the largest strictly positive gain; when it moves, its neighbours
 *      outside its new community are queued again;
 *   2. refinement: inside each community S, start from singletons and visit the nodes in random order; a
 *      node that is still a singleton and is well connected to S (k_{v,S−v} ≥ γ·k_v·(K_S − k_v)/2m) joins a
 *      well-connected sub-community C of S with probability ∝ exp(ΔQ/β) over the C with ΔQ ≥ 0 (staying
 *      alone counts as ΔQ = 0). Gains are in edge-weight units as in igraph's C implementation, so with the
 *      default β = 0.01 the choice is nearly greedy on unit-weight graphs;
 *   3. aggregation on the refined partition, with the local-moving partition as the starting partition of the
 *      aggregate graph; repeat from 1 until every community is one aggregate node.
 * The refinement is what guarantees that communities are connected. As a belt-and-braces check the result is
 * passed through a connectivity split (splitting a disconnected community can only raise modularity); the
 * number of splits is reported and is expected to be 0.
 *
 * Deterministic for a given seed: all randomness comes from one seeded generator and every tie is broken
 * by visit order.
 */
import type { CsrGraph } from '../graph/csr';
import { swarmscopeError } from '../core/errors';
import { blockPermutation, seededRandom, shuffleRange, type RandomSource } from './random';

/**
 * Fast local moving visits nodes in a random order of blocks of this many consecutive nodes, each block in
 * random order. Graphs of up to this many nodes get a uniformly random order. Measured on the 1M account
 * graph: local moving about 25 % faster than a uniformly random order (blocks of 64, 1,024 and 16,384 all
 * help; 64 most), modularity equal to 5 decimals; on planted-partition graphs equal within the spread of seeds.
 */
const MOVE_ORDER_BLOCK = 64;

/** Relative gain below which a move is rounding noise (gains are in edge-weight units, scaled by k_v). */
const MOVE_EPSILON = 1e-12;

export interface LeidenOptions {
  /** γ: higher values give more, smaller communities. */
  resolution: number;
  /** β: randomness of the refinement step (θ in the paper). */
  randomness: number;
  seed: number;
  /** Upper bound on full iterations; the loop stops earlier once an iteration moves no node or gains < tolerance. */
  maxIterations: number;
  /** An iteration that raises modularity by less than this ends the loop (the partition is stable). */
  tolerance: number;
  /**
   * Merge every node of degree 1 into its only neighbour before optimising (at γ ≤ 1, without a starting
   * membership). At γ ≤ 1 a pendant node always gains by joining its neighbour's community (gain
   * w − γ·w·K_C/2m > 0 as K_C < 2m), so this only removes work: on an account graph most identifiers and many
   * accounts are pendant.
   */
  foldLeaves: boolean;
  /** Starting partition (one label per node); null starts from singletons. */
  initialMembership: Int32Array | null;
}

export const LEIDEN_DEFAULTS: Readonly<LeidenOptions> = Object.freeze({
  resolution: 1,
  randomness: 0.01,
  seed: 42,
  maxIterations: 10,
  tolerance: 1e-4,
  foldLeaves: true,
  initialMembership: null,
});

export interface LeidenResult {
  /** Community per node, numbered 0..communities-1 in order of first appearance. */
  membership: Int32Array;
  communities: number;
  modularity: number;
  resolution: number;
  randomness: number;
  seed: number;
  /** Graph levels local moving ran on in the last iteration (1 = the input graph only). */
  levels: number;
  iterations: number;
  /** True when the last iteration moved no node or gained less than the tolerance. */
  converged: boolean;
  /** Node moves made by local moving over all iterations and levels. */
  moves: number;
  /** Disconnected communities split by the final connectivity check (expected 0). */
  splitDisconnected: number;
  /** Components settled without optimising: provably one community each (see prepareWorkGraph). */
  solvedComponents: number;
  seconds: number;
}

export function leidenDetailed(graph: CsrGraph, options: Partial<LeidenOptions> = {}): LeidenResult {
  try {
    return leidenRun(graph, options);
  } finally {
    scratchPool.clear();
  }
}

function leidenRun(graph: CsrGraph, options: Partial<LeidenOptions>): LeidenResult {
  const settings = resolveOptions(graph, options);
  const started = performance.now();
  const { work, workNode, solvedCount } = prepareWorkGraph(graph, settings);
  const random = seededRandom(settings.seed);
  const nodeCount = work.nodeCount;
  const membership = new Int32Array(nodeCount);
  if (settings.initialMembership) {
    // Without folding each work node is one graph node.
    for (let v = 0; v < graph.nodeCount; v++) if (workNode[v] >= 0) membership[workNode[v]] = settings.initialMembership[v];
    relabelByFirstAppearance(membership);
  } else {
    for (let v = 0; v < nodeCount; v++) membership[v] = v;
  }
  let iterations = 0;
  let levels = 0;
  let moves = 0;
  let converged = false;
  let iterationQuality = -Infinity;
  while (iterations < settings.maxIterations && nodeCount > 0) {
    iterations++;
    const pass = leidenIteration(work, membership, settings, random);
    levels = pass.levels;
    moves += pass.moves;
    if (pass.moves === 0) {
      converged = true;
      break;
    }
    if (iterations < settings.maxIterations) {
      const communities = relabelByFirstAppearance(membership);
      const next = qualityByAggregation(work, membership, communities, settings.resolution);
      if (next - iterationQuality < settings.tolerance) {
        converged = true;
        break;
      }
      iterationQuality = next;
    }
  }
  // Connectivity is checked on the work graph: its nodes are connected groups of graph nodes (a leaf with its
  // neighbour) and it holds whole components, so a community is connected in it exactly when it is in the graph.
  const before = nodeCount > 0 ? relabelByFirstAppearance(membership) : 0;
  const workCommunities = nodeCount > 0 ? splitDisconnectedCommunities(work, membership) : 0;
  const full = new Int32Array(graph.nodeCount);
  for (let v = 0; v < graph.nodeCount; v++) {
    const at = workNode[v];
    full[v] = at >= 0 ? membership[at] : workCommunities + SOLVED - at;
  }
  const communities = relabelByFirstAppearance(full);
  const quality = qualityByAggregation(graph, full, communities, settings.resolution);
  return {
    membership: full,
    communities,
    modularity: quality,
    resolution: settings.resolution,
    randomness: settings.randomness,
    seed: settings.seed,
    levels,
    iterations,
    converged: converged || nodeCount === 0,
    moves,
    splitDisconnected: workCommunities - before,
    solvedComponents: solvedCount,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Marks in prepareWorkGraph's workNode array (work nodes are ≥ 0). */
const UNSEEN = -1;
const FOLDED = -2;
const SOLVED = -3;

/**
 * What Leiden has to work on, and what it does not.
 *
 * Solved components. Modularity is a sum over communities and an optimal community never spans two
 * components (splitting it raises Q by γ·K_A·K_B/2m² > 0), so each component can be optimised on its own
 * against the global m. For a connected component C of total strength K_C whose lightest edge weighs w_min,
 * keeping C whole beats every split: a split into parts i cuts at least one edge, so
 *   Q(whole) − Q(split) = cut/m − γ·(K_C² − Σ K_i²)/4m² > w_min/m − γ·K_C²/4m² > 0   when 4·m·w_min > γ·K_C².
 * Such a component is therefore exactly one community of the optimum (and a node without edges is its own),
 * found in one linear pass; on an account graph that is most of the components. Only the rest is optimised.
 *
 * Leaf folding (`foldLeaves`, at γ ≤ 1 without a starting membership): a degree-1 node always gains by joining
 * its neighbour's community (gain w − γ·w·K_C/2m > 0 as K_C < 2m), and in an optimum it is never apart from it,
 * so it is merged into its neighbour before optimising (two adjacent degree-1 nodes into one).
 *
 * Both are done in the one breadth-first pass that finds the components, which also writes the work graph's
 * rows: work nodes are numbered in breadth-first order, so a node's neighbours get nearby numbers and the
 * optimiser's random visits find them near the node in memory; a folded leaf's edge becomes its neighbour's
 * loop (so no two rows can hold the same neighbour twice); a component found solved is rolled back.
 * `workNode[v]` is v's node in the work graph (≥ 0), or SOLVED − k when v is in the k-th solved component
 * (k from 0, in order of the components' smallest nodes). One array serves as the visited mark too (UNSEEN,
 * FOLDED while a folded leaf waits for its neighbour's number): fewer random reads in a pass bound by them.
 */
function prepareWorkGraph(
  graph: CsrGraph,
  settings: LeidenOptions,
): { work: CsrGraph; workNode: Int32Array; solvedCount: number } {
  const { nodeCount, offsets, targets, weights, loops, strength } = graph;
  const m = graph.totalWeight;
  const resolution = settings.resolution;
  const fold = settings.foldLeaves && !settings.initialMembership && resolution <= 1;
  // Every component's members lie contiguously in `queue`, from `first` to `tail`.
  const queue = new Int32Array(nodeCount);
  const workNode = new Int32Array(nodeCount).fill(UNSEEN);
  const workOffsets = new Int32Array(nodeCount + 1);
  const workTargets = new Int32Array(targets.length);
  const workWeights = new Float64Array(targets.length);
  const workLoops = new Float64Array(nodeCount);
  const workStrength = new Float64Array(nodeCount);
  let solvedCount = 0;
  let workCount = 0;
  let write = 0;
  let tail = 0;
  for (let root = 0; root < nodeCount; root++) {
    if (workNode[root] !== UNSEEN) continue;
    const first = tail;
    const firstWork = workCount;
    const firstWrite = write;
    queue[tail++] = root;
    workNode[root] = FOLDED;
    // The root is folded when it is a leaf and its neighbour is not (two leaves: the root is the smaller).
    const rootIsLeaf = offsets[root + 1] - offsets[root] === 1 && loops[root] === 0;
    const rootNeighbour = rootIsLeaf ? targets[offsets[root]] : -1;
    if (!(fold && rootIsLeaf && !(offsets[rootNeighbour + 1] - offsets[rootNeighbour] === 1 && loops[rootNeighbour] === 0))) {
      workNode[root] = workCount++;
    }
    let total = 0;
    let lightest = Infinity;
    for (let head = first; head < tail; head++) {
      const v = queue[head];
      total += strength[v];
      const own = workNode[v];
      const start = offsets[v];
      const end = offsets[v + 1];
      if (own < 0) {
        // A folded root: its one edge goes into its neighbour's row.
        const u = targets[start];
        if (weights[start] < lightest) lightest = weights[start];
        if (workNode[u] === UNSEEN) {
          queue[tail++] = u;
          workNode[u] = workCount++;
        }
        continue;
      }
      const vIsLeaf = end - start === 1 && loops[v] === 0;
      let loop = loops[v];
      let rowStrength = strength[v];
      for (let e = start; e < end; e++) {
        const w = weights[e];
        if (w < lightest) lightest = w;
        const u = targets[e];
        let at = workNode[u];
        if (at === UNSEEN) {
          queue[tail++] = u;
          // u's only neighbour is v when u is a leaf: folded into v unless v is the smaller of two leaves' pair.
          const uFolded = fold && offsets[u + 1] - offsets[u] === 1 && loops[u] === 0 && (!vIsLeaf || v < u);
          at = uFolded ? FOLDED : workCount++;
          workNode[u] = at;
        }
        if (at < 0) {
          loop += w;
          rowStrength += w;
        } else {
          workTargets[write] = at;
          workWeights[write++] = w;
        }
      }
      workOffsets[own + 1] = write;
      workLoops[own] = loop;
      workStrength[own] = rowStrength;
    }
    if (tail - first === 1 || 4 * m * lightest > resolution * total * total) {
      workCount = firstWork;
      write = firstWrite;
      for (let i = first; i < tail; i++) {
        workNode[queue[i]] = SOLVED - solvedCount;
      }
      solvedCount++;
    } else if (fold) {
      for (let i = first; i < tail; i++) {
        const v = queue[i];
        if (workNode[v] === FOLDED) workNode[v] = workNode[targets[offsets[v]]];
      }
    }
  }
  const work: CsrGraph = {
    nodeCount: workCount,
    offsets: workOffsets.subarray(0, workCount + 1),
    targets: workTargets.subarray(0, write),
    weights: workWeights.subarray(0, write),
    loops: workLoops.subarray(0, workCount),
    strength: workStrength.subarray(0, workCount),
    totalWeight: m,
  };
  return { work, workNode, solvedCount };
}



/** Leiden membership only; `leiden.detailed` also says what was optimised and how much work it took. */
export const leiden = Object.assign(
  (graph: CsrGraph, options: Partial<LeidenOptions> = {}): Int32Array => leidenDetailed(graph, options).membership,
  { detailed: leidenDetailed },
);

function resolveOptions(graph: CsrGraph, options: Partial<LeidenOptions>): LeidenOptions {
  const settings: LeidenOptions = { ...LEIDEN_DEFAULTS, ...options };
  if (!(settings.resolution > 0) || !Number.isFinite(settings.resolution)) {
    throw swarmscopeError('BAD_ARGUMENT', `resolution must be a positive number, got ${settings.resolution}`);
  }
  if (!(settings.randomness > 0) || !Number.isFinite(settings.randomness)) {
    throw swarmscopeError('BAD_ARGUMENT', `randomness must be a positive number, got ${settings.randomness}`);
  }
  if (!Number.isInteger(settings.seed)) throw swarmscopeError('BAD_ARGUMENT', `seed must be an integer, got ${settings.seed}`);
  if (!(settings.tolerance >= 0)) throw swarmscopeError('BAD_ARGUMENT', `tolerance must be ≥ 0, got ${settings.tolerance}`);
  if (!Number.isInteger(settings.maxIterations) || settings.maxIterations < 1) {
    throw swarmscopeError('BAD_ARGUMENT', `maxIterations must be a positive integer, got ${settings.maxIterations}`);
  }
  if (settings.initialMembership && settings.initialMembership.length !== graph.nodeCount) {
    throw swarmscopeError(
      'BAD_ARGUMENT',
      `initial membership has ${settings.initialMembership.length} entries but the graph has ${graph.nodeCount} nodes`,
    );
  }
  return settings;
}

/** One Leiden iteration from `membership` (updated in place). */
function leidenIteration(
  graph: CsrGraph,
  membership: Int32Array,
  settings: LeidenOptions,
  random: RandomSource,
): { moves: number; levels: number } {
  const nodeCount = graph.nodeCount;
  // nodeAtLevel[v]: v's node in the current level graph, or −(k + 1) once v's community is the k-th settled one.
  const nodeAtLevel = new Int32Array(nodeCount);
  for (let v = 0; v < nodeCount; v++) nodeAtLevel[v] = v;
  let level = graph;
  let levelMembership = Int32Array.from(membership);
  relabelByFirstAppearance(levelMembership);
  let moves = 0;
  let levels = 1;
  let settled = 0;
  for (;;) {
    moves += fastLocalMoving(level, levelMembership, settings.resolution, random);
    const communityCount = relabelByFirstAppearance(levelMembership);
    if (communityCount === level.nodeCount) break;
    const refined = refine(level, levelMembership, communityCount, settings.resolution, settings.randomness, random);
    const refinedCount = relabelByFirstAppearance(refined);
    if (refinedCount === level.nodeCount) break;
    let aggregate = aggregateGraph(level, refined, refinedCount);
    let aggregateMembership = new Int32Array(refinedCount);
    for (let v = 0; v < level.nodeCount; v++) aggregateMembership[refined[v]] = levelMembership[v];
    let aggregateIndex = refined;
    // An aggregate node without edges that is alone in its community is finished (a whole component): it
    // can never move or be joined again, so it leaves the level graphs instead of being carried through each.
    const kept = unsettledNodes(aggregate, aggregateMembership);
    if (kept) {
      const compacted = compactLevel(aggregate, kept.mask, kept.count);
      const remap = new Int32Array(refinedCount);
      let frozen = settled;
      for (let c = 0; c < refinedCount; c++) remap[c] = kept.mask[c] ? compacted.newIndex[c] : -(++frozen);
      settled = frozen;
      aggregateIndex = refined.map((c) => remap[c]);
      const membershipOfKept = new Int32Array(kept.count);
      for (let c = 0; c < refinedCount; c++) if (kept.mask[c]) membershipOfKept[compacted.newIndex[c]] = aggregateMembership[c];
      relabelByFirstAppearance(membershipOfKept);
      aggregate = compacted.graph;
      aggregateMembership = membershipOfKept;
    }
    for (let v = 0; v < nodeCount; v++) {
      const at = nodeAtLevel[v];
      if (at >= 0) nodeAtLevel[v] = aggregateIndex[at];
    }
    level = aggregate;
    levelMembership = aggregateMembership;
    levels++;
    if (level.nodeCount === 0) break;
  }
  let activeCommunities = 0;
  for (let c = 0; c < levelMembership.length; c++) if (levelMembership[c] + 1 > activeCommunities) activeCommunities = levelMembership[c] + 1;
  for (let v = 0; v < nodeCount; v++) {
    const at = nodeAtLevel[v];
    membership[v] = at >= 0 ? levelMembership[at] : activeCommunities - at - 1;
  }
  return { moves, levels };
}

/** Aggregate nodes that can still change (have an edge or share their community); null when all can. */
function unsettledNodes(graph: CsrGraph, membership: Int32Array): { mask: Uint8Array; count: number } | null {
  const { nodeCount, offsets } = graph;
  const communitySize = new Int32Array(nodeCount);
  for (let v = 0; v < nodeCount; v++) communitySize[membership[v]]++;
  const mask = new Uint8Array(nodeCount);
  let count = 0;
  for (let v = 0; v < nodeCount; v++) {
    if (offsets[v + 1] > offsets[v] || communitySize[membership[v]] > 1) {
      mask[v] = 1;
      count++;
    }
  }
  return count === nodeCount ? null : { mask, count };
}

/** The subgraph of the masked nodes (dropped nodes have no edges, so every target survives). */
function compactLevel(graph: CsrGraph, mask: Uint8Array, count: number): { graph: CsrGraph; newIndex: Int32Array } {
  const { nodeCount, offsets, targets, weights, loops, strength } = graph;
  const newIndex = new Int32Array(nodeCount).fill(-1);
  let next = 0;
  for (let v = 0; v < nodeCount; v++) if (mask[v]) newIndex[v] = next++;
  const compactOffsets = new Int32Array(count + 1);
  const compactTargets = new Int32Array(targets.length);
  const compactWeights = new Float64Array(weights.length);
  const compactLoops = new Float64Array(count);
  const compactStrength = new Float64Array(count);
  let write = 0;
  for (let v = 0; v < nodeCount; v++) {
    const c = newIndex[v];
    if (c < 0) continue;
    for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) {
      compactTargets[write] = newIndex[targets[e]];
      compactWeights[write++] = weights[e];
    }
    compactOffsets[c + 1] = write;
    compactLoops[c] = loops[v];
    compactStrength[c] = strength[v];
  }
  return {
    graph: {
      nodeCount: count,
      offsets: compactOffsets,
      targets: compactTargets,
      weights: compactWeights,
      loops: compactLoops,
      strength: compactStrength,
      totalWeight: graph.totalWeight,
    },
    newIndex,
  };
}

/**
 * Scratch arrays reused across levels and iterations of one run (zeroed on every hand-out): allocating
 * a fresh array per level made the large typed arrays trigger a full garbage collection each time.
 * Emptied when a run ends so nothing stays alive between runs.
 */
type Scratch = Float64Array | Int32Array | Uint8Array;
const scratchPool = new Map<string, Scratch>();
function scratch<T extends Scratch>(key: string, n: number, make: (length: number) => T): T {
  let a = scratchPool.get(key) as T | undefined;
  if (!a || a.length < n) scratchPool.set(key, (a = make(n)));
  const view = a.subarray(0, n) as T;
  view.fill(0);
  return view;
}
const scratchF64 = (key: string, n: number) => scratch(key, n, (length) => new Float64Array(length));
const scratchI32 = (key: string, n: number) => scratch(key, n, (length) => new Int32Array(length));
const scratchU8 = (key: string, n: number) => scratch(key, n, (length) => new Uint8Array(length));

/** Fast local moving (the paper's MoveNodesFast). Updates membership in place; returns the number of moves. */
function fastLocalMoving(graph: CsrGraph, membership: Int32Array, resolution: number, random: RandomSource): number {
  const { nodeCount, offsets, targets, weights, strength } = graph;
  const scale = resolution / (2 * graph.totalWeight);
  const communityStrength = scratchF64('move.communityStrength', nodeCount);
  const communitySize = scratchI32('move.communitySize', nodeCount);
  for (let v = 0; v < nodeCount; v++) {
    communityStrength[membership[v]] += strength[v];
    communitySize[membership[v]]++;
  }
  const emptyCommunities = scratchI32('move.emptyCommunities', nodeCount);
  let emptyCount = 0;
  for (let c = nodeCount - 1; c >= 0; c--) if (communitySize[c] === 0) emptyCommunities[emptyCount++] = c;

  // The queue starts in a random order of blocks of consecutive nodes, each block in random order (see
  // blockPermutation): nodes are numbered breadth-first, so a visit then mostly finds its neighbours' data in
  // cache, where a uniformly random order misses it at almost every visit.
  const queue = blockPermutation(nodeCount, MOVE_ORDER_BLOCK, random);
  const queued = scratchU8('move.queued', nodeCount).fill(1);
  let head = 0;
  let queueLength = nodeCount;

  const weightTo = scratchF64('move.weightTo', nodeCount);
  const touched = scratchU8('move.touched', nodeCount);
  const neighbourCommunities = scratchI32('move.neighbourCommunities', nodeCount);
  let moves = 0;

  while (queueLength > 0) {
    const v = queue[head];
    head = head + 1 === nodeCount ? 0 : head + 1;
    queueLength--;
    queued[v] = 0;

    const own = membership[v];
    const kv = strength[v];
    let found = 0;
    for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) {
      const c = membership[targets[e]];
      if (touched[c] === 0) {
        touched[c] = 1;
        neighbourCommunities[found++] = c;
      }
      weightTo[c] += weights[e];
    }
    communityStrength[own] -= kv;
    let best = own;
    let bestGain = weightTo[own] - kv * communityStrength[own] * scale;
    for (let i = 0; i < found; i++) {
      const c = neighbourCommunities[i];
      if (c === own) continue;
      const gain = weightTo[c] - kv * communityStrength[c] * scale;
      // A move must gain more than rounding noise, or nodes would oscillate between equally good communities.
      if (gain > bestGain + kv * MOVE_EPSILON) {
        bestGain = gain;
        best = c;
      }
    }
    if (bestGain < -kv * MOVE_EPSILON && communitySize[own] > 1 && emptyCount > 0) best = emptyCommunities[--emptyCount];
    for (let i = 0; i < found; i++) {
      weightTo[neighbourCommunities[i]] = 0;
      touched[neighbourCommunities[i]] = 0;
    }
    communityStrength[best] += kv;
    if (best === own) continue;

    moves++;
    membership[v] = best;
    communitySize[best]++;
    if (--communitySize[own] === 0) emptyCommunities[emptyCount++] = own;
    for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) {
      const u = targets[e];
      if (queued[u] === 0 && membership[u] !== best) {
        queued[u] = 1;
        let tail = head + queueLength;
        if (tail >= nodeCount) tail -= nodeCount;
        queue[tail] = u;
        queueLength++;
      }
    }
  }
  return moves;
}

/**
 * Refinement (the paper's RefinePartition / MergeNodesSubset), community by community as in igraph: each
 * community's members are visited in a random order of their own.
 * Returns the refined label per node (labels are node numbers; relabel afterwards).
 */
function refine(
  graph: CsrGraph,
  membership: Int32Array,
  communityCount: number,
  resolution: number,
  randomness: number,
  random: RandomSource,
): Int32Array {
  const { nodeCount, offsets, targets, weights, strength } = graph;
  const scale = resolution / (2 * graph.totalWeight);
  const communityStrength = scratchF64('refine.communityStrength', communityCount);
  for (let v = 0; v < nodeCount; v++) communityStrength[membership[v]] += strength[v];

  // weightInside[v] = k_{v, S−v}: v's edge weight to the rest of its own community.
  const weightInside = scratchF64('refine.weightInside', nodeCount);
  // hasInside[v]: v has at least one edge into its own community. A node without one has no candidate
  // sub-community, so visiting it could never move it nor draw a random number: it is skipped.
  const hasInside = scratchU8('refine.hasInside', nodeCount);
  for (let v = 0; v < nodeCount; v++) {
    const c = membership[v];
    let w = 0;
    let inside = 0;
    for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) {
      if (membership[targets[e]] === c) {
        w += weights[e];
        inside = 1;
      }
    }
    weightInside[v] = w;
    hasInside[v] = inside;
  }
  const refined = new Int32Array(nodeCount);
  const refinedSize = scratchI32('refine.refinedSize', nodeCount);
  const refinedStrength = scratchF64('refine.refinedStrength', nodeCount);
  refinedStrength.set(strength);
  // refinedExternal[C] = E(C, S − C): weight from sub-community C to the rest of its community S.
  const refinedExternal = scratchF64('refine.refinedExternal', nodeCount);
  refinedExternal.set(weightInside);
  for (let v = 0; v < nodeCount; v++) {
    refined[v] = v;
    refinedSize[v] = 1;
  }
  const weightTo = scratchF64('refine.weightTo', nodeCount);
  const touched = scratchU8('refine.touched', nodeCount);
  const candidates = scratchI32('refine.candidates', nodeCount);
  const optionCommunity = scratchI32('refine.optionCommunity', nodeCount);
  const candidateGain = scratchF64('refine.candidateGain', nodeCount);
  // Members of each community, contiguous: a community is refined on its own, its members visited in random
  // order. Communities are connected and work nodes are numbered breadth-first, so one community's data sits
  // in one small stretch of memory while it is refined.
  const memberStart = scratchI32('refine.memberStart', communityCount + 1);
  for (let v = 0; v < nodeCount; v++) memberStart[membership[v] + 1]++;
  for (let c = 0; c < communityCount; c++) memberStart[c + 1] += memberStart[c];
  const cursor = scratchI32('refine.cursor', communityCount);
  cursor.set(memberStart.subarray(0, communityCount));
  const members = scratchI32('refine.members', nodeCount);
  for (let v = 0; v < nodeCount; v++) members[cursor[membership[v]]++] = v;

  for (let community = 0; community < communityCount; community++) {
    const from = memberStart[community];
    const to = memberStart[community + 1];
    if (to - from < 2) continue;
    shuffleRange(members, from, to, random);
    const communityTotal = communityStrength[community];
    for (let i = from; i < to; i++) {
      const v = members[i];
      const own = refined[v];
      if (refinedSize[own] !== 1 || hasInside[v] === 0) continue;
      const kv = strength[v];
      if (weightInside[v] < kv * (communityTotal - kv) * scale) continue;

      let found = 0;
      for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) {
        const u = targets[e];
        if (membership[u] !== community) continue;
        const c = refined[u];
        if (c === own) continue;
        if (touched[c] === 0) {
          touched[c] = 1;
          candidates[found++] = c;
        }
        weightTo[c] += weights[e];
      }
      // Options: staying alone (gain 0) and every well-connected sub-community with a non-negative gain.
      // The options go to `optionCommunity` so `candidates` still lists every touched sub-community to reset.
      let options = 0;
      let maxGain = 0;
      for (let j = 0; j < found; j++) {
        const c = candidates[j];
        const cStrength = refinedStrength[c];
        if (refinedExternal[c] < cStrength * (communityTotal - cStrength) * scale) continue;
        const gain = weightTo[c] - kv * cStrength * scale;
        if (gain < 0) continue;
        optionCommunity[options] = c;
        candidateGain[options++] = gain;
        if (gain > maxGain) maxGain = gain;
      }
      let chosen = own;
      if (options > 0) {
        // Probabilities ∝ exp(ΔQ/β), shifted by the largest gain so exp never overflows.
        const stayWeight = Math.exp(-maxGain / randomness);
        let total = stayWeight;
        // candidateGain[j] is replaced by option j's weight, so each exp is computed once.
        for (let j = 0; j < options; j++) {
          const weight = Math.exp((candidateGain[j] - maxGain) / randomness);
          candidateGain[j] = weight;
          total += weight;
        }
        let draw = random() * total - stayWeight;
        for (let j = 0; j < options && draw >= 0; j++) {
          draw -= candidateGain[j];
          if (draw < 0) chosen = optionCommunity[j];
        }
        if (draw >= 0 && chosen === own) chosen = optionCommunity[options - 1];
      }
      const chosenWeight = chosen === own ? 0 : weightTo[chosen];
      for (let j = 0; j < found; j++) {
        const c = candidates[j];
        weightTo[c] = 0;
        touched[c] = 0;
      }
      if (chosen === own) continue;
      refined[v] = chosen;
      refinedSize[own] = 0;
      refinedSize[chosen]++;
      refinedStrength[chosen] += kv;
      refinedExternal[chosen] += weightInside[v] - 2 * chosenWeight;
    }
  }
  return refined;
}

/**
 * The aggregate graph: one node per refined community, edge weights summed, internal weight kept as the
 * node's loop. Linear in the number of edges.
 */
export function aggregateGraph(graph: CsrGraph, community: Int32Array, communityCount: number): CsrGraph {
  const { nodeCount, offsets, targets, weights, loops, strength } = graph;
  const memberStart = new Int32Array(communityCount + 1);
  for (let v = 0; v < nodeCount; v++) memberStart[community[v] + 1]++;
  for (let c = 0; c < communityCount; c++) memberStart[c + 1] += memberStart[c];
  const members = new Int32Array(nodeCount);
  const cursor = memberStart.slice(0, communityCount);
  for (let v = 0; v < nodeCount; v++) members[cursor[community[v]]++] = v;

  const aggregateOffsets = new Int32Array(communityCount + 1);
  const aggregateTargets = new Int32Array(targets.length);
  const aggregateWeights = new Float64Array(targets.length);
  const aggregateLoops = new Float64Array(communityCount);
  const aggregateStrength = new Float64Array(communityCount);
  const slot = new Int32Array(communityCount).fill(-1);
  let write = 0;
  for (let c = 0; c < communityCount; c++) {
    const rowStart = write;
    let loop = 0;
    let total = 0;
    for (let i = memberStart[c]; i < memberStart[c + 1]; i++) {
      const v = members[i];
      loop += loops[v];
      total += strength[v];
      for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) {
        const t = community[targets[e]];
        if (t === c) {
          loop += weights[e] / 2;
          continue;
        }
        const at = slot[t];
        if (at >= rowStart) {
          aggregateWeights[at] += weights[e];
        } else {
          slot[t] = write;
          aggregateTargets[write] = t;
          aggregateWeights[write++] = weights[e];
        }
      }
    }
    aggregateOffsets[c + 1] = write;
    aggregateLoops[c] = loop;
    aggregateStrength[c] = total;
  }
  return {
    nodeCount: communityCount,
    offsets: aggregateOffsets,
    targets: aggregateTargets.slice(0, write),
    weights: aggregateWeights.slice(0, write),
    loops: aggregateLoops,
    strength: aggregateStrength,
    totalWeight: graph.totalWeight,
  };
}

/** Renumbers labels 0..k-1 in order of first appearance (in place); returns k. */
export function relabelByFirstAppearance(labels: Int32Array): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  const map = new Int32Array(max + 1).fill(-1);
  let next = 0;
  for (let i = 0; i < labels.length; i++) {
    const old = labels[i];
    if (map[old] === -1) map[old] = next++;
    labels[i] = map[old];
  }
  return next;
}

/**
 * Splits every community into its connected parts (in place), numbering parts by their smallest node.
 * Returns the new number of communities.
 */
export function splitDisconnectedCommunities(graph: CsrGraph, membership: Int32Array): number {
  const { nodeCount, offsets, targets } = graph;
  const part = new Int32Array(nodeCount).fill(-1);
  const stack = new Int32Array(nodeCount);
  let parts = 0;
  for (let root = 0; root < nodeCount; root++) {
    if (part[root] !== -1) continue;
    const c = membership[root];
    let top = 0;
    stack[top++] = root;
    part[root] = parts;
    while (top > 0) {
      const v = stack[--top];
      for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) {
        const u = targets[e];
        if (part[u] === -1 && membership[u] === c) {
          part[u] = parts;
          stack[top++] = u;
        }
      }
    }
    parts++;
  }
  membership.set(part);
  return parts;
}

/**
 * Modularity of the partition by summing per community (kept separate from src/detect/modularity.ts on
 * purpose): internal weight and strength per community in one pass over the edges, no aggregate graph built.
 */
function qualityByAggregation(graph: CsrGraph, membership: Int32Array, communities: number, resolution: number): number {
  if (graph.totalWeight === 0) return 0;
  const { nodeCount, offsets, targets, weights, loops, strength } = graph;
  const communityStrength = new Float64Array(communities);
  const m = graph.totalWeight;
  let inside = 0;
  for (let v = 0; v < nodeCount; v++) {
    const c = membership[v];
    communityStrength[c] += strength[v];
    let loop = loops[v];
    for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) if (membership[targets[e]] === c) loop += weights[e] / 2;
    inside += loop;
  }
  let expected = 0;
  for (let c = 0; c < communities; c++) {
    const share = communityStrength[c] / (2 * m);
    expected += share * share;
  }
  return inside / m - resolution * expected;
}

