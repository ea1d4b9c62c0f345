/**
 * A whole sweep (real importer, real detection, scoring, rendering, saving) on a generated world with planted
 * swarms, enterprise teams, a campus, households and VPN users. The truth files are read only by the test.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadSweep } from '../../src/sweep/load';
import { runSweep } from '../../src/sweep/run';
import { RENDERERS } from '../../src/report';
import type { SweepResult } from '../../src/sweep/types';
import { exchangesPerAccount, generateSmallWorld, HUB_LIMIT, readTruth, tempDir } from './support';

let root: string;
let worldDir: string;
let result: SweepResult;

beforeAll(async () => {
  root = tempDir();
  worldDir = await generateSmallWorld(path.join(root, 'world'));
  result = await runSweep({ inputDir: worldDir, outDir: path.join(root, 'sweep'), hubLimit: HUB_LIMIT, seed: 1 });
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Each cluster's majority truth group. */
function majorityGroups(): Map<string, { group: string; share: number }> {
  const { groupOf } = readTruth(worldDir);
  const counts = new Map<string, Map<string, number>>();
  for (const row of loadSweep(result.dir).members()) {
    const group = groupOf.get(row.account_id) ?? '?';
    const inner = counts.get(row.cluster_id) ?? new Map<string, number>();
    inner.set(group, (inner.get(group) ?? 0) + 1);
    counts.set(row.cluster_id, inner);
  }
  const out = new Map<string, { group: string; share: number }>();
  for (const [cluster, inner] of counts) {
    const total = [...inner.values()].reduce((s, v) => s + v, 0);
    const [group, n] = [...inner.entries()].sort((x, y) => y[1] - x[1])[0];
    out.set(cluster, { group, share: n / total });
  }
  return out;
}

test('every planted swarm ranks above every legitimate dense group, with reasons that separate them', () => {
  const { legitimate, kind } = readTruth(worldDir);
  const majority = majorityGroups();
  const clusters = result.report.clusters;
  const swarms = clusters.filter((c) => legitimate.get(majority.get(c.cluster_id)!.group) === false);
  const legit = clusters.filter((c) => legitimate.get(majority.get(c.cluster_id)!.group) === true);
  const plantedSwarms = [...legitimate.entries()].filter(([, isLegit]) => !isLegit).map(([name]) => name);
  // Each planted swarm is the majority of some cluster.
  for (const name of plantedSwarms) expect(swarms.map((c) => majority.get(c.cluster_id)!.group)).toContain(name);
  const lowestSwarm = Math.min(...swarms.map((c) => c.risk));
  const highestLegit = Math.max(...legit.map((c) => c.risk));
  expect(lowestSwarm).toBeGreaterThan(highestLegit);
  for (const c of swarms) expect(c.tier).toBe('high');
  for (const c of legit) expect(c.tier).toBe('low');

  // Why: swarms pool prepaid cards or share automation fingerprints; enterprise teams pay with a corporate card
  // on their own email domain; nothing legitimate shows shared automation tooling.
  for (const c of swarms) {
    const codes = c.reasons.filter((r) => r.points > 0).map((r) => r.code);
    expect(codes.some((code) => code === 'SHARED_PREPAID_CARDS' || code === 'AUTOMATION_FINGERPRINTS')).toBe(true);
    expect(codes).toContain('CAPABILITY_TARGETING');
  }
  const teams = legit.filter((c) => kind.get(majority.get(c.cluster_id)!.group) === 'enterprise_team');
  expect(teams.length).toBeGreaterThan(0);
  for (const c of teams) {
    const codes = c.reasons.map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['CORPORATE_CARD', 'ORGANISATION_EMAIL_DOMAIN']));
    expect(codes).not.toContain('SHARED_PREPAID_CARDS');
    expect(codes).not.toContain('AUTOMATION_FINGERPRINTS');
  }
});

