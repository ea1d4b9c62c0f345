/**
 * The tactic catalogue's promises, checked from the written CSVs (never from the generator's internals):
 * each tactic does to the graph what docs/generator.md says, the rest of its swarm stays BASE, the
 * legitimate decoys are there and listed in truth/dense_groups.csv, random worlds are a function of the
 * seed, and a tactic world's week 2 keeps week 1's history.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { TACTIC_NAMES, generateWorld, type GenerateSummary } from '../../src/generate';
import { importWorld } from '../../src/ingest';
import { CONTRACT_FILES } from '../../src/core/world';
import { isSwarmscopeError } from '../../src/core/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-tactics-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type Row = Record<string, string>;
interface Group { name: string; kind: string; legitimate: boolean; size: number; tactics?: string[]; facts: Record<string, unknown> }
interface SharedEntry { kind: string; id: string; role: string; accounts: number }
interface Truth { groups: Group[]; hubs: SharedEntry[]; shared_identifiers: SharedEntry[]; options: Record<string, unknown> }

function readCsv(dir: string, file: string): Row[] {
  return parse(fs.readFileSync(path.join(dir, file), 'utf8'), { columns: true }) as Row[];
}

function hashes(dir: string): Record<string, string> {
  const files = [...CONTRACT_FILES, 'truth/members.csv', 'truth/truth.json', 'truth/dense_groups.csv'];
  return Object.fromEntries(files.map((file) => [file, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex')]));
}

const DAY = 86_400_000;
const WINDOW_START = Date.parse('2026-09-01T00:00:00Z');
const SWARM_SIZE = 300;

/** A world with one swarm per tactic, each the BASE swarm plus that tactic alone. */
const dir = path.join(root, 'catalogue');
let world: GenerateSummary;
let truth: Truth;
let members: Row[];
let groupOf: Map<string, string>;
let kindOf: Map<string, string>;
let accounts: Map<string, Row>;
let instruments: Row[];
let ips: Row[];
let fingerprints: Row[];
let exchanges: Row[];
/** identifier key (instrument:…, ip:…, fingerprint:…) → accounts on it. */
const linked = new Map<string, Set<string>>();
/** account → its identifier keys. */
const linksOf = new Map<string, string[]>();

beforeAll(async () => {
  world = await generateWorld({ out: dir, accounts: 12_000, seed: 3, tactics: [...TACTIC_NAMES], tacticSwarmSize: SWARM_SIZE });
  truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth/truth.json'), 'utf8'));
  members = readCsv(dir, 'truth/members.csv');
  groupOf = new Map(members.map((row) => [row.account_id, row.group]));
  kindOf = new Map(members.map((row) => [row.account_id, row.kind]));
  accounts = new Map(readCsv(dir, 'accounts.csv').map((row) => [row.account_id, row]));
  instruments = readCsv(dir, 'payment_instruments.csv');
  ips = readCsv(dir, 'ip_addresses.csv');
  fingerprints = readCsv(dir, 'fingerprints.csv');
  exchanges = readCsv(dir, 'exchanges.csv');
  const add = (key: string, account: string) => {
    if (!linked.has(key)) linked.set(key, new Set());
    linked.get(key)!.add(account);
    if (!linksOf.has(account)) linksOf.set(account, []);
    linksOf.get(account)!.push(key);
  };
  for (const row of instruments) add(`instrument:${row.instrument_id}`, row.account_id);
  for (const row of ips) add(`ip:${row.ip}`, row.account_id);
  for (const row of fingerprints) add(`fingerprint:${row.fingerprint}`, row.account_id);
});

function swarmGroup(tactic: string): Group {
  const group = truth.groups.find((g) => g.kind === 'swarm' && g.tactics?.length === 1 && g.tactics[0] === tactic);
  if (!group) throw new Error(`no swarm for ${tactic}`);
  return group;
}

function swarmAccounts(tactic: string): string[] {
  const name = swarmGroup(tactic).name;
  return members.filter((row) => row.group === name).map((row) => row.account_id);
}

