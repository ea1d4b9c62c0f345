/**
 * Small Worlds and Partitions built by hand for score/report/sweep tests, independent of the importer and
 * detection: rows in, the World's typed arrays out (links merged and sorted, exchanges aggregated per
 * account/day/capability exactly as the World contract says).
 */
import {
  FINGERPRINT_KINDS,
  IDENTIFIER_KINDS,
  emptyActivity,
  INSTRUMENT_KINDS,
  MS_PER_DAY,
  type ContractFile,
  type FileSummary,
  type IdentifierKind,
  type World,
} from '../../src/core/world';
import type { DetectedCluster, Partition, SharedIdentifier } from '../../src/core/partition';

export interface AccountRow { id: string; created?: string | number; domain?: string; country?: string }
export interface InstrumentRow { account: string; id: string; kind: (typeof INSTRUMENT_KINDS)[number] }
export interface IpRow { account: string; ip: string; asn?: string; proxy?: boolean; requests?: number }
export interface FingerprintRow { account: string; id: string; kind: (typeof FINGERPRINT_KINDS)[number] }
export interface ExchangeRow { account: string; day: number; capability: string; count?: number; input?: number; output?: number }

export interface WorldRows {
  accounts: AccountRow[];
  instruments?: InstrumentRow[];
  ips?: IpRow[];
  fingerprints?: FingerprintRow[];
  exchanges?: ExchangeRow[];
}

