/** Singular and plural in what `swarmscope validate` prints and writes: "1 row", "1 cell", "2 links". */
import * as fs from 'fs';
import * as path from 'path';
import { renderSummaryTable } from '../../cli/commands/validate';
import { importWorld } from '../../src/ingest';
import { tempDir, writeFiles } from './support';

let dir: string;
beforeAll(() => {
  dir = tempDir('swarmscope-wording-');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a row with one cell is rejected as "1 cell", not "1 cells"', async () => {
  const input = writeFiles(path.join(dir, 'one-cell'), {
    'accounts.csv': 'account_id,created_at,email_domain,country,status\na1,2026-01-02,d.test,US,active\na2\na3,2026-01-02\n',
  });
  const rejectsPath = path.join(dir, 'one-cell.rejects.csv');
  await importWorld({ inputDir: input, rejectsPath, workers: 0 });
  const text = fs.readFileSync(rejectsPath, 'utf8');
  expect(text).toContain('wrong column count: 1 cell, the header has 5');
  expect(text).toContain('wrong column count: 2 cells, the header has 5');
});

test('the validate summary says "1 identifier, 1 link", "in 1 row" and "(1 row read)"', async () => {
  const input = writeFiles(path.join(dir, 'one-each'), {
    'accounts.csv': 'account_id,created_at\na1,2026-01-02\n',
    'ip_addresses.csv': 'account_id,ip\na1,10.0.0.1\n',
    'exchanges.csv': 'account_id,timestamp,capability,count\na1,2026-01-02T10:00:00Z,math,1\n',
  });
  const world = await importWorld({ inputDir: input, rejectsPath: null, workers: 0 });
  const text = renderSummaryTable(world.summary);
  expect(text).toMatch(/^ips +1 identifier, 1 link$/m);
  expect(text).toMatch(/^instruments +0 identifiers, 0 links$/m);
  expect(text).toMatch(/^exchanges +1 in 1 row; /m);
  expect(text).toMatch(/^rejected rows +none \(3 rows read\)$/m);
  const single = renderSummaryTable({ ...world.summary, rows_read: 1 });
  expect(single).toMatch(/^rejected rows +none \(1 row read\)$/m);
});
