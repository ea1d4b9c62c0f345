#!/usr/bin/env node
/**
 * GDS engine benchmark: `swarmscope sweep --engine neo4j-gds` against the embedded engine on the same generated
 * world in the same run, each as a whole process under /usr/bin/time -v: wall time, the client's peak RSS,
 * modularity (both recomputed by src/detect/modularity on the same weighted graph), clusters, and for each
 * planted swarm the Jaccard overlap of the two engines' clusters for it.
 *
 * GDS concurrency: the engine runs gds.wcc and gds.leiden with concurrency 1 (the only setting for which GDS
 * is reproducible for a seed; Open GDS caps concurrency at 4 anyway). The GDS sweep's wall time includes the
 * upload (idempotent MERGE of accounts, identifiers and weighted links in 10,000-row transactions), the
 * projection and the read-back; its stages are printed from report.json.
 *
 *   npx tsc -p tsconfig.json
 *   SWARMSCOPE_NEO4J_HEAP=6g SWARMSCOPE_NEO4J_PAGECACHE=2g npm run neo4j -- start     # a scratch Neo4j + GDS
 *   eval "$(npm run -s neo4j -- env)"
 *   node dist/cli/main.js generate --out /tmp/world-1m --accounts 1000000 --seed 1   # once
 *   node bench/gds.js [/tmp/world-1m]
 *
 * NEO4J_URI is required; NEO4J_PASSWORD when the server has auth on. The database is emptied first.
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist/cli/main.js');
const worldDir = path.resolve(process.argv[2] || '/tmp/world-1m');
const uri = process.env.NEO4J_URI;

function timed(argv, env = process.env) {
  const result = spawnSync('/usr/bin/time', ['-v', process.execPath, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26, env });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(result.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  if (result.status !== 0 || !wall || !rss) throw new Error(`${argv.slice(1, 3).join(' ')} failed (${result.status}):\n${result.stderr.slice(-3000)}`);
  return { seconds: Number(wall[1] || 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]), rssGb: Number(rss[1]) / 1024 / 1024 };
}

function clustersOf(sweepDir) {
  const lines = fs.readFileSync(path.join(sweepDir, 'members.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const account = header.indexOf('account_id');
  const cluster = header.indexOf('cluster_id');
  const byCluster = new Map();
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    if (!byCluster.has(cells[cluster])) byCluster.set(cells[cluster], new Set());
    byCluster.get(cells[cluster]).add(cells[account]);
  }
  return [...byCluster.values()];
}

function jaccard(a, b) {
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / (a.size + b.size - both || 1);
}

function plantedSwarms() {
  const truth = JSON.parse(fs.readFileSync(path.join(worldDir, 'truth/truth.json'), 'utf8'));
  const illegitimate = new Set(truth.groups.filter((g) => !g.legitimate).map((g) => g.name));
  const lines = fs.readFileSync(path.join(worldDir, 'truth/members.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const a = header.indexOf('account_id');
  const g = header.indexOf('group');
  const swarms = new Map();
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    if (!illegitimate.has(cells[g])) continue;
    if (!swarms.has(cells[g])) swarms.set(cells[g], new Set());
    swarms.get(cells[g]).add(cells[a]);
  }
  return swarms;
}

async function emptyDatabase() {
  const neo4j = require('neo4j-driver');
  const auth = process.env.NEO4J_PASSWORD ? neo4j.auth.basic(process.env.NEO4J_USER || 'neo4j', process.env.NEO4J_PASSWORD) : undefined;
  const driver = neo4j.driver(uri, auth);
  const session = driver.session();
  try {
    await session.run('MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
    await driver.close();
  }
}

async function main() {
  if (!uri) throw new Error('set NEO4J_URI (npm run neo4j -- start; eval "$(npm run -s neo4j -- env)")');
  if (!fs.existsSync(CLI)) throw new Error('build first: npx tsc -p tsconfig.json');
  if (!fs.existsSync(path.join(worldDir, 'accounts.csv'))) throw new Error(`${worldDir}: no generated world (node dist/cli/main.js generate --out ${worldDir} --accounts 1000000 --seed 1)`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-bench-gds-'));
  const common = ['--seed', '1', '--quiet'];
  const embeddedDir = path.join(out, 'embedded');
  const gdsDir = path.join(out, 'gds');
  const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stdout.write(`world ${worldDir}; load average ${load()}\n`);
  const embedded = timed([CLI, 'sweep', worldDir, '--out', embeddedDir, ...common]);
  await emptyDatabase();
  const env = { ...process.env, NEO4J_PASSWORD: process.env.NEO4J_PASSWORD || 'auth-is-off' };
  const gds = timed([CLI, 'sweep', worldDir, '--out', gdsDir, ...common, '--engine', 'neo4j-gds', '--uri', uri], env);
  const reportOf = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
  const [re, rg] = [reportOf(embeddedDir), reportOf(gdsDir)];
  const [ce, cg] = [clustersOf(embeddedDir), clustersOf(gdsDir)];
  const rows = [
    ['embedded (Leiden in process)', embedded, re, ce],
    ['neo4j-gds (gds.leiden, concurrency 1; upload included)', gds, rg, cg],
  ];
  process.stdout.write('| engine | wall | client peak RSS | modularity | clusters |\n|---|---|---|---|---|\n');
  for (const [name, t, r, c] of rows) {
    process.stdout.write(`| ${name} | ${t.seconds.toFixed(1)} s | ${t.rssGb.toFixed(2)} GB | ${r.detection.modularity.toFixed(4)} | ${c.length} |\n`);
  }
  process.stdout.write(`ratio gds / embedded: wall ${(gds.seconds / embedded.seconds).toFixed(2)}, modularity ${(rg.detection.modularity / re.detection.modularity).toFixed(4)}\n`);
  process.stdout.write(`GDS engine stats (seconds: upload + projection + Leiden + read-back): ${JSON.stringify(rg.detection.stats)}\n`);
  const best = (clusters, swarm) => clusters.reduce((top, c) => (jaccard(c, swarm) > jaccard(top, swarm) ? c : top), new Set());
  for (const [name, swarm] of plantedSwarms()) {
    const e = best(ce, swarm);
    const g = best(cg, swarm);
    process.stdout.write(`planted ${name} (${swarm.size}): embedded J=${jaccard(e, swarm).toFixed(3)}, gds J=${jaccard(g, swarm).toFixed(3)}, between engines J=${jaccard(e, g).toFixed(3)}\n`);
  }
  process.stdout.write(`load average after ${load()}\n`);
  fs.rmSync(out, { recursive: true, force: true });
}

main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
