/**
 * Leiden invariants: reported modularity equals the independent scorer's, a seed fixes the result, every
 * community is connected — including on the Leiden paper's construction where Louvain disconnects one.
 */
import * as path from 'path';
import { csrFromEdges, type CsrGraph } from '../../src/graph/csr';
import { readGraphFile } from '../../src/graph/graph-file';
import { leiden, leidenDetailed, splitDisconnectedCommunities } from '../../src/detect/leiden';
import { louvainDetailed } from '../../src/detect/louvain';
import { modularity } from '../../src/detect/modularity';
import { seededRandom } from '../../src/detect/random';
import { REFERENCE } from './reference-graphs';

function graphOf(nodeCount: number, edges: [number, number, number?][]): CsrGraph {
  return csrFromEdges(nodeCount, {
    sources: Int32Array.from(edges.map((e) => e[0])),
    targets: Int32Array.from(edges.map((e) => e[1])),
    weights: Float64Array.from(edges.map((e) => e[2] ?? 1)),
    size: edges.length,
  });
}

/** Communities that are not connected among themselves. */
function disconnectedCommunities(graph: CsrGraph, membership: Int32Array): number {
  let communities = 0;
  for (const c of membership) if (c + 1 > communities) communities = c + 1;
  return splitDisconnectedCommunities(graph, Int32Array.from(membership)) - communities;
}

/**
 * The Leiden paper's Fig. 2 construction: node 0 bridges two triangles {1,2,3} and {4,5,6} (weight 3 per
 * bridge edge) and is tied to a 9-clique (weight 5 per edge to the clique). Visited in node order, node 0
 * first joins the triangles' community; once the clique has formed, node 0 moves to it and leaves the
 * triangles in one community that is no longer connected. Found by a parameter search over this template.
 */
function bridgeGraph(): CsrGraph {
  const edges: [number, number, number][] = [];
  for (const u of [1, 2, 3, 4, 5, 6]) edges.push([0, u, 3]);
  edges.push([1, 2, 1], [2, 3, 1], [1, 3, 1], [4, 5, 1], [5, 6, 1], [4, 6, 1]);
  for (let i = 0; i < 9; i++) {
    edges.push([0, 7 + i, 5]);
    for (let j = i + 1; j < 9; j++) edges.push([7 + i, 7 + j, 1]);
  }
  return graphOf(16, edges);
}

function randomGraph(seed: number, nodes: number, averageDegree: number): CsrGraph {
  const random = seededRandom(seed);
  const edges: [number, number, number][] = [];
  for (let e = 0; e < (nodes * averageDegree) / 2; e++) {
    // Planted groups of 25 so there is structure to find; one edge in five crosses groups.
    const u = Math.floor(random() * nodes);
    const v = random() < 0.8 ? (Math.floor(u / 25) * 25 + Math.floor(random() * 25)) % nodes : Math.floor(random() * nodes);
    edges.push([u, v, 1 + Math.floor(random() * 3)]);
  }
  return graphOf(nodes, edges);
}

