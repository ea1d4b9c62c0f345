/**
 * What the importer reads (issue 15, the input side): every file a user hands it — the export's CSV/CSV.gz files
 * and the --map file — goes through openInput (src/ingest/open-input.ts). Through the spawned CLI, each hostile
 * input built in a temp folder gives exit 2 (or 1 for rejected rows), exactly one stderr line, no stack trace,
 * no secret from outside the input folder in stdout, stderr or the rejects file, and no file outside the output
 * touched:
 *  - /dev/zero as exchanges.csv (a symlink in the export) or as --map, /dev/urandom as --map: refused, not read forever;
 *  - exchanges.csv as a directory or a FIFO: refused (it was accepted with exit 0 / hung);
 *  - a mapping file or a CSV that is a symlink out of the folder (to a file holding a secret): refused unread;
 *  - a 5 MB header, a 5 MB record and a 2 Mi-character line: refused early with file, line or byte and reason;
 *  - a small gzip of 20,000 duplicate rows: all counted, 1,000 written, the cap said in the summary and the file;
 *  - integers up to 2^53 − 1: a row that would make a total inexact is rejected with its line; totals are exact.
 * Every spawn has a timeout, so a regression that hangs fails its test instead of the suite.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { CLI, ensureBuilt, ROOT, tempDir } from '../sweep/support';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
const SECRET = 'SECRET-LINE-4f1c9e do-not-print';
let root: string;
let outside: string;
let cwd: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-inputs-');
  outside = path.join(root, 'outside');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), `${SECRET}\nsecond line\n`);
  cwd = path.join(root, 'cwd');
  fs.mkdirSync(cwd);
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  rejects: string;
}

let runs = 0;
/** `validate` in a clean working directory with its own rejects path; a 60 s timeout turns a hang into a failure. */
function validate(input: string, extra: string[] = []): Run {
  const rejects = path.join(root, `rejects-${++runs}.csv`);
  const result = spawnSync(process.execPath, [CLI, 'validate', input, '--quiet', '--rejects', rejects, ...extra], {
    encoding: 'utf8',
    cwd,
    timeout: 60_000,
    env: { ...process.env, SWARMSCOPE_DEBUG: '' },
  });
  if (result.error) throw result.error; // ETIMEDOUT: the command hung
  const written = fs.existsSync(rejects) ? fs.readFileSync(rejects, 'utf8') : '';
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, rejects: written };
}

function exportFolder(name: string): string {
  const dir = path.join(root, name);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  fs.rmSync(path.join(dir, 'truth'), { recursive: true, force: true });
  return dir;
}

