/**
 * Signals and kills during `sweep --state` (issue 15): the lock is released on SIGINT/SIGTERM/SIGHUP and the
 * process exits 130/143/129; a lock left by a SIGKILLed writer is stale and broken with a one-line notice; a
 * state dir whose first sweep was killed at any point of its first commit is not damaged — later commands see
 * it as empty (readers: "not a state dir yet", exit 2) and the next sweep commits normally.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureBuilt, tempDir } from '../sweep/support';
import { caseList, committedOnly, committedSweeps, expectOneLineError, runCli, startCli, sweepArgs, treeHashes } from './state-support';

let root: string;
let counter = 0;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-state-signals-');
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function fresh(name: string): { stateDir: string; out: () => string } {
  const dir = path.join(root, `${name}-${counter++}`);
  fs.mkdirSync(dir);
  let outs = 0;
  return { stateDir: path.join(dir, 'state'), out: () => path.join(dir, `sweep-${outs++}`) };
}

test.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)('%s during sweep --state releases the lock, exits %i, leaves the state as it was', async (signal, code) => {
  const { stateDir, out } = fresh(signal);
  expect(runCli(sweepArgs(out(), stateDir, 1)).status).toBe(0);
  const before = treeHashes(stateDir, committedOnly);

  const running = startCli(sweepArgs(out(), stateDir, 2), { SWARMSCOPE_TEST_PAUSE_AT: 'sweep-imported' });
  await running.waitForStderr(/paused at sweep-imported/);
  expect(fs.existsSync(path.join(stateDir, 'lock'))).toBe(true);
  running.child.kill(signal);
  const result = await running.finished;

  expect(result.status).toBe(code);
  expect(fs.existsSync(path.join(stateDir, 'lock'))).toBe(false);
  expect(fs.readdirSync(path.dirname(stateDir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  expect(treeHashes(stateDir, committedOnly)).toEqual(before);
  // No "locked", no stale-lock notice: the next writer simply runs.
  const next = runCli(sweepArgs(out(), stateDir, 3));
  expect(next.stderr).toBe('');
  expect(next.status).toBe(0);
  expect(committedSweeps(stateDir)).toHaveLength(2);
}, 60_000);

test('a lock left by a SIGKILLed sweep is stale: broken with a one-line notice, and the next sweep commits', async () => {
  const { stateDir, out } = fresh('sigkill');
  expect(runCli(sweepArgs(out(), stateDir, 1)).status).toBe(0);
  const running = startCli(sweepArgs(out(), stateDir, 2), { SWARMSCOPE_TEST_PAUSE_AT: 'sweep-imported' });
  await running.waitForStderr(/paused at sweep-imported/);
  const pid = running.child.pid;
  running.child.kill('SIGKILL');
  await running.finished;
  expect(JSON.parse(fs.readFileSync(path.join(stateDir, 'lock'), 'utf8'))).toMatchObject({ pid, command: 'sweep' });

  const listed = caseList(stateDir); // readers take no lock
  expect(listed.status).toBe(0);
  const next = runCli(sweepArgs(out(), stateDir, 3));
  expect(next.status).toBe(0);
  expect(next.stderr.trim().split('\n')).toHaveLength(1);
  expect(next.stderr).toMatch(new RegExp(`^swarmscope: broke the stale lock .*lock left by pid ${pid} on .* \\(sweep, since .*\\): that process is no longer running\\n$`));
  expect(fs.existsSync(path.join(stateDir, 'lock'))).toBe(false);
  expect(committedSweeps(stateDir)).toHaveLength(2);
}, 60_000);

test('a live lock still refuses a second writer (exit 2, one line naming the holder)', async () => {
  const { stateDir, out } = fresh('live');
  const running = startCli(sweepArgs(out(), stateDir, 1), { SWARMSCOPE_TEST_PAUSE_AT: 'sweep-imported' });
  await running.waitForStderr(/paused at sweep-imported/);
  expectOneLineError(runCli(sweepArgs(out(), stateDir, 2)), new RegExp(`in use by pid ${running.child.pid} on .* \\(sweep, since `));
  running.child.kill('SIGTERM');
  expect((await running.finished).status).toBe(143);
  expect(runCli(sweepArgs(out(), stateDir, 3)).status).toBe(0);
}, 60_000);

describe('a first sweep killed during its first commit', () => {
  test.each(['state-init-written', 'history-written', 'history-renamed', 'state-written'])(
    'killed at %s: readers say "not a state dir yet" or see no sweep, and the next sweep commits',
    async (point) => {
      const { stateDir, out } = fresh(`first-${point}`);
      const running = startCli(sweepArgs(out(), stateDir, 1), { SWARMSCOPE_TEST_PAUSE_AT: point });
      await running.waitForStderr(new RegExp(`paused at ${point}`));
      running.child.kill('SIGKILL');
      await running.finished;

      const listed = caseList(stateDir);
      if (point === 'state-init-written') {
        // Nothing was ever committed: not damaged, just not a state dir yet.
        expect(fs.existsSync(path.join(stateDir, 'state.json'))).toBe(false);
        expectOneLineError(listed, /is not a state dir yet \(its first sweep never completed\); run `swarmscope sweep/);
      } else {
        expect(listed.status).toBe(0);
        expect(committedSweeps(stateDir)).toEqual([]);
      }
      const next = runCli(sweepArgs(out(), stateDir, 2));
      expect(next.status).toBe(0);
      expect(next.stderr).toMatch(/^swarmscope: broke the stale lock [^\n]*\n$/);
      expect(committedSweeps(stateDir)).toHaveLength(1);
      expect(fs.readdirSync(path.join(stateDir, 'tmp'))).toEqual([]);
      expect(fs.readdirSync(path.join(stateDir, 'history'))).toEqual(committedSweeps(stateDir));
      expect(caseList(stateDir).status).toBe(0);
    },
    60_000,
  );

  test('what the old code left (empty history/, tmp/ debris, a dead lock, no state.json) is uncommitted, not damaged', () => {
    const { stateDir, out } = fresh('old-debris');
    fs.mkdirSync(path.join(stateDir, 'history'), { recursive: true });
    fs.mkdirSync(path.join(stateDir, 'tmp'));
    fs.writeFileSync(path.join(stateDir, 'tmp', 'state.json.99999999.1.tmp'), '{"format_version": 1, "sw');
    expectOneLineError(caseList(stateDir), /not a state dir yet \(its first sweep never completed\)/);
    expect(runCli(sweepArgs(out(), stateDir, 1)).status).toBe(0);
    expect(committedSweeps(stateDir)).toHaveLength(1);
  });

  test('a folder with a history but no state.json is still damage, and nothing in it is deleted', () => {
    const { stateDir, out } = fresh('lost-state');
    fs.mkdirSync(path.join(stateDir, 'history', '20261116T060000Z-811cec4c'), { recursive: true });
    fs.writeFileSync(path.join(stateDir, 'history', '20261116T060000Z-811cec4c', 'report.json'), '{}');
    const before = treeHashes(stateDir);
    expectOneLineError(runCli(sweepArgs(out(), stateDir, 1)), /is damaged: it has files but no state\.json/);
    expectOneLineError(caseList(stateDir), /is damaged: it has files but no state\.json/);
    expect(treeHashes(stateDir)).toEqual(before);
    expect(fs.existsSync(path.join(stateDir, 'lock'))).toBe(false);
  });
});

describe('a lock whose pid was reused', () => {
  const linux = fs.existsSync('/proc/self/stat');

  (linux ? test : test.skip)('is stale when that pid belongs to a process started after the lock was taken', () => {
    const { stateDir, out } = fresh('reused');
    expect(runCli(sweepArgs(out(), stateDir, 1)).status).toBe(0);
    // This test process is alive, and started long after 2020: it cannot be the writer of a lock taken then.
    fs.writeFileSync(path.join(stateDir, 'lock'), JSON.stringify({ pid: process.pid, host: os.hostname(), started_at: '2020-01-01T00:00:00.000Z', command: 'sweep' }));
    const next = runCli(sweepArgs(out(), stateDir, 2));
    expect(next.status).toBe(0);
    expect(next.stderr).toMatch(new RegExp(`^swarmscope: broke the stale lock .*left by pid ${process.pid} .*: pid ${process.pid} now belongs to a process started after the lock was taken\\n$`));
  });

  test('a live process that may be the writer keeps its lock', () => {
    const { stateDir, out } = fresh('live-pid');
    expect(runCli(sweepArgs(out(), stateDir, 1)).status).toBe(0);
    fs.writeFileSync(path.join(stateDir, 'lock'), JSON.stringify({ pid: process.pid, host: os.hostname(), started_at: new Date().toISOString(), command: 'sweep' }));
    expectOneLineError(runCli(sweepArgs(out(), stateDir, 2)), new RegExp(`in use by pid ${process.pid} on `));
    fs.rmSync(path.join(stateDir, 'lock'));
  });
});
