#!/usr/bin/env node
/**
 * Writes two saved sweeps (report.json + members.csv) shaped like the 1M-account world's, for bench/history-diff.sh:
 * week 1 has a 25,000-account swarm and `clusters` smaller clusters (heavy-tailed sizes 3…2,000) holding
 * about `clustered` accounts; week 2 grows the swarm by 20%, adds a new 1,200-account swarm, churns 2% of the
 * members of other clusters, and drops 1% of clusters. Evidence strings are as long as the real ones.
 * Usage: node bench/history-make-sweeps.js <out-dir> [clustered=300000]
 */
const fs = require('fs');
const path = require('path');

const out = process.argv[2];
const clustered = Number(process.argv[3] ?? 300000);
if (!out) throw new Error('usage: history-make-sweeps.js <out-dir> [clustered]');
let seed = 42;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const account = (n) => `acct_${n.toString(16).padStart(8, '0')}`;
const evidence = 'shares proxy fingerprint c4e63576adb54f4adaf5ff153963d6cb with 62 other members; virtual_card 7d88e9adda463e5c with 2 other members';

// Week 1 clusters as arrays of account numbers.
let next = 0;
const week1 = [];
week1.push(Array.from({ length: 25000 }, () => next++));
while (next < clustered) {
  const size = Math.min(2000, Math.max(3, Math.floor(3 / Math.pow(random(), 0.9))));
  week1.push(Array.from({ length: size }, () => next++));
}
// Week 2: swarm +20%, churn, drops, a new swarm.
const week2 = [];
week2.push([...week1[0], ...Array.from({ length: 5000 }, () => next++)]);
for (let c = 1; c < week1.length; c++) {
  if (random() < 0.01) continue;
  week2.push(week1[c].map((member) => (random() < 0.02 ? next++ : member)));
}
week2.push(Array.from({ length: 1200 }, () => next++));

function write(dir, id, clusters) {
  fs.mkdirSync(dir, { recursive: true });
  const ids = clusters.map((_, index) => `C${String(index + 1).padStart(5, '0')}`);
  const report = {
    schema_version: 1,
    sweep: { id, started_at: new Date().toISOString() },
    totals: {},
    detection: {},
    baseline: {},
    clusters: clusters.map((members, index) => ({ cluster_id: ids[index], accounts: members.length, risk: index === 0 ? 95 : 10, tier: index === 0 ? 'high' : 'low' })),
    hubs: [],
    since_last_sweep: null,
  };
  fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report));
  const fd = fs.openSync(path.join(dir, 'members.csv'), 'w');
  fs.writeSync(fd, 'account_id,cluster_id,role,evidence\n');
  let chunk = '';
  clusters.forEach((members, index) => {
    for (const member of members) {
      chunk += `${account(member)},${ids[index]},member,${evidence}\n`;
      if (chunk.length > 1 << 20) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
  });
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}

write(path.join(out, 'A'), 'week1', week1);
write(path.join(out, 'B'), 'week2', week2);
const rows = (clusters) => clusters.reduce((sum, members) => sum + members.length, 0);
process.stdout.write(`wrote ${out}/A (${week1.length} clusters, ${rows(week1)} members) and ${out}/B (${week2.length} clusters, ${rows(week2)} members)\n`);
