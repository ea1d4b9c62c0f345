/**
 * `evidence --out` may only name a new path, or with --force an earlier pack (issue 15: it replaced a symlink, a
 * FIFO or a device node with a regular file; issue 14: it silently replaced an earlier pack). Through the spawned
 * CLI: a symlink, a FIFO and a file that is not a zip are refused with exit 2 and one line, untouched, with or
 * without --force; an earlier pack is refused without --force, untouched, and replaced with it.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, ROOT, runCli, tempDir } from '../sweep/support';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
let root: string;
let sweepDir: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-evidence-');
  sweepDir = path.join(root, 'sweep');
  expect(runCli(['sweep', FIXTURE, '--out', sweepDir, '--hub-limit', '10']).status).toBe(0);
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const evidence = (out: string, ...extra: string[]) => runCli(['evidence', sweepDir, '--cluster', 'C0001', '--out', out, ...extra]);

function expectRefused(result: ReturnType<typeof runCli>, pattern: RegExp): void {
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.status).toBe(2);
}

test('a symlink, a FIFO and a file that is not a pack are refused and left as they were', () => {
  const precious = path.join(root, 'precious.txt');
  fs.writeFileSync(precious, 'precious');
  fs.symlinkSync(precious, path.join(root, 'link.zip'));
  expectRefused(evidence(path.join(root, 'link.zip')), /is a symbolic link/);
  expect(fs.lstatSync(path.join(root, 'link.zip')).isSymbolicLink()).toBe(true);
  expect(fs.readFileSync(precious, 'utf8')).toBe('precious');
  const fifo = path.join(root, 'pipe.zip');
  execFileSync('mkfifo', [fifo]);
  expectRefused(evidence(fifo), /is not a regular file/);
  expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
  expectRefused(evidence(precious), /exists and is not an evidence pack/);
  expect(fs.readFileSync(precious, 'utf8')).toBe('precious');
  // --force replaces only an earlier pack, never any of these.
  expectRefused(evidence(path.join(root, 'link.zip'), '--force'), /is a symbolic link/);
  expectRefused(evidence(fifo, '--force'), /is not a regular file/);
  expectRefused(evidence(precious, '--force'), /exists and is not an evidence pack/);
  expect(fs.readFileSync(precious, 'utf8')).toBe('precious');
  expect(fs.readdirSync(root).filter((name) => name.includes('.partial-'))).toEqual([]);
});

test('an earlier pack is refused without --force, untouched, and replaced with it', () => {
  const pack = path.join(root, 'C0001.zip');
  expect(evidence(pack, '--org', 'First').status).toBe(0);
  const before = fs.readFileSync(pack);
  expectRefused(evidence(pack), /a pack already exists there; pass --force to replace it/);
  expect(fs.readFileSync(pack).equals(before)).toBe(true);
  expect(evidence(pack, '--force').status).toBe(0);
  expect(fs.readFileSync(pack).equals(before)).toBe(false);
  expect(runCli(['evidence', 'verify', pack]).status).toBe(0);
  expect(fs.readdirSync(root).filter((name) => name.includes('.partial-'))).toEqual([]);
});