/** The identifiers of one type that the given accounts use. */
function identifiersOf(accountIds: Iterable<string>, type: 'instrument' | 'ip' | 'fingerprint'): Set<string> {
  const keys = new Set<string>();
  for (const account of accountIds) for (const key of linksOf.get(account) ?? []) if (key.startsWith(`${type}:`)) keys.add(key);
  return keys;
}

const isLegit = (account: string): boolean => kindOf.get(account) !== 'swarm';

describe('a world with one swarm per tactic', () => {
  test('each tactic is one swarm named swarm_NN_<tactic> (kind swarm, truth tactics), every account listed once', () => {
    expect(members).toHaveLength(12_000);
    expect(new Set(members.map((row) => row.account_id)).size).toBe(12_000);
    const swarms = truth.groups.filter((g) => g.kind === 'swarm');
    expect(swarms.map((g) => g.tactics![0]).sort()).toEqual([...TACTIC_NAMES].sort());
    for (const group of swarms) {
      expect(group.legitimate).toBe(false);
      expect(group.name).toMatch(new RegExp(`^swarm_\\d\\d_${group.tactics![0]}$`));
      expect(members.filter((row) => row.group === group.name).every((row) => row.kind === 'swarm')).toBe(true);
      if (group.tactics![0] !== 'tiny') expect(group.size).toBe(SWARM_SIZE);
    }
    // Listed in order: NN follows the --tactics list.
    TACTIC_NAMES.forEach((tactic, i) => expect(swarmGroup(tactic).name).toBe(`swarm_${String(i + 1).padStart(2, '0')}_${tactic}`));
    // The classic swarms are not planted.
    expect(truth.groups.some((g) => g.name.startsWith('swarm_') && !g.tactics)).toBe(false);
  });

  test('tiny: 20–50 accounts', () => {
    const size = swarmAccounts('tiny').length;
    expect(size).toBeGreaterThanOrEqual(20);
    expect(size).toBeLessThanOrEqual(50);
  });

  test('BASE stays BASE in the dimensions a tactic does not change (seen through mimic-mix)', () => {
    const swarm = swarmAccounts('mimic-mix');
    // Cards: about 20% own cards; the others on prepaid/virtual cards shared by 2–25 accounts, about 8 on average.
    const cards = identifiersOf(swarm, 'instrument');
    const ownCards = swarm.filter((a) => linksOf.get(a)!.some((key) => key.startsWith('instrument:') && linked.get(key)!.size === 1)).length;
    expect(ownCards / swarm.length).toBeGreaterThan(0.12);
    expect(ownCards / swarm.length).toBeLessThan(0.28);
    const shared = [...cards].filter((key) => linked.get(key)!.size > 1).map((key) => linked.get(key)!.size);
    expect(Math.min(...shared)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...shared)).toBeLessThanOrEqual(25);
    const mean = shared.reduce((a, b) => a + b, 0) / shared.length;
    expect(mean).toBeGreaterThan(5);
    expect(mean).toBeLessThan(11);
    // Exits: 2–4 per account from a private pool of about size/6, mostly flagged.
    const exits = identifiersOf(swarm, 'ip');
    expect(exits.size).toBe(SWARM_SIZE / 6);
    for (const account of swarm) {
      const own = linksOf.get(account)!.filter((key) => key.startsWith('ip:')).length;
      expect(own).toBeGreaterThanOrEqual(2);
      expect(own).toBeLessThanOrEqual(4);
    }
    for (const key of exits) expect([...linked.get(key)!].every((a) => groupOf.get(a) === groupOf.get(swarm[0]))).toBe(true);
    const flagged = ips.filter((row) => exits.has(`ip:${row.ip}`) && row.is_proxy === 'true').length / ips.filter((row) => exits.has(`ip:${row.ip}`)).length;
    expect(flagged).toBeGreaterThan(0.5);
    // Bursts: sign-ups before the window, at most 8 distinct three-hour bursts.
    const created = swarm.map((a) => Date.parse(accounts.get(a)!.created_at));
    expect(Math.max(...created)).toBeLessThan(WINDOW_START);
    expect(new Set(created.map((ms) => Math.floor(ms / (3 * 3_600_000)))).size).toBeLessThanOrEqual(16);
    // Every day active.
    const days = new Map<string, Set<string>>();
    for (const row of exchanges) {
      if (groupOf.get(row.account_id) !== groupOf.get(swarm[0])) continue;
      if (!days.has(row.account_id)) days.set(row.account_id, new Set());
      days.get(row.account_id)!.add(row.timestamp.slice(0, 10));
    }
    for (const account of swarm) expect(days.get(account)?.size).toBe(45);
  });

  test('fresh-card: no instrument is shared by two swarm accounts (or with anyone)', () => {
    const swarm = swarmAccounts('fresh-card');
    for (const account of swarm) expect(linksOf.get(account)!.filter((key) => key.startsWith('instrument:')).length).toBeGreaterThanOrEqual(1);
    for (const key of identifiersOf(swarm, 'instrument')) expect(linked.get(key)!.size).toBe(1);
  });

  test('mega-card: at most 3 cards cover every swarm account (the biggest on at least a third of them)', () => {
    const swarm = swarmAccounts('mega-card');
    const cards = identifiersOf(swarm, 'instrument');
    expect(cards.size).toBeGreaterThanOrEqual(1);
    expect(cards.size).toBeLessThanOrEqual(3);
    for (const account of swarm) expect(linksOf.get(account)!.some((key) => cards.has(key))).toBe(true);
    expect(Math.max(...[...cards].map((key) => linked.get(key)!.size))).toBeGreaterThanOrEqual(SWARM_SIZE / 3);
  });

  test('private-exits: no legitimate account (and no other swarm) on any swarm exit; about size/10 exits, 1–3 each, 90% flagged', () => {
    const swarm = swarmAccounts('private-exits');
    const name = swarmGroup('private-exits').name;
    const exits = identifiersOf(swarm, 'ip');
    for (const key of exits) for (const account of linked.get(key)!) expect(groupOf.get(account)).toBe(name);
    expect(exits.size).toBe(SWARM_SIZE / 10);
    for (const account of swarm) {
      const own = linksOf.get(account)!.filter((key) => key.startsWith('ip:')).length;
      expect(own).toBeGreaterThanOrEqual(1);
      expect(own).toBeLessThanOrEqual(3);
    }
    const flags = new Map(ips.filter((row) => exits.has(`ip:${row.ip}`)).map((row) => [row.ip, row.is_proxy]));
    expect([...flags.values()].filter((flag) => flag === 'true').length / flags.size).toBeGreaterThan(0.7);
  });

  test('shared-residential: at least 30% of swarm exits also carry a legitimate account, and those accounts are bystanders', () => {
    const swarm = swarmAccounts('shared-residential');
    const exits = [...identifiersOf(swarm, 'ip')];
    const withLegit = exits.filter((key) => [...linked.get(key)!].some(isLegit));
    expect(withLegit.length / exits.length).toBeGreaterThanOrEqual(0.3);
    const legitOnExits = new Set(withLegit.flatMap((key) => [...linked.get(key)!].filter(isLegit)));
    for (const account of legitOnExits) expect(kindOf.get(account)).toBe('bystander');
    // Both kinds of legitimate use: a household's home line (several accounts of one household) and proxy users.
    expect(swarmGroup('shared-residential').facts.household_exits).toBeGreaterThan(0);
  });

  test('fingerprint-rotation: every swarm fingerprint is on 2–6 swarm accounts and nobody else', () => {
    const swarm = swarmAccounts('fingerprint-rotation');
    const prints = identifiersOf(swarm, 'fingerprint');
    expect(prints.size).toBeGreaterThan(SWARM_SIZE / 6);
    for (const key of prints) {
      const size = linked.get(key)!.size;
      expect(size).toBeGreaterThanOrEqual(2);
      expect(size).toBeLessThanOrEqual(6);
    }
  });

  test('client-builds: 3–6 build fingerprints, every swarm account on exactly one, each build on many accounts', () => {
    const swarm = swarmAccounts('client-builds');
    const builds = new Set((swarmGroup('client-builds').facts.builds as string[]).map((id) => `fingerprint:${id}`));
    expect(builds.size).toBeGreaterThanOrEqual(3);
    expect(builds.size).toBeLessThanOrEqual(6);
    for (const account of swarm) expect(linksOf.get(account)!.filter((key) => builds.has(key))).toHaveLength(1);
    for (const build of builds) {
      expect(linked.get(build)!.size).toBeGreaterThan(SWARM_SIZE / 12);
      expect([...linked.get(build)!].every((a) => groupOf.get(a) === swarmGroup('client-builds').name)).toBe(true);
    }
  });

  test('sdk-default: the swarm shows public SDK default fingerprints that many legitimate developers show too', () => {
    const swarm = swarmAccounts('sdk-default');
    const sdk = new Set([...truth.hubs, ...truth.shared_identifiers].filter((e) => e.role === 'public SDK default fingerprint').map((e) => `fingerprint:${e.id}`));
    expect(sdk.size).toBeGreaterThanOrEqual(2);
    for (const account of swarm) expect(linksOf.get(account)!.filter((key) => sdk.has(key))).toHaveLength(1);
    // Nothing else but the common browser TLS hubs: no automation fingerprint of its own.
    for (const key of identifiersOf(swarm, 'fingerprint')) expect([...linked.get(key)!].filter(isLegit).length).toBeGreaterThan(20);
  });

  test('slow-drip: sign-ups one by one over months, activity from creation', () => {
    const swarm = swarmAccounts('slow-drip');
    const created = swarm.map((a) => Date.parse(accounts.get(a)!.created_at)).sort((a, b) => a - b);
    expect(created[created.length - 1] - created[0]).toBeGreaterThan(80 * DAY);
    // No burst: at most a few sign-ups in any three hours.
    let busiest = 0;
    for (let i = 0, j = 0; i < created.length; i++) {
      while (created[i] - created[j] > 3 * 3_600_000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(6);
    // An account created inside the window is active from its first full day on (exchanges never precede the sign-up).
    const firstDay = new Map<string, string>();
    for (const row of exchanges) {
      if (groupOf.get(row.account_id) !== swarmGroup('slow-drip').name) continue;
      const day = row.timestamp.slice(0, 10);
      if (!firstDay.has(row.account_id) || day < firstDay.get(row.account_id)!) firstDay.set(row.account_id, day);
    }
    const lateJoiners = swarm.filter((a) => Date.parse(accounts.get(a)!.created_at) > WINDOW_START);
    expect(lateJoiners.length).toBeGreaterThan(0);
    for (const account of lateJoiners) {
      const created = Date.parse(accounts.get(account)!.created_at);
      expect(Date.parse(`${firstDay.get(account)}T00:00:00Z`) - Math.floor(created / DAY) * DAY).toBe(created % DAY === 0 ? 0 : DAY);
    }
  });

  test('recycled: created 1–3 years before the window, consumer email, many suspended at export', () => {
    const swarm = swarmAccounts('recycled');
    let suspended = 0;
    for (const account of swarm) {
      const row = accounts.get(account)!;
      const age = WINDOW_START - Date.parse(row.created_at);
      expect(age).toBeGreaterThanOrEqual(365 * DAY);
      expect(age).toBeLessThanOrEqual(3 * 365 * DAY);
      expect(row.email_domain).not.toMatch(/tempinbox|throwmail|inboxnow|mailfly|zmail|fastbox|burnermail|quickpost|onetime|nullbox|spamfree|minutemail/);
      if (row.status === 'suspended') suspended++;
    }
    expect(suspended / swarm.length).toBeGreaterThan(0.3);
    expect(suspended / swarm.length).toBeLessThan(0.6);
  });

  test('mimic-mix: not coding-heavy, yet harvesting volume', () => {
    const name = swarmGroup('mimic-mix').name;
    let coding = 0;
    let total = 0;
    for (const row of exchanges) {
      if (groupOf.get(row.account_id) !== name) continue;
      total += Number(row.count);
      if (row.capability === 'software_engineering' || row.capability === 'agentic_reasoning') coding += Number(row.count);
    }
    expect(coding / total).toBeLessThan(0.4);
    expect(total / SWARM_SIZE / 45).toBeGreaterThan(20);
  });

  test('sub-operators: the crews share no identifier but the tool; the tool is on every account', () => {
    const group = swarmGroup('sub-operators');
    const swarm = swarmAccounts('sub-operators');
    const tool = `fingerprint:${group.facts.tool_fingerprint}`;
    for (const account of swarm) expect(linksOf.get(account)).toContain(tool);
    expect(linked.get(tool)!.size).toBe(swarm.length);
    // Without the tool and the hubs legitimate accounts share too, the swarm falls apart into its crews.
    const parent = new Map(swarm.map((a) => [a, a]));
    const find = (a: string): string => (parent.get(a) === a ? a : find(parent.get(a)!));
    for (const key of new Set(swarm.flatMap((a) => linksOf.get(a)!))) {
      const on = [...linked.get(key)!];
      if (key === tool || on.some(isLegit)) continue;
      for (const other of on.slice(1)) parent.set(find(other), find(on[0]));
    }
    const crews = new Set(swarm.map(find)).size;
    expect(crews).toBe(group.facts.sub_operators);
    expect(crews).toBeGreaterThanOrEqual(3);
    expect(crews).toBeLessThanOrEqual(6);
  });

  test('every shared identifier in the truth has the degree the data shows; every row imports', async () => {
    for (const entry of [...truth.hubs, ...truth.shared_identifiers]) {
      expect([entry.role, entry.id, linked.get(`${entry.kind}:${entry.id}`)!.size]).toEqual([entry.role, entry.id, entry.accounts]);
    }
    const seen = new Map<string, string>();
    for (const row of ips) {
      const facts = `${row.asn}|${row.is_proxy}`;
      expect([row.ip, seen.get(row.ip) ?? facts]).toEqual([row.ip, facts]);
      seen.set(row.ip, facts);
    }
    const imported = await importWorld({ inputDir: dir, rejectsPath: null, workers: 0 });
    expect(imported.summary.rows_rejected).toBe(0);
    expect(imported.summary.exchanges.exchanges).toBe(world.exchanges);
  });
});

describe('legitimate decoys in a tactic world', () => {
  test('truth/dense_groups.csv lists enterprise teams, resellers and families, with their members.csv counts', () => {
    const dense = readCsv(dir, 'truth/dense_groups.csv');
    const counts = new Map<string, number>();
    for (const row of members) counts.set(row.group, (counts.get(row.group) ?? 0) + 1);
    expect(new Set(dense.map((row) => row.kind))).toEqual(new Set(['enterprise_team', 'reseller', 'family']));
    for (const row of dense) {
      expect([row.group, Number(row.accounts)]).toEqual([row.group, counts.get(row.group)]);
      expect(Number(row.accounts)).toBeGreaterThanOrEqual(2);
      for (const account of members.filter((m) => m.group === row.group)) expect(isLegit(account.account_id)).toBe(true);
    }
    // Every enterprise team and reseller of the truth is listed.
    const listed = new Set(dense.map((row) => row.group));
    for (const group of truth.groups.filter((g) => g.kind === 'enterprise_team' || g.kind === 'reseller')) expect(listed.has(group.name)).toBe(true);
    // A family shares its family card: some instrument is on at least two of its accounts.
    for (const family of dense.filter((row) => row.kind === 'family').slice(0, 50)) {
      const inFamily = members.filter((m) => m.group === family.group).map((m) => m.account_id);
      expect([...identifiersOf(inFamily, 'instrument')].some((key) => [...linked.get(key)!].filter((a) => inFamily.includes(a)).length >= 2)).toBe(true);
    }
  });

  test('resellers: one card pays for all clients, who are otherwise independent ordinary people', () => {
    const roleOf = new Map([...truth.hubs, ...truth.shared_identifiers].map((e) => [`${e.kind}:${e.id}`, e.role]));
    const hubRoles = new Set(['mobile carrier NAT', 'commercial VPN exit', 'common browser TLS fingerprint', 'public SDK default fingerprint']);
    const resellers = truth.groups.filter((g) => g.kind === 'reseller');
    expect(resellers.length).toBeGreaterThanOrEqual(3);
    for (const reseller of resellers) {
      const clients = members.filter((m) => m.group === reseller.name).map((m) => m.account_id);
      expect(clients.length).toBeGreaterThanOrEqual(10);
      const card = `instrument:${reseller.facts.card}`;
      expect(linked.get(card)).toEqual(new Set(clients));
      expect(['card', 'virtual_card']).toContain(instruments.find((row) => `instrument:${row.instrument_id}` === card)!.kind);
      // Independent: the only other identifiers two clients share are hubs (mobile NATs, VPN exits, common TLS, SDK defaults).
      const inReseller = new Set(clients);
      for (const key of new Set(clients.flatMap((a) => linksOf.get(a)!))) {
        if (key === card || [...linked.get(key)!].filter((a) => inReseller.has(a)).length < 2) continue;
        expect([key, hubRoles.has(roleOf.get(key) ?? '')]).toEqual([key, true]);
      }
    }
    // The biggest is on more than 2% of accounts' card in this world (it is 2.5% of accounts, 10–500).
    expect(Math.max(...resellers.map((r) => r.size))).toBeGreaterThan(0.02 * 12_000);
  });

  test('enterprise teams reach beyond 300 (5–2,000) and public SDK fingerprints are a developer hub', () => {
    const teams = truth.groups.filter((g) => g.kind === 'enterprise_team');
    expect(teams.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...teams.map((t) => t.size))).toBe(240);
    for (const team of teams) expect(team.size).toBeGreaterThanOrEqual(5);
    // Public SDK defaults: each on 5–15% of the organic population's developers (main use by exchanges:
    // software engineering, agentic reasoning, data analysis), loosely, since the main use is read back from counts.
    const population = new Set(['household', 'organic', 'vpn_users', 'bystander', 'reseller']);
    const byCapability = new Map<string, Map<string, number>>();
    for (const row of exchanges) {
      if (!population.has(kindOf.get(row.account_id)!)) continue;
      if (!byCapability.has(row.account_id)) byCapability.set(row.account_id, new Map());
      const counts = byCapability.get(row.account_id)!;
      counts.set(row.capability, (counts.get(row.capability) ?? 0) + Number(row.count));
    }
    const developers = new Set([...byCapability].filter(([, counts]) => {
      const main = [...counts].sort((a, b) => b[1] - a[1])[0][0];
      return ['software_engineering', 'agentic_reasoning', 'data_analysis'].includes(main);
    }).map(([account]) => account));
    const sdk = [...truth.hubs, ...truth.shared_identifiers].filter((e) => e.role === 'public SDK default fingerprint');
    expect(sdk.length).toBeGreaterThanOrEqual(2);
    for (const entry of sdk) {
      const users = [...linked.get(`fingerprint:${entry.id}`)!].filter((a) => population.has(kindOf.get(a)!));
      const share = users.filter((a) => developers.has(a)).length / developers.size;
      expect([entry.id, share > 0.03 && share < 0.18]).toEqual([entry.id, true]);
      expect(users.filter((a) => developers.has(a)).length / users.length).toBeGreaterThan(0.6);
    }
  });
});

