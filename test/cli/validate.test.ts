/** The spawned CLI (dist/cli/main.js): exit codes, stdout/stderr, JSON summary shape, where rejects go. */
import * as fs from 'fs';
import * as path from 'path';
import { CONTRACT_FILES } from '../../src/core/world';
import { runBuiltCli } from '../support/build';
import { FIXTURES, ensureBuilt, tempDir } from '../ingest/support';

function swarmscope(args: string[], cwd = process.cwd()) {
  return runBuiltCli(args, { cwd });
}

beforeAll(() => ensureBuilt());

describe('swarmscope validate', () => {
  it('prints a JSON summary with every contract file and exits 1 when rows were rejected', () => {
    const rejects = path.join(tempDir(), 'out.rejects.csv');
    const run = swarmscope(['validate', path.join(FIXTURES, 'rejects'), '--json', '--rejects', rejects]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    const summary = JSON.parse(run.stdout);
    expect(Object.keys(summary.files)).toEqual([...CONTRACT_FILES]);
    expect(summary.files['accounts.csv']).toMatchObject({ rows_read: 12, rows_loaded: 5, rows_rejected: 7, unknown_columns: ['signup_channel'] });
    expect(summary).toMatchObject({ accounts: 7, registered_accounts: 5, unregistered_accounts: 2, rows_rejected: 20, rejects_path: rejects });
    expect(fs.readFileSync(rejects, 'utf8').split('\n').length).toBe(22); // header + 20 rejects + final newline
  });

  it('exits 0 on a clean import; absent files are present with zeros', () => {
    const dir = path.join(FIXTURES, 'mapping');
    const run = swarmscope(['validate', dir, '--map', path.join(dir, 'mapping.json'), '--json']);
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.files['ip_addresses.csv']).toMatchObject({ present: false, rows_read: 0, rows_loaded: 0, rows_rejected: 0 });
    expect(summary.rejects_path).toBeNull();
    expect(summary.exchanges).toMatchObject({ rows: 3, exchanges: 6 });
  });

  it('prints a readable table that says where the rejects went (default: <folder>.rejects.csv in the working directory)', () => {
    const cwd = tempDir();
    const run = swarmscope(['validate', path.join(FIXTURES, 'gzip'), '--quiet'], cwd);
    expect(run.status).toBe(1);
    const expected = path.join(fs.realpathSync(cwd), 'gzip.rejects.csv');
    expect(run.stdout).toContain(`rejected rows   1 of 7, written to ${expected}`);
    expect(run.stdout).toMatch(/exchanges\.csv\s+\S+exchanges\.csv\.gz\s+3\s+2\s+1/);
    expect(fs.readFileSync(expected, 'utf8')).toContain('exchanges.csv.gz,4,count,');
  });

  it.each([
    ['no-accounts', /accounts\.csv is missing .* export it or map its name with --map/],
    ['missing-column', /accounts\.csv: required column "created_at" is missing \(header: account_id, created, country\)/],
    ['not-utf8', /accounts\.csv: not UTF-8 .* re-export the file as UTF-8/],
    ['bad-gzip', /accounts\.csv\.gz: unreadable gzip/],
    ['bad-quote', /accounts\.csv line 3: a quoted field opens here and is never closed/],
    ['empty-accounts', /accounts\.csv: the file is empty/],
  ])('fatal input %s: exit 2 and one line on stderr', (folder, message) => {
    const run = swarmscope(['validate', path.join(FIXTURES, 'fatal', folder), '--rejects', path.join(tempDir(), 'r.csv')]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(2); // one line + final newline: no stack trace
    expect(run.stderr).toMatch(/^swarmscope: /);
    expect(run.stderr).toMatch(message);
  });

  it('bad mapping, missing folder and a bad flag are exit 2', () => {
    const mapping = swarmscope(['validate', path.join(FIXTURES, 'mapping'), '--map', path.join(FIXTURES, 'mapping/bad-mapping.json')]);
    expect(mapping.status).toBe(2);
    expect(mapping.stderr).toMatch(/unknown column "acount_id"/);
    expect(swarmscope(['validate', path.join(FIXTURES, 'nowhere')]).status).toBe(2);
    const workers = swarmscope(['validate', path.join(FIXTURES, 'mapping'), '--workers', 'many']);
    expect(workers.status).toBe(2);
    expect(workers.stderr).toMatch(/--workers must be a whole number/);
  });

  it('has --help with an example', () => {
    const run = swarmscope(['validate', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Examples:\n {2}swarmscope validate /);
  });
});