describe('Leiden', () => {
  it('on the paper\'s bridge construction Louvain returns a disconnected community; Leiden does not, and scores higher', () => {
    const graph = bridgeGraph();
    const louvain = louvainDetailed(graph, { randomWalk: false });
    expect(louvain.disconnectedCommunities).toBeGreaterThan(0);
    expect(disconnectedCommunities(graph, louvain.membership)).toBeGreaterThan(0);
    for (let seed = 0; seed < 10; seed++) {
      const result = leidenDetailed(graph, { seed });
      expect(disconnectedCommunities(graph, result.membership)).toBe(0);
      expect(result.splitDisconnected).toBe(0);
      expect(result.modularity).toBeGreaterThan(modularity(graph, louvain.membership));
    }
  });

  it('reports the modularity the independent scorer computes, at several resolutions', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const graph = randomGraph(seed, 600, 6);
      for (const resolution of [0.5, 1, 2]) {
        const result = leidenDetailed(graph, { seed, resolution });
        expect(result.modularity).toBeCloseTo(modularity(graph, result.membership, resolution), 10);
      }
    }
  });

  it('every community is connected, without needing the final safety split', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const graph = randomGraph(seed, 800, 4);
      const result = leidenDetailed(graph, { seed });
      expect(disconnectedCommunities(graph, result.membership)).toBe(0);
      expect(result.splitDisconnected).toBe(0);
    }
  });

  it('is deterministic for a seed, and the seed matters', () => {
    const graph = randomGraph(3, 1000, 5);
    const first = leiden(graph, { seed: 11 });
    expect(leiden(graph, { seed: 11 })).toEqual(first);
    const others = [12, 13, 14].map((seed) => leiden(graph, { seed }));
    expect(others.some((m) => m.some((c, v) => c !== first[v]))).toBe(true);
  });

  it('at least matches graphology Louvain on the classic graphs (same graph, same resolution)', () => {
    for (const name of ['karate', 'dolphins', 'football', 'polbooks']) {
      const { graph } = readGraphFile(path.join(REFERENCE, 'community-graphs', `${name}.gml`));
      const ours = leidenDetailed(graph).modularity;
      const theirs = louvainDetailed(graph).modularity;
      expect(ours).toBeGreaterThanOrEqual(theirs - 0.005);
    }
  });

  it('starts from a given membership and never loses modularity from it', () => {
    const graph = randomGraph(5, 500, 6);
    const start = leidenDetailed(graph, { seed: 1, maxIterations: 1 });
    const continued = leidenDetailed(graph, { seed: 2, initialMembership: start.membership });
    expect(continued.modularity).toBeGreaterThanOrEqual(start.modularity - 1e-12);
  });

  it('handles graphs without edges and rejects bad parameters with the numbers', () => {
    const empty = graphOf(3, []);
    const result = leidenDetailed(empty);
    expect(result.communities).toBe(3);
    expect(result.modularity).toBe(0);
    expect(() => leidenDetailed(empty, { resolution: -1 })).toThrow('resolution must be a positive number, got -1');
    expect(() => leidenDetailed(empty, { initialMembership: new Int32Array(2) })).toThrow(
      'initial membership has 2 entries but the graph has 3 nodes',
    );
  });

  it('keeps a component whole without optimising it only when that is provably optimal (checked exhaustively)', () => {
    // A large random graph (so m is large) plus 60 small connected components of 2..7 nodes.
    const random = seededRandom(99);
    const edges: [number, number, number][] = [];
    const big = randomGraph(3, 2000, 6);
    for (let v = 0; v < big.nodeCount; v++) {
      for (let e = big.offsets[v]; e < big.offsets[v + 1]; e++) if (big.targets[e] > v) edges.push([v, big.targets[e], big.weights[e]]);
    }
    const small: number[][] = [];
    let next = big.nodeCount;
    for (let k = 0; k < 60; k++) {
      const size = 2 + (k % 6);
      const members = Array.from({ length: size }, (_, i) => next + i);
      next += size;
      for (let i = 1; i < size; i++) edges.push([members[i], members[Math.floor(random() * i)], 0.5 + random() * 1.5]);
      if (size > 3) edges.push([members[0], members[size - 1], 0.5 + random() * 1.5]);
      small.push(members);
    }
    const graph = graphOf(next, edges);
    const result = leidenDetailed(graph, { seed: 5 });
    expect(result.solvedComponents).toBeGreaterThanOrEqual(60);
    expect(result.modularity).toBeCloseTo(modularity(graph, result.membership), 10);
    for (const members of small) {
      expect(new Set(members.map((v) => result.membership[v])).size).toBe(1);
      // Every partition of the component into parts (labels in restricted-growth form) scores no higher.
      const local = new Map(members.map((v, i) => [v, i]));
      const score = (labels: number[]) => {
        let inside = 0;
        const total = new Map<number, number>();
        for (const v of members) {
          const c = labels[local.get(v)!];
          total.set(c, (total.get(c) ?? 0) + graph.strength[v]);
          for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) if (labels[local.get(graph.targets[e])!] === c) inside += graph.weights[e] / 2;
        }
        let expected = 0;
        for (const k of total.values()) expected += (k / (2 * graph.totalWeight)) ** 2;
        return inside / graph.totalWeight - expected;
      };
      const whole = score(members.map(() => 0));
      const labels = members.map(() => 0);
      const visit = (i: number, max: number): void => {
        if (i === labels.length) {
          expect(score(labels)).toBeLessThanOrEqual(whole + 1e-15);
          return;
        }
        for (let c = 0; c <= max + 1; c++) {
          labels[i] = c;
          visit(i + 1, Math.max(max, c));
        }
      };
      labels[0] = 0;
      visit(1, 0);
    }
  });

  it('optimises a component the bound cannot settle: two triangles and a light bridge, alone, are two communities', () => {
    const graph = graphOf(6, [[0, 1], [1, 2], [0, 2], [3, 4], [4, 5], [3, 5], [2, 3, 0.5]]);
    const result = leidenDetailed(graph, { seed: 1 });
    expect(result.solvedComponents).toBe(0);
    expect(result.communities).toBe(2);
    expect(result.membership[0]).toBe(result.membership[2]);
    expect(result.membership[3]).toBe(result.membership[5]);
    expect(result.membership[0]).not.toBe(result.membership[3]);
  });
});
