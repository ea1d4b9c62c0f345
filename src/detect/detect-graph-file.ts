/**
 * Community detection on a graph file (edge list or GML) — what `swarmscope detect <graph-file>` runs:
 * read, optimise with Leiden or graphology's Louvain, score with the independent modularity scorer, and
 * renumber communities by size. The file is streamed (see graph-file.ts): memory follows nodes and edges, not bytes.
 */
import { readGraphFileStreaming } from '../graph/graph-file';
import type { DetectAlgorithm } from './detect-clusters';
import { leidenDetailed } from './leiden';
import { louvainDetailed } from './louvain';
import { modularity } from './modularity';

export interface GraphDetection {
  file: string;
  format: string;
  algorithm: DetectAlgorithm;
  resolution: number;
  seed: number;
  nodes: number;
  edges: number;
  communities: number;
  modularity: number;
  /** Seconds spent detecting (the optimiser), not reading the file. */
  seconds: number;
  /** CPU seconds (user + system) of the same span: the comparable figure on a busy machine. */
  cpuSeconds: number;
  readSeconds: number;
  iterations: number;
  levels: number;
  /** Leiden: components set aside as provably one community each (null for Louvain). */
  solvedComponents: number | null;
  /** Community per node, renumbered so 0 is the largest (ties: smallest node number first). */
  membership: Int32Array;
  sizes: number[];
  names: string[];
}

/** Runs detection on a graph file; the CLI action renders the result. */
export async function detectGraphFile(
  file: string,
  options: { algorithm: DetectAlgorithm; resolution: number; seed: number; maxIterations?: number },
): Promise<GraphDetection> {
  const readStarted = performance.now();
  const named = await readGraphFileStreaming(file);
  const readSeconds = (performance.now() - readStarted) / 1000;
  const { graph } = named;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let membership: Int32Array;
  let iterations = 1;
  let levels = 1;
  let solvedComponents: number | null = null;
  if (options.algorithm === 'leiden') {
    const result = leidenDetailed(graph, {
      resolution: options.resolution,
      seed: options.seed,
      ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
    });
    membership = result.membership;
    iterations = result.iterations;
    levels = result.levels;
    solvedComponents = result.solvedComponents;
  } else {
    const result = louvainDetailed(graph, { resolution: options.resolution, seed: options.seed });
    membership = result.membership;
    levels = result.levels;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const { relabelled, sizes } = bySizeDescending(membership);
  return {
    file,
    format: named.format,
    algorithm: options.algorithm,
    resolution: options.resolution,
    seed: options.seed,
    nodes: graph.nodeCount,
    edges: graph.targets.length / 2 + countLoops(graph.loops),
    communities: sizes.length,
    modularity: modularity(graph, relabelled, options.resolution),
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    readSeconds,
    iterations,
    levels,
    solvedComponents,
    membership: relabelled,
    sizes,
    names: named.names,
  };
}

function countLoops(loops: Float64Array): number {
  let n = 0;
  for (let v = 0; v < loops.length; v++) if (loops[v] > 0) n++;
  return n;
}

function bySizeDescending(membership: Int32Array): { relabelled: Int32Array; sizes: number[] } {
  let count = 0;
  for (let v = 0; v < membership.length; v++) if (membership[v] + 1 > count) count = membership[v] + 1;
  const size = new Int32Array(count);
  const first = new Int32Array(count).fill(-1);
  for (let v = 0; v < membership.length; v++) {
    size[membership[v]]++;
    if (first[membership[v]] === -1) first[membership[v]] = v;
  }
  const order = Array.from({ length: count }, (_, c) => c).sort((p, q) => size[q] - size[p] || first[p] - first[q]);
  const rank = new Int32Array(count);
  order.forEach((c, r) => (rank[c] = r));
  return { relabelled: membership.map((c) => rank[c]), sizes: order.map((c) => size[c]) };
}
