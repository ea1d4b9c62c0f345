/**
 * Write failures are the user's disk, not a bug (issue 15): a full stdout (`> /dev/full`) and a full disk (ENOSPC,
 * injected at the output-file helper with SWARMSCOPE_TEST_WRITE_FAILS, since a test cannot count on mounting a
 * small tmpfs) exit 2 with one line naming "standard output" or the file and the cause, never a stack trace; a
 * closed pipe (`| head -c1`) exits quietly; and a failed write never leaves a half-written output in place of a
 * previous good one, nor temporary debris.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, ROOT, ensureBuilt, tempDir } from '../sweep/support';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
let root: string;
let karate: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-disk-');
  // A small graph of our own, so the test does not depend on where reference graphs live.
  karate = path.join(root, 'ring.csv');
  fs.writeFileSync(karate, Array.from({ length: 30 }, (_, i) => `n${i},n${(i + 1) % 30}\nn${i},n${(i + 2) % 30}\n`).join(''));
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI with stdout sent to `stdout` (a path such as /dev/full, or 'pipe'). */
function run(args: string[], options: { stdout?: string; env?: Record<string, string> } = {}): Run {
  const fd = options.stdout ? fs.openSync(options.stdout, 'w') : 'pipe';
  try {
    const result = spawnSync(process.execPath, [CLI, ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      stdio: ['ignore', fd, 'pipe'],
      env: { ...process.env, SWARMSCOPE_DEBUG: '', ...options.env },
    });
    return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr };
  } finally {
    if (typeof fd === 'number') fs.closeSync(fd);
  }
}

function expectOneLine(result: Run, status: number, line: RegExp): void {
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+|internal error/);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr.trim()).toMatch(line);
  expect(result.status).toBe(status);
}

/** Every file under dir with its bytes, so "untouched" can be asserted exactly. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, entry);
    if (fs.statSync(file).isFile()) out[entry] = fs.readFileSync(file, 'base64');
  }
  return out;
}

const FULL_STDOUT = /^swarmscope: cannot write to standard output: no space left on the device \(ENOSPC\)$/;

describe('a full standard output (> /dev/full)', () => {
  it.each([
    ['validate', ['validate', FIXTURE, '--quiet']],
    ['validate --json', ['validate', FIXTURE, '--json']],
    ['detect', ['detect', 'ring.csv']],
    ['detect --json', ['detect', 'ring.csv', '--json']],
  ])('%s: exit 2, one line naming standard output', (_name, args) => {
    expectOneLine(run(args, { stdout: '/dev/full' }), 2, FULL_STDOUT);
  });

  it('sweep: exit 2, one line, and the sweep it saved before printing is whole', () => {
    const out = path.join(root, 'sweep-full-stdout');
    expectOneLine(run(['sweep', FIXTURE, '--out', out], { stdout: '/dev/full' }), 2, FULL_STDOUT);
    expect(fs.readdirSync(out)).toEqual(expect.arrayContaining(['report.json', 'members.csv', 'world.snapshot']));
    expect(() => JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'))).not.toThrow();
  });

  it('with standard error full too: exit 2, nothing thrown at the terminal', () => {
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" validate "${FIXTURE}" --quiet >/dev/full 2>/dev/full; echo $?`], { encoding: 'utf8' });
    expect(result.stdout.trim()).toBe('2');
    expect(result.stderr).toBe('');
  });
});

describe('a closed pipe (| head -c1)', () => {
  it.each([
    ['validate', `validate "${FIXTURE}" --quiet`],
    ['sweep', `sweep "${FIXTURE}" --out sweep-pipe`],
    ['detect', 'detect ring.csv'],
  ])('%s exits quietly with its own exit code', (_name, args) => {
    const result = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" ${args} | head -c1 >/dev/null`], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, SWARMSCOPE_DEBUG: '' },
    });
    expect(result.stderr).toBe('');
    expect([0, 1]).toContain(result.status);
  });
});

describe('a full disk (ENOSPC injected at the output-file helper)', () => {
  it.each(['world.snapshot', 'members.csv', 'clusters.csv', 'report.html', 'report.json'])(
    'sweep failing to write %s: exit 2 naming it, the previous sweep untouched, no debris',
    (file) => {
      const parent = fs.mkdtempSync(path.join(root, 'enospc-'));
      const out = path.join(parent, 'sweep');
      expect(run(['sweep', FIXTURE, '--out', out, '--quiet']).status).toBe(0);
      const before = snapshot(out);
      const result = run(['sweep', FIXTURE, '--out', out, '--quiet'], { env: { SWARMSCOPE_TEST_WRITE_FAILS: `ENOSPC:${file}` } });
      expectOneLine(result, 2, new RegExp(`^swarmscope: cannot write \\S*${file.replace('.', '\\.')}: no space left on the device \\(ENOSPC\\)$`));
      expect(snapshot(out)).toEqual(before);
      expect(fs.readdirSync(parent)).toEqual(['sweep']);
    },
  );

  it('detect --out: a failed write leaves the previous membership file as it was, and no temporary file', () => {
    const dir = fs.mkdtempSync(path.join(root, 'detect-out-'));
    const out = path.join(dir, 'membership.csv');
    fs.writeFileSync(out, 'node,community\nprevious,0\n');
    const result = run(['detect', karate, '--out', out], { env: { SWARMSCOPE_TEST_WRITE_FAILS: 'ENOSPC:membership.csv' } });
    expectOneLine(result, 2, new RegExp(`^swarmscope: cannot write ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no space left on the device \\(ENOSPC\\)$`));
    expect(fs.readFileSync(out, 'utf8')).toBe('node,community\nprevious,0\n');
    expect(fs.readdirSync(dir)).toEqual(['membership.csv']);
    expect(run(['detect', karate, '--out', out]).status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^node,community\nn0,\d+\n/);
  });

  it.each(['validate', 'sweep'])('%s failing to write its rejects file: exit 2 naming it, not an internal error', (command) => {
    // An input with one rejected row, so there is a rejects file to write.
    const input = fs.mkdtempSync(path.join(root, 'rejecting-'));
    fs.cpSync(FIXTURE, input, { recursive: true });
    fs.appendFileSync(path.join(input, 'accounts.csv'), 'a row with,too few columns\n');
    const rejects = path.join(fs.mkdtempSync(path.join(root, 'rejects-')), 'rejects.csv');
    const args = command === 'validate' ? ['validate', input, '--rejects', rejects, '--quiet'] : ['sweep', input, '--out', path.join(input, '..', `${path.basename(input)}-sweep`), '--rejects', rejects, '--quiet'];
    expect(run(args).status).toBe(1); // rows were rejected: exit 1, the rejects file written
    const result = run(args, { env: { SWARMSCOPE_TEST_WRITE_FAILS: 'ENOSPC:rejects.csv' } });
    expectOneLine(result, 2, new RegExp(`^swarmscope: cannot write ${rejects.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no space left on the device \\(ENOSPC\\)$`));
  });
});