test('totals reconcile exactly with exchanges.csv, counted independently', () => {
  const perAccount = exchangesPerAccount(worldDir);
  const csvTotal = [...perAccount.values()].reduce((s, v) => s + v, 0);
  const { totals, clusters } = result.report;
  expect(totals.exchanges).toBe(csvTotal);
  expect(totals.clustered_exchanges + totals.unclustered_exchanges).toBe(csvTotal);
  expect(clusters.reduce((s, c) => s + c.exchanges, 0)).toBe(totals.clustered_exchanges);
  const members = loadSweep(result.dir).members();
  const sums = new Map<string, number>();
  const clustered = new Set<string>();
  for (const row of members) {
    clustered.add(row.account_id);
    sums.set(row.cluster_id, (sums.get(row.cluster_id) ?? 0) + (perAccount.get(row.account_id) ?? 0));
  }
  for (const c of clusters) expect(c.exchanges).toBe(sums.get(c.cluster_id) ?? 0);
  let unclustered = 0;
  for (const [account, n] of perAccount) if (!clustered.has(account)) unclustered += n;
  expect(totals.unclustered_exchanges).toBe(unclustered);
  // One members.csv row per clustered account, and every cluster's members counted.
  expect(members.length).toBe(clustered.size);
  expect(members.length).toBe(totals.clustered_accounts);
});

test('the saved sweep is complete, re-renders byte for byte, and its world snapshot loads', () => {
  const saved = loadSweep(result.dir);
  expect(fs.readdirSync(result.dir).sort()).toEqual(['checksums.sha256', 'clusters.csv', 'members.csv', 'rejects.csv', 'report.html', 'report.json', 'report.md', 'world.snapshot']);
  expect(fs.readdirSync(root).filter((name) => name.includes('.tmp-'))).toEqual([]);
  expect(RENDERERS.json({ report: saved.report })).toBe(fs.readFileSync(saved.file('report'), 'utf8'));
  expect(RENDERERS.md({ report: saved.report })).toBe(fs.readFileSync(saved.file('markdown'), 'utf8'));
  expect(RENDERERS.html({ report: saved.report })).toBe(fs.readFileSync(saved.file('html'), 'utf8'));
  expect(RENDERERS.csv({ report: saved.report })).toBe(fs.readFileSync(saved.file('clusters'), 'utf8'));
  const world = saved.world();
  expect(world.accounts.size).toBe(result.report.totals.accounts);
  expect(world.exchanges.totals.exchanges).toBe(result.report.totals.exchanges);
  // Provenance: every input file with its SHA-256, and the stage times.
  const accounts = saved.report.sweep.input_files.find((f) => f.file === 'accounts.csv')!;
  expect(accounts.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(saved.report.sweep.stages.total).toBeGreaterThan(0);
  expect(saved.report.sweep.parameters.detection).toMatchObject({ algorithm: 'leiden', seed: 1 });
});

test('the same input and seed give the same cluster ids and members; a failed sweep leaves the previous one whole', async () => {
  const again = await runSweep({ inputDir: worldDir, outDir: path.join(root, 'sweep-again'), hubLimit: HUB_LIMIT, seed: 1 });
  expect(again.report.clusters.map((c) => [c.cluster_id, c.accounts, c.risk])).toEqual(result.report.clusters.map((c) => [c.cluster_id, c.accounts, c.risk]));
  expect(fs.readFileSync(path.join(again.dir, 'members.csv'), 'utf8')).toBe(fs.readFileSync(path.join(result.dir, 'members.csv'), 'utf8'));

  const before = fs.readFileSync(path.join(again.dir, 'report.json'), 'utf8');
  await expect(
    runSweep({
      inputDir: worldDir,
      outDir: again.dir,
      engine: async () => {
        throw new Error('engine crashed half-way');
      },
    }),
  ).rejects.toThrow('engine crashed half-way');
  expect(fs.readFileSync(path.join(again.dir, 'report.json'), 'utf8')).toBe(before);
  expect(fs.readdirSync(root).filter((name) => name.includes('.tmp-'))).toEqual([]);
}, 120_000);