describe('--tactics random', () => {
  test('the same seed plants the same mixtures and sizes, byte for byte; another seed does not', async () => {
    const options = { accounts: 4000, tactics: 'random' as const, swarms: 4 };
    const first = await generateWorld({ out: path.join(root, 'r1'), ...options, seed: 21 });
    await generateWorld({ out: path.join(root, 'r2'), ...options, seed: 21 });
    const other = await generateWorld({ out: path.join(root, 'r3'), ...options, seed: 22 });
    expect(hashes(path.join(root, 'r2'))).toEqual(hashes(path.join(root, 'r1')));
    const swarms = (summary: GenerateSummary) => summary.groups.filter((g) => g.kind === 'swarm').map((g) => `${g.name}:${g.size}`).sort();
    expect(swarms(other)).not.toEqual(swarms(first));
    for (const group of first.groups.filter((g) => g.kind === 'swarm')) {
      expect(group.tactics!.length).toBeGreaterThanOrEqual(1);
      expect(group.tactics!.length).toBeLessThanOrEqual(3);
      expect(group.name).toMatch(new RegExp(`^swarm_0[1-4]_${group.tactics!.join('\\+')}$`));
      expect(group.size).toBeGreaterThanOrEqual(20);
      if (group.tactics!.includes('tiny')) expect(group.size).toBeLessThanOrEqual(50);
    }
    expect(first.groups.filter((g) => g.kind === 'swarm')).toHaveLength(4);
    // Planted groups stay within 60% of accounts.
    expect(first.groups.filter((g) => !['household', 'organic', 'vpn_users', 'bystander', 'reseller'].includes(g.kind)).reduce((sum, g) => sum + g.size, 0)).toBeLessThanOrEqual(0.6 * 4000);
  });

  test('a mixture item and --swarms cycle through the list', async () => {
    const summary = await generateWorld({ out: path.join(root, 'mix'), accounts: 3000, seed: 2, tactics: ['client-builds+fresh-card+private-exits', 'tiny'], swarms: 3, tacticSwarmSize: 200 });
    expect(summary.groups.filter((g) => g.kind === 'swarm').map((g) => g.name).sort()).toEqual([
      'swarm_01_fresh-card+private-exits+client-builds', 'swarm_02_tiny', 'swarm_03_fresh-card+private-exits+client-builds',
    ]);
  });

  test('a tactic world one week later keeps every week-1 account and exchange', async () => {
    const options = { accounts: 3000, seed: 8, tactics: 'random' as const, swarms: 3 };
    await generateWorld({ out: path.join(root, 'tw1'), ...options });
    await generateWorld({ out: path.join(root, 'tw2'), ...options, week: 2 });
    for (const file of ['accounts.csv', 'exchanges.csv']) {
      const later = new Set(fs.readFileSync(path.join(root, 'tw2', file), 'utf8').split('\n'));
      expect(fs.readFileSync(path.join(root, 'tw1', file), 'utf8').split('\n').filter((line) => !later.has(line))).toEqual([]);
    }
  });
});

