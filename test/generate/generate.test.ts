/**
 * The generator's promises: same seed → identical bytes, the planted truth agrees with the data, the
 * phenomena are where docs/generator.md says (cards per swarm account, bystanders tied only by an exit,
 * hubs above their degree, the enterprise hard negative), and every row passes the importer.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { parse } from 'csv-parse/sync';
import { generateWorld, PLANTED_HUB_DEGREE, type GenerateSummary } from '../../src/generate';
import { importWorld } from '../../src/ingest';
import { CONTRACT_FILES } from '../../src/core/world';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-generate-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type Row = Record<string, string>;
interface SharedEntry { kind: string; id: string; role: string; accounts: number }
function readCsv(dir: string, file: string): Row[] {
  return parse(fs.readFileSync(path.join(dir, file), 'utf8'), { columns: true }) as Row[];
}

function hashes(dir: string): Record<string, string> {
  const files = [...CONTRACT_FILES, 'truth/members.csv', 'truth/truth.json'];
  return Object.fromEntries(files.map((file) => [file, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex')]));
}

const BASE = { accounts: 3000, swarmSize: 600 };
let world: GenerateSummary;
const dir = path.join(root, 'a');

beforeAll(async () => {
  world = await generateWorld({ out: dir, ...BASE, seed: 11 });
});

describe('determinism', () => {
  test('the same seed writes byte-identical files; another seed does not', async () => {
    const again = path.join(root, 'again');
    const other = path.join(root, 'other');
    await generateWorld({ out: again, ...BASE, seed: 11 });
    await generateWorld({ out: other, ...BASE, seed: 12 });
    const first = hashes(dir);
    expect(hashes(again)).toEqual(first);
    const different = hashes(other);
    for (const file of Object.keys(first)) expect(different[file]).not.toBe(first[file]);
  });
});

describe('the planted truth agrees with the data', () => {
  let accounts: Row[];
  let members: Row[];
  let group: Map<string, string>;
  let instruments: Row[];
  let ips: Row[];
  let fingerprints: Row[];
  let exchanges: Row[];
  let truth: { groups: Array<{ name: string; size: number; exchanges: number; legitimate: boolean }>; hubs: SharedEntry[]; shared_identifiers: SharedEntry[]; options: Record<string, number> };

  beforeAll(() => {
    accounts = readCsv(dir, 'accounts.csv');
    members = readCsv(dir, 'truth/members.csv');
    group = new Map(members.map((row) => [row.account_id, row.group]));
    instruments = readCsv(dir, 'payment_instruments.csv');
    ips = readCsv(dir, 'ip_addresses.csv');
    fingerprints = readCsv(dir, 'fingerprints.csv');
    exchanges = readCsv(dir, 'exchanges.csv');
    truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth/truth.json'), 'utf8'));
  });

  /** identifier key → accounts linked to it, from the data. */
  function linkIndex(): Map<string, Set<string>> {
    const index = new Map<string, Set<string>>();
    const add = (key: string, account: string) => {
      const set = index.get(key) ?? new Set<string>();
      set.add(account);
      index.set(key, set);
    };
    for (const row of instruments) add(`instrument:${row.instrument_id}`, row.account_id);
    for (const row of ips) add(`ip:${row.ip}`, row.account_id);
    for (const row of fingerprints) add(`fingerprint:${row.fingerprint}`, row.account_id);
    return index;
  }

  test('every account is in members.csv exactly once, and group sizes match truth.json', () => {
    expect(accounts).toHaveLength(3000);
    expect(new Set(accounts.map((row) => row.account_id)).size).toBe(3000);
    expect(members).toHaveLength(3000);
    expect(new Set(members.map((row) => row.account_id))).toEqual(new Set(accounts.map((row) => row.account_id)));
    const sizes = new Map<string, number>();
    for (const row of members) {
      const name = row.kind === 'household' ? 'households' : row.group;
      sizes.set(name, (sizes.get(name) ?? 0) + 1);
    }
    for (const planted of truth.groups) expect([planted.name, sizes.get(planted.name)]).toEqual([planted.name, planted.size]);
    expect(truth.groups.find((g) => g.name === 'swarm_residential_proxy')?.size).toBe(600);
  });

  test("the big swarm's exchanges are 28.8M scaled by size and days, and match truth.json", () => {
    let total = 0;
    for (const row of exchanges) if (group.get(row.account_id) === 'swarm_residential_proxy') total += Number(row.count);
    const expected = 28_800_000 * (600 / 25_000);
    expect(Math.abs(total - expected) / expected).toBeLessThan(0.03);
    expect(truth.groups.find((g) => g.name === 'swarm_residential_proxy')?.exchanges).toBe(total);
    expect(world.exchanges).toBe(exchanges.reduce((sum, row) => sum + Number(row.count), 0));
  });

  test('big-swarm cards: a minority of own cards, the rest shared by a handful of accounts each', () => {
    const index = linkIndex();
    const swarmAccounts = members.filter((row) => row.group === 'swarm_residential_proxy').map((row) => row.account_id);
    const cardsOf = new Map<string, string[]>();
    for (const row of instruments) {
      if (group.get(row.account_id) !== 'swarm_residential_proxy') continue;
      cardsOf.set(row.account_id, [...(cardsOf.get(row.account_id) ?? []), row.instrument_id]);
    }
    let ownCard = 0;
    const sharedCards = new Set<string>();
    for (const account of swarmAccounts) {
      const cards = cardsOf.get(account) ?? [];
      expect(cards.length).toBeGreaterThanOrEqual(1);
      expect(cards.length).toBeLessThanOrEqual(2);
      const degrees = cards.map((card) => index.get(`instrument:${card}`)!.size);
      if (degrees.every((degree) => degree === 1)) ownCard++;
      for (const card of cards) if (index.get(`instrument:${card}`)!.size > 1) sharedCards.add(card);
    }
    expect(ownCard / swarmAccounts.length).toBeGreaterThan(0.17);
    expect(ownCard / swarmAccounts.length).toBeLessThan(0.33);
    const sharedDegrees = [...sharedCards].map((card) => index.get(`instrument:${card}`)!.size);
    const mean = sharedDegrees.reduce((a, b) => a + b, 0) / sharedDegrees.length;
    expect(mean).toBeGreaterThan(5);
    expect(mean).toBeLessThan(16);
    expect(Math.max(...sharedDegrees)).toBeLessThanOrEqual(30);
    // Shared cards are prepaid or virtual; legitimate accounts never hold a swarm card.
    for (const row of instruments) {
      if (!sharedCards.has(row.instrument_id)) continue;
      expect(['prepaid_card', 'virtual_card']).toContain(row.kind);
      expect(group.get(row.account_id)).toBe('swarm_residential_proxy');
    }
  });

  test('bystanders exist, and their only tie to the swarm besides hubs is one proxy exit', () => {
    const index = linkIndex();
    // Hubs by role (docs/generator.md): in a small world a mobile NAT links fewer than PLANTED_HUB_DEGREE accounts.
    const hubRoles = new Set(['mobile carrier NAT', 'common browser TLS fingerprint']);
    const hubs = new Set([...truth.hubs, ...truth.shared_identifiers].filter((entry) => hubRoles.has(entry.role)).map((entry) => `${entry.kind}:${entry.id}`));
    const bystanders = members.filter((row) => row.kind === 'bystander').map((row) => row.account_id);
    expect(bystanders.length).toBeGreaterThan(0);
    const swarm = new Set(members.filter((row) => row.kind === 'swarm').map((row) => row.account_id));
    const linksOf = new Map<string, string[]>();
    for (const [key, set] of index) for (const account of set) linksOf.set(account, [...(linksOf.get(account) ?? []), key]);
    for (const account of bystanders) {
      const sharedWithSwarm = linksOf.get(account)!.filter((key) => {
        const linked = index.get(key)!;
        return linked.size < PLANTED_HUB_DEGREE && !hubs.has(key) && [...linked].some((other) => swarm.has(other));
      });
      expect(sharedWithSwarm).toHaveLength(1);
      expect(sharedWithSwarm[0].startsWith('ip:')).toBe(true);
    }
  });

  test('every IP carries one ASN and one is_proxy flag across all its rows', () => {
    const seen = new Map<string, string>();
    for (const row of ips) {
      const facts = `${row.asn}|${row.is_proxy}`;
      expect([row.ip, seen.get(row.ip) ?? facts]).toEqual([row.ip, facts]);
      seen.set(row.ip, facts);
    }
  });

  test('hubs exceed their documented degree; every shared identifier in the truth has the degree the data shows', () => {
    const index = linkIndex();
    expect(truth.hubs.length).toBeGreaterThan(0);
    for (const hub of truth.hubs) expect(hub.accounts).toBeGreaterThanOrEqual(PLANTED_HUB_DEGREE);
    for (const entry of [...truth.hubs, ...truth.shared_identifiers]) {
      expect([entry.role, entry.id, index.get(`${entry.kind}:${entry.id}`)!.size]).toEqual([entry.role, entry.id, entry.accounts]);
    }
    // The top common TLS fingerprint is about a third of all accounts.
    const tls = fingerprints.filter((row) => row.kind === 'tls');
    const tlsDegree = new Map<string, number>();
    for (const row of tls) tlsDegree.set(row.fingerprint, (tlsDegree.get(row.fingerprint) ?? 0) + 1);
    expect(Math.max(...tlsDegree.values())).toBeGreaterThan(0.25 * 3000);
    // Mobile NATs: degree ≈ mobileShare × organic / mobileNatIps (docs/generator.md); at least half of that each.
    const organic = members.filter((row) => ['organic', 'household', 'vpn_users', 'bystander'].includes(row.kind)).length;
    const expectedNat = (truth.options.mobileShare * organic) / truth.options.mobileNatIps;
    const natAddresses = new Set(ips.filter((row) => row.asn === 'AS21928' || row.asn === 'AS55836').map((row) => row.ip));
    for (const address of natAddresses) {
      if (index.get(`ip:${address}`)!.size < 50) continue; // own lines in the same carrier block
      expect(index.get(`ip:${address}`)!.size).toBeGreaterThan(expectedNat / 2);
    }
    expect(natAddresses.size).toBeGreaterThan(0);
  });

  test('enterprise teams are the hard negative: one card and one device image each, hired over months, weekdays only', () => {
    const teams = members.filter((row) => row.kind === 'enterprise_team');
    expect(teams.length).toBeGreaterThanOrEqual(10);
    const byTeam = new Map<string, string[]>();
    for (const row of teams) byTeam.set(row.group, [...(byTeam.get(row.group) ?? []), row.account_id]);
    const created = new Map(accounts.map((row) => [row.account_id, Date.parse(row.created_at)]));
    for (const [, team] of byTeam) {
      const set = new Set(team);
      expect(new Set(instruments.filter((row) => set.has(row.account_id)).map((row) => row.instrument_id)).size).toBe(1);
      expect(new Set(fingerprints.filter((row) => set.has(row.account_id) && row.kind === 'device').map((row) => row.fingerprint)).size).toBe(1);
      const times = team.map((account) => created.get(account)!);
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(30 * 86_400_000);
    }
    for (const row of exchanges) {
      if (!byTeam.has(group.get(row.account_id)!)) continue;
      const weekday = new Date(`${row.timestamp.slice(0, 10)}T00:00:00Z`).getUTCDay();
      expect(weekday === 0 || weekday === 6).toBe(false);
    }
  });

  test('every generated row imports without a rejection, and the counts match the summary', async () => {
    const imported = await importWorld({ inputDir: dir, rejectsPath: null, workers: 0 });
    const summary = imported.summary;
    expect(summary.rows_rejected).toBe(0);
    for (const file of CONTRACT_FILES) expect([file, summary.files[file].rows_read]).toEqual([file, world.files[file].rows]);
    expect(summary.accounts).toBe(world.accounts);
    expect(summary.unregistered_accounts).toBe(0);
    expect(summary.exchanges.exchanges).toBe(world.exchanges);
  });
});

