/**
 * Two generated weeks (swarmscope generate --week 1 / --week 2: the big residential-proxy swarm grows 20%,
 * a new virtual-card swarm appears, everything else continues) through the real sweep (import, profile,
 * render, members.csv) with a state dir.
 *
 * Two detection engines:
 *   - the planted truth as the partition, so the history is judged on its own: given the right clusters,
 *     the big swarm keeps its id with `grown`, the new swarm is `new`, legitimate groups are `unchanged`;
 *   - the real embedded engine, end to end: the cluster holding the big swarm keeps its id with `grown` and
 *     reports the swarm's new accounts as joined, the new swarm's cluster is new, the enterprise team keeps its
 *     id unchanged. (A detection change that stops isolating the swarm fails here, across stages, on purpose.)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import type { DetectedCluster, DetectionEngine, Partition } from '../../src/core/partition';
import { generateWorld } from '../../src/generate';
import { recordCaseDecision, runSweepWithHistory, type ClusterEvent, type SinceLastSweep } from '../../src/sweep/history';
import { runSweep } from '../../src/sweep/run';
import type { SweepResult } from '../../src/sweep/types';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-weeks-'));
const ACCOUNTS = 8_000;
const BIG_SWARM = 'swarm_residential_proxy';
const NEW_SWARM = 'swarm_virtual_card_farm';

/** account → planted group, for the groups that are not ordinary households or organic users. */
function plantedGroups(weekDir: string): Map<string, string> {
  const rows = parse(fs.readFileSync(path.join(weekDir, 'truth/members.csv'), 'utf8'), { columns: true }) as { account_id: string; group: string; kind: string }[];
  const groups = new Map<string, string>();
  for (const row of rows) if (!['household', 'organic', 'bystander'].includes(row.kind)) groups.set(row.account_id, row.group);
  return groups;
}

/** A DetectionEngine that returns the planted groups as clusters (Partition order: size desc, then smallest member id). */
function truthEngine(groups: Map<string, string>): DetectionEngine {
  return async (world) => {
    const byGroup = new Map<string, number[]>();
    for (let account = 0; account < world.accounts.size; account++) {
      const group = groups.get(world.accounts.ids[account]);
      if (group === undefined) continue;
      if (!byGroup.has(group)) byGroup.set(group, []);
      byGroup.get(group)!.push(account);
    }
    const smallest = (members: number[]) => members.map((a) => world.accounts.ids[a]).sort()[0];
    const ordered = [...byGroup.entries()].sort((a, b) => b[1].length - a[1].length || (smallest(a[1]) < smallest(b[1]) ? -1 : 1));
    const accountCluster = new Int32Array(world.accounts.size).fill(-1);
    const clusters: DetectedCluster[] = ordered.map(([group, members], index) => {
      for (const account of members) accountCluster[account] = index;
      return {
        accounts: Int32Array.from(members),
        roles: new Uint8Array(members.length).fill(1),
        evidence: members.map(() => `planted group ${group}`),
        identifiers: [],
        links: 0,
        subclusters: 1,
      };
    });
    const partition: Partition = {
      algorithm: 'leiden',
      resolution: 1,
      seed: 0,
      modularity: 0,
      accountCluster,
      clusters,
      hubs: [],
      parameters: { engine: 'planted truth (test)' },
      stats: { seconds: 0, components: clusters.length, communities: clusters.length, levels: 0, iterations: 0 },
    };
    return partition;
  };
}

let truth1: Map<string, string>;
let truth2: Map<string, string>;

beforeAll(async () => {
  for (const week of [1, 2]) await generateWorld({ out: path.join(root, `week${week}`), accounts: ACCOUNTS, week, seed: 5 });
  truth1 = plantedGroups(path.join(root, 'week1'));
  truth2 = plantedGroups(path.join(root, 'week2'));
});

async function twoWeeks(label: string, engineFor: (truth: Map<string, string>) => DetectionEngine | undefined): Promise<[SweepResult, SweepResult]> {
  const stateDir = path.join(root, label, 'state');
  const results: SweepResult[] = [];
  for (const [week, truth] of [[1, truth1], [2, truth2]] as const) {
    results.push(
      await runSweepWithHistory(
        runSweep,
        { inputDir: path.join(root, `week${week}`), outDir: path.join(root, label, `sweep${week}`), engine: engineFor(truth), progress: false },
        { stateDir },
      ),
    );
  }
  return [results[0], results[1]];
}

