#!/usr/bin/env node
/**
 * The tactic matrix table from run.js's JSON lines: one row per tactic (and per world size), the WORST case over
 * its worlds, not the mean — the smallest best-cluster Jaccard of any planted swarm, the most clusters a swarm
 * was cut into, legitimate accounts inside swarm clusters (the total over all worlds), and in how many worlds
 * every swarm outranked every legitimate dense group (families, resellers, enterprise teams).
 *
 *   node bench/tactics/summarise.js bench/tactics/results.jsonl [--markdown]
 */
const fs = require('fs');

const file = process.argv[2];
const rows = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
const groups = new Map();
for (const row of rows) {
  const key = `${row.tactic}|${row.accounts}`;
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(row);
}
const table = [];
for (const [key, worlds] of groups) {
  const [tactic, accounts] = key.split('|');
  const swarms = worlds.flatMap((w) => w.swarms);
  const sizes = swarms.map((s) => s.size);
  const worst = swarms.reduce((min, s) => (s.jaccard < min.jaccard ? s : min), swarms[0]);
  table.push({
    tactic,
    accounts: Number(accounts),
    worlds: worlds.length,
    swarms: swarms.length,
    sizes: `${Math.min(...sizes).toLocaleString('en-US')}–${Math.max(...sizes).toLocaleString('en-US')}`,
    worstJaccard: worst.jaccard,
    worstSwarm: `${worst.group} (${worst.size.toLocaleString('en-US')}), seed ${worlds.find((w) => w.swarms.includes(worst)).seed}`,
    maxPieces: Math.max(...swarms.map((s) => s.pieces)),
    legitInside: swarms.reduce((n, s) => n + s.legitInside, 0),
    outranked: `${worlds.filter((w) => w.outranked).length}/${worlds.length}`,
    lowestSwarmRisk: Math.min(...worlds.map((w) => w.lowestSwarmRisk ?? 101)),
    highestDenseRisk: Math.max(...worlds.map((w) => w.highestDenseRisk ?? -1)),
    denseAboveMedium: worlds.reduce((n, w) => n + w.denseAboveMedium, 0),
    detectSecondsMax: Math.max(...worlds.map((w) => w.detectSeconds)),
  });
}
table.sort((a, b) => a.accounts - b.accounts || (a.tactic === 'random') - (b.tactic === 'random') || (a.tactic < b.tactic ? -1 : 1));
if (process.argv.includes('--markdown')) {
  console.log('| tactic | accounts | worlds | swarm sizes | worst Jaccard | most pieces | legit inside swarm clusters | every swarm above every dense group | lowest swarm risk / highest dense-group risk |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const t of table) {
    console.log(`| ${t.tactic} | ${t.accounts.toLocaleString('en-US')} | ${t.worlds} | ${t.sizes} | ${t.worstJaccard.toFixed(3)} | ${t.maxPieces} | ${t.legitInside} | ${t.outranked} | ${t.lowestSwarmRisk} / ${t.highestDenseRisk} |`);
  }
} else {
  for (const t of table) console.log(JSON.stringify(t));
}