describe('--gzip', () => {
  test('writes the same bytes gzip-compressed, replaces a stale plain file, and imports without a rejection', async () => {
    const plain = path.join(root, 'plain');
    const zipped = path.join(root, 'zipped');
    const options = { accounts: 1500, seed: 4 };
    await generateWorld({ out: plain, ...options });
    fs.mkdirSync(zipped, { recursive: true });
    fs.writeFileSync(path.join(zipped, 'accounts.csv'), 'account_id,created_at\nstale,2020-01-01\n');
    const summary = await generateWorld({ out: zipped, ...options, gzip: true });
    expect(fs.existsSync(path.join(zipped, 'accounts.csv'))).toBe(false);
    for (const file of CONTRACT_FILES) {
      const compressed = fs.readFileSync(path.join(zipped, `${file}.gz`));
      expect(summary.files[file].bytes).toBe(compressed.length);
      expect(zlib.gunzipSync(compressed).equals(fs.readFileSync(path.join(plain, file)))).toBe(true);
    }
    const imported = await importWorld({ inputDir: zipped, rejectsPath: null, workers: 0 });
    expect(imported.summary.rows_rejected).toBe(0);
    expect(imported.summary.accounts).toBe(1500);
    expect(imported.summary.exchanges.exchanges).toBe(summary.exchanges);
  });
});

