/**
 * --behaviour's promises (docs/generator.md, "Behaviour"), checked from the written files: the template and
 * client columns appear only with it and every other world keeps its bytes; minute rows carry templates and
 * clients that match the truth; swarms work on operators' schedules (regular, synchronous beyond a shifted
 * clock) while people do not; classes, teams and events look as documented; perfect-hygiene shares nothing and
 * framework-template hides in the framework's crowd; a 1M-account world would write at least 50M rows.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BEHAVIOUR_TACTIC_NAMES, TACTIC_NAMES, generateWorld, resolveOptions, type GenerateSummary } from '../../src/generate';
import { planTacticSwarms } from '../../src/generate/tactics';
import { COUNTRIES } from '../../src/generate/catalog';
import { isSwarmscopeError } from '../../src/core/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-behaviour-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const CLASSIC_HEADER = 'account_id,timestamp,capability,count,input_tokens,output_tokens';
const BEHAVIOUR_HEADER = `${CLASSIC_HEADER},template,client`;
const DAY_MINUTES = 1440;
const WINDOW_START_DAY = Date.parse('2026-09-01T00:00:00Z') / 86_400_000;

interface SharedEntry { kind: string; id: string; role: string; accounts: number }
interface Truth {
  groups: Array<{ name: string; kind: string; size: number; exchanges: number; facts: Record<string, unknown> }>;
  hubs: SharedEntry[];
  shared_identifiers: SharedEntry[];
  options: Record<string, unknown>;
  behaviour?: { framework: { client: string; default_template: string }; events: Array<{ first_day: string; days: number; template: string }> };
}

/** exchanges.csv of a behaviour world, column by column; minute = minutes since the window's first midnight (UTC). */
interface MinuteRows {
  account: string[];
  minute: Int32Array;
  capability: string[];
  count: Int32Array;
  template: string[];
  client: string[];
}

function readMinuteRows(dir: string): MinuteRows {
  const lines = fs.readFileSync(path.join(dir, 'exchanges.csv'), 'utf8').split('\n');
  expect(lines[0]).toBe(BEHAVIOUR_HEADER);
  const size = lines.length - 2;
  const rows: MinuteRows = { account: [], minute: new Int32Array(size), capability: [], count: new Int32Array(size), template: [], client: [] };
  const dayIndex = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    const cells = lines[i + 1].split(',');
    const stamp = cells[1];
    const day = stamp.slice(0, 10);
    let index = dayIndex.get(day);
    if (index === undefined) dayIndex.set(day, (index = Date.parse(`${day}T00:00:00Z`) / 86_400_000 - WINDOW_START_DAY));
    rows.account.push(cells[0]);
    rows.minute[i] = index * DAY_MINUTES + Number(stamp.slice(11, 13)) * 60 + Number(stamp.slice(14, 16));
    rows.capability.push(cells[2]);
    rows.count[i] = Number(cells[3]);
    rows.template.push(cells[6]);
    rows.client.push(cells[7]);
  }
  expect(lines[lines.length - 1]).toBe('');
  return rows;
}

function readMembers(dir: string): { groupOf: Map<string, string>; kindOf: Map<string, string> } {
  const lines = fs.readFileSync(path.join(dir, 'truth/members.csv'), 'utf8').trim().split('\n').slice(1);
  const groupOf = new Map<string, string>();
  const kindOf = new Map<string, string>();
  for (const line of lines) {
    const [account, group, kind] = line.split(',');
    groupOf.set(account, group);
    kindOf.set(account, kind);
  }
  return { groupOf, kindOf };
}

function readTruth(dir: string): Truth {
  return JSON.parse(fs.readFileSync(path.join(dir, 'truth/truth.json'), 'utf8')) as Truth;
}

/** Every row's index, by account. */
function rowsByAccount(rows: MinuteRows): Map<string, number[]> {
  const byAccount = new Map<string, number[]>();
  rows.account.forEach((account, i) => {
    const list = byAccount.get(account);
    if (list) list.push(i);
    else byAccount.set(account, [i]);
  });
  return byAccount;
}

