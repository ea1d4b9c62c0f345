#!/usr/bin/env node
/**
 * Neo4j export benchmark (issue 6): the neo4j-admin bulk-import bundle of a generated world's saved sweep,
 * written by the built CLI as a whole process under /usr/bin/time -v, next to a peer from the same run: Python's
 * standard csv.writer writing the very same rows (bench/export_peer.py; rows loaded into memory first, only
 * the writing is timed — so the peer does less than we do: we also load the sweep and derive every row from the
 * World). Also runs the driver export's dry run and prints how many transactions the Bolt export would take at
 * the default batch size.
 *
 *   npx tsc -p tsconfig.json
 *   node bench/export.js                      # 1,000,000 accounts (generates and sweeps once, cached in --work)
 *   node bench/export.js --accounts 100000 --work /tmp/swarmscope-bench-export
 *
 * Goal: the 1M-account bundle in ≤ 60 s.
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist/cli/main.js');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const accounts = Number(arg('accounts', '1000000'));
const work = arg('work', path.join(os.tmpdir(), `swarmscope-bench-export-${accounts}`));
const worldDir = path.join(work, 'world');
const sweepDir = path.join(work, 'sweep');

/** Runs a command under GNU time; returns wall seconds, peak RSS (MB) and stdout. */
function timed(label, command, args) {
  const run = spawnSync('/usr/bin/time', ['-v', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    throw new Error(`${label} failed with exit ${run.status}`);
  }
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(run.stderr);
  const seconds = (Number(wall[1] || 0) * 3600) + Number(wall[2]) * 60 + Number(wall[3]);
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)[1]);
  const cpu = Number(/User time \(seconds\): ([\d.]+)/.exec(run.stderr)[1]) + Number(/System time \(seconds\): ([\d.]+)/.exec(run.stderr)[1]);
  return { seconds, cpu, rssMb: rssKb / 1024, stdout: run.stdout };
}

function bytesIn(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? bytesIn(full) : fs.statSync(full).size;
  }
  return total;
}

if (!fs.existsSync(CLI)) throw new Error('build first: npx tsc -p tsconfig.json');
fs.mkdirSync(work, { recursive: true });
if (!fs.existsSync(path.join(worldDir, 'accounts.csv'))) {
  const g = timed('generate', process.execPath, [CLI, 'generate', '--out', worldDir, '--accounts', String(accounts)]);
  console.log(`generated ${accounts.toLocaleString('en-US')} accounts in ${g.seconds.toFixed(1)} s`);
}
if (!fs.existsSync(path.join(sweepDir, 'world.snapshot'))) {
  fs.rmSync(sweepDir, { recursive: true, force: true });
  const s = timed('sweep', process.execPath, [CLI, 'sweep', worldDir, '--out', sweepDir, '--quiet']);
  console.log(`swept in ${s.seconds.toFixed(1)} s (peak RSS ${s.rssMb.toFixed(0)} MB)`);
}

const bundle = path.join(work, 'bundle');
const copy = path.join(work, 'bundle-copy');
fs.rmSync(bundle, { recursive: true, force: true });
fs.rmSync(copy, { recursive: true, force: true });
const ours = timed('export neo4j-admin', process.execPath, [CLI, 'export', 'neo4j-admin', sweepDir, '--out', bundle]);
const bytes = bytesIn(bundle);
const peer = timed('python csv.writer peer', '/usr/bin/python3', [path.join(__dirname, 'export_peer.py'), bundle, copy]);
const peerWriteSeconds = Number(peer.stdout.trim());
fs.rmSync(copy, { recursive: true, force: true });

const dryFile = path.join(work, 'dry-run.jsonl');
const dry = timed('dry run', process.execPath, [CLI, 'export', 'neo4j', sweepDir, '--dry-run', '--cypher-out', dryFile]);
const transactions = /would take ([\d,]+) transactions/.exec(dry.stdout)[1];
const rows = /([\d,]+) rows in batches of ([\d,]+)/.exec(dry.stdout);

const load = os.loadavg().map((l) => l.toFixed(2)).join(', ');
console.log(`\nneo4j-admin bundle, ${accounts.toLocaleString('en-US')}-account world (${(bytes / 1e6).toFixed(0)} MB of CSV): ${ours.stdout.trim()}`);
console.log('| what | wall s | CPU s (user+sys) | peak RSS MB |');
console.log('|---|---|---|---|');
console.log(`| swarmscope export neo4j-admin (whole process: load sweep, weights, write) | ${ours.seconds.toFixed(2)} | ${ours.cpu.toFixed(2)} | ${ours.rssMb.toFixed(0)} |`);
console.log(`| peer: Python csv.writer writing the same rows (timed part: writing only) | ${peerWriteSeconds.toFixed(2)} | ${peer.cpu.toFixed(2)} (whole process, incl. reading) | ${peer.rssMb.toFixed(0)} |`);
console.log(`| ratio (ours whole process / peer writing only) | ${(ours.seconds / peerWriteSeconds).toFixed(2)}× | | |`);
console.log(`goal ≤ 60 s: ${ours.seconds <= 60 ? 'met' : 'NOT met'}`);
console.log(`\ndry run of the Bolt export: ${rows[1]} rows in batches of ${rows[2]} → ${transactions} transactions (${dry.seconds.toFixed(1)} s, peak RSS ${dry.rssMb.toFixed(0)} MB)`);
console.log(`load average (1/5/15 min) at the end: ${load}; cores: ${os.cpus().length}`);
