/**
 * A stand-in for runSweep that honours the same contract (SweepOptions seams: assignClusterIds, then
 * sinceLastSweep, then report.json + members.csv in the out dir), so the history can be tested on
 * hand-made weeks without importing CSVs. Each cluster is given as its member account ids, risk and tier.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { csvDocument } from '../../../src/core/csv';
import type { Partition } from '../../../src/core/partition';
import type { World } from '../../../src/core/world';
import type { SweepOptions, SweepReport, SweepResult } from '../../../src/sweep/types';

export interface FakeCluster {
  accounts: string[];
  risk: number;
  tier: 'high' | 'medium' | 'low';
  /** Payment instruments and fingerprints the cluster's accounts use (linked round-robin to its members). */
  instruments?: string[];
  fingerprints?: string[];
}

export interface FakeWeek {
  sweepId: string;
  startedAt?: string;
  clusters: FakeCluster[];
}

function reportFor(week: FakeWeek, ids: string[]): SweepReport {
  const clusters = week.clusters.map((cluster, index) => ({
    cluster_id: ids[index],
    partition_index: index,
    accounts: new Set(cluster.accounts).size,
    risk: cluster.risk,
    tier: cluster.tier,
    reasons: [],
    exchanges: 0,
  }));
  return {
    schema_version: 1,
    sweep: {
      id: week.sweepId,
      started_at: week.startedAt ?? '2026-11-16T06:00:00.000Z',
      input_dir: 'fake',
      input_files: [],
      parameters: { import: {}, detection: {}, scoring: {} },
      software: { name: 'swarmscope', version: 'test' },
      rejects: { rows: 0, file: null },
      stages: { import: 0, detect: 0, profile: 0, render: 0, save: 0, total: 0 },
    },
    totals: {} as SweepReport['totals'],
    detection: {} as SweepReport['detection'],
    baseline: {} as SweepReport['baseline'],
    clusters: clusters as unknown as SweepReport['clusters'],
    hubs: [],
    since_last_sweep: null,
  };
}

/** Writes a saved sweep dir directly (ids given), for diff tests. */
export function writeSweepDir(dir: string, week: FakeWeek, ids: string[]): SweepReport {
  fs.mkdirSync(dir, { recursive: true });
  const report = reportFor(week, ids);
  fs.writeFileSync(path.join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const rows: string[][] = [];
  week.clusters.forEach((cluster, index) => {
    for (const account of cluster.accounts) rows.push([account, ids[index], 'member', 'test']);
  });
  fs.writeFileSync(path.join(dir, 'members.csv'), csvDocument(['account_id', 'cluster_id', 'role', 'evidence'], rows));
  return report;
}

/** Runs one fake week through the sweep seams, like runSweep does. */
export function fakeRunSweep(week: FakeWeek) {
  return async (options: SweepOptions): Promise<SweepResult> => {
    const ids = new Map<string, number>();
    const accountIds: string[] = [];
    for (const cluster of week.clusters) {
      for (const account of cluster.accounts) {
        if (!ids.has(account)) {
          ids.set(account, accountIds.length);
          accountIds.push(account);
        }
      }
    }
    const world = { accounts: { size: accountIds.length, ids: accountIds }, ...fakeLinks(week, ids) } as unknown as World;
    const partition = {
      clusters: week.clusters.map((cluster) => ({ accounts: Int32Array.from(cluster.accounts, (account) => ids.get(account) as number) })),
    } as unknown as Partition;
    const clusterIds = options.assignClusterIds
      ? await options.assignClusterIds({ world, partition })
      : week.clusters.map((_, index) => `C${String(index + 1).padStart(4, '0')}`);
    const report = reportFor(week, clusterIds);
    report.since_last_sweep = options.sinceLastSweep ? await options.sinceLastSweep(report, { world, partition }) : null;
    writeSweepDir(options.outDir, week, clusterIds);
    fs.writeFileSync(path.join(options.outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    return { dir: options.outDir, report, world, partition, rejectedRows: 0 };
  };
}

/** World.identifiers and World.links for the instruments and fingerprints of the week's clusters (IPs: none). */
function fakeLinks(week: FakeWeek, accountNumber: Map<string, number>): Pick<World, 'identifiers' | 'links'> {
  const table = (names: string[]) => ({ size: names.length, ids: names });
  const linkTable = (account: number[], identifier: number[]) => ({ size: account.length, account: Int32Array.from(account), identifier: Int32Array.from(identifier) });
  const build = (pick: (cluster: FakeCluster) => string[] | undefined) => {
    const names: string[] = [];
    const number = new Map<string, number>();
    const account: number[] = [];
    const identifier: number[] = [];
    for (const cluster of week.clusters) {
      (pick(cluster) ?? []).forEach((name, i) => {
        if (!number.has(name)) {
          number.set(name, names.length);
          names.push(name);
        }
        account.push(accountNumber.get(cluster.accounts[i % cluster.accounts.length]) as number);
        identifier.push(number.get(name) as number);
      });
    }
    return { table: table(names), links: linkTable(account, identifier) };
  };
  const instruments = build((cluster) => cluster.instruments);
  const fingerprints = build((cluster) => cluster.fingerprints);
  return {
    identifiers: { instrument: instruments.table, fingerprint: fingerprints.table, ip: table([]) },
    links: { instrument: instruments.links, fingerprint: fingerprints.links, ip: linkTable([], []) },
  } as unknown as Pick<World, 'identifiers' | 'links'>;
}

export function range(prefix: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(`${prefix}${String(i).padStart(5, '0')}`);
  return out;
}

/** Every file under dir (relative path → SHA-256 of its bytes), for byte-identical comparisons. */
export function snapshotTree(dir: string, skip: (relative: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of fs.readdirSync(folder).sort()) {
      const full = path.join(folder, name);
      const relative = path.relative(dir, full);
      if (skip(relative)) continue;
      if (fs.statSync(full).isDirectory()) walk(full);
      else out[relative] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}
