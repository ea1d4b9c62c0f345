/**
 * The real `swarmscope sweep --state` as a spawned process on two small generated weeks: killed mid-commit it
 * leaves the state as it was; a second sweep on a locked state dir refuses with STATE_LOCKED; the next sweep
 * prints the since-last-sweep section.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateWorld } from '../../src/generate';
import { openState } from '../../src/sweep/history';
import { snapshotTree } from './support/fake-sweep';
import { CLI, runCli, start } from './support/spawn';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-sweep-state-'));
const stateDir = path.join(root, 'state');
const committedOnly = (relative: string) => relative === 'tmp' || relative.startsWith(`tmp${path.sep}`) || relative === 'lock';

beforeAll(async () => {
  for (const week of [1, 2]) await generateWorld({ out: path.join(root, `week${week}`), accounts: 4000, week, seed: 11 });
});

describe('swarmscope sweep --state (spawned)', () => {
  it('survives a kill mid-commit, refuses a concurrent sweep, then reports what changed', async () => {
    const first = runCli(['sweep', path.join(root, 'week1'), '--out', path.join(root, 's1'), '--state', stateDir, '--quiet']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const before = snapshotTree(stateDir, committedOnly);

    // A sweep paused after copying into tmp/ holds the lock: a second sweep refuses; then the first is killed.
    const doomed = start(CLI, ['sweep', path.join(root, 'week2'), '--out', path.join(root, 's2-killed'), '--state', stateDir, '--quiet'], {
      SWARMSCOPE_TEST_PAUSE_AT: 'history-written',
    });
    await doomed.waitForStderr(/paused at history-written/, 90_000);
    const concurrent = runCli(['sweep', path.join(root, 'week2'), '--out', path.join(root, 's2-concurrent'), '--state', stateDir, '--quiet']);
    expect(concurrent.status).toBe(2);
    expect(concurrent.stderr).toMatch(/^swarmscope: state dir .* is in use by pid \d+ .*\(sweep, since .*\); wait for it to finish\n$/);
    doomed.child.kill('SIGKILL');
    await doomed.finished;
    expect(snapshotTree(stateDir, committedOnly)).toEqual(before);
    expect(openState(stateDir).state.sweeps).toHaveLength(1);

    const second = runCli(['sweep', path.join(root, 'week2'), '--out', path.join(root, 's2'), '--state', stateDir, '--top', '3']);
    expect(second.stderr).toMatch(/^swarmscope: broke the stale lock .*: that process is no longer running\n$/);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/Since last sweep \(\S+\)\n {2}1 new, 1 grown, /);
    expect(openState(stateDir).state.sweeps).toHaveLength(2);
    const report = JSON.parse(fs.readFileSync(path.join(root, 's2/report.json'), 'utf8'));
    expect(report.since_last_sweep.previous_sweep.sweep_id).toBe(openState(stateDir).state.sweeps[0].sweep_id);
  });

  it('has --state in its --help with an example', () => {
    const help = runCli(['sweep', '--help']);
    expect(help.stdout).toContain('--state <state-dir>');
    expect(help.stdout).toMatch(/swarmscope sweep .* --state state/);
  });
});
