/**
 * The compressed sparse row (CSR) graph every algorithm in src/detect runs on: built once, shared by WCC,
 * Leiden, the modularity scorer and the Louvain adapter. Undirected and weighted; each undirected edge {u, v}
 * with u ≠ v is stored twice (u→v and v→u), self-loops are kept apart in `loops` so local moving can ignore
 * them (a loop moves with its node).
 *
 * Conventions (the same as igraph and networkx, so modularity values compare):
 *   m           = totalWeight = Σ edge weights, each undirected edge once, loops included once
 *   strength[v] = Σ weights of v's edges + 2·loops[v]        (so Σ strength = 2m)
 *
 * Parallel edges are summed into one edge of the summed weight: for modularity that is the same as keeping a
 * multigraph, and it is how Neo4j GDS counts parallel relationships (two relationships Mark→Michael and
 * Michael→Mark weigh 2 in an undirected projection).
 */
import { swarmscopeError } from '../core/errors';

export interface CsrGraph {
  nodeCount: number;
  /** Node v's neighbours are targets[offsets[v] .. offsets[v + 1]). Length nodeCount + 1. */
  offsets: Int32Array;
  targets: Int32Array;
  /** Parallel to targets. */
  weights: Float64Array;
  /** Self-loop weight per node (each loop counted once). */
  loops: Float64Array;
  /** Weighted degree per node, loops counted twice. */
  strength: Float64Array;
  /** m: the sum of all edge weights, each undirected edge once. */
  totalWeight: number;
}

/** Undirected edges as parallel arrays; an edge may appear more than once (it is summed) and in either direction. */
export interface EdgeList {
  sources: Int32Array;
  targets: Int32Array;
  /** null means every edge weighs 1. */
  weights: Float64Array | null;
  size: number;
}

/**
 * Builds a CSR graph from an undirected edge list, summing parallel edges. Linear time: a counting sort by
 * source, then per node a dense scratch accumulator merges repeated neighbours.
 */
export function csrFromEdges(nodeCount: number, edges: EdgeList): CsrGraph {
  const { sources, targets, weights, size } = edges;
  const loops = new Float64Array(nodeCount);
  const degree = new Int32Array(nodeCount + 1);
  for (let e = 0; e < size; e++) {
    const u = sources[e];
    const v = targets[e];
    if (u < 0 || u >= nodeCount || v < 0 || v >= nodeCount) {
      throw swarmscopeError('INTERNAL', `edge ${e} joins node ${u} and ${v}, outside 0..${nodeCount - 1}`);
    }
    const w = weights ? weights[e] : 1;
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw swarmscopeError('INTERNAL', `edge ${e} has weight ${w}; weights must be finite and non-negative`);
    }
    if (u === v) continue;
    degree[u + 1]++;
    degree[v + 1]++;
  }
  for (let v = 0; v < nodeCount; v++) degree[v + 1] += degree[v];
  const rawOffsets = degree;
  const halfEdges = rawOffsets[nodeCount];
  const rawTargets = new Int32Array(halfEdges);
  const rawWeights = new Float64Array(halfEdges);
  const cursor = rawOffsets.slice(0, nodeCount);
  for (let e = 0; e < size; e++) {
    const u = sources[e];
    const v = targets[e];
    const w = weights ? weights[e] : 1;
    if (u === v) {
      loops[u] += w;
      continue;
    }
    rawTargets[cursor[u]] = v;
    rawWeights[cursor[u]++] = w;
    rawTargets[cursor[v]] = u;
    rawWeights[cursor[v]++] = w;
  }
  return mergeParallel(nodeCount, rawOffsets, rawTargets, rawWeights, loops);
}

/** Sums repeated neighbours in place (stable: first occurrence order) and computes strengths and m. */
function mergeParallel(
  nodeCount: number,
  offsets: Int32Array,
  targets: Int32Array,
  weights: Float64Array,
  loops: Float64Array,
): CsrGraph {
  const slot = new Int32Array(nodeCount).fill(-1);
  const strength = new Float64Array(nodeCount);
  let write = 0;
  let totalWeight = 0;
  let start = offsets[0];
  for (let v = 0; v < nodeCount; v++) {
    const end = offsets[v + 1];
    const rowStart = write;
    for (let e = start; e < end; e++) {
      const u = targets[e];
      const w = weights[e];
      const at = slot[u];
      if (at >= rowStart) {
        weights[at] += w;
      } else {
        slot[u] = write;
        targets[write] = u;
        weights[write++] = w;
      }
    }
    let s = 2 * loops[v];
    for (let e = rowStart; e < write; e++) s += weights[e];
    strength[v] = s;
    totalWeight += s;
    start = end;
    offsets[v + 1] = write;
  }
  offsets[0] = 0;
  return {
    nodeCount,
    offsets,
    targets: write === targets.length ? targets : targets.slice(0, write),
    weights: write === weights.length ? weights : weights.slice(0, write),
    loops,
    strength,
    totalWeight: totalWeight / 2,
  };
}

/** Bytes held by a CSR graph's arrays. */
export function csrBytes(graph: CsrGraph): number {
  return (
    graph.offsets.byteLength + graph.targets.byteLength + graph.weights.byteLength + graph.loops.byteLength + graph.strength.byteLength
  );
}