/** Coefficient of variation of the gaps between an account's distinct active minutes (gaps under six hours: within a working stretch). */
function gapVariation(rows: MinuteRows, indexes: number[]): number | null {
  const minutes = [...new Set(indexes.map((i) => rows.minute[i]))].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let k = 1; k < minutes.length; k++) if (minutes[k] - minutes[k - 1] < 360) gaps.push(minutes[k] - minutes[k - 1]);
  if (gaps.length < 10) return null;
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length;
  return Math.sqrt(variance) / mean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * How much of two accounts' activity lines up: the share of b's (template, minute) actions with an action of a
 * on the same template within a minute either way; `shift` moves b's clock first (the null: coincidence).
 */
function matchedShare(rows: MinuteRows, a: number[], b: number[], shift = 0): number {
  const seen = new Set(a.map((i) => `${rows.template[i]}@${rows.minute[i]}`));
  let matched = 0;
  for (const i of b) {
    const m = rows.minute[i] + shift;
    if ([m - 1, m, m + 1].some((minute) => seen.has(`${rows.template[i]}@${minute}`))) matched++;
  }
  return matched / Math.max(1, Math.min(a.length, b.length));
}

function sha256(dir: string, files: string[]): string {
  const hash = crypto.createHash('sha256');
  for (const file of files) hash.update(fs.readFileSync(path.join(dir, file)));
  return hash.digest('hex');
}

describe('worlds without --behaviour keep their bytes', () => {
  // Written by the generator before --behaviour existed (commit 66b49da): the five contract files, members.csv and dense_groups.csv.
  const PINNED: Array<[string, Parameters<typeof generateWorld>[0], string]> = [
    ['classic', { out: '', accounts: 2000, seed: 5 }, '11a4ec498e6e1fbf5b272f707674f6cc0bede27bc34c2da85262cf1948840904'],
    ['tactics', { out: '', accounts: 3000, seed: 4, tactics: ['fresh-card', 'mega-card+tiny', 'sub-operators'], tacticSwarmSize: 100 }, '47ed29dd3b90c01bf70e480b3c13f3002e31c2c517c1249d8b17d9462038f63d'],
    ['random', { out: '', accounts: 3000, seed: 6, tactics: 'random', swarms: 3 }, 'c853c2a39bbd639c71844ab91c4907807fab85546474c1f36bfd696e2c0f10b6'],
  ];
  const FILES = ['accounts.csv', 'payment_instruments.csv', 'ip_addresses.csv', 'fingerprints.csv', 'exchanges.csv', 'truth/members.csv', 'truth/dense_groups.csv'];

  test.each(PINNED)('%s world: same bytes as before, the classic exchanges header, no behaviour in the truth', async (name, options, pinned) => {
    const dir = path.join(root, `pinned-${name}`);
    await generateWorld({ ...options, out: dir, behaviour: false });
    expect(sha256(dir, FILES)).toBe(pinned);
    expect(fs.readFileSync(path.join(dir, 'exchanges.csv'), 'utf8').split('\n', 1)[0]).toBe(CLASSIC_HEADER);
    const truth = readTruth(dir);
    expect(truth.behaviour).toBeUndefined();
    expect(truth.options).not.toHaveProperty('behaviour');
  });
});