/** The cluster id holding the most accounts of a planted group, from a sweep's members. */
function clusterOfGroup(result: SweepResult, truth: Map<string, string>, group: string): { id: string; share: number } {
  const counts = new Map<string, number>();
  let groupSize = 0;
  result.report.clusters.forEach((cluster) => counts.set(cluster.cluster_id, 0));
  result.partition.clusters.forEach((cluster, index) => {
    const id = result.report.clusters.find((profile) => profile.partition_index === index)!.cluster_id;
    for (const account of cluster.accounts) if (truth.get(result.world.accounts.ids[account]) === group) counts.set(id, counts.get(id)! + 1);
  });
  for (const planted of truth.values()) if (planted === group) groupSize++;
  const [id, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return { id, share: count / groupSize };
}

/**
 * A copy of week 1 with every line of every contract file passed through `rewrite` (given the line and its
 * account id, the first field; null drops the line). Returns the new world's folder.
 */
function rewriteWeek1(name: string, rewrite: (line: string, account: string) => string | null): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const file of ['accounts.csv', 'payment_instruments.csv', 'ip_addresses.csv', 'fingerprints.csv', 'exchanges.csv']) {
    const lines = fs.readFileSync(path.join(root, 'week1', file), 'utf8').split('\n');
    const kept = lines.map((line) => rewrite(line, line.slice(0, Math.max(0, line.indexOf(','))))).filter((line): line is string => line !== null);
    fs.writeFileSync(path.join(dir, file), kept.join('\n'));
  }
  return dir;
}

function eventOf(result: SweepResult, clusterId: string): ClusterEvent {
  const event = (result.report.since_last_sweep as SinceLastSweep).events.find((candidate) => candidate.cluster_id === clusterId);
  if (!event) throw new Error(`no event for ${clusterId}`);
  return event;
}

describe('two generated weeks, planted groups as clusters', () => {
  it('keeps the big swarm id with `grown`, calls the new swarm `new` and continuing groups `unchanged`', async () => {
    const [week1, week2] = await twoWeeks('truth', (truth) => truthEngine(truth));
    const big1 = clusterOfGroup(week1, truth1, BIG_SWARM);
    const big2 = clusterOfGroup(week2, truth2, BIG_SWARM);
    expect(big2.id).toBe(big1.id);
    const bigEvent = eventOf(week2, big2.id);
    expect(bigEvent.event).toBe('grown');
    expect(bigEvent.accounts_after / bigEvent.accounts_before).toBeCloseTo(1.2, 1);
    expect(bigEvent.left).toBe(0);

    const fresh = clusterOfGroup(week2, truth2, NEW_SWARM);
    expect(eventOf(week2, fresh.id)).toMatchObject({ event: 'new', accounts_before: 0 });
    const knownIds = new Set(week1.report.clusters.map((cluster) => cluster.cluster_id));
    expect(knownIds.has(fresh.id)).toBe(false);

    for (const group of ['campus_01', 'enterprise_team_01', 'swarm_datacenter', 'swarm_payment_ring']) {
      const before = clusterOfGroup(week1, truth1, group);
      const after = clusterOfGroup(week2, truth2, group);
      expect([group, after.id]).toEqual([group, before.id]);
      expect([group, eventOf(week2, after.id).event]).toEqual([group, 'unchanged']);
    }
    const counts = (week2.report.since_last_sweep as SinceLastSweep).counts;
    expect(counts.dormant).toBe(0);
    // The report renders the section (terminal table comes from the same data).
    expect(fs.readFileSync(path.join(week2.dir, 'report.md'), 'utf8')).toContain(`| ${big2.id} | grown |`);
    expect(fs.readFileSync(path.join(week2.dir, 'report.html'), 'utf8')).toContain('<section id="since-last-sweep">');
  });
});

describe('two generated weeks, the embedded detection engine', () => {
  it('keeps the big swarm id with `grown` and reports its new accounts as joined; the new swarm is new; the team is unchanged', async () => {
    const [week1, week2] = await twoWeeks('embedded', () => undefined);
    const big1 = clusterOfGroup(week1, truth1, BIG_SWARM);
    const big2 = clusterOfGroup(week2, truth2, BIG_SWARM);
    expect(big1.share).toBeGreaterThan(0.9);
    expect(big2.share).toBeGreaterThan(0.9);
    expect(big2.id).toBe(big1.id);
    const bigEvent = eventOf(week2, big2.id);
    expect(bigEvent.event).toBe('grown');
    const newSwarmAccounts = [...truth2].filter(([account, group]) => group === BIG_SWARM && truth1.get(account) !== BIG_SWARM).length;
    expect(bigEvent.joined).toBeGreaterThanOrEqual(0.9 * newSwarmAccounts);

    const fresh = clusterOfGroup(week2, truth2, NEW_SWARM);
    expect(fresh.share).toBeGreaterThan(0.9);
    expect(eventOf(week2, fresh.id).event).toBe('new');

    const team1 = clusterOfGroup(week1, truth1, 'enterprise_team_01');
    const team2 = clusterOfGroup(week2, truth2, 'enterprise_team_01');
    expect(team2.id).toBe(team1.id);
    expect(eventOf(week2, team2.id).event).toBe('unchanged');
  });
});

