/**
 * Loads the third-party reference graphs vendored in fixtures/reference (see its README for sources and
 * licences): the Neo4j GDS manual's
 * example graphs, parsed from the Cypher CREATE statements in the .adoc pages, and GDS's karate/football
 * test graphs with the groupings its tests assert.
 */
import * as fs from 'fs';
import * as path from 'path';
import { csrFromEdges, type CsrGraph } from '../../src/graph/csr';

/** The reference data, vendored in the repository so a clone anywhere runs these tests on its own. */
export const REFERENCE = path.resolve(__dirname, '../../fixtures/reference');

export interface ExampleGraph {
  names: string[];
  graph: CsrGraph;
  /** Looks a node up by its `name` property. */
  node(name: string): number;
}

/**
 * Every Cypher code block of a GDS .adoc page that creates a graph, in page order. Relationships keep their
 * direction as separate edges: GDS's undirected projection counts Mark→Michael and Michael→Mark as two
 * parallel relationships, which csrFromEdges sums. With `weighted`, relationships use their `weight`.
 */
export function gdsExampleGraphs(page: string, weighted: boolean): ExampleGraph[] {
  const text = fs.readFileSync(path.join(REFERENCE, 'neo4j-gds', page), 'utf8');
  const blocks = text.split(/^----$/m).filter((_, i) => i % 2 === 1);
  const graphs: ExampleGraph[] = [];
  for (const block of blocks) {
    if (!/^\s*CREATE\b/m.test(block) || /MATCH/.test(block)) continue;
    const variableToName = new Map<string, string>();
    for (const match of block.matchAll(/\((\w+):\w+ \{name: '([^']+)'/g)) variableToName.set(match[1], match[2]);
    const names = [...variableToName.values()];
    const index = new Map(names.map((name, i) => [name, i]));
    const sources: number[] = [];
    const targets: number[] = [];
    const weights: number[] = [];
    for (const match of block.matchAll(/\((\w+)\)-\[:\w+(?: \{weight: ([\d.]+)\})?\]->\((\w+)\)/g)) {
      sources.push(index.get(variableToName.get(match[1]) as string) as number);
      targets.push(index.get(variableToName.get(match[3]) as string) as number);
      weights.push(weighted && match[2] !== undefined ? Number(match[2]) : 1);
    }
    const graph = csrFromEdges(names.length, {
      sources: Int32Array.from(sources),
      targets: Int32Array.from(targets),
      weights: Float64Array.from(weights),
      size: sources.length,
    });
    graphs.push({ names, graph, node: (name) => index.get(name) as number });
  }
  return graphs;
}

/** GDS's own karate/football test graph: node list (a0 is isolated in karate) and space-separated edges. */
export function gdsTestGraph(name: 'karate' | 'football'): ExampleGraph & { expected: { groups: string[][]; modularity: number } } {
  const dir = path.join(REFERENCE, 'neo4j-gds');
  const names = fs.readFileSync(path.join(dir, `${name}_gds.nodes`), 'utf8').split(/\s+/).filter(Boolean);
  const index = new Map(names.map((n, i) => [n, i]));
  const pairs = fs
    .readFileSync(path.join(dir, `${name}_gds.edges`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s+/).map((n) => index.get(n) as number));
  const graph = csrFromEdges(names.length, {
    sources: Int32Array.from(pairs.map((p) => p[0])),
    targets: Int32Array.from(pairs.map((p) => p[1])),
    weights: null,
    size: pairs.length,
  });
  const expected = JSON.parse(fs.readFileSync(path.join(dir, `${name}_leiden_expected.json`), 'utf8')) as {
    communities_first_test: string[][];
    modularity: string[];
  };
  return {
    names,
    graph,
    node: (n) => index.get(n) as number,
    expected: { groups: expected.communities_first_test, modularity: Number(expected.modularity[0]) },
  };
}

/** Membership array from groups of names (nodes not named get their own community). */
export function membershipFromGroups(example: ExampleGraph, groups: string[][]): Int32Array {
  const membership = new Int32Array(example.names.length).fill(-1);
  groups.forEach((group, c) => group.forEach((name) => (membership[example.node(name)] = c)));
  let next = groups.length;
  for (let v = 0; v < membership.length; v++) if (membership[v] === -1) membership[v] = next++;
  return membership;
}

/** Groups of names, each sorted, the list sorted: comparable whatever the community numbers are. */
export function groupsOf(example: ExampleGraph, membership: Int32Array): string[][] {
  const groups = new Map<number, string[]>();
  membership.forEach((c, v) => {
    if (!groups.has(c)) groups.set(c, []);
    (groups.get(c) as string[]).push(example.names[v]);
  });
  return canonicalGroups([...groups.values()]);
}

export function canonicalGroups(groups: string[][]): string[][] {
  return groups.map((g) => [...g].sort()).sort((p, q) => (p[0] < q[0] ? -1 : 1));
}
