/**
 * The rejects file is rewritten on every import, so --rejects may only name a new path or an earlier rejects
 * file (issue 15: `validate <dir> --rejects <dir>/accounts.csv` truncated the input; `--rejects st/state.json`
 * destroyed a state dir). Through the spawned CLI: an input file, a JSON file, a directory, a FIFO and a symlink
 * are refused with exit 2 and one line, untouched; an earlier rejects file is rewritten.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, ROOT, runCli, tempDir } from '../sweep/support';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
let root: string;
let input: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-rejects-');
  input = path.join(root, 'input');
  fs.cpSync(FIXTURE, input, { recursive: true });
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function expectRefused(result: ReturnType<typeof runCli>, pattern: RegExp): void {
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.status).toBe(2);
}

test('an input file named as --rejects is refused and keeps every byte', () => {
  const accounts = path.join(input, 'accounts.csv');
  const before = fs.readFileSync(accounts);
  expectRefused(runCli(['validate', input, '--rejects', accounts]), /accounts\.csv: exists and is not a rejects file/);
  expect(fs.readFileSync(accounts).equals(before)).toBe(true);
});

test('a state dir\'s state.json named as --rejects is refused', () => {
  const state = path.join(root, 'st');
  fs.mkdirSync(state);
  fs.writeFileSync(path.join(state, 'state.json'), '{"schema_version":1}\n');
  expectRefused(runCli(['validate', input, '--rejects', path.join(state, 'state.json')]), /state\.json: exists and is not a rejects file/);
  expect(fs.readFileSync(path.join(state, 'state.json'), 'utf8')).toBe('{"schema_version":1}\n');
});

test('a directory, a FIFO and a symlink are refused', () => {
  expectRefused(runCli(['validate', input, '--rejects', root]), /is a directory/);
  const fifo = path.join(root, 'pipe');
  execFileSync('mkfifo', [fifo]);
  expectRefused(runCli(['validate', input, '--rejects', fifo]), /is not a regular file/);
  const target = path.join(root, 'precious.txt');
  fs.writeFileSync(target, 'precious');
  fs.symlinkSync(target, path.join(root, 'link.csv'));
  expectRefused(runCli(['validate', input, '--rejects', path.join(root, 'link.csv')]), /is a symbolic link/);
  expect(fs.readFileSync(target, 'utf8')).toBe('precious');
});

test('an earlier rejects file is rewritten', () => {
  const rejects = path.join(root, 'old.rejects.csv');
  fs.writeFileSync(rejects, 'file,line,column,reason,row\naccounts.csv,9,created_at,bad date,"x"\n');
  const result = runCli(['validate', input, '--rejects', rejects]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(fs.readFileSync(rejects, 'utf8')).toBe('file,line,column,reason,row\n');
});
