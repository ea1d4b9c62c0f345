#!/usr/bin/env node
/**
 * Evidence pack benchmark: build (and verify) the pack of the big planted swarm — 25,000 accounts, ~28.8M
 * exchanges — of a generated 200,000-account world, as whole CLI processes under /usr/bin/time -v.
 * Target (issue 7): the build takes ≤ 30 s.
 *
 * Peer, from the same run: the mechanical floor of a bag with standard tools on the same payload bytes —
 * sha256sum + sha512sum over data/ and `zip -X -3 -r` (deflate at our level, 3) of the bag — so the ratio shows what the
 * analysis, tables, pictures and PDF cost on top of hashing and compressing. For verify, the peer is
 * `unzip` + `sha256sum -c` + `sha512sum -c`.
 *
 * Usage: npx tsc -p tsconfig.json && node bench/evidence.js [--sweep DIR] [--cluster ID] [--runs 3] [--work DIR]
 *   Without --sweep it generates (`generate --accounts 200000 --swarm-size 25000`) and sweeps into --work
 *   (default $TMPDIR/swarmscope-bench-evidence), reusing them when already there.
 */
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist/cli/main.js');
const TARGET_SECONDS = 30;

function flag(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Runs a command under /usr/bin/time -v; returns wall seconds and peak RSS in MB. */
function timed(command, args, options = {}) {
  const result = spawnSync('/usr/bin/time', ['-v', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(result.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  const seconds = (Number(wall[1] || 0) * 3600) + Number(wall[2]) * 60 + Number(wall[3]);
  return { seconds, rssMb: Number(rss[1]) / 1024, stdout: result.stdout };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function readCsvColumn(file, columns) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const header = lines[0].split(',');
  const index = columns.map((column) => header.indexOf(column));
  return lines.slice(1).filter(Boolean).map((line) => index.map((i) => line.split(',')[i]));
}

function prepare(work) {
  const world = path.join(work, 'world');
  const sweep = path.join(work, 'sweep');
  if (!fs.existsSync(path.join(world, 'exchanges.csv'))) {
    console.log('generating a 200,000-account world with a 25,000-account swarm …');
    execFileSync(process.execPath, [CLI, 'generate', '--out', world, '--accounts', '200000', '--swarm-size', '25000', '--quiet'], { stdio: 'inherit' });
  }
  if (!fs.existsSync(path.join(sweep, 'report.json'))) {
    console.log('sweeping it …');
    execFileSync(process.execPath, [CLI, 'sweep', world, '--out', sweep, '--quiet'], { stdio: 'inherit' });
  }
  return { world, sweep };
}

/** The sweep cluster holding most of the planted big swarm (from the generator's truth), else the largest. */
function chooseCluster(world, sweep) {
  const members = readCsvColumn(path.join(sweep, 'members.csv'), ['account_id', 'cluster_id']);
  const truthFile = world && path.join(world, 'truth', 'members.csv');
  const counts = new Map();
  if (truthFile && fs.existsSync(truthFile)) {
    const swarm = new Set(readCsvColumn(truthFile, ['account_id', 'group']).filter(([, group]) => group === 'swarm_residential_proxy').map(([id]) => id));
    for (const [account, cluster] of members) if (swarm.has(account)) counts.set(cluster, (counts.get(cluster) || 0) + 1);
  }
  const fromTruth = counts.size > 0;
  if (!fromTruth) for (const [, cluster] of members) counts.set(cluster, (counts.get(cluster) || 0) + 1);
  const [cluster] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  const size = members.filter(([, c]) => c === cluster).length;
  return { cluster, size, why: fromTruth ? `${counts.get(cluster)} of them from the planted swarm` : 'the largest cluster; no planted truth given' };
}

function main() {
  if (!fs.existsSync(CLI)) throw new Error('build first: npx tsc -p tsconfig.json');
  const runs = Number(flag('--runs', '3'));
  const work = flag('--work', path.join(os.tmpdir(), 'swarmscope-bench-evidence'));
  fs.mkdirSync(work, { recursive: true });
  const given = flag('--sweep', null);
  const { world, sweep } = given ? { world: null, sweep: given } : prepare(work);
  const chosen = flag('--cluster', null) ? { cluster: flag('--cluster'), size: NaN, why: 'given with --cluster' } : chooseCluster(world, sweep);
  console.log(`cluster ${chosen.cluster}: ${chosen.size} members (${chosen.why}); load: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);

  const pack = path.join(work, 'pack.zip');
  const build = [];
  for (let run = 0; run < runs; run++) build.push(timed(process.execPath, [CLI, 'evidence', sweep, '--cluster', chosen.cluster, '--out', pack, '--org', 'bench']));
  const packBytes = fs.statSync(pack).size;

  const unpacked = path.join(work, 'unpacked');
  fs.rmSync(unpacked, { recursive: true, force: true });
  execFileSync('unzip', ['-q', pack, '-d', unpacked]);
  const [root] = fs.readdirSync(unpacked);
  const payloadBytes = fs.readdirSync(path.join(unpacked, root, 'data')).reduce((sum, file) => sum + fs.statSync(path.join(unpacked, root, 'data', file)).size, 0);
  const peerZip = path.join(work, 'peer.zip');
  const peerBuild = [];
  for (let run = 0; run < runs; run++) {
    fs.rmSync(peerZip, { force: true });
    peerBuild.push(timed('sh', ['-c', `cd "${path.join(unpacked, root)}" && sha256sum data/* > /dev/null && sha512sum data/* > /dev/null && cd .. && zip -X -3 -q -r "${peerZip}" "${root}"`]));
  }

  const verify = [];
  for (let run = 0; run < runs; run++) verify.push(timed(process.execPath, [CLI, 'evidence', 'verify', pack]));
  const peerVerify = [];
  const peerDir = path.join(work, 'peer-verify');
  for (let run = 0; run < runs; run++) {
    fs.rmSync(peerDir, { recursive: true, force: true });
    peerVerify.push(timed('sh', ['-c', `unzip -q "${pack}" -d "${peerDir}" && cd "${peerDir}/${root}" && sha256sum -c --quiet manifest-sha256.txt && sha512sum -c --quiet manifest-sha512.txt`]));
  }

  const row = (name, ours, peer) => {
    const o = median(ours.map((r) => r.seconds));
    const p = median(peer.map((r) => r.seconds));
    return `| ${name} | ${o.toFixed(2)} s | ${p.toFixed(2)} s | ${(o / p).toFixed(2)}× | ${median(ours.map((r) => r.rssMb)).toFixed(0)} MB |`;
  };
  console.log(`\npack ${(packBytes / 1e6).toFixed(1)} MB zipped, payload ${(payloadBytes / 1e6).toFixed(1)} MB; medians of ${runs} runs`);
  console.log('| step | swarmscope | peer: sha256sum+sha512sum+zip -3 (build), unzip+sha256sum -c+sha512sum -c (verify) | ratio | our peak RSS |');
  console.log('|---|---|---|---|---|');
  console.log(row('build pack', build, peerBuild));
  console.log(row('verify pack', verify, peerVerify));
  const buildMedian = median(build.map((r) => r.seconds));
  console.log(`\nbuild ${buildMedian.toFixed(2)} s vs target ≤ ${TARGET_SECONDS} s: ${buildMedian <= TARGET_SECONDS ? 'MET' : 'NOT MET'}`);
  fs.rmSync(unpacked, { recursive: true, force: true });
  fs.rmSync(peerDir, { recursive: true, force: true });
}

main();
