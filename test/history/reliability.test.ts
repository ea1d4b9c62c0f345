/**
 * Reliability, tested on real processes: a sweep SIGKILLed at each point of its commit leaves the state
 * dir as it was (and the next sweep cleans up and succeeds); two sweeps at once never corrupt the state;
 * a case decision killed mid-write leaves the case book byte for byte.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openState, readCaseBook } from '../../src/sweep/history';
import { range, snapshotTree, type FakeWeek } from './support/fake-sweep';
import { CLI, FAKE_SWEEP, runCli, start } from './support/spawn';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-reliability-'));
}

function writeWeek(root: string, week: FakeWeek): string {
  const file = path.join(root, `${week.sweepId}.json`);
  fs.writeFileSync(file, JSON.stringify(week));
  return file;
}

const week1: FakeWeek = {
  sweepId: 'W1',
  clusters: [
    { accounts: range('swarm-', 0, 500), risk: 90, tier: 'high' },
    { accounts: range('team-', 0, 40), risk: 15, tier: 'low' },
  ],
};
const week2: FakeWeek = {
  sweepId: 'W2',
  clusters: [
    { accounts: range('swarm-', 0, 600), risk: 91, tier: 'high' },
    { accounts: range('team-', 0, 40), risk: 15, tier: 'low' },
  ],
};

async function sweepProcess(root: string, stateDir: string, week: FakeWeek, env: Record<string, string> = {}, wait = '0') {
  return start(FAKE_SWEEP, [stateDir, path.join(root, 'out', `${week.sweepId}-${Math.random().toString(36).slice(2)}`), writeWeek(root, week), wait], env);
}

/** The state as a reader sees it: everything but work-in-progress (tmp/) and the lock. */
const committedOnly = (relative: string) => relative === 'tmp' || relative.startsWith(`tmp${path.sep}`) || relative === 'lock';

describe('a sweep killed half-way', () => {
  for (const point of ['history-written', 'history-renamed', 'state-written'] as const) {
    it(`leaves the committed state unchanged when killed at ${point}, and the next sweep recovers`, async () => {
      const root = tempDir();
      const stateDir = path.join(root, 'state');
      expect((await (await sweepProcess(root, stateDir, week1)).finished).status).toBe(0);
      const before = snapshotTree(stateDir);

      const doomed = await sweepProcess(root, stateDir, week2, { SWARMSCOPE_TEST_PAUSE_AT: point });
      await doomed.waitForStderr(new RegExp(`paused at ${point}`));
      doomed.child.kill('SIGKILL');
      await doomed.finished;

      const after = snapshotTree(stateDir, committedOnly);
      if (point !== 'history-written') {
        // The copy was renamed into history/ but state.json (the commit point) was not replaced: W2 is not in the history.
        expect(Object.keys(after).filter((file) => !(file in before))).toEqual([
          path.join('history', 'W2', 'identifiers.csv'),
          path.join('history', 'W2', 'members.csv'),
          path.join('history', 'W2', 'report.json'),
        ]);
        for (const file of Object.keys(before)) expect(after[file]).toBe(before[file]);
      } else {
        expect(after).toEqual(before);
      }
      expect(openState(stateDir).state.sweeps.map((entry) => entry.sweep_id)).toEqual(['W1']);
      expect(fs.existsSync(path.join(stateDir, 'lock'))).toBe(true); // stale: its pid is dead

      const next = await (await sweepProcess(root, stateDir, week2)).finished;
      // The killed writer's lock is stale: broken with a one-line notice.
      expect(next.stderr).toMatch(/^swarmscope: broke the stale lock .*: that process is no longer running\n$/);
      expect(next.status).toBe(0);
      const summary = JSON.parse(next.stdout) as { committed: string; recovered: string[] };
      expect(summary.committed).toBe('W2');
      expect(summary.recovered.length).toBeGreaterThan(0);
      expect(openState(stateDir).state.sweeps.map((entry) => entry.sweep_id)).toEqual(['W1', 'W2']);
      expect(fs.readdirSync(path.join(stateDir, 'tmp'))).toEqual([]);
      expect(fs.existsSync(path.join(stateDir, 'lock'))).toBe(false);
    });
  }
});

describe('two sweeps at once on one state dir', () => {
  it('refuses the second with STATE_LOCKED (exit 2, one line), then accepts it once the first is done', async () => {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    const first = await sweepProcess(root, stateDir, week1, { FAKE_SWEEP_HOLD_MS: '4000' });
    await waitFor(() => fs.existsSync(path.join(stateDir, 'lock')));
    const second = await (await sweepProcess(root, stateDir, week2)).finished;
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/^swarmscope: state dir .* is in use by pid \d+ on .* \(sweep, since .*\); wait for it to finish\n$/);
    expect((await first.finished).status).toBe(0);
    const retried = await (await sweepProcess(root, stateDir, week2)).finished;
    expect(retried.status).toBe(0);
    expect(openState(stateDir).state.sweeps.map((entry) => entry.sweep_id)).toEqual(['W1', 'W2']);
  });

  it('lets the second wait for the first with a timeout, and both commit cleanly', async () => {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    const first = await sweepProcess(root, stateDir, week1, { FAKE_SWEEP_HOLD_MS: '1500' });
    await waitFor(() => fs.existsSync(path.join(stateDir, 'lock')));
    const second = await sweepProcess(root, stateDir, week2, {}, '30');
    const [a, b] = await Promise.all([first.finished, second.finished]);
    expect([a.status, b.status]).toEqual([0, 0]);
    const state = openState(stateDir);
    expect(state.state.sweeps.map((entry) => entry.sweep_id)).toEqual(['W1', 'W2']);
    // The waiting sweep saw the first one's commit: its swarm continues C0001 instead of starting over.
    expect(state.loadSweep('W2').report.clusters.map((cluster) => cluster.cluster_id)).toEqual(['C0001', 'C0002']);
  });
});

describe('a case decision killed half-way', () => {
  it('leaves the case book byte for byte', async () => {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    expect((await (await sweepProcess(root, stateDir, week1)).finished).status).toBe(0);
    expect(runCli(['case', 'set', 'C0001', '--status', 'under_review', '--note', 'first look', '--state', stateDir, '--by', 'alice']).status).toBe(0);
    const before = snapshotTree(stateDir);
    const doomed = start(CLI, ['case', 'set', 'C0001', '--status', 'confirmed', '--note', 'sure now', '--state', stateDir], {
      SWARMSCOPE_TEST_PAUSE_AT: 'casebook-written',
    });
    await doomed.waitForStderr(/paused at casebook-written/);
    doomed.child.kill('SIGKILL');
    await doomed.finished;
    expect(snapshotTree(stateDir, committedOnly)).toEqual(before);
    expect(readCaseBook(openState(stateDir)).map((entry) => entry.status)).toEqual(['under_review']);
    // The dead writer's lock is stale; the next decision goes through.
    const retried = runCli(['case', 'set', 'C0001', '--status', 'confirmed', '--note', 'sure now', '--state', stateDir, '--by', 'alice', '--wait', '0']);
    expect(retried.stderr).toMatch(/^swarmscope: broke the stale lock .*\(case set C0001, since .*\): that process is no longer running\n$/);
    expect(readCaseBook(openState(stateDir)).map((entry) => entry.status)).toEqual(['under_review', 'confirmed']);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
