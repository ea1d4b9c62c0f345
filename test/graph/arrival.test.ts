/**
 * Co-arrival cohorts (src/graph/arrival.ts) on links built by hand, where who came together is known: a campaign
 * that rents a commercial pool's exits comes in a burst and its cohort is found, the pool's customers who came one
 * by one are not in it and are let go by the graph as incumbents; a growing user base is not a burst (the
 * time-shifted null), a log that starts on one day is not a burst (left censoring), slow drip forms no cohort, and
 * a public fingerprint keeps every link.
 */
import { emptyIdentifierTable, emptyLinkTable, MS_PER_DAY, type IdentifierKind, type IdentifierTable, type LinkTable } from '../../src/core/world';
import { ARRIVAL_DEFAULTS, appendArrivals, incumbentLinkMask, measureArrivals } from '../../src/graph/arrival';

const T0 = Date.parse('2025-06-01T00:00:00Z');

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** IP identifiers and links from (account, ip, first seen) triples; links sorted by account, then identifier. */
function worldOf(rows: Array<[number, string, number]>): { identifiers: Record<IdentifierKind, IdentifierTable>; links: Record<IdentifierKind, LinkTable>; accounts: number } {
  const kinds: IdentifierKind[] = ['instrument', 'ip', 'fingerprint', 'template', 'client', 'synchrony'];
  const identifiers = Object.fromEntries(kinds.map((k) => [k, emptyIdentifierTable(k)])) as Record<IdentifierKind, IdentifierTable>;
  const links = Object.fromEntries(kinds.map((k) => [k, emptyLinkTable(k)])) as Record<IdentifierKind, LinkTable>;
  const ids: string[] = [];
  const index = new Map<string, number>();
  for (const [, ip] of rows) if (!index.has(ip)) index.set(ip, ids.push(ip) - 1);
  identifiers.ip = { ...emptyIdentifierTable('ip'), size: ids.length, ids, subkind: new Uint8Array(ids.length), proxy: new Int8Array(ids.length).fill(1) };
  const sorted = rows.map(([a, ip, t]) => [a, index.get(ip) as number, t] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  links.ip = {
    ...emptyLinkTable('ip'),
    size: sorted.length,
    account: Int32Array.from(sorted, (r) => r[0]),
    identifier: Int32Array.from(sorted, (r) => r[1]),
    firstSeen: Float64Array.from(sorted, (r) => r[2]),
    lastSeen: Float64Array.from(sorted, (r) => r[2] + 30 * MS_PER_DAY),
    count: new Float64Array(sorted.length).fill(1),
    rows: new Int32Array(sorted.length).fill(1),
  };
  return { identifiers, links, accounts: Math.max(0, ...rows.map((r) => r[0])) + 1 };
}

/**
 * Ten pool exits, each with 30 customers who came one by one over a year (the pool's) and, from the 300th day,
 * 12 campaign accounts that came within two days (each campaign account on three exits).
 */
function poolRows(): { rows: Array<[number, string, number]>; campaign: Set<number>; customers: Set<number> } {
  const rng = random(5);
  const rows: Array<[number, string, number]> = [];
  const customers = new Set<number>();
  const campaign = new Set<number>();
  let account = 0;
  for (let exit = 0; exit < 10; exit++) {
    for (let k = 0; k < 30; k++) {
      customers.add(account);
      rows.push([account++, `exit-${exit}`, T0 + rng() * 365 * MS_PER_DAY]);
    }
  }
  for (let k = 0; k < 40; k++) {
    const a = account++;
    campaign.add(a);
    for (let j = 0; j < 3; j++) rows.push([a, `exit-${(k + j * 3) % 10}`, T0 + (300 + rng() * 2) * MS_PER_DAY]);
  }
  return { rows, campaign, customers };
}

describe('measureArrivals', () => {
  test('a campaign that rents a pool finds its cohort on each exit; the customers who came one by one are in none', () => {
    const { rows, campaign, customers } = poolRows();
    const world = worldOf(rows);
    const result = measureArrivals(world.identifiers, world.links);
    expect(result.ids.length).toBe(10);
    for (const id of result.ids) expect(id).toMatch(/^arrival:ip:exit-\d:2026-0[34]-\d\d$/);
    const inCohorts = new Set(result.account);
    for (const a of campaign) expect(inCohorts.has(a)).toBe(true);
    // A customer who happened to come during the campaign's two days may join a cohort; hardly any do.
    expect([...inCohorts].filter((a) => customers.has(a)).length).toBeLessThanOrEqual(2);
    expect(result.byKind.ip.cohorts).toBe(10);
  });

  test('a user base that grows week by week is not a burst; a log that starts on one day is not one either', () => {
    const rows: Array<[number, string, number]> = [];
    let account = 0;
    // 1 … 40 newcomers a week on one fingerprint-like exit, evenly inside each week.
    for (let week = 0; week < 40; week++) for (let k = 0; k <= week; k++) rows.push([account++, 'growing', T0 + (week * 7 + (7 * k) / (week + 1)) * MS_PER_DAY]);
    // 200 links first seen on the log's first day (older links, left-censored), then a trickle.
    for (let k = 0; k < 200; k++) rows.push([account++, 'censored', T0 + k * 60_000]);
    for (let k = 0; k < 20; k++) rows.push([account++, 'censored', T0 + (20 + k * 13) * MS_PER_DAY]);
    const world = worldOf(rows);
    expect(measureArrivals(world.identifiers, world.links).ids).toEqual([]);
  });

  test('slow drip — one account every few days for months — forms no cohort', () => {
    const rows: Array<[number, string, number]> = [];
    for (let k = 0; k < 60; k++) rows.push([k, 'private', T0 + (10 + k * 4) * MS_PER_DAY]);
    const world = worldOf(rows);
    expect(measureArrivals(world.identifiers, world.links).ids).toEqual([]);
  });

  test('links without a first_seen count in the degree and never form a cohort', () => {
    const rows: Array<[number, string, number]> = [];
    for (let k = 0; k < 20; k++) rows.push([k, 'untimed', NaN]);
    rows.push([20, 'other', T0], [21, 'other', T0 + 400 * MS_PER_DAY]);
    const world = worldOf(rows);
    expect(measureArrivals(world.identifiers, world.links).ids).toEqual([]);
  });
});

describe('incumbentLinkMask', () => {
  test("lets go of a pool exit's customers from before the campaign came and of those who came one by one after it", () => {
    const { rows, campaign } = poolRows();
    // On a pool exit the campaign's wave is a minority: a customer who comes after it is the pool's too.
    rows.push([10_000, 'exit-0', T0 + 340 * MS_PER_DAY]);
    // A private exit: a wave of eight, then the operator adds two accounts one at a time; no one was there before.
    for (let k = 0; k < 8; k++) rows.push([10_001 + k, 'private', T0 + (200 + k * 0.1) * MS_PER_DAY]);
    rows.push([10_010, 'private', T0 + 230 * MS_PER_DAY], [10_011, 'private', T0 + 260 * MS_PER_DAY]);
    const world = worldOf(rows);
    const arrivals = measureArrivals(world.identifiers, world.links);
    const inStep = appendArrivals({ identifiers: emptyIdentifierTable('synchrony'), links: emptyLinkTable('synchrony') }, arrivals, world.accounts);
    const mask = incumbentLinkMask({ identifiers: { ...world.identifiers, synchrony: inStep.identifiers }, links: { ...world.links, synchrony: inStep.links } });
    expect(mask).not.toBeNull();
    const ipMask = (mask as Record<IdentifierKind, Uint8Array | null>).ip as Uint8Array;
    const links = world.links.ip;
    const ids = world.identifiers.ip.ids;
    let customersLetGo = 0;
    for (let l = 0; l < links.size; l++) {
      const a = links.account[l];
      const id = ids[links.identifier[l]];
      if (campaign.has(a) || id === 'private') expect({ a, id, left: ipMask[l] }).toEqual({ a, id, left: 0 });
      else if (a === 10_000) expect(ipMask[l]).toBe(1);
      else customersLetGo += ipMask[l];
    }
    // Every customer link but the few that arrived inside a wave.
    expect(customersLetGo).toBeGreaterThanOrEqual(298);
    expect((mask as Record<IdentifierKind, Uint8Array | null>).instrument).toBeNull();
  });

  test('appendArrivals keeps the link table sorted by account, then identifier, after the template groups', () => {
    const { rows } = poolRows();
    const world = worldOf(rows);
    const arrivals = measureArrivals(world.identifiers, world.links);
    const synchrony = { identifiers: { ...emptyIdentifierTable('synchrony'), size: 1, ids: ['sync:t1'], subkind: new Uint8Array(1) }, links: { ...emptyLinkTable('synchrony'), size: 2, account: Int32Array.of(5, 330), identifier: Int32Array.of(0, 0), firstSeen: Float64Array.of(T0, T0), lastSeen: Float64Array.of(T0, T0), count: Float64Array.of(3, 3), rows: Int32Array.of(3, 3) } };
    const merged = appendArrivals(synchrony, arrivals, world.accounts);
    expect(merged.identifiers.ids[0]).toBe('sync:t1');
    expect(merged.identifiers.size).toBe(1 + arrivals.ids.length);
    expect(merged.links.size).toBe(2 + arrivals.account.length);
    for (let l = 1; l < merged.links.size; l++) {
      const order = merged.links.account[l - 1] - merged.links.account[l] || merged.links.identifier[l - 1] - merged.links.identifier[l];
      expect(order).toBeLessThan(0);
    }
  });
});
