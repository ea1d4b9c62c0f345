/**
 * A small World someone can check by hand, and the EvidenceInput for its one swarm.
 *
 * 40 accounts. The swarm is acct-swarm-01 … acct-swarm-12: all share prepaid card card-prepaid-77 (and the
 * first six also virtual card vcard-5150), they come through two proxy IPs (203.0.113.10, 2001:db8::7) and one
 * automation TLS fingerprint (tls-ja3-bad); each makes 40 "coding" and 10 "agentic" exchanges a day on
 * 2026-01-05 … 2026-01-14 (10 days). acct-swarm-03's evidence text names its card and IP, so pseudonymisation
 * must rewrite free text too. One swarm member has the formula-like email domain "=cmd|' /C calc'!A0" and the
 * IP "+1-555-0100" is a hub (shared by everyone, excluded as evidence).
 * Ordinary accounts acct-ord-01 … acct-ord-28 each have their own card and IP and chat a little.
 */
import { IDENTIFIER_KINDS, MS_PER_DAY, emptyActivity, type IdentifierKind, type World } from '../../src/core/world';
import type { EvidenceInput } from '../../src/evidence/types';

export const SWARM_SIZE = 12;
export const ORDINARY = 28;
export const FIRST_DAY = Math.floor(Date.UTC(2026, 0, 5) / MS_PER_DAY);
export const ACTIVE_DAYS = 10;
export const FORMULA_DOMAIN = "=cmd|' /C calc'!A0";
export const HUB_IP = '+1-555-0100';

interface LinkSpec { account: number; identifier: string; kind: IdentifierKind; count: number }

export function swarmAccountId(i: number): string {
  return `acct-swarm-${String(i + 1).padStart(2, '0')}`;
}

