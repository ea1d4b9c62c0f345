#!/usr/bin/env node
/**
 * Scores one generated world's detection against its planted truth (read only here, never by detection):
 * imports the world, runs detectClusters and the risk model exactly as a sweep does, and prints one JSON line:
 *
 *   swarms[]: for each planted swarm — its tactics, size, the best cluster's Jaccard, how many clusters hold
 *             its members (pieces), legitimate accounts inside the clusters holding its members, its best risk;
 *   dense[]:  the legitimate dense groups (families, resellers, enterprise teams) found as clusters, with risk;
 *   outranked: whether every swarm's cluster outranks (higher risk) every legitimate dense group's cluster.
 *
 * Usage: node bench/tactics/evaluate.js <world-dir>   (build first: npx tsc -p tsconfig.json)
 */
const fs = require('fs');
const path = require('path');
const dist = path.resolve(__dirname, '../../dist/src');
const { importWorld } = require(path.join(dist, 'ingest'));
const { detectClusters } = require(path.join(dist, 'detect'));
const { profileClusters } = require(path.join(dist, 'score'));


function readTruth(worldDir, index) {
  const truth = new Int32Array(index.size).fill(-1);
  const groups = [];
  const groupNumber = new Map();
  const lines = fs.readFileSync(path.join(worldDir, 'truth', 'members.csv'), 'utf8').trim().split('\n').slice(1);
  for (const line of lines) {
    const [account, group, kind] = line.split(',');
    if (!groupNumber.has(group)) {
      groupNumber.set(group, groups.length);
      groups.push({ group, kind, members: [] });
    }
    const g = groupNumber.get(group);
    const a = index.get(account);
    if (a === undefined) continue;
    truth[a] = g;
    groups[g].members.push(a);
  }
  const summary = JSON.parse(fs.readFileSync(path.join(worldDir, 'truth', 'truth.json'), 'utf8'));
  const tactics = new Map(summary.groups.filter((g) => g.tactics).map((g) => [g.name, g.tactics]));
  // Legitimate groups that are dense by nature (a family card, a reseller's card, a company's card and office):
  // truth/dense_groups.csv (group,kind,accounts).
  const dense = new Map();
  const denseFile = path.join(worldDir, 'truth', 'dense_groups.csv');
  if (fs.existsSync(denseFile)) {
    for (const line of fs.readFileSync(denseFile, 'utf8').trim().split('\n').slice(1)) {
      const [group, kind] = line.split(',');
      dense.set(group, kind);
    }
  }
  return { truth, groups, tactics, dense };
}

async function evaluate(worldDir) {
  const started = process.hrtime.bigint();
  const world = await importWorld({ inputDir: worldDir, workers: 1 });
  const importSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const detectStarted = process.hrtime.bigint();
  const partition = detectClusters(world);
  const detectSeconds = Number(process.hrtime.bigint() - detectStarted) / 1e9;
  const ids = Array.from({ length: partition.clusters.length }, (_, i) => `C${i}`);
  const profiled = profileClusters(world, partition, { clusterIds: ids }).clusters;
  const profiles = new Array(partition.clusters.length);
  for (const profile of profiled) profiles[Number(profile.cluster_id.slice(1))] = profile;
  const index = new Map(world.accounts.ids.map((id, i) => [id, i]));
  const { truth, groups, tactics, dense: denseGroups } = readTruth(worldDir, index);

  const legitimate = (g) => g >= 0 && groups[g].kind !== 'swarm';
  const swarms = [];
  const swarmRisks = [];
  for (const [g, { group, kind, members }] of groups.entries()) {
    if (kind !== 'swarm') continue;
    const perCluster = new Map();
    for (const a of members) {
      const c = partition.accountCluster[a];
      if (c >= 0) perCluster.set(c, (perCluster.get(c) || 0) + 1);
    }
    let best = -1;
    let bestJaccard = 0;
    for (const [c, shared] of perCluster) {
      const jaccard = shared / (members.length + partition.clusters[c].accounts.length - shared);
      if (jaccard > bestJaccard) [best, bestJaccard] = [c, jaccard];
    }
    let legitInside = 0;
    const legitKinds = {};
    let risk = 0;
    for (const c of perCluster.keys()) {
      risk = Math.max(risk, profiles[c].risk);
      for (const a of partition.clusters[c].accounts) {
        if (!legitimate(truth[a])) continue;
        legitInside++;
        const k = groups[truth[a]].kind;
        legitKinds[k] = (legitKinds[k] || 0) + 1;
      }
    }
    if (best >= 0) swarmRisks.push(profiles[best].risk);
    swarms.push({
      group,
      tactics: tactics.get(group) ?? [],
      size: members.length,
      jaccard: Math.round(bestJaccard * 1000) / 1000,
      pieces: perCluster.size,
      unclustered: members.length - [...perCluster.values()].reduce((s, n) => s + n, 0),
      legitInside,
      legitKinds,
      risk: best >= 0 ? profiles[best].risk : null,
      tier: best >= 0 ? profiles[best].tier : null,
      g,
    });
  }
  // Legitimate dense groups found as (part of) a cluster that is not a swarm's: their highest risk.
  const dense = [];
  const swarmClusters = new Set();
  for (const s of swarms) for (const a of groups[s.g].members) if (partition.accountCluster[a] >= 0) swarmClusters.add(partition.accountCluster[a]);
  for (const { group, members } of groups) {
    const kind = denseGroups.get(group);
    if (kind === undefined) continue;
    let risk = -1;
    let tier = null;
    for (const a of members) {
      const c = partition.accountCluster[a];
      if (c < 0 || swarmClusters.has(c)) continue;
      if (profiles[c].risk > risk) [risk, tier] = [profiles[c].risk, profiles[c].tier];
    }
    if (risk >= 0) dense.push({ group, kind, size: members.length, risk, tier });
  }
  const lowestSwarm = swarmRisks.length > 0 ? Math.min(...swarmRisks) : null;
  const highestDense = dense.length > 0 ? Math.max(...dense.map((d) => d.risk)) : null;
  for (const s of swarms) delete s.g;
  return {
    world: worldDir,
    accounts: world.accounts.size,
    importSeconds: Math.round(importSeconds * 100) / 100,
    detectSeconds: Math.round(detectSeconds * 100) / 100,
    clusters: partition.clusters.length,
    hubs: partition.hubs.length,
    swarms,
    dense: dense.sort((a, b) => b.risk - a.risk).slice(0, 10),
    denseFound: dense.length,
    denseAboveMedium: dense.filter((d) => d.tier === 'high').length,
    lowestSwarmRisk: lowestSwarm,
    highestDenseRisk: highestDense,
    outranked: lowestSwarm === null || highestDense === null || lowestSwarm > highestDense,
  };
}

if (require.main === module) {
  evaluate(process.argv[2])
    .then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
    .catch((error) => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exitCode = 3;
    });
}

module.exports = { evaluate };