describe('bad --tactics input is exit 2 with a message that names it', () => {
  function rejection(options: Parameters<typeof generateWorld>[0]): Promise<string> {
    return generateWorld(options).then(() => 'accepted', (error) => {
      if (isSwarmscopeError(error)) return `${error.exitCode} ${error.message}`;
      throw error;
    });
  }
  test.each([
    [{ tactics: ['fresh-cards'] }, /^2 --tactics: unknown tactic "fresh-cards"; known: fresh-card, mega-card/],
    [{ tactics: ['fresh-card+mega-card'] }, /^2 --tactics: "fresh-card" and "mega-card" both change the swarm's payment/],
    [{ tactics: [] as string[] }, /^2 --tactics must be random or a comma-separated list/],
    [{ swarms: 2 }, /^2 --swarms needs --tactics/],
    [{ tactics: 'random' as const, swarms: 33 }, /^2 --swarms must be an integer from 1 to 32, got 33/],
    [{ tactics: ['tiny'], tacticSwarmSize: 10 }, /^2 --tactic-swarm-size must be 0 \(drawn\) or at least 20, got 10/],
    [{ tactics: ['fresh-card'], swarms: 4, tacticSwarmSize: 500 }, /^2 the 4 tactic swarms need 2000 accounts but the other planted groups leave/],
  ])('%j', async (options, message) => {
    expect(await rejection({ out: path.join(root, 'bad'), accounts: 2000, ...options })).toMatch(message);
  });
});
