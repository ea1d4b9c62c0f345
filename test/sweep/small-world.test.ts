/**
 * fixtures/small-world (hand-made, 38 accounts; fixtures/README.md says why each cluster is what it is):
 * the expected clusters come out with the expected risk tiers, and the reasons say why.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runSweep } from '../../src/sweep/run';
import type { SweepResult } from '../../src/sweep/types';
import { ROOT, tempDir } from './support';

interface ExpectedCluster { name: string; legitimate: boolean; expected_risk: 'high' | 'medium' | 'low'; members: string[] }
const FIXTURE = path.join(ROOT, 'fixtures/small-world');
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'expected-clusters.json'), 'utf8')) as { hub_limit: number; clusters: ExpectedCluster[] };

let root: string;
let result: SweepResult;
beforeAll(async () => {
  root = tempDir();
  result = await runSweep({ inputDir: FIXTURE, outDir: path.join(root, 'sweep'), hubLimit: expected.hub_limit });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function clusterOf(members: string[]) {
  const ids = result.partition.clusters.map((c) => new Set(Array.from(c.accounts, (a) => result.world.accounts.ids[a])));
  const index = ids.findIndex((set) => members.every((m) => set.has(m)) && set.size === members.length);
  return index < 0 ? undefined : result.report.clusters.find((c) => c.partition_index === index);
}

test('the swarms are found whole and rated high; the enterprise team, if reported, is rated low', () => {
  for (const cluster of expected.clusters) {
    const found = clusterOf(cluster.members);
    if (cluster.legitimate) {
      // A real group may be reported (the team is as dense as a swarm) but must score low.
      if (found) expect(found.tier).toBe(cluster.expected_risk);
      continue;
    }
    expect(found).toBeDefined();
    expect(found!.tier).toBe(cluster.expected_risk);
  }
  const team = clusterOf(expected.clusters.find((c) => c.name === 'mini_enterprise_team')!.members);
  expect(team).toBeDefined();
  const codes = team!.reasons.map((r) => r.code);
  expect(codes).toEqual(expect.arrayContaining(['CORPORATE_CARD', 'ORGANIC_CREATION_SPREAD', 'ORGANISATION_EMAIL_DOMAIN']));
  const swarm = clusterOf(expected.clusters.find((c) => c.name === 'mini_swarm')!.members)!;
  expect(swarm.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['SHARED_PREPAID_CARDS', 'AUTOMATION_FINGERPRINTS', 'BURST_CREATION']));
  const datacenter = clusterOf(expected.clusters.find((c) => c.name === 'mini_datacenter_swarm')!.members)!;
  expect(datacenter.reasons[0].code).toBe('AUTOMATION_FINGERPRINTS');
  expect(result.report.clusters[0].tier).toBe('high');
  expect(result.report.clusters[1].tier).toBe('high');
});

test('the hubs are reported with their degree, and nothing was rejected', () => {
  expect(result.report.hubs.map((h) => `${h.kind}:${h.id}:${h.degree}`).sort()).toEqual(['fingerprint:fp_tls_chrome_common:30', 'ip:104.28.0.1:13', 'ip:172.56.10.20:11']);
  expect(result.rejectedRows).toBe(0);
  expect(result.report.totals.exchanges).toBe(2936);
  expect(result.report.totals.accounts).toBe(38);
});
