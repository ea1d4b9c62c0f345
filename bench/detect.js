#!/usr/bin/env node
/**
 * Detection benchmark: `swarmscope detect` (our Leiden) against graphology-communities-louvain and igraph's
 * community_leiden(objective_function="modularity") on the same edge list, each as a whole process under
 * /usr/bin/time -v (wall time, peak RSS), plus detectClusters on the imported world when a world dir is given.
 *
 *   node bench/detect.js <edges.csv> [--world <world-dir>] [--skip-graphology] [--skip-igraph] [--max-iterations N]
 *
 * Write the edge list once with bench/detect/write-edgelist.js <world-dir> <edges.csv>. Needs a build (dist/).
 * Prints, per tool: algorithm seconds (wall, file reading excluded), whole-process wall and CPU seconds
 * (user + system: the comparable figure on a loaded machine), modularity, peak RSS; then ours / peer ratios.
 */
const { spawnSync } = require('child_process');
const path = require('path');
const os = require('os');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const edges = args.find((a) => !a.startsWith('--') && !['--world', '--max-iterations'].includes(args[args.indexOf(a) - 1]));
const maxIterations = args.includes('--max-iterations') ? ['--max-iterations', args[args.indexOf('--max-iterations') + 1]] : [];
const worldIndex = args.indexOf('--world');
const world = worldIndex >= 0 ? args[worldIndex + 1] : null;
if (!edges) {
  process.stderr.write('usage: node bench/detect.js <edges.csv> [--world <world-dir>] [--skip-graphology] [--skip-igraph] [--max-iterations N]\n');
  process.exit(2);
}

function timed(label, command, commandArgs) {
  const run = spawnSync('/usr/bin/time', ['-v', command, ...commandArgs], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const stderr = run.stderr || '';
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(stderr);
  const lastLine = (run.stdout || '').trim().split('\n').pop();
  let result = null;
  try {
    result = JSON.parse(lastLine);
  } catch {
    process.stderr.write(`${label} failed (exit ${run.status}):\n${stderr.split('\n').slice(0, 20).join('\n')}\n`);
  }
  return {
    label,
    result,
    peakRssMb: rss ? Number(rss[1]) / 1024 : NaN,
    cpuSeconds: user && system ? Number(user[1]) + Number(system[1]) : NaN,
    wallSeconds: wall ? Number(wall[1] || 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN,
  };
}

const ourLabel = maxIterations.length ? `swarmscope detect (Leiden, ${maxIterations[1]} it.)` : 'swarmscope detect (Leiden)';
const runs = [timed(ourLabel, process.execPath, [path.join(root, 'dist/cli/main.js'), 'detect', edges, '--json', ...maxIterations])];
if (!args.includes('--skip-graphology')) {
  runs.push(timed('graphology-communities-louvain', process.execPath, ['--max-old-space-size=12000', path.join(__dirname, 'detect/graphology-louvain.js'), edges]));
}
if (!args.includes('--skip-igraph')) runs.push(timed('igraph community_leiden', '/usr/bin/python3', [path.join(__dirname, 'detect/igraph_leiden.py'), edges]));

const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
process.stdout.write(`edge list: ${edges}   load: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}   cores: ${os.cpus().length}\n`);
process.stdout.write('tool                              nodes      edges      algorithm s  algorithm CPU s  process s  process CPU s  modularity  communities  peak RSS MB\n');
for (const run of runs) {
  const r = run.result || {};
  process.stdout.write(
    `${run.label.padEnd(32)}  ${String(r.nodes ?? 'n/a').padStart(9)}  ${String(r.edges ?? 'n/a').padStart(9)}  ${fmt(r.seconds).padStart(11)}  ${fmt(r.cpuSeconds ?? r.cpu_seconds).padStart(15)}  ${fmt(run.wallSeconds).padStart(9)}  ${fmt(run.cpuSeconds).padStart(13)}  ${fmt(r.modularity, 4).padStart(10)}  ${String(r.communities ?? 'n/a').padStart(11)}  ${fmt(run.peakRssMb, 0).padStart(11)}\n`,
  );
}
const ours = runs[0];
for (const peer of runs.slice(1)) {
  if (!ours.result || !peer.result) continue;
  process.stdout.write(
    `ours / ${peer.label}: algorithm time ${fmt(ours.result.seconds / peer.result.seconds, 3)}, algorithm CPU ${fmt(ours.result.cpu_seconds / peer.result.cpuSeconds, 3)}, process time ${fmt(ours.wallSeconds / peer.wallSeconds, 3)}, process CPU ${fmt(ours.cpuSeconds / peer.cpuSeconds, 3)}, ` +
      `modularity ${fmt(ours.result.modularity - peer.result.modularity, 4)} (difference), peak RSS ${fmt(ours.peakRssMb / peer.peakRssMb, 3)}\n`,
  );
}
if (world) {
  const run = timed('detectClusters on the imported world', process.execPath, [path.join(__dirname, 'detect/detect-world.js'), world]);
  const r = run.result || {};
  process.stdout.write(
    `\ndetectClusters on ${world}: import ${fmt(r.importSeconds)} s, detect ${fmt(r.detectSeconds)} s ` +
      `(graph ${fmt(r.stageSeconds?.graph)} s, Leiden ${fmt(r.stageSeconds?.optimiser)} s, grouping ${fmt(r.stageSeconds?.grouping)} s), ` +
      `process ${fmt(run.wallSeconds)} s (CPU ${fmt(run.cpuSeconds)} s), peak RSS ${fmt(run.peakRssMb, 0)} MB, ${r.clusters} clusters\n`,
  );
  if (r.truth) process.stdout.write(`planted truth: ${JSON.stringify(r.truth)}\n`);
}
