#!/usr/bin/env node
/**
 * Behaviour-profile benchmark: the minute-level measures of src/score/behaviour.ts on a synthetic World with
 * 1,000,000 accounts and about 61M activity cells, built in memory (no CSV: this times scoring, not import).
 *
 *   npx tsc -p tsconfig.json            # or any outDir: node bench/behaviour.js --dist DIR
 *   node bench/behaviour.js [--accounts 1000000] [--runs 3] [--dist dist]
 *
 * The world: 2.5% swarm accounts calling around the clock at a fixed rate (≈ 30 calls a day for 45 days, one of
 * 4 templates), the rest people with a few active days of two or three sittings each on their own templates.
 * The partition: the swarm as one cluster plus ten-person clusters over a fifth of the people (19,500 at 1M:
 * per-cluster overhead).
 * Timed, medians of --runs: the per-account pass (measureAccountBehaviour), every cluster's measures
 * (measureClusterBehaviour), and the baseline twice (as profileClusters does).
 *
 * Peer, same run: the floor of a linear pass — one plain loop that reads every activity cell's minute and count
 * and every day cell's count and tokens, and does nothing else. The ratio says how many such passes the behaviour
 * profile costs. Peak RSS is the process's, world included (the world's typed arrays are printed beside it).
 */
'use strict';
const path = require('path');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const ACCOUNTS = Number(option('--accounts', 1_000_000));
const RUNS = Number(option('--runs', 3));
const DIST = path.resolve(option('--dist', path.join(__dirname, '..', 'dist')));
const { measureAccountBehaviour, measureClusterBehaviour, measureBaselineBehaviour } = require(path.join(DIST, 'src/score/behaviour.js'));
const { DEFAULTS } = require(path.join(DIST, 'src/score/risk.js'));

const DAYS = 45;
const MINUTE0 = Math.floor(Date.UTC(2026, 8, 1) / 60_000);
const SWARM_SHARE = 0.025;
const SWARM_TEMPLATES = 4;