export function buildWorld(rows: WorldRows): World {
  const ids: string[] = [];
  const idIndex = new Map<string, number>();
  const registered: number[] = [];
  const created: number[] = [];
  const domainOf: number[] = [];
  const domains: string[] = [];
  const intern = (account: string, isRegistered: boolean): number => {
    let a = idIndex.get(account);
    if (a === undefined) {
      a = ids.length;
      idIndex.set(account, a);
      ids.push(account);
      registered.push(0);
      created.push(NaN);
      domainOf.push(-1);
    }
    if (isRegistered) registered[a] = 1;
    return a;
  };
  for (const row of rows.accounts) {
    const a = intern(row.id, true);
    created[a] = row.created === undefined ? NaN : typeof row.created === 'number' ? row.created : Date.parse(row.created);
    if (row.domain) {
      let d = domains.indexOf(row.domain);
      if (d < 0) d = domains.push(row.domain) - 1;
      domainOf[a] = d;
    }
  }

  const tables = {} as World['identifiers'];
  const linkTables = {} as World['links'];
  const buildKind = (kind: IdentifierKind, list: { account: string; id: string; subkind: number; asn?: string; proxy?: boolean; count: number }[]) => {
    const identifierIds: string[] = [];
    const identifierIndex = new Map<string, number>();
    const subkind: number[] = [];
    const asnOf: number[] = [];
    const proxy: number[] = [];
    const asns: string[] = [];
    const pairs = new Map<string, { account: number; identifier: number; count: number; rows: number }>();
    for (const row of list) {
      const a = intern(row.account, false);
      let i = identifierIndex.get(row.id);
      if (i === undefined) {
        i = identifierIds.push(row.id) - 1;
        identifierIndex.set(row.id, i);
        subkind.push(row.subkind);
        let asn = -1;
        if (row.asn !== undefined) {
          asn = asns.indexOf(row.asn);
          if (asn < 0) asn = asns.push(row.asn) - 1;
        }
        asnOf.push(asn);
        proxy.push(row.proxy === undefined ? -1 : row.proxy ? 1 : 0);
      }
      const key = `${a}:${i}`;
      const pair = pairs.get(key);
      if (pair) {
        pair.count += row.count;
        pair.rows++;
      } else pairs.set(key, { account: a, identifier: i, count: row.count, rows: 1 });
    }
    const sorted = [...pairs.values()].sort((x, y) => x.account - y.account || x.identifier - y.identifier);
    tables[kind] = {
      kind,
      size: identifierIds.length,
      ids: identifierIds,
      subkind: Uint8Array.from(subkind),
      asn: kind === 'ip' ? Int32Array.from(asnOf) : new Int32Array(0),
      asns: kind === 'ip' ? asns : [],
      proxy: kind === 'ip' ? Int8Array.from(proxy) : new Int8Array(0),
    };
    linkTables[kind] = {
      kind,
      size: sorted.length,
      account: Int32Array.from(sorted, (p) => p.account),
      identifier: Int32Array.from(sorted, (p) => p.identifier),
      firstSeen: new Float64Array(sorted.length).fill(NaN),
      lastSeen: new Float64Array(sorted.length).fill(NaN),
      count: Float64Array.from(sorted, (p) => p.count),
      rows: Int32Array.from(sorted, (p) => p.rows),
    };
  };
  buildKind('instrument', (rows.instruments ?? []).map((r) => ({ account: r.account, id: r.id, subkind: INSTRUMENT_KINDS.indexOf(r.kind), count: 1 })));
  buildKind('ip', (rows.ips ?? []).map((r) => ({ account: r.account, id: r.ip, subkind: r.ip.includes(':') ? 1 : 0, asn: r.asn, proxy: r.proxy, count: r.requests ?? 1 })));
  buildKind('fingerprint', (rows.fingerprints ?? []).map((r) => ({ account: r.account, id: r.id, subkind: FINGERPRINT_KINDS.indexOf(r.kind), count: 1 })));
  buildKind('template', []);
  buildKind('client', []);
  buildKind('synchrony', []);

  const capabilities: string[] = [];
  const cells = new Map<string, { account: number; day: number; capability: number; count: number; input: number; output: number }>();
  let rowCount = 0;
  for (const row of rows.exchanges ?? []) {
    rowCount++;
    const a = intern(row.account, false);
    let c = capabilities.indexOf(row.capability);
    if (c < 0) c = capabilities.push(row.capability) - 1;
    const key = `${a}:${row.day}:${c}`;
    const cell = cells.get(key) ?? { account: a, day: row.day, capability: c, count: 0, input: 0, output: 0 };
    cell.count += row.count ?? 1;
    cell.input += row.input ?? 0;
    cell.output += row.output ?? 0;
    cells.set(key, cell);
  }
  const sortedCells = [...cells.values()].sort((x, y) => x.account - y.account || x.day - y.day || x.capability - y.capability);
  const accountOffsets = new Int32Array(ids.length + 1);
  for (const cell of sortedCells) accountOffsets[cell.account + 1]++;
  for (let a = 0; a < ids.length; a++) accountOffsets[a + 1] += accountOffsets[a];
  const totals = { rows: rowCount, exchanges: 0, inputTokens: 0, outputTokens: 0 };
  for (const cell of sortedCells) {
    totals.exchanges += cell.count;
    totals.inputTokens += cell.input;
    totals.outputTokens += cell.output;
  }

  const file = (name: ContractFile): FileSummary => ({
    file: name, present: true, path: `/fixture/${name}`, bytes: 0, sha256: '0'.repeat(64),
    rows_read: 0, rows_loaded: 0, rows_rejected: 0, unknown_columns: [],
  });
  const registeredCount = registered.reduce((s, r) => s + r, 0);
  return {
    accounts: {
      size: ids.length,
      ids,
      registered: Uint8Array.from(registered),
      createdAt: Float64Array.from(created),
      emailDomain: Int32Array.from(domainOf),
      emailDomains: domains,
      country: new Int32Array(ids.length).fill(-1),
      countries: [],
      status: new Uint8Array(ids.length),
    },
    identifiers: tables,
    links: linkTables,
    exchanges: {
      capabilities,
      cells: sortedCells.length,
      account: Int32Array.from(sortedCells, (c) => c.account),
      day: Int32Array.from(sortedCells, (c) => c.day),
      capability: Uint16Array.from(sortedCells, (c) => c.capability),
      count: Float64Array.from(sortedCells, (c) => c.count),
      inputTokens: Float64Array.from(sortedCells, (c) => c.input),
      outputTokens: Float64Array.from(sortedCells, (c) => c.output),
      accountOffsets,
      totals,
    },
    activity: emptyActivity(ids.length),
    summary: {
      input_dir: '/fixture',
      files: {
        'accounts.csv': file('accounts.csv'),
        'payment_instruments.csv': file('payment_instruments.csv'),
        'ip_addresses.csv': file('ip_addresses.csv'),
        'fingerprints.csv': file('fingerprints.csv'),
        'exchanges.csv': file('exchanges.csv'),
      },
      accounts: ids.length,
      registered_accounts: registeredCount,
      unregistered_accounts: ids.length - registeredCount,
      identifiers: Object.fromEntries(IDENTIFIER_KINDS.map((kind) => [kind, tables[kind].size])) as Record<IdentifierKind, number>,
      links: Object.fromEntries(IDENTIFIER_KINDS.map((kind) => [kind, linkTables[kind].size])) as Record<IdentifierKind, number>,
      exchanges: {
        rows: rowCount, exchanges: totals.exchanges, input_tokens: totals.inputTokens, output_tokens: totals.outputTokens, capabilities,
        rows_by_resolution: { minute: 0, hour: 0, day: rowCount }, activity_cells: 0,
        synchrony: { windows: 0, spikes: 0, groups: 0, accounts_in_step: 0 },
      },
      rows_read: 0,
      rows_loaded: 0,
      rows_rejected: 0,
      rejects_path: null,
      seconds: 0,
    },
  };
}