describe('a behaviour world (12,000 accounts, classic swarms)', () => {
  const dir = path.join(root, 'behaviour');
  const plainDir = path.join(root, 'plain');
  let summary: GenerateSummary;
  let rows: MinuteRows;
  let byAccount: Map<string, number[]>;
  let groupOf: Map<string, string>;
  let kindOf: Map<string, string>;
  let truth: Truth;

  beforeAll(async () => {
    summary = await generateWorld({ out: dir, accounts: 12_000, seed: 5, behaviour: true });
    await generateWorld({ out: plainDir, accounts: 12_000, seed: 5 });
    rows = readMinuteRows(dir);
    byAccount = rowsByAccount(rows);
    ({ groupOf, kindOf } = readMembers(dir));
    truth = readTruth(dir);
  });

  test('exchanges.csv gains template and client; every row is one minute of one account', () => {
    const text = fs.readFileSync(path.join(dir, 'exchanges.csv'), 'utf8');
    const lines = text.split('\n').slice(1, -1);
    expect(lines.length).toBe(summary.files['exchanges.csv'].rows);
    for (const line of lines.slice(0, 20_000)) {
      expect(line).toMatch(/^acct_[0-9a-f]{8},2026-(09|10)-\d\dT\d\d:\d\d:00Z,[a-z_]+,[1-9]\d*,\d+,\d+,[0-9a-f]{16},[a-z][a-z-]*\/\d[\d.]*$/);
    }
    expect(rows.minute.reduce((most, minute) => Math.max(most, minute), 0)).toBeLessThan(45 * DAY_MINUTES);
    expect(rows.minute.reduce((least, minute) => Math.min(least, minute), Infinity)).toBeGreaterThanOrEqual(0);
    expect(truth.options.behaviour).toBe(true);
  });

  test('accounts and their links are those of the same world without --behaviour; only classes are new in members.csv', () => {
    for (const file of ['accounts.csv', 'payment_instruments.csv', 'ip_addresses.csv', 'fingerprints.csv']) {
      expect([file, sha256(dir, [file])]).toEqual([file, sha256(plainDir, [file])]);
    }
    const plain = readMembers(plainDir);
    for (const [account, group] of groupOf) {
      if (kindOf.get(account) === 'class') continue;
      expect([account, group]).toEqual([account, plain.groupOf.get(account)]);
    }
    expect([...kindOf.values()].filter((kind) => kind === 'class').length).toBeGreaterThanOrEqual(20);
  });

  test("the big swarm's volume is the classic one (28.8M scaled by size and days)", () => {
    const swarm = truth.groups.find((group) => group.name === 'swarm_residential_proxy')!;
    let total = 0;
    rows.account.forEach((account, i) => { if (groupOf.get(account) === 'swarm_residential_proxy') total += rows.count[i]; });
    expect(total).toBe(swarm.exchanges);
    const expected = 28_800_000 * (swarm.size / 25_000);
    expect(Math.abs(total - expected) / expected).toBeLessThan(0.03);
  });

  test('swarm accounts call at evenly spaced times; people do not', () => {
    const variation = (kinds: string[]) => [...byAccount]
      .filter(([account]) => kinds.includes(kindOf.get(account)!))
      .map(([, indexes]) => gapVariation(rows, indexes))
      .filter((value): value is number => value !== null);
    const swarm = variation(['swarm']);
    const people = variation(['organic', 'household', 'vpn_users']);
    expect(swarm.length).toBeGreaterThan(400);
    expect(people.length).toBeGreaterThan(500);
    expect(median(swarm)).toBeLessThan(0.6);
    expect(median(people)).toBeGreaterThan(1.2);
    // Nearly every swarm account is regular; hardly any person is.
    expect(swarm.filter((value) => value < 0.8).length / swarm.length).toBeGreaterThan(0.95);
    expect(people.filter((value) => value < 0.8).length / people.length).toBeLessThan(0.05);
  });

  test('accounts on one dispatcher act on the same template in the same minutes, far beyond a shifted clock', () => {
    // The datacenter swarm works all day on one dispatcher: every pair of its accounts lines up.
    const swarm = [...byAccount].filter(([account]) => groupOf.get(account) === 'swarm_datacenter').map(([, indexes]) => indexes);
    const observed: number[] = [];
    const shifted: number[] = [];
    for (let k = 0; k + 1 < Math.min(swarm.length, 60); k += 2) {
      observed.push(matchedShare(rows, swarm[k], swarm[k + 1]));
      shifted.push(matchedShare(rows, swarm[k], swarm[k + 1], 97 + 13 * k));
    }
    expect(median(observed)).toBeGreaterThan(0.5);
    expect(median(observed)).toBeGreaterThan(4 * median(shifted));
  });

  test("swarm rows: the operator's private templates and client, nobody else's; near-uniform token sizes", () => {
    for (const name of ['swarm_residential_proxy', 'swarm_datacenter', 'swarm_payment_ring']) {
      const facts = truth.groups.find((group) => group.name === name)!.facts.behaviour as { templates: string[]; client: string; work_pattern: string };
      expect(facts.templates.length).toBeGreaterThanOrEqual(1);
      expect(facts.templates.length).toBeLessThanOrEqual(5);
      const templates = new Set<string>();
      const clients = new Set<string>();
      rows.account.forEach((account, i) => {
        if (groupOf.get(account) !== name) return;
        templates.add(rows.template[i]);
        clients.add(rows.client[i]);
      });
      expect([...templates].sort()).toEqual([...facts.templates].sort());
      expect([...clients]).toEqual([facts.client]);
      const outsiders = new Set(rows.account.filter((account, i) => templates.has(rows.template[i]) && groupOf.get(account) !== name));
      expect([name, outsiders.size]).toEqual([name, 0]);
    }
    const lines = fs.readFileSync(path.join(dir, 'exchanges.csv'), 'utf8').split('\n').slice(1, -1);
    const perExchange = (kind: string) => lines
      .filter((_, i) => kindOf.get(rows.account[i]) === kind && rows.capability[i] === 'software_engineering' && rows.count[i] === 1)
      .map((line) => Number(line.split(',')[4]));
    const spread = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length * 0.9)] / sorted[Math.floor(sorted.length * 0.1)];
    };
    expect(spread(perExchange('swarm'))).toBeLessThan(1.2);
    expect(spread(perExchange('household'))).toBeGreaterThan(3);
  });

  test('people keep templates of their own; public defaults are shared by many unrelated people', () => {
    const templatesOf = new Map<string, Set<string>>();
    const accountsOf = new Map<string, Set<string>>();
    rows.account.forEach((account, i) => {
      if (!['organic', 'household'].includes(kindOf.get(account)!)) return;
      if (!templatesOf.has(account)) templatesOf.set(account, new Set());
      templatesOf.get(account)!.add(rows.template[i]);
      if (!accountsOf.has(rows.template[i])) accountsOf.set(rows.template[i], new Set());
      accountsOf.get(rows.template[i])!.add(account);
    });
    const ownTemplates = [...templatesOf.values()].map((templates) => [...templates].filter((template) => accountsOf.get(template)!.size === 1).length);
    expect(ownTemplates.filter((count) => count >= 1).length / ownTemplates.length).toBeGreaterThan(0.9);
    const publicRoles = new Set(['public SDK default template', 'web console default template', 'agent framework default template', 'public event example template']);
    const publicTemplates = [...truth.hubs, ...truth.shared_identifiers].filter((entry) => entry.kind === 'template' && publicRoles.has(entry.role));
    expect(publicTemplates.filter((entry) => entry.accounts >= 100).length).toBeGreaterThanOrEqual(4);
  });

  test('every template and client in the truth has the degree the data shows', () => {
    const accountsOf = new Map<string, Set<string>>();
    const add = (key: string, account: string) => {
      if (!accountsOf.has(key)) accountsOf.set(key, new Set());
      accountsOf.get(key)!.add(account);
    };
    rows.account.forEach((account, i) => {
      add(`template:${rows.template[i]}`, account);
      add(`client:${rows.client[i]}`, account);
    });
    const entries = [...truth.hubs, ...truth.shared_identifiers].filter((entry) => entry.kind === 'template' || entry.kind === 'client');
    expect(entries.length).toBeGreaterThan(20);
    for (const entry of entries) expect([entry.role, entry.id, accountsOf.get(`${entry.kind}:${entry.id}`)?.size]).toEqual([entry.role, entry.id, entry.accounts]);
  });

  test('classes: 20–200 students listed as a dense group, doing the homework within the class hour on class days', () => {
    const dense = fs.readFileSync(path.join(dir, 'truth/dense_groups.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    const classes = dense.filter(([, kind]) => kind === 'class');
    expect(classes.length).toBeGreaterThanOrEqual(1);
    for (const [name, , accounts] of classes) {
      const group = truth.groups.find((g) => g.name === name)!;
      const facts = group.facts as { homework_template: string; weekdays: string[]; start_utc: string };
      expect(Number(accounts)).toBe([...groupOf.values()].filter((g) => g === name).length);
      expect(Number(accounts)).toBeGreaterThanOrEqual(20);
      expect(Number(accounts)).toBeLessThanOrEqual(200);
      const start = Number(facts.start_utc.slice(0, 2)) * 60 + Number(facts.start_utc.slice(3, 5));
      const doers = new Set<string>();
      let inHour = 0;
      let homework = 0;
      const outsiders = new Set<string>();
      rows.template.forEach((template, i) => {
        if (template !== facts.homework_template) return;
        homework++;
        doers.add(rows.account[i]);
        if (groupOf.get(rows.account[i]) !== name) outsiders.add(rows.account[i]);
        const day = Math.floor(rows.minute[i] / DAY_MINUTES);
        const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][(WINDOW_START_DAY + day + 4) % 7];
        const late = rows.minute[i] - day * DAY_MINUTES - start;
        if (facts.weekdays.includes(weekday) && late >= 0 && late < 90) inHour++;
      });
      expect(outsiders.size).toBe(0);
      expect(inHour / homework).toBeGreaterThan(0.95);
      expect(doers.size / Number(accounts)).toBeGreaterThan(0.9);
    }
  });

  test('enterprise teams work office hours on weekdays in their own time zone', () => {
    let office = 0;
    let all = 0;
    for (const group of truth.groups.filter((g) => g.kind === 'enterprise_team')) {
      const offset = group.facts.utc_offset_minutes as number;
      rows.account.forEach((account, i) => {
        if (groupOf.get(account) !== group.name) return;
        const local = rows.minute[i] + offset;
        const day = Math.floor(local / DAY_MINUTES);
        const weekday = (WINDOW_START_DAY + day + 4) % 7;
        const hour = Math.floor((local - day * DAY_MINUTES) / 60);
        all++;
        if (weekday >= 1 && weekday <= 5 && hour >= 8 && hour < 20) office++;
      });
    }
    expect(all).toBeGreaterThan(1000);
    expect(office / all).toBeGreaterThan(0.97);
  });

  test('people follow their clock: evening-heavy consumers, quiet nights (local time)', () => {
    // Organic accounts' time zones are not in the data; their country is, and most countries have one zone.
    const accounts = fs.readFileSync(path.join(dir, 'accounts.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    const country = new Map(accounts.map((cells) => [cells[0], cells[3]]));
    const offsets: Record<string, number> = { GB: 0, DE: 60, FR: 60, IN: 330, JP: 540 };
    const byHour = new Array(24).fill(0);
    rows.account.forEach((account, i) => {
      const offset = offsets[country.get(account)!];
      if (offset === undefined || !['organic', 'household'].includes(kindOf.get(account)!)) return;
      byHour[Math.floor((((rows.minute[i] + offset) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES / 60)] += rows.count[i];
    });
    const night = byHour.slice(2, 6).reduce((a, b) => a + b, 0) / 4;
    const evening = byHour.slice(19, 23).reduce((a, b) => a + b, 0) / 4;
    expect(evening).toBeGreaterThan(5 * night);
  });

  test('a public event: many unrelated people spike on its day, many on its example template', () => {
    const event = truth.behaviour!.events[0];
    const eventDay = Date.parse(`${event.first_day}T00:00:00Z`) / 86_400_000 - WINDOW_START_DAY;
    const perDay = new Array(45).fill(0);
    rows.account.forEach((account, i) => { if (kindOf.get(account) === 'household') perDay[Math.floor(rows.minute[i] / DAY_MINUTES)] += rows.count[i]; });
    const around = [-8, -7, 7, 8].map((d) => perDay[eventDay + d]);
    expect(perDay[eventDay]).toBeGreaterThan(1.5 * Math.max(...around));
    const followers = new Set(rows.account.filter((_, i) => rows.template[i] === event.template));
    expect(followers.size).toBeGreaterThan(300);
  });
});

describe('behaviour tactics', () => {
  test('perfect-hygiene: no instrument, IP or fingerprint is shared by two accounts; each its own card, home-ISP line and device', async () => {
    const dir = path.join(root, 'hygiene');
    const summary = await generateWorld({ out: dir, accounts: 6000, seed: 2, tactics: ['perfect-hygiene'], tacticSwarmSize: 400 });
    const { kindOf } = readMembers(dir);
    const swarm = new Set([...kindOf].filter(([, kind]) => kind === 'swarm').map(([account]) => account));
    expect(swarm.size).toBe(400);
    const consumerAsns = new Set(COUNTRIES.flatMap((country) => country.home.map((carrier) => carrier.asn)));
    for (const [file, column] of [['payment_instruments.csv', 1], ['ip_addresses.csv', 1], ['fingerprints.csv', 1]] as const) {
      const lines = fs.readFileSync(path.join(dir, file), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
      const accountsOf = new Map<string, Set<string>>();
      const linksOf = new Map<string, number>();
      for (const cells of lines) {
        if (!accountsOf.has(cells[column])) accountsOf.set(cells[column], new Set());
        accountsOf.get(cells[column])!.add(cells[0]);
        if (swarm.has(cells[0])) linksOf.set(cells[0], (linksOf.get(cells[0]) ?? 0) + 1);
        if (file === 'ip_addresses.csv' && swarm.has(cells[0])) {
          expect(cells[1]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
          expect(consumerAsns.has(cells[5])).toBe(true);
        }
        if (file === 'fingerprints.csv' && swarm.has(cells[0])) expect(cells[2]).toBe('device');
      }
      for (const accounts of accountsOf.values()) {
        if ([...accounts].some((account) => swarm.has(account))) expect([file, accounts.size]).toEqual([file, 1]);
      }
      expect([file, [...swarm].every((account) => linksOf.get(account) === 1)]).toEqual([file, true]);
    }
    // What is left: private templates, a public client, and the dispatcher's rhythm.
    const rows = readMinuteRows(dir);
    const group = summary.groups.find((g) => g.kind === 'swarm')!;
    const facts = group.facts.behaviour as { templates: string[]; client: string };
    expect(facts.client).toMatch(/^python-sdk\//);
    const templates = new Set(facts.templates);
    expect(rows.account.filter((account, i) => templates.has(rows.template[i]) && !swarm.has(account))).toEqual([]);
    const clientUsers = new Set(rows.account.filter((_, i) => rows.client[i] === facts.client));
    expect([...clientUsers].filter((account) => !swarm.has(account)).length).toBeGreaterThan(100);
    expect(readTruth(dir).options.behaviour).toBe(true);
  });

  test('framework-template: the swarm sends the framework default that thousands of people in a 100k world send too; only its timing stands out', async () => {
    const dir = path.join(root, 'framework');
    await generateWorld({ out: dir, accounts: 100_000, seed: 3, tactics: ['framework-template'], tacticSwarmSize: 200 });
    const truth = readTruth(dir);
    const framework = truth.behaviour!.framework;
    const { kindOf } = readMembers(dir);
    // Stream the 2M-row file: keep only the framework template's rows.
    const text = fs.readFileSync(path.join(dir, 'exchanges.csv'), 'utf8');
    const legitimate = new Set<string>();
    const swarmRows: number[][] = [];
    const peopleRows = new Map<string, number[]>();
    const swarmIndex = new Map<string, number>();
    const clients = new Set<string>();
    let start = text.indexOf('\n') + 1;
    while (start < text.length) {
      const end = text.indexOf('\n', start);
      const line = text.slice(start, end);
      start = end + 1;
      if (!line.includes(framework.default_template)) continue;
      const cells = line.split(',');
      if (!cells[7].startsWith(`${framework.client}/`)) clients.add(cells[7]);
      const minute = (Date.parse(cells[1]) / 60_000) - WINDOW_START_DAY * DAY_MINUTES;
      if (kindOf.get(cells[0]) === 'swarm') {
        if (!swarmIndex.has(cells[0])) swarmIndex.set(cells[0], swarmRows.push([]) - 1);
        swarmRows[swarmIndex.get(cells[0])!].push(minute);
      } else {
        legitimate.add(cells[0]);
        if (!peopleRows.has(cells[0])) peopleRows.set(cells[0], []);
        peopleRows.get(cells[0])!.push(minute);
      }
    }
    expect([...clients]).toEqual([]);
    expect(swarmRows.length).toBe(200);
    expect(legitimate.size).toBeGreaterThan(2000);
    // The swarm's accounts line up minute by minute; the framework's users do not.
    const lineUp = (a: number[], b: number[]) => {
      const seen = new Set(a);
      return b.filter((m) => seen.has(m - 1) || seen.has(m) || seen.has(m + 1)).length / Math.max(1, Math.min(a.length, b.length));
    };
    const people = [...peopleRows.values()].filter((minutes) => minutes.length >= 20);
    const swarmPairs: number[] = [];
    const peoplePairs: number[] = [];
    for (let k = 0; k + 1 < 100; k += 2) {
      swarmPairs.push(lineUp(swarmRows[k], swarmRows[k + 1]));
      peoplePairs.push(lineUp(people[k % people.length], people[(k + 1) % people.length]));
    }
    const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(meanOf(swarmPairs)).toBeGreaterThan(0.05);
    expect(meanOf(swarmPairs)).toBeGreaterThan(10 * meanOf(peoplePairs));
  }, 120_000);

  test('behaviour tactics turn --behaviour on; random draws them only in behaviour worlds; perfect-hygiene takes payment, exits and fingerprints', () => {
    expect(BEHAVIOUR_TACTIC_NAMES).toEqual(['perfect-hygiene', 'framework-template']);
    expect(TACTIC_NAMES.some((name) => (BEHAVIOUR_TACTIC_NAMES as string[]).includes(name))).toBe(false);
    expect(resolveOptions({ out: 'x', tactics: ['fresh-card', 'tiny+framework-template'] }).behaviour).toBe(true);
    expect(resolveOptions({ out: 'x', tactics: ['fresh-card'] }).behaviour).toBe(false);
    expect(resolveOptions({ out: 'x', tactics: 'random' }).behaviour).toBe(false);
    const drawn = (behaviour: boolean) => {
      const options = resolveOptions({ out: 'x', accounts: 2_000_000, tactics: 'random', swarms: 32, behaviour });
      return planTacticSwarms(options, 1_200_000).flatMap((plan) => plan.tactics);
    };
    expect(drawn(false).some((tactic) => (BEHAVIOUR_TACTIC_NAMES as string[]).includes(tactic))).toBe(false);
    expect(drawn(true).some((tactic) => (BEHAVIOUR_TACTIC_NAMES as string[]).includes(tactic))).toBe(true);
    for (const other of ['fresh-card', 'private-exits', 'client-builds', 'sub-operators']) {
      let message = '';
      try {
        resolveOptions({ out: 'x', tactics: [`perfect-hygiene+${other}`] });
      } catch (error) {
        if (isSwarmscopeError(error)) message = `${error.exitCode} ${error.message}`;
      }
      expect(message).toMatch(new RegExp(`^2 --tactics: "perfect-hygiene" and "${other}" both change the swarm's`));
    }
  });
});

describe('row volume and week 2', () => {
  test('a 1M-account behaviour world writes at least 50M rows (from rows per account of a small world)', async () => {
    const dir = path.join(root, 'volume');
    const summary = await generateWorld({ out: dir, accounts: 8000, seed: 9, behaviour: true });
    const million = resolveOptions({ out: 'x', accounts: 1_000_000 });
    const swarmSizes: Record<string, number> = {
      swarm_residential_proxy: million.swarmSize, swarm_datacenter: million.datacenterSwarmSize, swarm_payment_ring: million.paymentRingSize,
    };
    let rows = 0;
    let legitimateRows = 0;
    let legitimateAccounts = 0;
    for (const group of summary.groups) {
      if (group.kind === 'swarm') rows += (group.exchange_rows / group.size) * swarmSizes[group.name];
      else {
        legitimateRows += group.exchange_rows;
        legitimateAccounts += group.size;
      }
    }
    rows += (legitimateRows / legitimateAccounts) * (1_000_000 - Object.values(swarmSizes).reduce((a, b) => a + b, 0));
    expect(rows).toBeGreaterThan(50_000_000);
    // Rows are about exchanges: one row per minute with exchanges, so at most one per exchange.
    expect(summary.files['exchanges.csv'].rows).toBeLessThanOrEqual(summary.exchanges);
    expect(summary.files['exchanges.csv'].rows).toBeGreaterThan(0.9 * summary.exchanges);
  });

  test('a behaviour world one week later keeps every week-1 account and exchange row; the same seed, the same bytes', async () => {
    const options = { accounts: 3000, seed: 8, tactics: 'random' as const, swarms: 3, tacticSwarmSize: 60, behaviour: true };
    await generateWorld({ out: path.join(root, 'bw1'), ...options });
    await generateWorld({ out: path.join(root, 'bw1-again'), ...options });
    await generateWorld({ out: path.join(root, 'bw2'), ...options, week: 2 });
    const files = ['accounts.csv', 'exchanges.csv', 'truth/members.csv', 'truth/dense_groups.csv'];
    expect(sha256(path.join(root, 'bw1-again'), files)).toBe(sha256(path.join(root, 'bw1'), files));
    for (const file of ['accounts.csv', 'exchanges.csv']) {
      const later = new Set(fs.readFileSync(path.join(root, 'bw2', file), 'utf8').split('\n'));
      expect(fs.readFileSync(path.join(root, 'bw1', file), 'utf8').split('\n').filter((line) => !later.has(line))).toEqual([]);
    }
  });
});
