/**
 * Weakly connected components of the CSR graph (undirected, so weak = plain connectivity), by iterative
 * depth-first search on an Int32Array stack. Like Neo4j GDS's WCC `threshold`, an edge joins its ends only
 * when its weight is strictly greater than the threshold.
 */
import type { CsrGraph } from '../graph/csr';

export interface ComponentOptions {
  /** Edges with weight ≤ threshold are ignored; null keeps every edge. */
  threshold: number | null;
}

export const COMPONENT_DEFAULTS: ComponentOptions = { threshold: null };

export interface Components {
  /** Component number per node; components are numbered in order of their smallest node. */
  component: Int32Array;
  count: number;
  /** Nodes per component. */
  sizes: Int32Array;
}

export function weaklyConnectedComponents(graph: CsrGraph, options: Partial<ComponentOptions> = {}): Components {
  const threshold = options.threshold ?? COMPONENT_DEFAULTS.threshold;
  const { nodeCount, offsets, targets, weights } = graph;
  const component = new Int32Array(nodeCount).fill(-1);
  const stack = new Int32Array(nodeCount);
  const sizes: number[] = [];
  let count = 0;
  for (let root = 0; root < nodeCount; root++) {
    if (component[root] !== -1) continue;
    let top = 0;
    let size = 0;
    stack[top++] = root;
    component[root] = count;
    while (top > 0) {
      const v = stack[--top];
      size++;
      for (let e = offsets[v]; e < offsets[v + 1]; e++) {
        if (threshold !== null && !(weights[e] > threshold)) continue;
        const u = targets[e];
        if (component[u] === -1) {
          component[u] = count;
          stack[top++] = u;
        }
      }
    }
    sizes.push(size);
    count++;
  }
  return { component, count, sizes: Int32Array.from(sizes) };
}