describe('--swarm-isolated-share', () => {
  test('that share of the big swarm shares nothing but hubs: one own card, one own line, a common TLS', async () => {
    const out = path.join(root, 'isolated');
    await generateWorld({ out, accounts: 2000, swarmSize: 400, swarmIsolatedShare: 0.2, seed: 9 });
    const members = readCsv(out, 'truth/members.csv');
    const swarm = new Set(members.filter((row) => row.group === 'swarm_residential_proxy').map((row) => row.account_id));
    const links = [
      ...readCsv(out, 'payment_instruments.csv').map((row) => [row.account_id, `instrument:${row.instrument_id}`]),
      ...readCsv(out, 'ip_addresses.csv').map((row) => [row.account_id, `ip:${row.ip}`]),
      ...readCsv(out, 'fingerprints.csv').map((row) => [row.account_id, `fingerprint:${row.fingerprint}:${row.kind}`]),
    ];
    const degree = new Map<string, number>();
    for (const [, key] of links) degree.set(key, (degree.get(key) ?? 0) + 1);
    const linksOf = new Map<string, string[]>();
    for (const [account, key] of links) linksOf.set(account, [...(linksOf.get(account) ?? []), key]);
    const isolated = [...swarm].filter((account) => linksOf.get(account)!.every((key) => degree.get(key) === 1 || key.endsWith(':tls')));
    expect(isolated.length / swarm.size).toBeGreaterThan(0.13);
    expect(isolated.length / swarm.size).toBeLessThan(0.27);
    for (const account of isolated) expect(linksOf.get(account)!.map((key) => key.split(':')[0]).sort()).toEqual(['fingerprint', 'instrument', 'ip']);
  });
});

