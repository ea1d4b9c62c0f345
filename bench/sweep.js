#!/usr/bin/env node
/**
 * Sweep benchmark: `swarmscope sweep` of the generated 1M-account world as a whole process under
 * /usr/bin/time -v (wall time, peak RSS), with the per-stage seconds the sweep records in report.json.
 *
 * Peer, same run: `swarmscope validate` on the same folder (the import alone) — no outside tool does a whole
 * sweep, so the ratio says what detection, profiling, reports and the saved snapshot cost on top of reading
 * the input. Then the profile of the largest cluster alone (the big swarm), in process, from the saved sweep.
 *
 *   npx tsc -p tsconfig.json
 *   node dist/cli/main.js generate --out /tmp/world-1m --accounts 1000000 --seed 1   # once
 *   node bench/sweep.js [/tmp/world-1m] [--runs 1]
 *
 * Targets (issue 4): sweep ≤ 90 s wall and ≤ 4 GB peak RSS on the 2-core machine.
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist/cli/main.js');
const args = process.argv.slice(2);
const runsFlag = args.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(args[runsFlag + 1]) : 1;
const worldDir = path.resolve(args.find((a, i) => !a.startsWith('--') && (runsFlag < 0 || i !== runsFlag + 1)) || '/tmp/world-1m');
const TARGET_SECONDS = 90;
const TARGET_RSS_GB = 4;

function timed(argv) {
  const result = spawnSync('/usr/bin/time', ['-v', process.execPath, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(result.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  if (!wall || !rss) throw new Error(`could not read /usr/bin/time output:\n${result.stderr.slice(-2000)}`);
  return {
    status: result.status,
    seconds: Number(wall[1] || 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]),
    rssGb: Number(rss[1]) / 1024 / 1024,
    stderr: result.stderr,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main() {
  if (!fs.existsSync(CLI)) throw new Error('build first: npx tsc -p tsconfig.json');
  if (!fs.existsSync(path.join(worldDir, 'accounts.csv'))) {
    throw new Error(`${worldDir}: no generated world; run: node dist/cli/main.js generate --out ${worldDir} --accounts 1000000 --seed 1`);
  }
  const outDir = path.join(os.tmpdir(), `swarmscope-bench-sweep-${process.pid}`);
  const sweeps = [];
  const validates = [];
  let report;
  for (let run = 0; run < runs; run++) {
    const sweep = timed([CLI, 'sweep', worldDir, '--out', outDir, '--quiet', '--seed', '1']);
    if (sweep.status !== 0 && sweep.status !== 1) throw new Error(`sweep exited ${sweep.status}:\n${sweep.stderr.slice(-2000)}`);
    sweeps.push(sweep);
    report = JSON.parse(fs.readFileSync(path.join(outDir, 'report.json'), 'utf8'));
    const validate = timed([CLI, 'validate', worldDir, '--quiet', '--rejects', path.join(outDir, 'validate-rejects.csv')]);
    validates.push(validate);
  }

  // The largest cluster's profile alone, in process: its measurements from the World's typed arrays.
  const { loadSweep } = require(path.join(ROOT, 'dist/src/sweep/load'));
  const { profileClusters } = require(path.join(ROOT, 'dist/src/score'));
  const saved = loadSweep(outDir);
  const world = saved.world();
  const largest = [...saved.report.clusters].sort((a, b) => b.accounts - a.accounts)[0];
  const index = new Map(world.accounts.ids.map((id, a) => [id, a]));
  const accounts = Int32Array.from(saved.members(largest.cluster_id).map((m) => index.get(m.account_id))).sort();
  const accountCluster = new Int32Array(world.accounts.size).fill(-1);
  for (const a of accounts) accountCluster[a] = 0;
  const partition = {
    algorithm: 'leiden', resolution: 1, seed: 1, modularity: 0, accountCluster, hubs: [], parameters: {},
    stats: { seconds: 0, components: 0, communities: 1, levels: 1, iterations: 0 },
    clusters: [{ accounts, roles: new Uint8Array(accounts.length), evidence: [], identifiers: [], links: 0, subclusters: 1 }],
  };
  const started = process.hrtime.bigint();
  const profiled = profileClusters(world, partition, { clusterIds: [largest.cluster_id] });
  const profileSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (profiled.clusters[0].exchanges !== largest.exchanges) throw new Error('profile of the largest cluster disagrees with the sweep');

  const sweepSeconds = median(sweeps.map((s) => s.seconds));
  const sweepRss = Math.max(...sweeps.map((s) => s.rssGb));
  const validateSeconds = median(validates.map((s) => s.seconds));
  const stages = report.sweep.stages;
  const lines = [
    `world: ${worldDir} — ${report.totals.accounts.toLocaleString('en-US')} accounts, ${report.totals.exchanges.toLocaleString('en-US')} exchanges; ` +
      `${report.totals.clusters.toLocaleString('en-US')} clusters (${report.clusters.filter((c) => c.tier === 'high').length} high risk)`,
    `runs: ${runs} (medians); machine: ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    '',
    '| measure | swarmscope sweep | peer: validate (import only) | ratio | target |',
    '|---|---|---|---|---|',
    `| wall time | ${sweepSeconds.toFixed(1)} s | ${validateSeconds.toFixed(1)} s | ${(sweepSeconds / validateSeconds).toFixed(2)}× | ≤ ${TARGET_SECONDS} s ${sweepSeconds <= TARGET_SECONDS ? '✓' : '✗'} |`,
    `| peak RSS | ${sweepRss.toFixed(2)} GB | ${Math.max(...validates.map((s) => s.rssGb)).toFixed(2)} GB | ${(sweepRss / Math.max(...validates.map((s) => s.rssGb))).toFixed(2)}× | ≤ ${TARGET_RSS_GB} GB ${sweepRss <= TARGET_RSS_GB ? '✓' : '✗'} |`,
    '',
    `stages (report.json sweep.stages, last run): import ${stages.import} s · detect ${stages.detect} s · profile ${stages.profile} s · ` +
      `save ${stages.save} s · render ${stages.render} s · total ${stages.total} s`,
    `largest cluster ${largest.cluster_id} (${largest.accounts.toLocaleString('en-US')} accounts, ${largest.exchanges.toLocaleString('en-US')} exchanges): ` +
      `profileClusters alone ${(profileSeconds * 1000).toFixed(0)} ms (includes the world index and two baseline passes over all accounts)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.rmSync(outDir, { recursive: true, force: true });
}

main();
