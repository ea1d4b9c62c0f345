/**
 * A mistyped year must be a reject with its line, never a crash (issue 15: one exchange dated 0026-10-01, or rows
 * spanning 0000-01-01 … 9999-12-31, overflowed the call stack in the report's volume chart and no sweep was
 * written). Through the spawned CLI: implausible dates are rejects naming file, line and column; a plausible but
 * century-wide span still gives a whole sweep.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, ROOT, runCli, tempDir } from '../sweep/support';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
let root: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-dates-');
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function worldWith(name: string, extraExchanges: string[]): { dir: string; firstExtraLine: number } {
  const dir = path.join(root, name);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  const file = path.join(dir, 'exchanges.csv');
  const text = fs.readFileSync(file, 'utf8');
  const firstExtraLine = text.split('\n').length; // the header is line 1 and the file ends with a line feed
  fs.appendFileSync(file, extraExchanges.map((row) => `${row}\n`).join(''));
  return { dir, firstExtraLine };
}

test('a mistyped year and a sentinel date are rejects with their lines; the sweep is written', () => {
  const { dir, firstExtraLine } = worldWith('typo', ['acct_swarm_01,0026-10-01,writing,1,1,1', 'acct_swarm_01,9999-12-31T00:00:00Z,writing,1,1,1']);
  const out = path.join(root, 'typo-sweep');
  const result = runCli(['sweep', dir, '--out', out]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(1); // rows were rejected
  const rejects = fs.readFileSync(path.join(out, 'rejects.csv'), 'utf8').trim().split('\n');
  expect(rejects).toHaveLength(3);
  expect(rejects[1]).toMatch(new RegExp(`^exchanges\\.csv,${firstExtraLine},timestamp,"date outside 1990-01-01 … 2099-12-31`));
  expect(rejects[2]).toMatch(new RegExp(`^exchanges\\.csv,${firstExtraLine + 1},timestamp,`));
  const validate = runCli(['validate', dir, '--rejects', path.join(root, 'typo.rejects.csv')]);
  expect(validate.status).toBe(1);
});

test('rows a century apart give a whole sweep with its charts', () => {
  const { dir } = worldWith('span', ['acct_swarm_01,1990-01-01,writing,1,1,1', 'acct_swarm_01,2099-12-31,writing,1,1,1']);
  const out = path.join(root, 'span-sweep');
  const result = runCli(['sweep', dir, '--out', out]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('<svg');
  expect(runCli(['report', out, '--cluster', 'C0001']).status).toBe(0);
});