/** A Partition whose clusters are the given groups of external account ids (in that order). */
export function partitionOf(world: World, groups: string[][]): Partition {
  const index = new Map(world.accounts.ids.map((id, a) => [id, a]));
  const accountCluster = new Int32Array(world.accounts.size).fill(-1);
  const clusters: DetectedCluster[] = groups.map((group, c) => {
    const accounts = Int32Array.from(group.map((id) => {
      const a = index.get(id);
      if (a === undefined) throw new Error(`partitionOf: unknown account ${id}`);
      accountCluster[a] = c;
      return a;
    })).sort();
    const identifiers: SharedIdentifier[] = [];
    for (const kind of ['instrument', 'ip', 'fingerprint'] as const) {
      const counts = new Map<number, number>();
      const links = world.links[kind];
      for (let l = 0; l < links.size; l++) if (accountCluster[links.account[l]] === c) counts.set(links.identifier[l], (counts.get(links.identifier[l]) ?? 0) + 1);
      for (const [identifier, members] of counts) if (members >= 2) identifiers.push({ kind, identifier, members });
    }
    identifiers.sort((x, y) => y.members - x.members);
    return {
      accounts,
      roles: new Uint8Array(accounts.length),
      evidence: Array.from(accounts, () => 'fixture'),
      identifiers,
      links: 0,
      subclusters: 1,
    };
  });
  return {
    algorithm: 'leiden', resolution: 1, seed: 1, modularity: 0.5, accountCluster, clusters, hubs: [],
    parameters: { fixture: true }, stats: { seconds: 0, components: 0, communities: clusters.length, levels: 1, iterations: 1 },
  };
}

/** Deterministic PRNG (mulberry32) so scenario worlds are the same on every run. */
export function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

export const DAY0 = Date.UTC(2026, 8, 1) / MS_PER_DAY;

/**
 * A scenario in miniature: 300 ordinary accounts, a 60-account distillation swarm (prepaid cards shared by
 * handfuls, residential proxy exits, two automation fingerprints, created in two bursts, coding/agentic mix,
 * heavy daily use), a 40-person enterprise team (one corporate card, office network, device image, coding-heavy,
 * hired over a year), and a 50-student campus behind NAT (one ASN, writing-heavy, light use).
 */