/** swarmSize > 12 makes a bigger swarm with the same pattern (for the summarised picture and timing). */
export function buildFixtureWorld(swarmSize = SWARM_SIZE): World {
  const ids: string[] = [];
  for (let i = 0; i < swarmSize; i++) ids.push(swarmAccountId(i));
  for (let i = 0; i < ORDINARY; i++) ids.push(`acct-ord-${String(i + 1).padStart(2, '0')}`);
  const n = ids.length;
  const emailDomains = ['mailbox-swarm.example', FORMULA_DOMAIN, 'ordinary.example'];
  const emailDomain = new Int32Array(n).map((_, a) => (a < swarmSize ? (a === 4 ? 1 : 0) : 2));
  const createdAt = new Float64Array(n).map((_, a) => Date.UTC(2026, 0, 1) + a * 60_000);

  const links: LinkSpec[] = [];
  for (let a = 0; a < swarmSize; a++) {
    links.push({ account: a, kind: 'instrument', identifier: 'card-prepaid-77', count: 3 });
    if (a < 6) links.push({ account: a, kind: 'instrument', identifier: 'vcard-5150', count: 1 });
    links.push({ account: a, kind: 'ip', identifier: a % 2 ? '2001:db8::7' : '203.0.113.10', count: 100 + a });
    links.push({ account: a, kind: 'fingerprint', identifier: 'tls-ja3-bad', count: 5 });
  }
  for (let a = swarmSize; a < n; a++) {
    links.push({ account: a, kind: 'instrument', identifier: `card-own-${a}`, count: 1 });
    links.push({ account: a, kind: 'ip', identifier: `198.51.100.${a}`, count: 20 });
  }
  for (let a = 0; a < n; a++) links.push({ account: a, kind: 'ip', identifier: HUB_IP, count: 1 });

  const identifierIds: Record<IdentifierKind, string[]> = { instrument: [], ip: [], fingerprint: [], template: [], client: [], synchrony: [] };
  const identifierNumber: Record<IdentifierKind, Map<string, number>> = {
    instrument: new Map(), ip: new Map(), fingerprint: new Map(), template: new Map(), client: new Map(), synchrony: new Map(),
  };
  for (const link of links) {
    if (!identifierNumber[link.kind].has(link.identifier)) {
      identifierNumber[link.kind].set(link.identifier, identifierIds[link.kind].length);
      identifierIds[link.kind].push(link.identifier);
    }
  }
  const identifiers = {} as World['identifiers'];
  const linkTables = {} as World['links'];
  for (const kind of IDENTIFIER_KINDS) {
    const kindIds = identifierIds[kind];
    identifiers[kind] = {
      kind,
      size: kindIds.length,
      ids: kindIds,
      // instrument: prepaid_card (1) for the shared prepaid card, virtual_card (2) for vcard, card (0) otherwise; ip: ipv6 (1) when it has a colon; fingerprint: tls (1)
      subkind: Uint8Array.from(kindIds, (id) => (kind === 'instrument' ? (id.startsWith('card-prepaid') ? 1 : id.startsWith('vcard') ? 2 : 0) : kind === 'ip' ? (id.includes(':') ? 1 : 0) : 1)),
      asn: kind === 'ip' ? Int32Array.from(kindIds, (id) => (id.startsWith('198.') ? 1 : 0)) : new Int32Array(0),
      asns: kind === 'ip' ? ['AS64500 ProxyCo', 'AS64501 HomeNet'] : [],
      proxy: kind === 'ip' ? Int8Array.from(kindIds, (id) => (id.startsWith('198.') ? 0 : 1)) : new Int8Array(0),
    };
    const ofKind = links
      .filter((link) => link.kind === kind)
      .map((link) => ({ ...link, number: identifierNumber[kind].get(link.identifier)! }))
      .sort((x, y) => x.account - y.account || x.number - y.number);
    linkTables[kind] = {
      kind,
      size: ofKind.length,
      account: Int32Array.from(ofKind, (link) => link.account),
      identifier: Int32Array.from(ofKind, (link) => link.number),
      firstSeen: Float64Array.from(ofKind, (link) => Date.UTC(2026, 0, 2) + link.account * 3_600_000),
      lastSeen: Float64Array.from(ofKind, () => Date.UTC(2026, 0, 15)),
      count: Float64Array.from(ofKind, (link) => link.count),
      rows: Int32Array.from(ofKind, () => 1),
    };
  }

  const capabilities = ['agentic', 'chat', 'coding'];
  const cells: Array<[number, number, number, number]> = [];
  for (let a = 0; a < n; a++) {
    for (let d = 0; d < ACTIVE_DAYS; d++) {
      if (a < swarmSize) {
        cells.push([a, FIRST_DAY + d, 0, 10]);
        cells.push([a, FIRST_DAY + d, 2, 40]);
      } else if (d % 3 === 0) cells.push([a, FIRST_DAY + d, 1, 2]);
    }
  }
  const accountOffsets = new Int32Array(n + 1);
  for (const [a] of cells) accountOffsets[a + 1]++;
  for (let a = 0; a < n; a++) accountOffsets[a + 1] += accountOffsets[a];
  let exchanges = 0;
  for (const cell of cells) exchanges += cell[3];

  const emptyFile = (file: World['summary']['files']['accounts.csv']['file'], rows: number) => ({
    file, present: true, path: `/input/${file}`, bytes: rows * 40, sha256: 'ab'.repeat(32), rows_read: rows, rows_loaded: rows, rows_rejected: 0, unknown_columns: [],
  });
  return {
    accounts: {
      size: n,
      ids,
      registered: new Uint8Array(n).fill(1),
      createdAt,
      emailDomain,
      emailDomains,
      country: new Int32Array(n).fill(0),
      countries: ['NL'],
      status: new Uint8Array(n),
    },
    identifiers,
    links: linkTables,
    exchanges: {
      capabilities,
      cells: cells.length,
      account: Int32Array.from(cells, (c) => c[0]),
      day: Int32Array.from(cells, (c) => c[1]),
      capability: Uint16Array.from(cells, (c) => c[2]),
      count: Float64Array.from(cells, (c) => c[3]),
      inputTokens: Float64Array.from(cells, (c) => c[3] * 500),
      outputTokens: Float64Array.from(cells, (c) => c[3] * 900),
      accountOffsets,
      totals: { rows: cells.length, exchanges, inputTokens: exchanges * 500, outputTokens: exchanges * 900 },
    },
    activity: emptyActivity(n),
    summary: {
      input_dir: '/input',
      files: {
        'accounts.csv': emptyFile('accounts.csv', n),
        'payment_instruments.csv': emptyFile('payment_instruments.csv', linkTables.instrument.size),
        'ip_addresses.csv': emptyFile('ip_addresses.csv', linkTables.ip.size),
        'fingerprints.csv': emptyFile('fingerprints.csv', linkTables.fingerprint.size),
        'exchanges.csv': emptyFile('exchanges.csv', cells.length),
      },
      accounts: n,
      registered_accounts: n,
      unregistered_accounts: 0,
      identifiers: { instrument: identifiers.instrument.size, ip: identifiers.ip.size, fingerprint: identifiers.fingerprint.size, template: 0, client: 0, synchrony: 0 },
      links: { instrument: linkTables.instrument.size, ip: linkTables.ip.size, fingerprint: linkTables.fingerprint.size, template: 0, client: 0, synchrony: 0 },
      exchanges: {
        rows: cells.length, exchanges, input_tokens: exchanges * 500, output_tokens: exchanges * 900, capabilities,
        rows_by_resolution: { minute: 0, hour: 0, day: cells.length }, activity_cells: 0,
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

export function buildFixtureInput(world: World = buildFixtureWorld(), swarmSize = SWARM_SIZE): EvidenceInput {
  const hubNumber = world.identifiers.ip.ids.indexOf(HUB_IP);
  return {
    world,
    sweep: {
      id: 'S20260115T000000Z',
      started_at: '2026-01-15T06:00:00.000Z',
      input_files: Object.values(world.summary.files).map((file) => ({
        file: file.file, path: file.path, bytes: file.bytes, rows: file.rows_read, rows_loaded: file.rows_loaded, rows_rejected: file.rows_rejected, sha256: file.sha256,
      })),
      parameters: { import: { map: null }, detection: { algorithm: 'leiden', resolution: 1, seed: 42, hub_limit: 30 }, scoring: { high: 70 } },
      software: { name: 'swarmscope', version: '0.1.0' },
      detection: { algorithm: 'leiden', resolution: 1, seed: 42, modularity: 0.61 },
    },
    cluster: {
      cluster_id: 'C0001',
      risk: 91,
      tier: 'high',
      reasons: [
        { code: 'SHARED_PREPAID_CARDS', text: '12 accounts share 1 prepaid card card-prepaid-77: 12 accounts per card vs 1.0 platform-wide', value: 12, baseline: 1, points: 30 },
        { code: 'PROXY_TRAFFIC', text: 'All 12 accounts came through proxy-flagged IPs such as 203.0.113.10.', value: 1, baseline: 0.02, points: 20 },
      ],
      capability_mix: { coding: 0.8, agentic: 0.2 },
      baseline_mix: { chat: 1 },
      baseline_definition: 'accounts outside high/medium-risk clusters',
      report: { cluster_id: 'C0001', accounts: swarmSize, top_identifiers: [{ kind: 'instrument', id: 'card-prepaid-77', members: 12 }] },
    },
    members: Array.from({ length: swarmSize }, (_, a) => ({
      account: a,
      role: a < 6 ? 'core' : 'member',
      evidence: a === 2
        ? 'shares card-prepaid-77 with 11 members and ip 203.0.113.10; first seen with acct-swarm-01.'
        : a === 7
          ? '=cmd|\' /C calc\'!A0 planted formula'
          : `shares card-prepaid-77 with ${swarmSize - 1} members`,
    })),
    hubs: [{ kind: 'ip', identifier: hubNumber, id: HUB_IP, degree: 40 }],
  };
}
