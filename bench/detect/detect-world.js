#!/usr/bin/env node
/**
 * Times detectClusters on an imported world (what a sweep runs after import), and scores it against the
 * world's planted truth when truth/members.csv is present (read only here, never by detection).
 * Usage: node bench/detect/detect-world.js <world-dir>. Prints one JSON line.
 */
const fs = require('fs');
const path = require('path');
const dist = path.resolve(__dirname, '../../dist/src');
const { importWorld } = require(path.join(dist, 'ingest'));
const { detectClusters } = require(path.join(dist, 'detect'));

function truthScores(worldDir, world, partition) {
  const file = path.join(worldDir, 'truth', 'members.csv');
  if (!fs.existsSync(file)) return null;
  const index = new Map(world.accounts.ids.map((id, i) => [id, i]));
  const groups = new Map();
  const bystanders = [];
  const kindOf = new Map();
  for (const line of fs.readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
    const [account, group, kind] = line.split(',');
    kindOf.set(index.get(account), kind);
    if (kind === 'bystander') bystanders.push(account);
    if (kind !== 'swarm') continue;
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(index.get(account));
  }
  const swarms = {};
  for (const [group, members] of groups) {
    const counts = new Map();
    for (const a of members) counts.set(partition.accountCluster[a], (counts.get(partition.accountCluster[a]) || 0) + 1);
    let best = -1;
    let shared = 0;
    for (const [c, n] of counts) if (c >= 0 && n > shared) [best, shared] = [c, n];
    const size = best >= 0 ? partition.clusters[best].accounts.length : 0;
    const others = {};
    if (best >= 0) {
      for (const a of partition.clusters[best].accounts) {
        const kind = kindOf.get(a) ?? 'unplanted';
        if (kind !== 'swarm') others[kind] = (others[kind] || 0) + 1;
      }
    }
    swarms[group] = { size: members.length, cluster: best, clusterSize: size, jaccard: best >= 0 ? shared / (size + members.length - shared) : 0, nonSwarmMembers: others };
  }
  const swarmClusters = new Set(Object.values(swarms).map((s) => s.cluster));
  const clusterOf = (a) => partition.accountCluster[index.get(a)];
  return {
    swarms,
    bystanders: bystanders.length,
    bystandersInSwarmClusters: bystanders.filter((a) => swarmClusters.has(clusterOf(a))).length,
    bystandersInOtherClusters: bystanders.filter((a) => clusterOf(a) >= 0 && !swarmClusters.has(clusterOf(a))).length,
  };
}

async function main() {
  const worldDir = process.argv[2];
  const started = Date.now();
  const world = await importWorld({ inputDir: worldDir });
  const imported = Date.now();
  const partition = detectClusters(world);
  const detected = Date.now();
  process.stdout.write(
    `${JSON.stringify({
      world: worldDir,
      accounts: world.accounts.size,
      importSeconds: (imported - started) / 1000,
      detectSeconds: (detected - imported) / 1000,
      stageSeconds: partition.parameters.seconds,
      graph: partition.parameters.graph,
      modularity: partition.modularity,
      stats: partition.stats,
      clusters: partition.clusters.length,
      largest: partition.clusters.slice(0, 5).map((c) => ({ accounts: c.accounts.length, subclusters: c.subclusters })),
      truth: truthScores(worldDir, world, partition),
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(3);
});
