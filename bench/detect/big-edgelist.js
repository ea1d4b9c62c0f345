#!/usr/bin/env node
/**
 * A large edge list for the streaming reader of `swarmscope detect` (issue 15): a planted partition (groups of
 * `group` nodes; each edge joins a random node to a member of its group, or with probability `mix` to any node)
 * with string node names (`acct-<number>-<hex>`) and decimal weights, written line by line until the file holds
 * `--bytes` bytes, so it can be bigger than V8's largest string (~512 MiB) without this script holding it.
 * Seeded; needs no build. Delete the file afterwards.
 * Usage: node bench/detect/big-edgelist.js <out.csv> [--bytes 700000000] [--nodes 1000000] [--group 50] [--mix 0.3] [--seed 1]
 * Then: /usr/bin/time -v node dist/cli/main.js detect <out.csv> --max-iterations 2 --json
 */
const fs = require('fs');

const args = process.argv.slice(2);
const out = args[0];
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
if (!out || out.startsWith('--')) {
  process.stderr.write('usage: node bench/detect/big-edgelist.js <out.csv> [--bytes N] [--nodes N] [--group G] [--mix P] [--seed S]\n');
  process.exit(2);
}
const bytes = flag('--bytes', 700_000_000);
const nodes = flag('--nodes', 1_000_000);
const group = flag('--group', 50);
const mix = flag('--mix', 0.3);

/** mulberry32: small, seeded, good enough to scatter edges. */
let state = flag('--seed', 1) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const names = new Array(nodes);
for (let v = 0; v < nodes; v++) names[v] = `acct-${v}-${((v * 2654435761) >>> 0).toString(16)}`;

const fd = fs.openSync(out, 'w');
let written = 0;
let edges = 0;
let chunk = 'source,target,weight\n';
while (written + chunk.length < bytes) {
  const u = Math.floor(random() * nodes);
  const v = random() < mix ? Math.floor(random() * nodes) : (Math.floor(u / group) * group + Math.floor(random() * group)) % nodes;
  chunk += `${names[u]},${names[v]},${(1 + Math.floor(random() * 400) / 100).toFixed(2)}\n`;
  edges++;
  if (chunk.length > 1 << 20) {
    written += fs.writeSync(fd, chunk);
    chunk = '';
  }
}
written += fs.writeSync(fd, chunk);
fs.closeSync(fd);
process.stdout.write(`${JSON.stringify({ out, bytes: written, nodes, edges, group, mix })}\n`);
