/**
 * The neo4j-admin bundle on a generated world: headers the importer understands, no dangling relationship,
 * one Account per account, ids written exactly (no formula neutralisation), and a README with the command.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ADMIN_ARRAY_DELIMITER, adminDatetime, adminText, writeAdminBundle } from '../../src/neo4j/admin';
import { checkBundle, readCsv } from './bundleCheck';
import { generatedSweep } from './fixtures';

describe('neo4j-admin bundle', () => {
  const sweep = generatedSweep('2026-W47');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-admin-'));
  let result: Awaited<ReturnType<typeof writeAdminBundle>>;

  beforeAll(async () => {
    result = await writeAdminBundle(sweep, dir);
  });

  test('is consistent: every relationship endpoint is a node, one Account per account, no duplicate ids', () => {
    const spaces = checkBundle(dir, result.files);
    expect([...spaces.get('Account')!].sort()).toEqual([...sweep.world.accounts.ids].sort());
    expect(spaces.get('IP')!.size).toBe(sweep.world.identifiers.ip.size);
    expect(spaces.get('Cluster')!.size).toBe(sweep.clusters.length);
    const rows = Object.fromEntries(result.files.map((f) => [f.file, f.rows]));
    expect(rows['relationships/used_ip.csv']).toBe(sweep.world.links.ip.size);
    expect(rows['relationships/member_of.csv']).toBe(sweep.members.length);
  });

  test('headers use ID spaces, typed properties, :LABEL and :TYPE', () => {
    expect(readCsv(path.join(dir, 'nodes/accounts.csv')).header).toEqual([
      'id:ID(Account)', 'created_at:datetime', 'email_domain', 'country', 'status', 'registered:boolean', ':LABEL',
    ]);
    expect(readCsv(path.join(dir, 'relationships/used_card.csv')).header).toEqual([
      ':START_ID(Account)', ':END_ID(PaymentInstrument)', 'first_seen:datetime', 'last_seen:datetime', 'count:long', 'weight:double', ':TYPE',
    ]);
    expect(readCsv(path.join(dir, 'nodes/ips.csv')).header).toEqual(['id:ID(IP)', 'kind', 'degree:long', 'hub:boolean', 'asn', 'proxy:boolean', ':LABEL']);
    const clusters = readCsv(path.join(dir, 'nodes/clusters.csv'));
    expect(clusters.header).toContain('risk:int');
    expect(clusters.header).toContain('reasons:string[]');
    const c1 = clusters.rows.find((r) => r[0] === '2026-W47/C1')!;
    expect(c1[clusters.header.indexOf(':LABEL')]).toBe(`Cluster${ADMIN_ARRAY_DELIMITER}HighRisk`);
    expect(c1[clusters.header.indexOf('capabilities:string[]')].split(ADMIN_ARRAY_DELIMITER)).toEqual(['coding', 'agentic']);
    expect([c1[clusters.header.indexOf('event')], c1[clusters.header.indexOf('previous_id')], c1[clusters.header.indexOf('identifiers_of:string[]')]]).toEqual(['new', '', 'C0099']);
  });

  test('values: ids are exact (a formula-like id is not neutralised), times are ISO, hubs flagged, tier labels on accounts', () => {
    const accounts = readCsv(path.join(dir, 'nodes/accounts.csv'));
    const formulaLike = accounts.rows.find((r) => r[0].startsWith('=cmd'));
    expect(formulaLike?.[0]).toBe('=cmd|calc');
    expect(accounts.rows[0][1]).toBe('2025-12-31T00:00:00.000Z');
    expect(accounts.rows[accounts.rows.length - 1][1]).toBe(''); // unknown creation time: no property
    const high = accounts.rows.filter((r) => r[6] === `Account${ADMIN_ARRAY_DELIMITER}HighRisk`).map((r) => r[0]).sort();
    expect(high).toEqual(sweep.members.filter((m) => m.cluster !== 'C3').map((m) => m.account).sort());
    const ips = readCsv(path.join(dir, 'nodes/ips.csv'));
    expect(ips.rows.find((r) => r[0] === '10.0.0.1')!.slice(2, 4)).toEqual(['21', 'true']);
    const links = readCsv(path.join(dir, 'relationships/used_ip.csv'));
    const hubLink = links.rows.find((r) => r[1] === '10.0.0.1')!;
    expect(Number(hubLink[5])).toBe(0); // the hub carries no weight
    expect(adminText('say "hi", bye')).toBe('"say ""hi"", bye"');
  });

  test('README gives the exact import command for every file', () => {
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('neo4j-admin database import full neo4j');
    expect(readme).not.toMatch(/^CREATE DATABASE/m); // Community Edition refuses it
    for (const f of result.files) expect(readme).toContain(`--${f.kind}=${f.file}`);
    expect(readme).toContain('--array-delimiter=U+001F');
    expect(fs.readFileSync(path.join(dir, 'schema.cypher'), 'utf8')).toContain('CREATE CONSTRAINT swarmscope_account_id IF NOT EXISTS');
  });
});

test('adminDatetime writes what Date.toISOString writes', () => {
  for (const ms of [0, 1, 999, 86_399_999, Date.UTC(2026, 10, 23, 4, 47, 41, 305), -1, -86_400_001, 1.7e12 + 0.4]) {
    expect(adminDatetime(ms)).toBe(new Date(Math.round(ms)).toISOString());
  }
  expect(adminDatetime(NaN)).toBe('');
});