describe('a swarm rebuilt on fresh accounts, the embedded detection engine', () => {
  it('is new, linked to the confirmed campaign whose cards and fingerprints it reuses, which alerts', async () => {
    // Week 1 again, but every payment-ring account replaced by a fresh account on the same cards, fingerprints and IPs.
    const ring = new Set([...truth1].filter(([, group]) => group === 'swarm_payment_ring').map(([account]) => account));
    const rotated = rewriteWeek1('rotated', (line, account) => (ring.has(account) ? `fresh_${line}` : line));
    const stateDir = path.join(root, 'rotation', 'state');
    const first = await runSweepWithHistory(runSweep, { inputDir: path.join(root, 'week1'), outDir: path.join(root, 'rotation', 'sweep1'), progress: false }, { stateDir });
    const ringCluster = clusterOfGroup(first, truth1, 'swarm_payment_ring');
    expect(ringCluster.share).toBeGreaterThan(0.9);
    recordCaseDecision(stateDir, { clusterId: ringCluster.id, status: 'confirmed', note: 'payment ring', by: 'test' });

    const second = await runSweepWithHistory(runSweep, { inputDir: rotated, outDir: path.join(root, 'rotation', 'sweep2'), progress: false }, { stateDir });
    const freshTruth = new Map([...ring].map((account) => [`fresh_${account}`, 'swarm_payment_ring']));
    const rebuilt = clusterOfGroup(second, freshTruth, 'swarm_payment_ring');
    expect(rebuilt.share).toBeGreaterThan(0.9);
    expect(rebuilt.id).not.toBe(ringCluster.id);
    const event = eventOf(second, rebuilt.id);
    expect(event.event).toBe('new');
    expect(event.identifier_links?.[0]).toMatchObject({ cluster_id: ringCluster.id, sweep_id: first.report.sweep.id });
    expect(event.identifier_links![0].shared_instruments + event.identifier_links![0].shared_fingerprints).toBeGreaterThanOrEqual(3);
    expect(eventOf(second, ringCluster.id).event).toBe('dormant');
    const alerts = (second.report.since_last_sweep as SinceLastSweep).alerts;
    expect(alerts.find((alert) => alert.cluster_id === rebuilt.id)).toMatchObject({ kind: 'confirmed_identifiers_reused', case_cluster_id: ringCluster.id });
  });
});

describe('a swarm that pauses for a week, the embedded detection engine', () => {
  it('goes dormant, then returns under its old id with its confirmed case (returned), and the ban list covers its newcomers', async () => {
    // Week 1; then week 1 without any payment-ring row (paused); then week 1 again (back).
    const ring = new Set([...truth1].filter(([, group]) => group === 'swarm_payment_ring').map(([account]) => account));
    const paused = rewriteWeek1('paused', (line, account) => (ring.has(account) ? null : line));
    const stateDir = path.join(root, 'pause', 'state');
    const sweepOf = (input: string, label: string) =>
      runSweepWithHistory(runSweep, { inputDir: input, outDir: path.join(root, 'pause', label), progress: false }, { stateDir });
    const first = await sweepOf(path.join(root, 'week1'), 'sweep1');
    const ringCluster = clusterOfGroup(first, truth1, 'swarm_payment_ring');
    expect(ringCluster.share).toBeGreaterThan(0.9);
    recordCaseDecision(stateDir, { clusterId: ringCluster.id, status: 'confirmed', note: 'payment ring', by: 'test' });
    const gap = await sweepOf(paused, 'sweep2');
    expect(eventOf(gap, ringCluster.id).event).toBe('dormant');
    const back = await sweepOf(path.join(root, 'week1'), 'sweep3');
    expect(clusterOfGroup(back, truth1, 'swarm_payment_ring').id).toBe(ringCluster.id);
    expect(eventOf(back, ringCluster.id)).toMatchObject({ event: 'returned', last_seen_sweep: first.report.sweep.id, joined: 0, left: 0 });
    // Nothing new joined, so a confirmed campaign coming back unchanged raises no alert of its own.
    expect((back.report.since_last_sweep as SinceLastSweep).alerts.filter((alert) => alert.cluster_id === ringCluster.id)).toEqual([]);
  });
});
