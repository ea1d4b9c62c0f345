/**
 * Co-arrival waves in the account graph, through a real import of hand-written CSVs: the wave is one evidence unit
 * with the exit it arrived on and sits in the exit's view; the exit lets go of the pool's customers who were there
 * before the wave and who came one by one after it; a card (a payer) keeps every account whenever it joined; a
 * wave on a public tool ties nothing; and what is exported for GDS weighs a left-out link 0.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { World } from '../../src/core/world';
import { buildAccountGraph } from '../../src/graph/account-graph';
import { viewOf } from '../../src/graph/dispersion';
import { importWorld } from '../../src/ingest';
import { sweepLinkWeight } from '../../src/neo4j/weights';

const DAY = 86_400_000;
const T0 = Date.parse('2025-06-01T00:00:00Z');
const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

let dir: string;
let world: World;

/**
 * Three pool exits, each with 20 customers who came one by one over a year (each customer on one exit) and, on day
 * 400, a campaign of 15 accounts that arrived on all three exits within a day; two customers come after it. An
 * agency card pays for 20 clients who came one by one and then a batch of 6 on one day. A browser build that 600
 * people use, 40 of them arriving on day 400.
 */
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-arrival-'));
  const accounts = ['account_id,created_at,email_domain,country,status'];
  const ips = ['account_id,ip,first_seen,last_seen,requests,asn,is_proxy'];
  const cards = ['account_id,instrument_id,kind,first_seen,last_seen'];
  const prints = ['account_id,fingerprint,kind,first_seen,last_seen'];
  const add = (id: string, created: number) => accounts.push(`${id},${iso(created)},mail.example,US,active`);
  const ip = (id: string, address: string, t: number) => ips.push(`${id},${address},${iso(t)},${iso(T0 + 440 * DAY)},10,AS7922,true`);
  let n = 0;
  for (let exit = 0; exit < 3; exit++) {
    for (let k = 0; k < 20; k++) {
      const id = `customer-${exit}-${k}`;
      const t = T0 + (k * 18 + exit * 5) * DAY;
      add(id, t);
      ip(id, `24.0.0.${exit}`, t);
      cards.push(`${id},card-${n++},card,${iso(t)},${iso(T0 + 440 * DAY)}`);
    }
    const late = `late-${exit}`;
    add(late, T0 + 420 * DAY);
    ip(late, `24.0.0.${exit}`, T0 + 420 * DAY);
  }
  for (let k = 0; k < 15; k++) {
    const id = `campaign-${k}`;
    const t = T0 + 400 * DAY + k * 3_600_000;
    add(id, t);
    for (let exit = 0; exit < 3; exit++) ip(id, `24.0.0.${exit}`, t + exit * 60_000);
    cards.push(`${id},fresh-${k},prepaid_card,${iso(t)},${iso(T0 + 440 * DAY)}`);
  }
  for (let k = 0; k < 26; k++) {
    const id = `client-${k}`;
    const t = k < 20 ? T0 + k * 19 * DAY : T0 + 380 * DAY + k * 3_600_000;
    add(id, t);
    cards.push(`${id},agency-card,virtual_card,${iso(t)},${iso(T0 + 440 * DAY)}`);
    ip(id, `10.9.${k}.1`, t);
  }
  for (let k = 0; k < 600; k++) {
    const id = `person-${k}`;
    const t = k < 40 ? T0 + 400 * DAY + k * 600_000 : T0 + ((k * 7) % 440) * DAY;
    add(id, t);
    prints.push(`${id},browser-build,tls,${iso(t)},${iso(T0 + 440 * DAY)}`);
    ip(id, `10.${(k >> 8) + 1}.${k & 255}.2`, t);
    if (k % 3 === 0) prints.push(`${id},household-${Math.floor(k / 3)},device,${iso(t)},${iso(T0 + 440 * DAY)}`), prints.push(`person-${k + 1},household-${Math.floor(k / 3)},device,${iso(t)},${iso(T0 + 440 * DAY)}`);
  }
  fs.writeFileSync(path.join(dir, 'accounts.csv'), `${accounts.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'ip_addresses.csv'), `${ips.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'payment_instruments.csv'), `${cards.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'fingerprints.csv'), `${prints.join('\n')}\n`);
  world = await importWorld({ inputDir: dir, rejectsPath: null });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const syncIndex = (id: string) => world.identifiers.synchrony.ids.indexOf(id);
const accountIndex = (id: string) => world.accounts.ids.indexOf(id);

test('the import finds one wave per exit, the agency batch, and the browser build wave, and reports them', () => {
  const waves = world.identifiers.synchrony.ids.filter((id) => id.startsWith('arrival:'));
  expect(waves.filter((id) => id.startsWith('arrival:ip:24.0.0.')).length).toBe(3);
  expect(waves.some((id) => id.startsWith('arrival:instrument:agency-card:'))).toBe(true);
  expect(waves.some((id) => id.startsWith('arrival:fingerprint:browser-build:'))).toBe(true);
  expect(world.summary.arrivals?.ip.cohorts).toBe(3);
});

test("an exit's wave is one unit with the exit and in its view; the exit lets go of the customers before and after", () => {
  const graph = buildAccountGraph(world);
  const exit = world.identifiers.ip.ids.indexOf('24.0.0.0');
  const wave = world.identifiers.synchrony.ids.findIndex((id) => id.startsWith('arrival:ip:24.0.0.0:'));
  expect(graph.unit[graph.nodeOffset.synchrony + wave]).toBe(graph.nodeOffset.ip + exit);
  expect(graph.view.synchrony[wave]).toBe(viewOf('ip'));
  // The exit keeps the campaign's 15 accounts only: 20 customers before, one after, let go.
  expect(graph.degree.ip[exit]).toBe(15);
  const neighbours = new Set<number>();
  const node = graph.nodeOffset.ip + exit;
  for (let e = graph.graph.offsets[node]; e < graph.graph.offsets[node + 1]; e++) neighbours.add(graph.graph.targets[e]);
  expect(neighbours.has(accountIndex('customer-0-3'))).toBe(false);
  expect(neighbours.has(accountIndex('late-0'))).toBe(false);
  expect(neighbours.has(accountIndex('campaign-4'))).toBe(true);
  // GDS gets the same graph: a left-out link weighs 0.
  const weight = sweepLinkWeight(world);
  const links = world.links.ip;
  for (let l = 0; l < links.size; l++) {
    if (links.identifier[l] !== exit) continue;
    const campaign = world.accounts.ids[links.account[l]].startsWith('campaign-');
    expect(weight('ip', l) > 0).toBe(campaign);
  }
});

test('a card keeps every account whenever it joined; a wave on a public build ties nothing', () => {
  const graph = buildAccountGraph(world);
  const card = world.identifiers.instrument.ids.indexOf('agency-card');
  expect(graph.degree.instrument[card]).toBe(26);
  const build = world.identifiers.fingerprint.ids.indexOf('browser-build');
  expect(graph.weight.fingerprint[build]).toBe(0); // a hub: its people are in separate households
  const buildWave = world.identifiers.synchrony.ids.findIndex((id) => id.startsWith('arrival:fingerprint:browser-build:'));
  expect(graph.weight.synchrony[buildWave]).toBe(0);
  expect(syncIndex(world.identifiers.synchrony.ids[buildWave])).toBe(buildWave);
});
