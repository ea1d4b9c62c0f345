#!/usr/bin/env node
/**
 * Peer for bench/detect.js: graphology-communities-louvain on an edge list (`source,target,weight` with a
 * header), building a graphology Graph the way a graphology user would. Prints one JSON line.
 */
const fs = require('fs');
const Graph = require('graphology');
const louvain = require('graphology-communities-louvain');

const file = process.argv[2];
const started = Date.now();
const text = fs.readFileSync(file, 'utf8');
const graph = new Graph({ type: 'undirected', multi: false });
let position = text.indexOf('\n') + 1;
while (position < text.length) {
  let end = text.indexOf('\n', position);
  if (end === -1) end = text.length;
  const line = text.slice(position, end);
  position = end + 1;
  if (line === '') continue;
  const [source, target, weight] = line.split(',');
  graph.mergeNode(source);
  graph.mergeNode(target);
  graph.mergeEdge(source, target, { weight: Number(weight) });
}
const built = Date.now();
let seed = 42 >>> 0;
const rng = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const cpuStarted = process.cpuUsage();
const result = louvain.detailed(graph, { getEdgeWeight: 'weight', rng });
const done = Date.now();
const cpu = process.cpuUsage(cpuStarted);
process.stdout.write(
  `${JSON.stringify({ tool: 'graphology-communities-louvain', nodes: graph.order, edges: graph.size, modularity: result.modularity, communities: result.count, buildSeconds: (built - started) / 1000, seconds: (done - built) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`,
);
