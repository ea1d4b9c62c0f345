/**
 * History order (issue 14 item 5), through the spawned CLI:
 * - with week 2 committed, sweeping week 1's export again into the same state dir is refused (exit 2, one line),
 *   and neither the state dir nor --out changes; --allow-older records it anyway;
 * - `history undo --state DIR --yes` takes the newest sweep back out: state.json no longer lists it, its history
 *   folder is gone, the case book is byte-for-byte unchanged and still verifies, and the next sweep's lineage is
 *   traced against the sweep that is now the newest; without --yes nothing happens.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, runCli, tempDir } from '../sweep/support';
import { startCli } from '../hostile/state-support';
import { expectOneLine, fixtureVariant, sha256, stateHashes } from './support';

let root: string;
let week1: string;
let week2: string;
let stateDir: string;

const sweep = (input: string, out: string, seed: number, ...extra: string[]) =>
  runCli(['sweep', input, '--out', path.join(root, out), '--hub-limit', '10', '--seed', String(seed), '--state', stateDir, '--quiet', ...extra]);
const committed = () => (JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8')) as { sweeps: { sweep_id: string }[] }).sweeps.map((entry) => entry.sweep_id);
const reportOf = (out: string) => JSON.parse(fs.readFileSync(path.join(root, out, 'report.json'), 'utf8')) as {
  sweep: { id: string; data_window: { first_day: string; last_day: string } };
  since_last_sweep: { previous_sweep: { sweep_id: string } | null } | null;
};

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-trust-history-');
  week1 = fixtureVariant(path.join(root, 'export-w1'));
  week2 = fixtureVariant(path.join(root, 'export-w2'), { shiftDays: 7 });
  stateDir = path.join(root, 'state');
  expect(sweep(week1, 'sweep-w1', 1).status).toBe(0);
  expect(sweep(week2, 'sweep-w2', 2).status).toBe(0);
  expect(runCli(['case', 'set', 'C0001', '--status', 'confirmed', '--note', 'cards', '--by', 'alice', '--state', stateDir]).status).toBe(0);
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('each sweep records its data window', () => {
  expect(reportOf('sweep-w1').sweep.data_window).toEqual({ first_day: '2026-09-01', last_day: '2026-09-07' });
  expect(reportOf('sweep-w2').sweep.data_window).toEqual({ first_day: '2026-09-08', last_day: '2026-09-14' });
});

test('an older week swept after a newer one is refused: exit 2, one line, state dir and --out untouched', () => {
  const before = stateHashes(stateDir);
  const result = sweep(week1, 'sweep-w1-again', 3);
  expectOneLine(result, /this input's data ends 2026-09-07, before that of the newest sweep in .* \(\S+, data to 2026-09-14\).*Pass --allow-older to record it anyway; nothing was written/);
  expect(result.stdout).toBe('');
  expect(stateHashes(stateDir)).toEqual(before);
  expect(fs.existsSync(path.join(root, 'sweep-w1-again'))).toBe(false);
  expect(fs.readdirSync(root).filter((name) => name.startsWith('sweep-w1-again'))).toEqual([]);
});

test('the same week again is not older, and --allow-older records an older one; history undo takes it back out', () => {
  const before = committed();
  const casebook = sha256(path.join(stateDir, 'casebook.jsonl'));
  const head = sha256(path.join(stateDir, 'casebook.head'));
  expect(sweep(week1, 'sweep-w1-older', 4, '--allow-older').status).toBe(0);
  const older = reportOf('sweep-w1-older').sweep.id;
  expect(committed()).toEqual([...before, older]);

  const unconfirmed = runCli(['history', 'undo', '--state', stateDir]);
  expectOneLine(unconfirmed, /history undo removes the newest sweep of .*; pass --yes to confirm/);
  expect(committed()).toEqual([...before, older]);

  const undone = runCli(['history', 'undo', '--state', stateDir, '--yes']);
  expect(undone.stderr).toBe('');
  expect(undone.status).toBe(0);
  expect(undone.stdout).toBe(`removed sweep ${older} from the history of ${stateDir}; the newest is now ${before[before.length - 1]} (2 sweeps left); the case book is unchanged\n`);
  expect(committed()).toEqual(before);
  expect(fs.existsSync(path.join(stateDir, 'history', older))).toBe(false);
  expect(fs.readdirSync(path.join(stateDir, 'tmp'))).toEqual([]);
  expect(fs.existsSync(path.join(stateDir, 'lock'))).toBe(false);
  expect(sha256(path.join(stateDir, 'casebook.jsonl'))).toBe(casebook);
  expect(sha256(path.join(stateDir, 'casebook.head'))).toBe(head);
  expect(runCli(['case', 'verify', '--state', stateDir]).status).toBe(0);

  // Lineage is traced against the sweep that is now the newest (week 2), and week 2 again is accepted.
  expect(sweep(week2, 'sweep-w2-again', 5).status).toBe(0);
  expect(reportOf('sweep-w2-again').since_last_sweep?.previous_sweep?.sweep_id).toBe(before[before.length - 1]);
});

test('undo down to an empty history, then refuses (exit 2); a missing --state is refused', () => {
  while (committed().length > 0) expect(runCli(['history', 'undo', '--state', stateDir, '--yes']).status).toBe(0);
  expect(fs.readdirSync(path.join(stateDir, 'history'))).toEqual([]);
  expectOneLine(runCli(['history', 'undo', '--state', stateDir, '--yes']), /has no sweeps in its history; nothing to undo/);
  expectOneLine(runCli(['history', 'undo', '--yes']), /--state <state-dir> is required/);
  // The case book keeps every entry.
  expect(runCli(['case', 'verify', '--state', stateDir]).stdout).toMatch(/: 1 decision, hash chain intact/);
});

test('undo waits for the state lock: while a sweep holds it, undo --wait 0 is refused and changes nothing', async () => {
  const running = startCli(['sweep', week2, '--out', path.join(root, 'sweep-locked'), '--hub-limit', '10', '--state', stateDir, '--quiet'], { SWARMSCOPE_TEST_PAUSE_AT: 'sweep-imported' });
  try {
    await running.waitForStderr(/paused at sweep-imported/);
    const before = stateHashes(stateDir);
    expectOneLine(runCli(['history', 'undo', '--state', stateDir, '--yes', '--wait', '0']), /state dir .* is in use by pid \d+ on .*\(sweep, since .*\); wait for it to finish/);
    expect(stateHashes(stateDir)).toEqual(before);
  } finally {
    running.child.kill('SIGTERM');
    await running.finished;
  }
});

test('history undo killed at either step leaves a consistent state: before the commit nothing changed, after it the folder is debris the next writer removes', async () => {
  const dir = path.join(root, 'state-kill');
  const sweepInto = (input: string, out: string, seed: number) =>
    runCli(['sweep', input, '--out', path.join(root, out), '--hub-limit', '10', '--seed', String(seed), '--state', dir, '--quiet']);
  expect(sweepInto(week1, 'kill-w1', 1).status).toBe(0);
  expect(sweepInto(week2, 'kill-w2', 2).status).toBe(0);
  const sweepsOf = () => (JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as { sweeps: { sweep_id: string }[] }).sweeps.map((entry) => entry.sweep_id);
  const [first, second] = sweepsOf();

  // Killed with the new state.json still in tmp/: the history is exactly as before.
  const before = stateHashes(dir);
  const early = startCli(['history', 'undo', '--state', dir, '--yes'], { SWARMSCOPE_TEST_PAUSE_AT: 'state-written' });
  await early.waitForStderr(/paused at state-written/);
  early.child.kill('SIGKILL');
  await early.finished;
  expect(stateHashes(dir)).toEqual(before);
  expect(runCli(['case', 'list', '--state', dir]).status).toBe(0);

  // Killed after the commit, before the folder is removed: the sweep is out (readers never see it), the folder is
  // uncommitted debris, and the next writer removes it.
  const late = startCli(['history', 'undo', '--state', dir, '--yes'], { SWARMSCOPE_TEST_PAUSE_AT: 'undo-committed' });
  await late.waitForStderr(/paused at undo-committed/);
  late.child.kill('SIGKILL');
  await late.finished;
  expect(sweepsOf()).toEqual([first]);
  expect(fs.existsSync(path.join(dir, 'history', second))).toBe(true);
  expect(runCli(['case', 'verify', '--state', dir]).status).toBe(0);
  expect(sweepInto(week2, 'kill-w2-again', 3).status).toBe(0);
  expect(fs.existsSync(path.join(dir, 'history', second))).toBe(false);
  expect(sweepsOf()).toHaveLength(2);
  expect(sweepsOf()[0]).toBe(first);
});