/** Every regular file under dir with its bytes (links are listed by their target, not followed). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, entry);
    const stat = fs.lstatSync(file);
    if (stat.isSymbolicLink()) out[entry] = `-> ${fs.readlinkSync(file)}`;
    else if (stat.isFile()) out[entry] = fs.readFileSync(file).toString('base64');
  }
  return out;
}

function expectRefused(run: Run, pattern: RegExp): void {
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
  expect(run.stderr).not.toMatch(/internal error/);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.rejects).toBe('');
  expect(fs.readdirSync(cwd)).toEqual([]);
}

describe('only regular files are read', () => {
  test('exchanges.csv as a symlink to /dev/zero is refused, not read forever', () => {
    const input = exportFolder('zero-exchanges');
    fs.rmSync(path.join(input, 'exchanges.csv'));
    fs.symlinkSync('/dev/zero', path.join(input, 'exchanges.csv'));
    const before = snapshot(input);
    // /dev/zero resolves outside the folder: refused for that before its kind is even looked at.
    expectRefused(validate(input), /exchanges\.csv: resolves \(through a symbolic link\) to a file outside .*; exchanges\.csv must be a regular file/);
    expect(snapshot(input)).toEqual(before);
  });

  test.each([
    ['/dev/zero', /\/dev\/zero: is a character device, not a regular file/],
    ['/dev/urandom', /\/dev\/urandom: is a character device, not a regular file/],
  ])('--map %s is refused, not read forever', (device, pattern) => {
    const input = exportFolder(`map-${path.basename(device)}`);
    expectRefused(validate(input, ['--map', device]), pattern);
  });

  test('exchanges.csv as a directory is refused (it was taken as absent: exit 0)', () => {
    const input = exportFolder('dir-exchanges');
    fs.rmSync(path.join(input, 'exchanges.csv'));
    fs.mkdirSync(path.join(input, 'exchanges.csv'));
    expectRefused(validate(input), /exchanges\.csv: is a directory, not a regular file/);
  });

  test('exchanges.csv as a FIFO with no writer is refused without blocking', () => {
    const input = exportFolder('fifo-exchanges');
    fs.rmSync(path.join(input, 'exchanges.csv'));
    execFileSync('mkfifo', [path.join(input, 'exchanges.csv')]);
    expectRefused(validate(input), /exchanges\.csv: is a FIFO \(named pipe\), not a regular file/);
  });
});

describe('links stay inside the input folder, and nothing from outside is echoed', () => {
  test('a mapping file that is a symlink out of the export folder is refused unread', () => {
    const input = exportFolder('map-link');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(input, 'mapping.json'));
    const run = validate(input, ['--map', path.join(input, 'mapping.json')]);
    expectRefused(run, /mapping\.json: resolves \(through a symbolic link\) to a file outside/);
    expect(run.stderr).not.toContain('SECRET');
    expect(run.stderr).not.toContain('secret.txt');
  });

  test('a contract file that is a symlink out of the folder (directly or through the mapping) is refused unread', () => {
    const input = exportFolder('csv-link');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(input, 'fingerprints_export.csv'));
    fs.writeFileSync(path.join(input, 'mapping.json'), JSON.stringify({ files: { 'fingerprints.csv': { file: 'fingerprints_export.csv' } } }));
    const run = validate(input, ['--map', path.join(input, 'mapping.json')]);
    expectRefused(run, /fingerprints_export\.csv: resolves \(through a symbolic link\) to a file outside/);
    expect(`${run.stdout}${run.stderr}${run.rejects}`).not.toContain('SECRET');

    fs.rmSync(path.join(input, 'accounts.csv'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(input, 'accounts.csv'));
    const direct = validate(input);
    expectRefused(direct, /accounts\.csv: resolves \(through a symbolic link\) to a file outside/);
    expect(`${direct.stdout}${direct.stderr}${direct.rejects}`).not.toContain('SECRET');
  });

  test('a mapping file the user names outside the export folder is read (their path, their choice), and a bad one is not quoted', () => {
    const input = exportFolder('map-outside');
    const mapping = path.join(outside, 'team-mapping.json');
    fs.writeFileSync(mapping, JSON.stringify({ files: { 'accounts.csv': { columns: { account_id: 'account_id' } } } }));
    const run = validate(input, ['--map', mapping]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // Typed explicitly, the secret file is opened — and its text still never appears in the message.
    const bad = validate(input, ['--map', path.join(outside, 'secret.txt')]);
    expectRefused(bad, /secret\.txt: not valid JSON; fix the mapping file/);
    expect(bad.stderr).not.toContain('SECRET');
  });
});

describe('records have a length limit, found in linear time', () => {
  test('a 5 MB header without a line end is refused as not a CSV header', () => {
    const input = path.join(root, 'long-header');
    fs.mkdirSync(input);
    fs.writeFileSync(path.join(input, 'accounts.csv'), '""'.repeat(2_500_000));
    expectRefused(validate(input), /accounts\.csv: the header row \(line 1\) is longer than 64 KiB/);
  });

  test('a 45 KB header missing a column is named in a short line, not echoed whole', () => {
    const input = path.join(root, 'wide-header');
    fs.mkdirSync(input);
    fs.writeFileSync(path.join(input, 'accounts.csv'), `account_id,${Array.from({ length: 2000 }, (_, k) => `column_${k}_${'y'.repeat(10)}`).join(',')}\n`);
    const run = validate(input);
    expectRefused(run, /required column "created_at" is missing \(header: account_id, column_0_y+, .*, … \(2,001 columns\)\)/);
    expect(run.stderr.length).toBeLessThan(1500);
  });

  test('a 5 MB record without a line end is refused with its byte offset, without echoing it', () => {
    const input = path.join(root, 'long-record');
    fs.mkdirSync(input);
    fs.writeFileSync(path.join(input, 'accounts.csv'), `account_id,created_at\n${'x'.repeat(5 << 20)}`);
    const run = validate(input);
    expectRefused(run, /accounts\.csv: the record starting at byte 22 runs over 4 MiB without a line end/);
    expect(run.stderr.length).toBeLessThan(500);
  });

  test('an unclosed quote swallowing 5 MB of lines is refused as such', () => {
    const input = path.join(root, 'unclosed');
    fs.mkdirSync(input);
    fs.writeFileSync(path.join(input, 'accounts.csv'), `account_id,created_at\n"a,2026-01-01\n${'b,2026-01-01\n'.repeat(400_000)}`);
    expectRefused(validate(input), /accounts\.csv: the record starting at byte 22 runs over 4 MiB inside a quoted field, probably an unclosed quote/);
  });

  test('a 2 Mi-character line among good rows is refused with its line', () => {
    const input = path.join(root, 'long-line');
    fs.mkdirSync(input);
    fs.writeFileSync(path.join(input, 'accounts.csv'), `account_id,created_at\na,2026-01-01\nb,${'x'.repeat(2 << 20)}\nc,2026-01-01\n`);
    expectRefused(validate(input), /accounts\.csv line 3: the record is longer than 1,024 Ki characters/);
  });
});

test('a small gzip of 20,000 duplicate rows: all counted, 1,000 written, and the cap is said', () => {
  const input = path.join(root, 'duplicates');
  fs.mkdirSync(input);
  const rows = `account_id,created_at\n${'dup,2026-01-01T00:00:00Z\n'.repeat(20_001)}`;
  const gzip = zlib.gzipSync(rows, { level: 9 });
  expect(gzip.length).toBeLessThan(4096);
  fs.writeFileSync(path.join(input, 'accounts.csv.gz'), gzip);
  const run = validate(input, ['--json']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(1);
  const summary = JSON.parse(run.stdout);
  expect(summary.rows_rejected).toBe(20_000);
  expect(summary.rejects_written).toBe(1000);
  expect(summary.rejects_capped).toEqual([
    { file: 'accounts.csv.gz', reason: expect.stringMatching(/^duplicate account_id/), rows: 20_000, written: 1000 },
  ]);
  const lines = run.rejects.trimEnd().split('\n');
  expect(lines).toHaveLength(1 + 1000 + 1);
  expect(lines[1]).toMatch(/^accounts\.csv\.gz,3,account_id,"duplicate account_id/);
  expect(lines[1000]).toMatch(/^accounts\.csv\.gz,1002,/);
  expect(lines[1001]).toBe('accounts.csv.gz,,,"duplicate account_id (the first row with this account_id was kept) — 20,000 rows in all, the first 1,000 written (rejects cap per file and reason)",');
  // The table says so too.
  const table = validate(input, []);
  expect(table.stdout).toMatch(/rejected rows +20,000 of 20,001, written to .* \(1,000 written: at most 1,000 per file and reason, the rest counted\)/);
});

test('integers up to 2^53 − 1: a row that would make a total inexact is rejected with its line; totals are exact', () => {
  const input = path.join(root, 'huge-integers');
  fs.mkdirSync(input);
  fs.writeFileSync(path.join(input, 'accounts.csv'), 'account_id,created_at\na,2026-01-01\nb,2026-01-01\n');
  fs.writeFileSync(
    path.join(input, 'exchanges.csv'),
    [
      'account_id,timestamp,capability,count,input_tokens,output_tokens',
      'a,2026-01-02,writing,9007199254740990,4503599627370496,1',
      'b,2026-01-02,writing,1,4503599627370496,1', // input total would be 2^53: rejected
      'b,2026-01-03,writing,1,4503599627370495,1', // 2^53 − 1 in all: exact, kept
      'a,2026-01-04,writing,1,0,0', // count total would pass 2^53 − 1: rejected
      '',
    ].join('\n'),
  );
  const run = validate(input, ['--json']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(1);
  const summary = JSON.parse(run.stdout);
  expect(summary.exchanges.exchanges).toBe(Number.MAX_SAFE_INTEGER);
  expect(summary.exchanges.input_tokens).toBe(Number.MAX_SAFE_INTEGER);
  expect(summary.exchanges.output_tokens).toBe(2);
  expect(summary.files['exchanges.csv']).toMatchObject({ rows_read: 4, rows_loaded: 2, rows_rejected: 2 });
  const rejects = run.rejects.trimEnd().split('\n').slice(1);
  expect(rejects).toHaveLength(2);
  expect(rejects[0]).toMatch(/^exchanges\.csv,3,input_tokens,"total too large .*: 4503599627370496 on top of 4503599627370496",/);
  expect(rejects[1]).toMatch(/^exchanges\.csv,5,count,"total too large .*: 1 on top of 9007199254740991",/);
});