/** mulberry32: the same world every run. */
function rng(seed) {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

class Grow {
  constructor(Type, capacity) {
    this.Type = Type;
    this.data = new Type(capacity);
    this.length = 0;
  }
  push(value) {
    if (this.length === this.data.length) {
      const next = new this.Type(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  done() {
    return this.data.subarray(0, this.length);
  }
}

function buildWorld() {
  const random = rng(1);
  const swarmAccounts = Math.round(ACCOUNTS * SWARM_SHARE);
  const cellAccount = new Grow(Int32Array, 1 << 24);
  const cellMinute = new Grow(Int32Array, 1 << 24);
  const cellTemplate = new Grow(Int32Array, 1 << 24);
  const cellCount = new Grow(Float32Array, 1 << 24);
  const activityOffsets = new Int32Array(ACCOUNTS + 1);
  const dayAccount = new Grow(Int32Array, 1 << 22);
  const dayDay = new Grow(Int32Array, 1 << 22);
  const dayCount = new Grow(Float64Array, 1 << 22);
  const dayOutput = new Grow(Float64Array, 1 << 22);
  const dayOffsets = new Int32Array(ACCOUNTS + 1);
  const linkAccount = new Grow(Int32Array, 1 << 22);
  const linkTemplate = new Grow(Int32Array, 1 << 22);
  const linkCount = new Grow(Float64Array, 1 << 22);
  const linkOffsets = new Int32Array(ACCOUNTS + 1);
  let templates = SWARM_TEMPLATES;
  const perTemplate = new Float64Array(SWARM_TEMPLATES);
  const minutes = [];

  for (let a = 0; a < ACCOUNTS; a++) {
    const swarm = a < swarmAccounts;
    perTemplate.fill(0);
    const own = swarm ? 0 : templates;
    if (!swarm) templates += 2;
    for (let day = 0; day < DAYS; day++) {
      minutes.length = 0;
      if (swarm) {
        const spacing = 48;
        const phase = Math.floor(random() * spacing);
        for (let m = phase; m < 1440; m += spacing) minutes.push(m + Math.floor(random() * 3));
      } else {
        if (random() > 0.045) continue;
        const sittings = 2 + Math.floor(random() * 2);
        for (let s = 0; s < sittings; s++) {
          let m = 480 + Math.floor(random() * 720);
          const length = 3 + Math.floor(random() * 6);
          for (let i = 0; i < length && m < 1440; i++, m += 1 + Math.floor(random() * 5)) minutes.push(m);
        }
        minutes.sort((x, y) => x - y);
      }
      if (minutes.length === 0) continue;
      let exchanges = 0;
      let output = 0;
      for (let i = 0; i < minutes.length; i++) {
        if (i > 0 && minutes[i] === minutes[i - 1]) continue;
        const template = swarm ? Math.floor(random() * SWARM_TEMPLATES) : own + (random() < 0.6 ? 0 : 1);
        cellAccount.push(a);
        cellMinute.push(MINUTE0 + day * 1440 + minutes[i]);
        cellTemplate.push(template);
        cellCount.push(1);
        exchanges++;
        output += swarm ? 1900 + random() * 200 : 200 + random() * 1600;
        perTemplate[template - own]++;
      }
      dayAccount.push(a);
      dayDay.push(Math.floor(MINUTE0 / 1440) + day);
      dayCount.push(exchanges);
      dayOutput.push(output);
    }
    for (let t = 0; t < (swarm ? SWARM_TEMPLATES : 2); t++) {
      if (perTemplate[t] > 0) {
        linkAccount.push(a);
        linkTemplate.push((swarm ? 0 : own) + t);
        linkCount.push(perTemplate[t]);
      }
    }
    activityOffsets[a + 1] = cellAccount.length;
    dayOffsets[a + 1] = dayAccount.length;
    linkOffsets[a + 1] = linkAccount.length;
  }
  const cells = cellAccount.length;
  const world = {
    accounts: { size: ACCOUNTS },
    identifiers: { template: { size: templates } },
    links: { template: { size: linkAccount.length, account: linkAccount.done(), identifier: linkTemplate.done(), count: linkCount.done() } },
    exchanges: {
      capabilities: ['software_engineering'], cells: dayAccount.length, account: dayAccount.done(), day: dayDay.done(),
      capability: new Uint16Array(dayAccount.length), count: dayCount.done(), outputTokens: dayOutput.done(), accountOffsets: dayOffsets,
    },
    activity: { cells, account: cellAccount.done(), minute: cellMinute.done(), template: cellTemplate.done(), count: cellCount.done(), accountOffsets: activityOffsets },
  };
  const bytes = cells * 16 + dayAccount.length * 26 + linkAccount.length * 16 + 3 * 4 * (ACCOUNTS + 1);
  return { world, linkOffsets, swarmAccounts, bytes };
}

/** The swarm, then ten-person clusters of people over a fifth of the other accounts (20,000 at 1M accounts). */
function partition(swarmAccounts) {
  const clusters = [Int32Array.from({ length: swarmAccounts }, (_, i) => i)];
  const small = Math.floor((ACCOUNTS - swarmAccounts) / 50);
  for (let c = 0; c < small; c++) clusters.push(Int32Array.from({ length: 10 }, (_, i) => swarmAccounts + c * 10 + i));
  return clusters;
}

function floorPass(world) {
  const { activity, exchanges } = world;
  let sum = 0;
  for (let c = 0; c < activity.cells; c++) sum += activity.minute[c] + activity.count[c];
  for (let c = 0; c < exchanges.cells; c++) sum += exchanges.count[c] + exchanges.outputTokens[c];
  return sum;
}

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

function seconds(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function main() {
  let start = process.hrtime.bigint();
  const { world, linkOffsets, swarmAccounts, bytes } = buildWorld();
  const buildSeconds = seconds(start);
  const clusters = partition(swarmAccounts);
  const excluded = new Uint8Array(ACCOUNTS);
  const flagged = new Uint8Array(ACCOUNTS);
  for (let a = 0; a < swarmAccounts; a++) flagged[a] = 1;
  for (const cluster of clusters) for (const a of cluster) excluded[a] = 1;

  const timings = { account: [], swarm: [], clusters: [], baseline: [], total: [], floor: [] };
  let swarmProfile = null;
  let baseline = null;
  for (let run = 0; run < RUNS; run++) {
    start = process.hrtime.bigint();
    floorPass(world);
    timings.floor.push(seconds(start));

    const total = process.hrtime.bigint();
    start = process.hrtime.bigint();
    const behaviour = measureAccountBehaviour(world, DEFAULTS.behaviour);
    timings.account.push(seconds(start));
    const index = { world, behaviour, linkOffsets: { template: linkOffsets } };
    start = process.hrtime.bigint();
    swarmProfile = measureClusterBehaviour(index, clusters[0]);
    timings.swarm.push(seconds(start));
    start = process.hrtime.bigint();
    for (let c = 1; c < clusters.length; c++) measureClusterBehaviour(index, clusters[c]);
    timings.clusters.push(seconds(start));
    start = process.hrtime.bigint();
    measureBaselineBehaviour(index, excluded);
    baseline = measureBaselineBehaviour(index, flagged);
    timings.baseline.push(seconds(start));
    timings.total.push(seconds(total));
  }
  const rss = process.resourceUsage().maxRSS / 1024 / 1024;
  const ours = median(timings.total);
  const peer = median(timings.floor);
  const out = (line) => process.stdout.write(`${line}\n`);
  out(`world: ${ACCOUNTS.toLocaleString('en-US')} accounts, ${world.activity.cells.toLocaleString('en-US')} activity cells, ${world.exchanges.cells.toLocaleString('en-US')} day cells, ${world.links.template.size.toLocaleString('en-US')} template links (${(bytes / 2 ** 30).toFixed(2)} GiB of typed arrays, built in ${buildSeconds.toFixed(1)} s)`);
  out(`partition: 1 swarm cluster of ${swarmAccounts.toLocaleString('en-US')} + ${(clusters.length - 1).toLocaleString('en-US')} clusters of 10; medians of ${RUNS} runs`);
  out(
    `per-account pass ${median(timings.account).toFixed(2)} s, the swarm cluster ${median(timings.swarm).toFixed(2)} s, ` +
      `the small clusters ${median(timings.clusters).toFixed(2)} s, baseline ×2 ${median(timings.baseline).toFixed(2)} s`,
  );
  out(`behaviour profile total: ${ours.toFixed(2)} s`);
  out(`peer (one bare read of every activity and day cell): ${peer.toFixed(2)} s`);
  out(`ratio ours / peer: ${(ours / peer).toFixed(2)}`);
  out(`peak RSS: ${rss.toFixed(2)} GiB (world included)`);
  out(`swarm: ${JSON.stringify(swarmProfile)}`);
  out(`baseline: ${JSON.stringify(baseline)}`);
}

main();
