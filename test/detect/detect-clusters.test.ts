/**
 * detectClusters end to end: the synthetic world (built here, independent of the generator), the hand-made
 * fixtures/small-world, and a generated world imported by the real importer. Truth files are read only by
 * these tests, never by detection.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Partition } from '../../src/core/partition';
import type { World } from '../../src/core/world';
import { detectClusters, embeddedEngine } from '../../src/detect/detect-clusters';
import { generateWorld } from '../../src/generate';
import { importWorld } from '../../src/ingest';
import { assertConnectedThroughSharedIdentifiers, memberSets } from './assertions';
import { jaccard, syntheticWorld } from './synthetic-world';

const FIXTURE = path.resolve(__dirname, '../../fixtures/small-world');

function assertWellFormed(world: World, partition: Partition, minClusterSize: number): void {
  const seen = new Int32Array(world.accounts.size).fill(-1);
  partition.clusters.forEach((cluster, index) => {
    expect(cluster.accounts.length).toBeGreaterThanOrEqual(minClusterSize);
    expect(cluster.roles).toHaveLength(cluster.accounts.length);
    expect(cluster.evidence).toHaveLength(cluster.accounts.length);
    for (let i = 0; i < cluster.accounts.length; i++) {
      if (i > 0) expect(cluster.accounts[i]).toBeGreaterThan(cluster.accounts[i - 1]);
      expect(seen[cluster.accounts[i]]).toBe(-1);
      seen[cluster.accounts[i]] = index;
      expect(cluster.evidence[i]).toMatch(/^shares /);
    }
    if (index > 0) {
      const previous = partition.clusters[index - 1];
      const firstId = (c: typeof cluster) => Array.from(c.accounts, (a) => world.accounts.ids[a]).sort()[0];
      expect(
        previous.accounts.length > cluster.accounts.length ||
          (previous.accounts.length === cluster.accounts.length && firstId(previous) < firstId(cluster)),
      ).toBe(true);
    }
  });
  expect(Array.from(partition.accountCluster)).toEqual(Array.from(seen));
}

describe('detectClusters on a synthetic world with a swarm and its traps', () => {
  const fixture = syntheticWorld({ swarm: 1500, legit: 8000, seed: 7 });
  const partition = detectClusters(fixture.world);
  const sets = memberSets(fixture.world, partition);

  it('reports the swarm whole, as one cluster made of several Leiden modules', () => {
    const best = sets.findIndex((s) => jaccard(s, fixture.swarm) >= 0.95);
    expect(best).toBe(0);
    expect(partition.clusters[0].subclusters).toBeGreaterThan(1);
  });

  it('leaves out every bystander whose only tie is a shared proxy exit, and the mobile NAT and campus crowds', () => {
    for (const s of sets) for (const b of fixture.bystanders) expect(s.has(b)).toBe(false);
    const campusOrMobileOnly = sets.filter((s) => [...s].every((a) => a.startsWith('u')) && s.size > 5);
    expect(campusOrMobileOnly).toEqual([]);
  });

  it('reports the enterprise team (a real group; scoring, not detection, rates it low)', () => {
    expect(sets.some((s) => jaccard(s, fixture.team) === 1)).toBe(true);
  });

  it('says why each member is in, with identifiers and numbers', () => {
    const swarm = partition.clusters[0];
    expect(swarm.evidence[0]).toMatch(/^shares (proxy fingerprint fp_auto_\d+|prepaid_card pc_\d+) with [\d,]+ other members/);
    expect(swarm.identifiers[0].members).toBeGreaterThan(100);
    expect(swarm.links).toBeGreaterThan(swarm.accounts.length);
  });

  it('is well formed: sorted, disjoint, accountCluster consistent, every cluster connected through shared identifiers', () => {
    assertWellFormed(fixture.world, partition, 3);
    assertConnectedThroughSharedIdentifiers(fixture.world, partition);
  });

  it('lists the hubs with their degree and records every parameter used', () => {
    expect(partition.hubs.map((h) => h.id)).toContain('tls_chrome');
    expect(partition.hubs.find((h) => h.id === 'tls_chrome')?.degree).toBeGreaterThan(1000);
    for (const key of ['resolution', 'seed', 'randomness', 'specificity', 'hubLimit', 'spreadGroups', 'minClusterSize', 'concentration', 'definingSpecificity', 'ownGroupIdentifiers']) {
      expect(partition.parameters).toHaveProperty(key);
    }
    expect(partition.algorithm).toBe('leiden');
    expect(partition.stats.communities).toBeGreaterThan(partition.clusters.length);
  });

  it('is deterministic for a seed; the Louvain engine finds the same swarm', async () => {
    const again = await embeddedEngine(fixture.world, { seed: 42, unrelatedSweepOption: true });
    expect(again.clusters.map((c) => Array.from(c.accounts))).toEqual(partition.clusters.map((c) => Array.from(c.accounts)));
    const louvain = detectClusters(fixture.world, { algorithm: 'louvain' });
    expect(louvain.algorithm).toBe('louvain');
    expect(memberSets(fixture.world, louvain).some((s) => jaccard(s, fixture.swarm) >= 0.95)).toBe(true);
  });

  it('honours minClusterSize and rejects bad options with the value', () => {
    const big = detectClusters(fixture.world, { minClusterSize: 40 });
    expect(big.clusters.every((c) => c.accounts.length >= 40)).toBe(true);
    expect(big.accountCluster.filter((c) => c >= 0).length).toBe(big.clusters.reduce((n, c) => n + c.accounts.length, 0));
    expect(() => detectClusters(fixture.world, { minClusterSize: 1 })).toThrow('minClusterSize must be an integer ≥ 2, got 1');
  });
});

describe('detectClusters on fixtures/small-world (expected-clusters.json)', () => {
  const expected = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'expected-clusters.json'), 'utf8')) as {
    hubs: { kind: string; id: string }[];
    clusters: { name: string; kind: string; members: string[]; excluded?: { account: string }[] }[];
  };
  let world: World;
  let partition: Partition;
  beforeAll(async () => {
    world = await importWorld({ inputDir: FIXTURE });
    partition = detectClusters(world);
  });

  it('drops exactly the three hubs the fixture names', () => {
    expect(partition.hubs.map((h) => `${h.kind}:${h.id}`).sort()).toEqual(expected.hubs.map((h) => `${h.kind}:${h.id}`).sort());
  });

  it('finds both swarms exactly, without the bystanders, and the enterprise team', () => {
    const sets = memberSets(world, partition).map((s) => [...s].sort().join(' '));
    for (const cluster of expected.clusters.filter((c) => c.kind === 'swarm' || c.kind === 'enterprise_team')) {
      expect(sets).toContain([...cluster.members].sort().join(' '));
    }
    const excluded = expected.clusters.flatMap((c) => c.excluded ?? []).map((e) => e.account);
    expect(excluded).toEqual(['acct_bystander_01', 'acct_bystander_02']);
    for (const account of excluded) expect(partition.accountCluster[world.accounts.ids.indexOf(account)]).toBe(-1);
  });

  it('keeps the camouflaged acct_swarm_08 (own card; tied by a proxy exit and the automation fingerprint)', () => {
    const a = world.accounts.ids.indexOf('acct_swarm_08');
    const cluster = partition.clusters[partition.accountCluster[a]];
    const evidence = cluster.evidence[Array.from(cluster.accounts).indexOf(a)];
    expect(evidence).toContain('fp_automation_X with 7 other members');
  });

  it('does not report the VPN exit users or the households as swarms of their own', () => {
    for (const id of ['acct_vpn_01', 'acct_vpn_02', 'acct_single_04', 'acct_single_01']) {
      expect(partition.accountCluster[world.accounts.ids.indexOf(id)]).toBe(-1);
    }
    assertWellFormed(world, partition, 3);
    assertConnectedThroughSharedIdentifiers(world, partition);
  });
});

describe('detectClusters on a generated 10,000-account world (generator + importer)', () => {
  let world: World;
  let partition: Partition;
  let truth: Map<string, { group: string; kind: string }>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-detect-'));
  beforeAll(async () => {
    await generateWorld({ out: dir, accounts: 10_000, seed: 5 });
    world = await importWorld({ inputDir: dir });
    partition = detectClusters(world);
    truth = new Map(
      fs
        .readFileSync(path.join(dir, 'truth', 'members.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(','))
        .map(([account, group, kind]) => [account, { group, kind }]),
    );
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('matches each planted swarm with one cluster at Jaccard ≥ 0.95', () => {
    const swarms = new Map<string, Set<string>>();
    for (const [account, { group, kind }] of truth) {
      if (kind !== 'swarm') continue;
      if (!swarms.has(group)) swarms.set(group, new Set());
      (swarms.get(group) as Set<string>).add(account);
    }
    expect(swarms.size).toBeGreaterThanOrEqual(3);
    const sets = memberSets(world, partition);
    for (const members of swarms.values()) {
      expect(Math.max(...sets.map((s) => jaccard(s, members)))).toBeGreaterThanOrEqual(0.95);
    }
  });

  it("puts no bystander in a swarm's cluster (a bystander household may be a small cluster of its own)", () => {
    const bystanders = [...truth].filter(([, t]) => t.kind === 'bystander').map(([account]) => account);
    expect(bystanders.length).toBeGreaterThan(0);
    const swarmClusters = new Set<number>();
    for (const [account, { kind }] of truth) {
      const c = partition.accountCluster[world.accounts.ids.indexOf(account)];
      if (kind === 'swarm' && c >= 0) swarmClusters.add(c);
    }
    for (const account of bystanders) {
      const c = partition.accountCluster[world.accounts.ids.indexOf(account)];
      expect(swarmClusters.has(c)).toBe(false);
      if (c >= 0) {
        const members = Array.from(partition.clusters[c].accounts, (a) => truth.get(world.accounts.ids[a])?.kind);
        expect(members.every((kind) => kind === 'bystander')).toBe(true);
      }
    }
  });

  it('keeps every cluster connected through shared identifiers', () => {
    assertWellFormed(world, partition, 3);
    assertConnectedThroughSharedIdentifiers(world, partition);
  });
});