export function scenarioRows(): { rows: WorldRows; groups: Record<'swarm' | 'enterprise' | 'campus', string[]> } {
  const random = rng(7);
  const rows: Required<WorldRows> = { accounts: [], instruments: [], ips: [], fingerprints: [], exchanges: [] };
  const start = Date.UTC(2025, 0, 1);
  const ordinaryMix = ['writing', 'writing', 'software_engineering', 'analysis', 'chat', 'chat', 'agentic_reasoning', 'analysis'];
  for (let i = 0; i < 300; i++) {
    const id = `user-${i}`;
    rows.accounts.push({ id, created: start + random() * 600 * MS_PER_DAY, domain: 'mail.example' });
    rows.instruments.push({ account: id, id: `card-u${i}`, kind: random() < 0.05 ? 'prepaid_card' : 'card' });
    rows.ips.push({ account: id, ip: `10.${i}.0.1`, asn: `AS${1000 + (i % 40)}`, proxy: random() < 0.03 });
    rows.fingerprints.push({ account: id, id: `tls-common-${i % 3}`, kind: 'tls' });
    for (let d = 0; d < 45; d++) {
      if (random() < 0.3) rows.exchanges.push({ account: id, day: DAY0 + d, capability: ordinaryMix[Math.floor(random() * ordinaryMix.length)], count: 1 + Math.floor(random() * 4), input: 500, output: 800 });
    }
  }
  const swarm: string[] = [];
  for (let i = 0; i < 60; i++) {
    const id = `swarm-${i}`;
    swarm.push(id);
    const burst = i < 30 ? Date.UTC(2026, 7, 10) : Date.UTC(2026, 7, 20);
    rows.accounts.push({ id, created: burst + random() * 3 * 3_600_000, domain: i % 2 ? 'mail.example' : 'fastmail.example' });
    rows.instruments.push({ account: id, id: i < 50 ? `prepaid-${Math.floor(i / 5)}` : `card-s${i}`, kind: i < 50 ? 'prepaid_card' : 'card' });
    rows.ips.push({ account: id, ip: `203.0.113.${i % 20}`, asn: `AS${7000 + (i % 12)}`, proxy: true });
    rows.fingerprints.push({ account: id, id: `auto-${i % 2}`, kind: 'proxy' });
    rows.fingerprints.push({ account: id, id: `tls-common-${i % 3}`, kind: 'tls' });
    for (let d = 0; d < 45; d++) {
      rows.exchanges.push({ account: id, day: DAY0 + d, capability: random() < 0.6 ? 'software_engineering' : 'agentic_reasoning', count: 20 + Math.floor(random() * 10), input: 30_000, output: 60_000 });
    }
  }
  const enterprise: string[] = [];
  for (let i = 0; i < 40; i++) {
    const id = `acme-${i}`;
    enterprise.push(id);
    rows.accounts.push({ id, created: start + i * 9 * MS_PER_DAY + random() * MS_PER_DAY, domain: 'acme.example' });
    rows.instruments.push({ account: id, id: 'card-acme-corporate', kind: 'card' });
    rows.ips.push({ account: id, ip: `198.51.100.${i % 4}`, asn: 'AS-ACME', proxy: false });
    rows.fingerprints.push({ account: id, id: 'device-acme-image', kind: 'device' });
    rows.fingerprints.push({ account: id, id: `tls-common-${i % 3}`, kind: 'tls' });
    for (let d = 0; d < 45; d++) {
      if (d % 7 < 5 && random() < 0.8) rows.exchanges.push({ account: id, day: DAY0 + d, capability: random() < 0.7 ? 'software_engineering' : 'analysis', count: 3 + Math.floor(random() * 5), input: 4000, output: 3000 });
    }
  }
  const campus: string[] = [];
  for (let i = 0; i < 50; i++) {
    const id = `student-${i}`;
    campus.push(id);
    rows.accounts.push({ id, created: Date.UTC(2025, 8, 1) + random() * 400 * MS_PER_DAY, domain: 'mail.example' });
    rows.instruments.push({ account: id, id: `card-st${i}`, kind: 'card' });
    rows.ips.push({ account: id, ip: `192.0.2.${i % 3}`, asn: 'AS-CAMPUS', proxy: false });
    rows.fingerprints.push({ account: id, id: `tls-common-${i % 3}`, kind: 'tls' });
    for (let d = 0; d < 45; d++) {
      if (random() < 0.25) rows.exchanges.push({ account: id, day: DAY0 + d, capability: random() < 0.6 ? 'writing' : 'analysis', count: 1 + Math.floor(random() * 3), input: 700, output: 900 });
    }
  }
  return { rows, groups: { swarm, enterprise, campus } };
}
