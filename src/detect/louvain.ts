/**
 * `--algorithm louvain`: graphology-communities-louvain (Blondel et al. 2008, doi:10.1088/1742-5468/2008/10/P10008)
 * run on a graphology view of the CSR graph, with a seeded random source. Kept as a cross-check and for users
 * who want the classic algorithm; unlike Leiden it can return internally disconnected communities, which
 * `louvainDetailed` reports (and does not repair) in `disconnectedCommunities`.
 */
import Graph from 'graphology';
import louvainLibrary from 'graphology-communities-louvain';
import type { CsrGraph } from '../graph/csr';
import { relabelByFirstAppearance, splitDisconnectedCommunities } from './leiden';
import { seededRandom } from './random';

export interface LouvainOptions {
  resolution: number;
  seed: number;
  /** graphology's randomWalk option: visit nodes in random order (uses the seeded generator). */
  randomWalk: boolean;
}

export const LOUVAIN_DEFAULTS: Readonly<LouvainOptions> = Object.freeze({ resolution: 1, seed: 42, randomWalk: true });

export interface LouvainResult {
  membership: Int32Array;
  communities: number;
  /** Modularity as graphology computed it. */
  modularity: number;
  resolution: number;
  seed: number;
  levels: number;
  /** Communities whose nodes are not connected among themselves. */
  disconnectedCommunities: number;
  /** Seconds building the graphology graph. */
  buildSeconds: number;
  seconds: number;
}

/** A graphology UndirectedGraph with nodes "0".."n-1" and a `weight` attribute per edge. */
export function toGraphology(graph: CsrGraph): Graph {
  const view = new Graph({ type: 'undirected', multi: false, allowSelfLoops: true });
  for (let v = 0; v < graph.nodeCount; v++) view.addNode(String(v));
  for (let v = 0; v < graph.nodeCount; v++) {
    if (graph.loops[v] > 0) view.addEdge(String(v), String(v), { weight: graph.loops[v] });
    for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) {
      const u = graph.targets[e];
      if (u > v) view.addEdge(String(v), String(u), { weight: graph.weights[e] });
    }
  }
  return view;
}

export function louvainDetailed(graph: CsrGraph, options: Partial<LouvainOptions> = {}): LouvainResult {
  const settings = { ...LOUVAIN_DEFAULTS, ...options };
  const started = performance.now();
  const view = toGraphology(graph);
  const built = performance.now();
  const result = louvainLibrary.detailed(view, {
    resolution: settings.resolution,
    rng: seededRandom(settings.seed),
    randomWalk: settings.randomWalk,
    getEdgeWeight: 'weight',
  });
  const membership = new Int32Array(graph.nodeCount);
  for (let v = 0; v < graph.nodeCount; v++) membership[v] = result.communities[String(v)];
  const communities = relabelByFirstAppearance(membership);
  const parts = splitDisconnectedCommunities(graph, Int32Array.from(membership));
  return {
    membership,
    communities,
    modularity: result.modularity,
    resolution: settings.resolution,
    seed: settings.seed,
    levels: result.dendrogram ? result.dendrogram.length : 0,
    disconnectedCommunities: parts - communities,
    buildSeconds: (built - started) / 1000,
    seconds: (performance.now() - started) / 1000,
  };
}
