/**
 * exchanges.csv's optional `template` and `client` columns and minute-level timestamps (data contract 0.2):
 * templates and clients become identifiers with links, rows timed to the minute become activity cells merged
 * per (account, minute, template), each row's resolution is counted, prompt text is refused, and an export
 * without the new columns loads as before.
 */
import * as fs from 'fs';
import * as path from 'path';
import { importWorld } from '../../src/ingest';
import { tempDir, writeFiles } from './support';

const ACCOUNTS = 'account_id,created_at\na1,2026-08-01\na2,2026-08-01\na3,2026-08-01\n';
const TEMPLATE_A = '7f3a9c01d2e4b5f6';
const TEMPLATE_B = '0b1c2d3e4f5a6b7c';

function exchanges(rows: string[]): string {
  return ['account_id,timestamp,capability,count,input_tokens,output_tokens,template,client', ...rows].join('\n') + '\n';
}

describe('template and client columns, minute-level activity', () => {
  const dir = tempDir();
  const input = writeFiles(path.join(dir, 'in'), {
    'accounts.csv': ACCOUNTS,
    'exchanges.csv': exchanges([
      `a1,2026-09-01T10:02:15Z,software_engineering,1,100,200,${TEMPLATE_A},python-sdk/1.42.0`, // line 2
      `a1,2026-09-01T10:02:50Z,software_engineering,2,100,200,${TEMPLATE_A},python-sdk/1.42.0`, // same minute, same template
      `a1,2026-09-01T10:02:30Z,software_engineering,1,100,200,${TEMPLATE_B},python-sdk/1.42.0`, // same minute, other template
      `a2,2026-09-01T10:03:00Z,software_engineering,1,100,200,${TEMPLATE_A},`, // no client
      `a2,2026-09-01T11:00:00Z,writing,40,100,200,,`, // on the hour, in a file of minutes: a minute
      `a3,2026-09-02,writing,7,100,200,,web-console/3`, // a day
      `a3,2026-09-02T08:15:00Z,writing,1,100,200,${'x'.repeat(200)},`, // prompt text in the template column: line 8
    ]),
  });
  const rejectsPath = path.join(dir, 'rejects.csv');
  let world: Awaited<ReturnType<typeof importWorld>>;
  beforeAll(async () => {
    world = await importWorld({ inputDir: input, rejectsPath, workers: 0 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('templates and clients are identifiers with one link per (account, identifier)', () => {
    expect([...world.identifiers.template.ids].sort()).toEqual([TEMPLATE_B, TEMPLATE_A].sort());
    expect([...world.identifiers.client.ids].sort()).toEqual(['python-sdk/1.42.0', 'web-console/3']);
    const templateA = world.identifiers.template.ids.indexOf(TEMPLATE_A);
    const links = world.links.template;
    const onA = Array.from({ length: links.size }, (_, l) => l).filter((l) => links.identifier[l] === templateA);
    expect(onA.map((l) => world.accounts.ids[links.account[l]]).sort()).toEqual(['a1', 'a2']);
    // a1's three exchanges on template A (1 + 2) merge into one link.
    const a1 = onA.find((l) => world.accounts.ids[links.account[l]] === 'a1') as number;
    expect(links.count[a1]).toBe(3);
    expect(links.rows[a1]).toBe(2);
    expect(world.summary.links.client).toBe(2);
  });

  test('rows timed to the minute become activity cells, merged per (account, minute, template)', () => {
    const { activity } = world;
    expect(activity.cells).toBe(4);
    const minute = Math.floor(Date.parse('2026-09-01T10:02:00Z') / 60_000);
    const a1 = world.accounts.ids.indexOf('a1');
    const cellsOfA1 = Array.from({ length: activity.accountOffsets[a1 + 1] - activity.accountOffsets[a1] }, (_, i) => activity.accountOffsets[a1] + i);
    expect(cellsOfA1.map((c) => [activity.minute[c], world.identifiers.template.ids[activity.template[c]], activity.count[c]])).toEqual(
      [[minute, TEMPLATE_A, 3], [minute, TEMPLATE_B, 1]].sort((p, q) => world.identifiers.template.ids.indexOf(p[1] as string) - world.identifiers.template.ids.indexOf(q[1] as string)),
    );
    expect(world.summary.exchanges.rows_by_resolution).toEqual({ minute: 5, hour: 0, day: 1 });
    expect(world.summary.exchanges.activity_cells).toBe(4);
  });

  test('volume still counts every loaded row by its UTC day', () => {
    expect(world.summary.exchanges.exchanges).toBe(1 + 2 + 1 + 1 + 40 + 7);
  });

  test('a template cell holding prompt text is a reject with its line, not an identifier', () => {
    const rejects = fs.readFileSync(rejectsPath, 'utf8');
    expect(rejects).toMatch(/^exchanges\.csv,8,template,"?cell too long/m);
    expect(world.summary.files['exchanges.csv'].rows_rejected).toBe(1);
  });

  test('a file whose timed rows are all on the hour holds hourly buckets: no minute-level activity', async () => {
    const hourly = writeFiles(path.join(dir, 'hourly'), {
      'accounts.csv': ACCOUNTS,
      'exchanges.csv': exchanges([`a1,2026-09-01T10:00:00Z,writing,30,1,1,${TEMPLATE_A},`, `a2,2026-09-01T11:00:00Z,writing,12,1,1,${TEMPLATE_A},`, 'a3,2026-09-02,writing,7,1,1,,']),
    });
    const hourlyWorld = await importWorld({ inputDir: hourly, rejectsPath: null, workers: 0 });
    expect(hourlyWorld.summary.exchanges.rows_by_resolution).toEqual({ minute: 0, hour: 2, day: 1 });
    expect(hourlyWorld.activity.cells).toBe(0);
    expect(hourlyWorld.links.template.size).toBe(2);
  });

  test('an export without the new columns loads with no template or client links', async () => {
    const old = writeFiles(path.join(dir, 'old'), {
      'accounts.csv': ACCOUNTS,
      'exchanges.csv': 'account_id,timestamp,capability,count\na1,2026-09-01,writing,3\na2,2026-09-01T10:02:00Z,writing,1\n',
    });
    const oldWorld = await importWorld({ inputDir: old, rejectsPath: path.join(dir, 'old-rejects.csv'), workers: 0 });
    expect(oldWorld.identifiers.template.size).toBe(0);
    expect(oldWorld.links.client.size).toBe(0);
    expect(oldWorld.summary.exchanges.rows_by_resolution).toEqual({ minute: 1, hour: 0, day: 1 });
    expect(oldWorld.activity.cells).toBe(1);
    expect(oldWorld.activity.template[0]).toBe(-1);
  });
});
