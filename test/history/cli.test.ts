/** The spawned CLI: `diff` and `case` — stdout, stderr and exit status as a user sees them. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSweepWithHistory, type SweepDiff } from '../../src/sweep/history';
import { fakeRunSweep, range, writeSweepDir, type FakeWeek } from './support/fake-sweep';
import { runCli } from './support/spawn';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-history-cli-'));
const stateDir = path.join(root, 'state');

const week1: FakeWeek = {
  sweepId: 'W1',
  clusters: [
    { accounts: range('swarm-', 0, 500), risk: 90, tier: 'high' },
    { accounts: range('team-', 0, 40), risk: 15, tier: 'low' },
    { accounts: range('gone-', 0, 12), risk: 40, tier: 'medium' },
  ],
};
const week2: FakeWeek = {
  sweepId: 'W2',
  clusters: [
    { accounts: [...range('swarm-', 0, 500), '=cmd|calc', ...range('swarm-', 500, 599)], risk: 91, tier: 'high' },
    { accounts: range('fresh-', 0, 60), risk: 85, tier: 'high' },
    { accounts: range('team-', 0, 40), risk: 15, tier: 'low' },
  ],
};

beforeAll(async () => {
  for (const week of [week1, week2]) {
    await runSweepWithHistory(fakeRunSweep(week), { inputDir: 'fake', outDir: path.join(root, 'sweeps', week.sweepId) }, { stateDir });
  }
});

describe('swarmscope diff', () => {
  it('prints {"events": [...]} with before/after sizes for two sweep dirs (--json)', () => {
    const result = runCli(['diff', path.join(root, 'sweeps/W1'), path.join(root, 'sweeps/W2'), '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const diff = JSON.parse(result.stdout) as SweepDiff;
    expect(diff.from.sweep_id).toBe('W1');
    expect(diff.events.map((event) => [event.cluster_id, event.event, event.accounts_before, event.accounts_after])).toEqual([
      ['C0001', 'grown', 500, 600],
      ['C0004', 'new', 0, 60],
      ['C0002', 'unchanged', 40, 40],
      ['C0003', 'dormant', 12, 0],
    ]);
  });

  it('works on two sweeps made without a state dir (ids differ; previous_id says which A cluster each continues)', () => {
    const a = path.join(root, 'plain/A');
    const b = path.join(root, 'plain/B');
    writeSweepDir(a, week1, ['C0001', 'C0002', 'C0003']);
    writeSweepDir(b, week2, ['C0001', 'C0002', 'C0003']);
    const result = runCli(['diff', a, b]);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('W1 → W2: 1 new, 1 grown, 0 merged, 0 split, 0 shrunk, 1 unchanged, 1 dormant');
    expect(result.stdout).toContain('C0002 new: 0 → 60 accounts');
    expect(result.stdout).toContain('C0003 dormant: 12 → 0 accounts');
    const json = JSON.parse(runCli(['diff', a, b, '--json']).stdout) as SweepDiff;
    expect(json.events.find((event) => event.cluster_id === 'C0003' && event.event === 'unchanged')?.previous_id).toBe('C0002');
  });

  it('reads the account ids back as imported, even ones the CSV writer neutralised as formulas', () => {
    const json = JSON.parse(runCli(['diff', path.join(root, 'sweeps/W1'), path.join(root, 'sweeps/W2'), '--json']).stdout) as SweepDiff;
    expect(json.events[0].joined).toBe(100); // '=cmd|calc' and swarm-00500…00598
    const banList = runCli(['case', 'members', 'C0001', '--new-since', 'W1', '--state', stateDir, '--force']);
    expect(banList.stdout.split('\n')[0]).toBe('=cmd|calc');
  });

  it('exits 2 with one line for a folder that is not a sweep, and for a bad threshold', () => {
    const missing = runCli(['diff', path.join(root, 'nope'), path.join(root, 'sweeps/W2')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^swarmscope: .*nope: no such sweep directory.*\n$/);
    const bad = runCli(['diff', path.join(root, 'sweeps/W1'), path.join(root, 'sweeps/W2'), '--link-threshold', '1.5']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('swarmscope: --link-threshold must be a number above 0 and at most 1, got "1.5"\n');
  });

  it('has --help with an example', () => {
    const help = runCli(['diff', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('$ swarmscope diff sweeps/');
  });
});

describe('swarmscope case', () => {
  it('records, lists (text and JSON) and prints the ban list', () => {
    const set = runCli(['case', 'set', 'C0001', '--status', 'confirmed', '--note', 'shared prepaid cards', '--by', 'alice', '--state', stateDir]);
    expect(set.stderr).toBe('');
    expect(set.status).toBe(0);
    expect(set.stdout).toMatch(/^recorded #1 \S+ C0001 confirmed by alice \[600 accounts, risk 91 in W2\]: shared prepaid cards\n$/);

    const list = runCli(['case', 'list', '--state', stateDir, '--json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ seq: 1, cluster_id: 'C0001', status: 'confirmed', by: 'alice' })]);

    const banList = runCli(['case', 'members', 'C0001', '--new-since', 'W1', '--state', stateDir]);
    expect(banList.status).toBe(0);
    const accounts = banList.stdout.trim().split('\n');
    expect(accounts).toHaveLength(100);
    expect(accounts).toContain('swarm-00598');
    expect(banList.stderr).toBe(
      '100 accounts of C0001 in sweep W2 not in it at W1 (500 then, 600 now); cluster confirmed (case book #1 by alice); ' +
        'account statuses were not recorded for this sweep, so suspended or terminated accounts could not be left out\n',
    );
  });

  it('takes the author from the OS user without --by', () => {
    const set = runCli(['case', 'set', 'C0002', '--status', 'dismissed', '--note', 'office team', '--state', stateDir]);
    expect(set.status).toBe(0);
    expect(set.stdout).toContain(`by ${os.userInfo().username}`);
  });

  it('exits 2 with one line for a bad status, an unknown cluster, a missing --state and a damaged state', () => {
    const badStatus = runCli(['case', 'set', 'C0001', '--status', 'banned', '--note', 'x', '--state', stateDir]);
    expect([badStatus.status, badStatus.stderr]).toEqual([2, 'swarmscope: --status "banned" is not one of confirmed, dismissed, under_review\n']);
    const unknown = runCli(['case', 'set', 'C0777', '--status', 'confirmed', '--note', 'x', '--state', stateDir]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^swarmscope: cluster C0777 is in no sweep of .*\n$/);
    const noState = runCli(['case', 'list']);
    expect([noState.status, noState.stderr]).toEqual([2, 'swarmscope: --state <state-dir> is required (the state dir your weekly sweeps use)\n']);

    const damaged = path.join(root, 'damaged');
    fs.cpSync(stateDir, damaged, { recursive: true });
    fs.writeFileSync(path.join(damaged, 'state.json'), JSON.stringify({ format_version: 9 }));
    const newer = runCli(['case', 'list', '--state', damaged]);
    expect(newer.status).toBe(2);
    expect(newer.stderr).toMatch(/^swarmscope: state dir .* has format_version 9, written by a newer swarmscope; .* upgrade swarmscope\n$/);
  });

  it('has --help with examples on each subcommand', () => {
    for (const sub of ['set', 'list', 'members']) {
      const help = runCli(['case', sub, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/Example/);
    }
  });

  it('--help examples use sweep ids in the form sweeps are given (20261116T052317Z-1fffb417)', () => {
    for (const args of [['case', '--help'], ['case', 'members', '--help']]) {
      const help = runCli(args).stdout;
      const since = [...help.matchAll(/--new-since ([^<\s]\S*)/g)].map((match) => match[1]);
      expect(since.length).toBeGreaterThan(0);
      for (const id of since) expect(id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    }
  });
});
