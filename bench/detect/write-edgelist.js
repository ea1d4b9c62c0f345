#!/usr/bin/env node
/**
 * Writes a world's account–identifier graph as an edge list (`source,target,weight`) for bench/detect.js:
 * imports the world with the built API (dist/), builds the graph exactly as detection does but keeps
 * identifiers seen on one account (so the file is the whole account–identifier graph minus hubs), and writes
 * node numbers as names. Usage: node bench/detect/write-edgelist.js <world-dir> <out.csv> [--accounts-offset N]
 */
const fs = require('fs');
const path = require('path');
const dist = path.resolve(__dirname, '../../dist/src');
const { importWorld } = require(path.join(dist, 'ingest'));
const { buildAccountGraph } = require(path.join(dist, 'graph'));

async function main() {
  const [worldDir, out] = process.argv.slice(2);
  if (!worldDir || !out) throw new Error('usage: write-edgelist.js <world-dir> <out.csv>');
  const started = Date.now();
  const world = await importWorld({ inputDir: worldDir });
  const imported = Date.now();
  const { graph, hubs } = buildAccountGraph(world, { keepSingleAccountIdentifiers: true });
  const fd = fs.openSync(out, 'w');
  let chunk = 'source,target,weight\n';
  let edges = 0;
  for (let v = 0; v < graph.nodeCount; v++) {
    for (let e = graph.offsets[v]; e < graph.offsets[v + 1]; e++) {
      const u = graph.targets[e];
      if (u <= v) continue;
      chunk += `${v},${u},${graph.weights[e]}\n`;
      edges++;
      if (chunk.length > 1 << 22) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  process.stdout.write(
    `${JSON.stringify({ world: worldDir, out, accounts: world.accounts.size, nodes: graph.nodeCount, edges, hubs: hubs.length, importSeconds: (imported - started) / 1000, seconds: (Date.now() - started) / 1000 })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(3);
});
