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
 *   node bench/sweep.js [/tmp/world-1m] [--runs 1] [--keep]     (--keep leaves the sweep dir for inspection)
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
const keep = args.includes('--keep');
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

  // Profiling alone, in process, from the saved sweep: the world index, the largest cluster's measurements
  // (the big swarm), and profileClusters over every cluster (rebuilt from members.csv).
  const { loadSweep } = require(path.join(ROOT, 'dist/src/sweep/load'));
  const { profileClusters, buildWorldIndex, DEFAULTS } = require(path.join(ROOT, 'dist/src/score'));
  const { measureCluster } = require(path.join(ROOT, 'dist/src/score/measure'));
  const saved = loadSweep(outDir);
  const world = saved.world();
  const accountIndex = new Map(world.accounts.ids.map((id, a) => [id, a]));
  const byCluster = new Map();
  for (const row of saved.members()) {
    if (!byCluster.has(row.cluster_id)) byCluster.set(row.cluster_id, []);
    byCluster.get(row.cluster_id).push(accountIndex.get(row.account_id));
  }
  const ids = [...byCluster.keys()];
  const accountCluster = new Int32Array(world.accounts.size).fill(-1);
  const clusters = ids.map((id, c) => {
    const accounts = Int32Array.from(byCluster.get(id)).sort();
    for (const a of accounts) accountCluster[a] = c;
    return { accounts, roles: new Uint8Array(accounts.length), evidence: [], identifiers: [], links: 0, subclusters: 1 };
  });
  const partition = {
    algorithm: 'leiden', resolution: 1, seed: 1, modularity: 0, accountCluster, clusters, hubs: [], parameters: {},
    stats: { seconds: 0, components: 0, communities: clusters.length, levels: 1, iterations: 0 },
  };
  const seconds = (fn) => {
    const started = process.hrtime.bigint();
    const value = fn();
    return [Number(process.hrtime.bigint() - started) / 1e9, value];
  };
  const [indexSeconds, worldIndex] = seconds(() => buildWorldIndex(world));
  const largestAt = clusters.reduce((best, c, i) => (c.accounts.length > clusters[best].accounts.length ? i : best), 0);
  const measureOptions = {
    exclusiveShare: DEFAULTS.exclusiveShare, topIdentifiers: DEFAULTS.topIdentifiers,
    corporateCardMinMembers: DEFAULTS.corporateCardMinMembers, exclusiveDomainMinMembers: DEFAULTS.exclusiveDomainMinMembers,
  };
  measureCluster(worldIndex, clusters[largestAt], measureOptions); // warm-up: JIT
  const [largestSeconds, largestMeasures] = seconds(() => measureCluster(worldIndex, clusters[largestAt], measureOptions));
  const [allSeconds, profiled] = seconds(() => profileClusters(world, partition, { clusterIds: ids }));
  const largest = saved.report.clusters.find((c) => c.cluster_id === ids[largestAt]);
  if (largestMeasures.exchanges !== largest.exchanges) throw new Error('profile of the largest cluster disagrees with the sweep');
  if (profiled.clusters.length !== saved.report.clusters.length) throw new Error('re-profiling found a different number of clusters');

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
    `profiling alone (in process, from the saved sweep): world index ${(indexSeconds * 1000).toFixed(0)} ms; ` +
      `largest cluster ${largest.cluster_id} (${largest.accounts.toLocaleString('en-US')} accounts, ${largest.exchanges.toLocaleString('en-US')} exchanges) ` +
      `measured in ${(largestSeconds * 1000).toFixed(0)} ms; profileClusters over all ${clusters.length.toLocaleString('en-US')} clusters ` +
      `(index + two baseline passes + scoring) ${allSeconds.toFixed(2)} s`,
  ];
  if (keep) lines.push(`sweep kept in ${outDir}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!keep) fs.rmSync(outDir, { recursive: true, force: true });
}

if (require.main === module) main();