describe('week 2', () => {
  test('continuing accounts keep their ids and history; the big swarm grows 20%; a new swarm appears', async () => {
    const week1 = path.join(root, 'w1');
    const week2 = path.join(root, 'w2');
    const options = { accounts: 2000, swarmSize: 400, newSwarmSize: 60, seed: 5 };
    await generateWorld({ out: week1, ...options });
    const second = await generateWorld({ out: week2, ...options, week: 2 });
    const accounts1 = fs.readFileSync(path.join(week1, 'accounts.csv'), 'utf8').split('\n');
    const accounts2 = new Set(fs.readFileSync(path.join(week2, 'accounts.csv'), 'utf8').split('\n'));
    for (const line of accounts1) expect(accounts2.has(line)).toBe(true);
    const exchanges2 = new Set(fs.readFileSync(path.join(week2, 'exchanges.csv'), 'utf8').split('\n'));
    const exchanges1 = fs.readFileSync(path.join(week1, 'exchanges.csv'), 'utf8').split('\n');
    expect(exchanges1.filter((line) => !exchanges2.has(line))).toEqual([]);
    const size = (name: string) => second.groups.find((g) => g.name === name)?.size;
    expect(size('swarm_residential_proxy')).toBe(480);
    expect(size('swarm_virtual_card_farm')).toBe(60);
    expect(second.window.days).toBe(52);
  });
});
