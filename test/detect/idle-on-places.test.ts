/**
 * Step 3b of campaign grouping (src/detect/campaigns.ts, idleOnPlaces), through a real import of hand-written CSVs:
 * a member tied in only by places — proxy exits and the co-arrival waves on them — that sends next to nothing while
 * the campaign harvests is an ordinary customer of the same proxy pool, not a member; a card shared with an active
 * member keeps a quiet account in; a campaign with a tenth or more of its members quiet keeps them all.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Partition } from '../../src/core/partition';
import type { World } from '../../src/core/world';
import { detectClusters } from '../../src/detect';
import { importWorld } from '../../src/ingest';

const DAY = 86_400_000;
const T0 = Date.parse('2026-09-01T00:00:00Z');
const END = T0 + 30 * DAY;
const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
const date = (t: number) => iso(t).slice(0, 10);

let dir: string;
let world: World;
let partition: Partition;

/**
 * Campaign A: 80 accounts, a fresh prepaid card each, all on four pool exits they reached within a day, harvesting
 * 30 exchanges a day. On the same exits, in the same days: three pool customers (a card each, 0–3 exchanges in the
 * month), a quiet couple sharing a family card, and one quiet account that pays with campaign member A0's card.
 * Campaign B: 20 accounts on three other exits, four of them (a fifth) quiet. 300 people on their own lines, with
 * some activity, make the rest of the platform.
 */
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-idle-'));
  const accounts = ['account_id,created_at,email_domain,country,status'];
  const ips = ['account_id,ip,first_seen,last_seen,requests,asn,is_proxy'];
  const cards = ['account_id,instrument_id,kind,first_seen,last_seen'];
  const exchanges = ['account_id,timestamp,capability,count,input_tokens,output_tokens'];
  const add = (id: string, created: number) => accounts.push(`${id},${iso(created)},mail.example,US,active`);
  const ip = (id: string, address: string, t: number, proxy = true) => ips.push(`${id},${address},${iso(t)},${iso(END)},10,AS7922,${proxy}`);
  const card = (id: string, instrument: string, t: number, kind = 'card') => cards.push(`${id},${instrument},${kind},${iso(t)},${iso(END)}`);
  const harvest = (id: string, perDay: number) => {
    for (let d = 0; d < 30; d++) exchanges.push(`${id},${date(T0 + d * DAY)},software_engineering,${perDay},${perDay * 900},${perDay * 700}`);
  };
  const campaign = (name: string, size: number, exits: string[], quiet: number) => {
    for (let k = 0; k < size + quiet; k++) {
      const id = k < size ? `${name}${k}` : `${name}-quiet-${k - size}`;
      const t = T0 + k * 1_800_000;
      add(id, t);
      for (const exit of exits) ip(id, exit, t + 60_000);
      card(id, `${id}-card`, t, 'prepaid_card');
      if (k < size) harvest(id, 30);
    }
  };
  campaign('A', 80, ['24.0.0.1', '24.0.0.2', '24.0.0.3', '24.0.0.4'], 0);
  campaign('B', 20, ['24.0.1.1', '24.0.1.2', '24.0.1.3'], 4);
  const onExits = (id: string, t: number, sent: number) => {
    add(id, t);
    ip(id, '24.0.0.1', t + 3_600_000);
    ip(id, '24.0.0.3', t + 7_200_000);
    ip(id, `10.7.${id.length}.${sent + 1}`, t, false);
    if (sent > 0) exchanges.push(`${id},${date(t + 2 * DAY)},chat,${sent},300,400`);
  };
  for (let k = 0; k < 3; k++) {
    onExits(`customer-${k}`, T0 + (k + 1) * 7_200_000, k);
    card(`customer-${k}`, `customer-card-${k}`, T0 + (k + 1) * 7_200_000);
  }
  for (const id of ['couple-1', 'couple-2']) {
    onExits(id, T0 + 5 * 3_600_000, 1);
    card(id, 'family-card', T0 + 5 * 3_600_000);
  }
  // A member suspended after three days of harvesting: per day present it harvested like the rest.
  add('A-cut', T0);
  accounts[accounts.length - 1] = accounts[accounts.length - 1].replace(/,active$/, ',suspended');
  for (const exit of ['24.0.0.1', '24.0.0.2', '24.0.0.3', '24.0.0.4']) ip('A-cut', exit, T0 + 60_000);
  card('A-cut', 'A-cut-card', T0, 'prepaid_card');
  for (let d = 0; d < 3; d++) exchanges.push(`A-cut,${date(T0 + d * DAY)},software_engineering,30,27000,21000`);
  onExits('paid-by-A0', T0 + 6 * 3_600_000, 0);
  card('paid-by-A0', 'A0-card', T0 + 6 * 3_600_000, 'prepaid_card');
  for (let k = 0; k < 300; k++) {
    const id = `person-${k}`;
    const t = T0 - (k + 10) * DAY;
    add(id, t);
    ip(id, `10.${(k >> 8) + 1}.${k & 255}.2`, t, false);
    card(id, `person-card-${k}`, t);
    for (let d = k % 5; d < 30; d += 5) exchanges.push(`${id},${date(T0 + d * DAY)},chat,${1 + (k % 4)},400,500`);
  }
  fs.writeFileSync(path.join(dir, 'accounts.csv'), `${accounts.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'ip_addresses.csv'), `${ips.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'payment_instruments.csv'), `${cards.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'fingerprints.csv'), 'account_id,fingerprint,kind,first_seen,last_seen\n');
  fs.writeFileSync(path.join(dir, 'exchanges.csv'), `${exchanges.join('\n')}\n`);
  world = await importWorld({ inputDir: dir, rejectsPath: null });
  partition = detectClusters(world);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** External ids of the cluster holding `id` (empty when it is in none). */
function clusterOf(id: string): string[] {
  const a = world.accounts.ids.indexOf(id);
  const c = partition.accountCluster[a];
  return c < 0 ? [] : Array.from(partition.clusters[c].accounts, (m) => world.accounts.ids[m]).sort();
}

test('a campaign held together by places keeps every harvesting member', () => {
  const members = clusterOf('A0');
  for (let k = 0; k < 80; k++) expect(members).toContain(`A${k}`);
});

test('pool customers and a quiet couple on the campaign\'s exits, in its wave, are not members', () => {
  const members = clusterOf('A0');
  for (const id of ['customer-0', 'customer-1', 'customer-2', 'couple-1', 'couple-2']) expect(members).not.toContain(id);
});

test('a member suspended after a few days of harvesting is not quiet: its days present end at its last exchange', () => {
  expect(clusterOf('A0')).toContain('A-cut');
});

test('a quiet account paying with a campaign member\'s card stays: the card ties it in', () => {
  expect(clusterOf('A0')).toContain('paid-by-A0');
});

test('a campaign with a fifth of its members quiet keeps them all', () => {
  const members = clusterOf('B0');
  expect(members).toHaveLength(24);
  for (let k = 0; k < 4; k++) expect(members).toContain(`B-quiet-${k}`);
});
