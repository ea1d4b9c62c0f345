#!/usr/bin/env node
/**
 * A graph that is not an account graph, for bench/detect.js: a planted partition (groups of `group` nodes;
 * each edge joins a random node to a random member of its group, or with probability `mix` to any node),
 * node numbers shuffled so the file order carries no locality. Unit weights; seeded.
 * Usage: node bench/detect/planted-partition.js <out.csv> [--nodes 300000] [--degree 10] [--mix 0.5] [--group 50] [--seed 1]
 */
const fs = require('fs');
const path = require('path');
const { seededRandom } = require(path.resolve(__dirname, '../../dist/src/detect/random'));

const args = process.argv.slice(2);
const out = args[0];
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
if (!out || out.startsWith('--')) {
  process.stderr.write('usage: node bench/detect/planted-partition.js <out.csv> [--nodes N] [--degree D] [--mix P] [--group G] [--seed S]\n');
  process.exit(2);
}
const nodes = flag('--nodes', 300000);
const degree = flag('--degree', 10);
const mix = flag('--mix', 0.5);
const group = flag('--group', 50);
const random = seededRandom(flag('--seed', 1));
const edges = Math.round((nodes * degree) / 2);
const permutation = new Int32Array(nodes);
for (let i = 0; i < nodes; i++) permutation[i] = i;
const sources = new Int32Array(edges);
const targets = new Int32Array(edges);
for (let e = 0; e < edges; e++) {
  const u = Math.floor(random() * nodes);
  sources[e] = u;
  targets[e] = random() < mix ? Math.floor(random() * nodes) : (Math.floor(u / group) * group + Math.floor(random() * group)) % nodes;
}
for (let i = nodes - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  const t = permutation[i];
  permutation[i] = permutation[j];
  permutation[j] = t;
}
const fd = fs.openSync(out, 'w');
let chunk = 'source,target,weight\n';
for (let e = 0; e < edges; e++) {
  chunk += `${permutation[sources[e]]},${permutation[targets[e]]},1\n`;
  if (chunk.length > 1 << 20) {
    fs.writeSync(fd, chunk);
    chunk = '';
  }
}
fs.writeSync(fd, chunk);
fs.closeSync(fd);
process.stdout.write(`${JSON.stringify({ out, nodes, edges, degree, mix, group })}\n`);
