import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isSwarmscopeError } from '../../src/core/errors';
import {
  acquireStateLock,
  clusterMembersSince,
  openState,
  readCaseBook,
  recordCaseDecision,
  renderSinceLastSweepMarkdown,
  renderSinceLastSweepText,
  runSweepWithHistory,
  type SinceLastSweep,
} from '../../src/sweep/history';
import { fakeRunSweep, range, snapshotTree, type FakeWeek } from './support/fake-sweep';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-history-'));
}

function expectError(fn: () => unknown, code: string, message?: RegExp): void {
  try {
    fn();
  } catch (error) {
    if (!isSwarmscopeError(error)) throw error;
    expect(error.code).toBe(code);
    if (message) expect(error.message).toMatch(message);
    return;
  }
  throw new Error(`expected ${code}`);
}

async function sweep(root: string, stateDir: string, week: FakeWeek) {
  const outDir = path.join(root, 'sweeps', week.sweepId);
  return runSweepWithHistory(fakeRunSweep(week), { inputDir: 'fake', outDir }, { stateDir });
}

function since(result: { report: { since_last_sweep: unknown } }): SinceLastSweep {
  return result.report.since_last_sweep as SinceLastSweep;
}

// Week 1: a 1,000-account swarm, a 40-account legitimate team, a 30-account medium cluster.
const swarm = range('swarm-', 0, 1000);
const team = range('team-', 0, 40);
const medium = range('mid-', 0, 30);
const week1: FakeWeek = {
  sweepId: 'W1',
  clusters: [
    { accounts: swarm, risk: 90, tier: 'high' },
    { accounts: team, risk: 20, tier: 'low' },
    { accounts: medium, risk: 45, tier: 'medium' },
  ],
};
// Week 2: the swarm grows 20%, the team is unchanged, the medium cluster vanishes, a new swarm appears.
const week2: FakeWeek = {
  sweepId: 'W2',
  clusters: [
    { accounts: range('swarm-', 0, 1200), risk: 92, tier: 'high' },
    { accounts: range('new-', 0, 120), risk: 80, tier: 'high' },
    { accounts: team, risk: 20, tier: 'low' },
  ],
};

describe('state dir: history, stable ids, since-last-sweep', () => {
  it('keeps ids across weeks, names events, never reuses an id, and records each sweep immutably', async () => {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    const first = await sweep(root, stateDir, week1);
    expect(first.report.clusters.map((cluster) => cluster.cluster_id)).toEqual(['C0001', 'C0002', 'C0003']);
    expect(since(first).previous_sweep).toBeNull();
    expect(since(first).counts.new).toBe(3);

    const second = await sweep(root, stateDir, week2);
    const ids = second.report.clusters.map((cluster) => cluster.cluster_id);
    expect(ids).toEqual(['C0001', 'C0004', 'C0002']);
    const events = Object.fromEntries(since(second).events.map((event) => [event.cluster_id, event.event]));
    expect(events).toEqual({ C0001: 'grown', C0004: 'new', C0002: 'unchanged', C0003: 'dormant' });
    expect(since(second).previous_sweep).toEqual({ sweep_id: 'W1', started_at: week1.startedAt ?? '2026-11-16T06:00:00.000Z' });
    const joined = since(second).joined_known_campaigns.find((entry) => entry.cluster_id === 'C0001');
    expect(joined?.joined).toBe(200);
    expect(joined?.sample[0]).toBe('swarm-01000');
    expect(since(second).risk_changes).toEqual([expect.objectContaining({ cluster_id: 'C0001', risk_before: 90, risk_after: 92, change: 2 })]);

    // Week 3: a cluster of other accounts gets a fresh id past every id handed out (ids are never reused).
    const third = await sweep(root, stateDir, { sweepId: 'W3', clusters: [{ accounts: range('other-', 0, 25), risk: 50, tier: 'medium' }] });
    expect(third.report.clusters[0].cluster_id).toBe('C0005');

    const state = openState(stateDir);
    expect(state.state.format_version).toBe(1);
    expect(state.state.next_cluster_number).toBe(6);
    expect(state.state.sweeps.map((entry) => entry.sweep_id)).toEqual(['W1', 'W2', 'W3']);
    // The history copy is the sweep's own bytes, and the lock is gone.
    expect(fs.readFileSync(path.join(stateDir, 'history/W2/members.csv'))).toEqual(fs.readFileSync(path.join(root, 'sweeps/W2/members.csv')));
    expect(fs.existsSync(path.join(stateDir, 'lock'))).toBe(false);
  });

  it('gives a campaign that paused for a sweep its old id back (returned), with its case and a ban list since it was last seen', async () => {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    await sweep(root, stateDir, week1);
    recordCaseDecision(stateDir, { clusterId: 'C0001', status: 'confirmed', note: 'shared prepaid cards', by: 'bob' });
    // W2: the swarm is gone (dormant); W3: it is back with 50 new accounts and 20 fewer.
    const paused = await sweep(root, stateDir, { sweepId: 'W2', clusters: [{ accounts: team, risk: 20, tier: 'low' }] });
    expect(since(paused).events.find((event) => event.cluster_id === 'C0001')?.event).toBe('dormant');
    const back = await sweep(root, stateDir, {
      sweepId: 'W3',
      clusters: [
        { accounts: [...range('swarm-', 20, 1000), ...range('swarm-', 5000, 5050)], risk: 91, tier: 'high' },
        { accounts: team, risk: 20, tier: 'low' },
      ],
    });
    expect(back.report.clusters.map((cluster) => cluster.cluster_id)).toEqual(['C0001', 'C0002']);
    const event = since(back).events.find((candidate) => candidate.cluster_id === 'C0001');
    expect(event).toMatchObject({ event: 'returned', previous_id: 'C0001', last_seen_sweep: 'W1', accounts_before: 1000, accounts_after: 1030, joined: 50, left: 20 });
    expect(since(back).counts.returned).toBe(1);
    const alert = since(back).alerts.find((candidate) => candidate.cluster_id === 'C0001');
    expect(alert).toMatchObject({ kind: 'confirmed_new_members', case_status: 'confirmed', joined: 50 });
    expect(alert?.message).toContain('--new-since W1');
    expect(since(back).joined_known_campaigns.find((entry) => entry.cluster_id === 'C0001')?.sample[0]).toBe('swarm-05000');
    const banList = clusterMembersSince(openState(stateDir), 'C0001', 'W1');
    expect(banList.accounts).toEqual(range('swarm-', 5000, 5050));
    expect(renderSinceLastSweepMarkdown(since(back))).toMatch(/\| C0001 \| returned \| 1,000 \| 1,030 \| 50 \| 20 \|/);
    expect(renderSinceLastSweepText(since(back))).toMatch(/1 new, 1 returned, 0 grown|0 new, 1 returned, 0 grown/);
    expect(renderSinceLastSweepText(since(back))).toContain('C0001 returned: 1,000 → 1,030 accounts (+50 / −20), risk 90 → 91 (last seen in sweep W1)');
  });

  it('links a new cluster on fresh accounts to the confirmed campaign whose cards and fingerprints it reuses, and alerts', async () => {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    const cards = range('card-', 0, 200);
    await sweep(root, stateDir, {
      sweepId: 'W1',
      clusters: [
        { accounts: swarm, risk: 90, tier: 'high', instruments: cards, fingerprints: ['fp-a', 'fp-b', 'fp-c'] },
        { accounts: team, risk: 20, tier: 'low', instruments: ['corp-card'] },
      ],
    });
    // Only triage-tier clusters are recorded: the low-risk team's card is not.
    const recorded = fs.readFileSync(path.join(stateDir, 'history/W1/identifiers.csv'), 'utf8');
    expect(recorded.split('\n')[0]).toBe('cluster_id,kind,identifier');
    expect(recorded).toContain('C0001,instrument,card-00199');
    expect(recorded).toContain('C0001,fingerprint,fp-c');
    expect(recorded).not.toContain('corp-card');
    recordCaseDecision(stateDir, { clusterId: 'C0001', status: 'confirmed', note: 'prepaid card pool', by: 'bob' });

    // W2: the swarm's accounts are gone; 300 fresh accounts use 120 of its cards and two of its fingerprints.
    const fresh = range('fresh-', 0, 300);
    const next = await sweep(root, stateDir, {
      sweepId: 'W2',
      clusters: [
        { accounts: fresh, risk: 40, tier: 'low', instruments: [...cards.slice(0, 120), ...range('newcard-', 0, 30)], fingerprints: ['fp-a', 'fp-b', 'fp-z'] },
        { accounts: range('other-', 0, 50), risk: 60, tier: 'medium', instruments: ['card-00000', 'unrelated'], fingerprints: ['fp-y'] },
        { accounts: team, risk: 20, tier: 'low', instruments: ['corp-card'] },
      ],
    });
    const events = Object.fromEntries(since(next).events.map((event) => [event.cluster_id, event]));
    expect(events.C0003).toMatchObject({ event: 'new', identifier_links: [{ cluster_id: 'C0001', sweep_id: 'W1', shared_instruments: 120, shared_fingerprints: 2 }] });
    // One shared card is below minSharedIdentifiers (3): no link.
    expect(events.C0004.identifier_links).toBeUndefined();
    const alert = since(next).alerts.find((candidate) => candidate.cluster_id === 'C0003');
    expect(alert).toMatchObject({ kind: 'confirmed_identifiers_reused', case_status: 'confirmed', case_cluster_id: 'C0001' });
    expect(alert?.message).toContain('uses 120 payment instruments and 2 fingerprints of confirmed campaign C0001 (recorded in W1)');
    expect(renderSinceLastSweepText(since(next))).toContain('C0003 new: 0 → 300 accounts, risk 40, reuses 120 instruments and 2 fingerprints of C0001 (W1)');
    expect(renderSinceLastSweepMarkdown(since(next))).toContain('| identifiers of C0001 |');

    // The recorded identifiers are covered by state.json's SHA-256 like every history file.
    fs.appendFileSync(path.join(stateDir, 'history/W2/identifiers.csv'), 'C0004,instrument,forged\n');
    expectError(() => openState(stateDir).loadIdentifiers('W2'), 'STATE_DAMAGED', /identifiers\.csv was altered/);
  });

  it('lets a dormant cluster return only within --dormant-sweeps sweeps, and never when it is 0', async () => {
    const runWeeks = async (dormantSweeps: number, gap: number) => {
      const root = tempDir();
      const stateDir = path.join(root, 'state');
      const run = (week: FakeWeek) =>
        runSweepWithHistory(fakeRunSweep(week), { inputDir: 'fake', outDir: path.join(root, 'sweeps', week.sweepId) }, { stateDir, lineage: { dormantSweeps } });
      await run(week1);
      for (let k = 0; k < gap; k++) await run({ sweepId: `Q${k}`, clusters: [{ accounts: team, risk: 20, tier: 'low' }] });
      const back = await run({ sweepId: 'BACK', clusters: [{ accounts: swarm, risk: 90, tier: 'high' }, { accounts: team, risk: 20, tier: 'low' }] });
      return { id: back.report.clusters[0].cluster_id, event: since(back).events[0].event };
    };
    expect(await runWeeks(4, 4)).toEqual({ id: 'C0001', event: 'returned' });
    expect(await runWeeks(4, 5)).toEqual({ id: 'C0004', event: 'new' });
    expect(await runWeeks(0, 1)).toEqual({ id: 'C0004', event: 'new' });
  });

  it('refuses to record the same sweep id twice', async () => {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    await sweep(root, stateDir, week1);
    const before = snapshotTree(stateDir);
    await expect(runSweepWithHistory(fakeRunSweep(week1), { inputDir: 'fake', outDir: path.join(root, 'again') }, { stateDir })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
    });
    expect(snapshotTree(stateDir, (file) => file.startsWith('tmp'))).toEqual(before);
  });

  it('leaves the state byte-identical and unlocked when the sweep fails', async () => {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    await sweep(root, stateDir, week1);
    const before = snapshotTree(stateDir);
    const failing = async () => {
      throw new Error('disk full');
    };
    await expect(runSweepWithHistory(failing, { inputDir: 'fake', outDir: path.join(root, 'x') }, { stateDir })).rejects.toThrow('disk full');
    expect(snapshotTree(stateDir)).toEqual(before);
  });
});

describe('state dir: versions and damage', () => {
  async function oneSweep(): Promise<{ root: string; stateDir: string }> {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    await sweep(root, stateDir, week1);
    return { root, stateDir };
  }

  function editState(stateDir: string, edit: (state: Record<string, unknown>) => unknown): void {
    const file = path.join(stateDir, 'state.json');
    fs.writeFileSync(file, JSON.stringify(edit(JSON.parse(fs.readFileSync(file, 'utf8')))));
  }

  it('says a newer format needs a newer swarmscope, and an older one a new state dir (STATE_VERSION)', async () => {
    const { stateDir } = await oneSweep();
    editState(stateDir, (state) => ({ ...state, format_version: 2 }));
    expectError(() => openState(stateDir), 'STATE_VERSION', /format_version 2, written by a newer swarmscope/);
    editState(stateDir, (state) => ({ ...state, format_version: 0 }));
    expectError(() => openState(stateDir), 'STATE_VERSION', /older than this build/);
  });

  it('reports damage in one line (STATE_DAMAGED): bad JSON, a missing history file, an altered history file, a folder that is not a state dir', async () => {
    const { stateDir } = await oneSweep();
    fs.writeFileSync(path.join(stateDir, 'state.json'), '{"format_version": 1, "sweeps": [');
    expectError(() => openState(stateDir), 'STATE_DAMAGED', /state.json is not valid JSON/);

    const second = await oneSweep();
    fs.rmSync(path.join(second.stateDir, 'history/W1/members.csv'));
    expectError(() => openState(second.stateDir), 'STATE_DAMAGED', /history\/W1\/members.csv is missing/);

    const third = await oneSweep();
    fs.appendFileSync(path.join(third.stateDir, 'history/W1/members.csv'), 'intruder,C0001,member,x\n');
    expectError(() => openState(third.stateDir).loadSweep('W1'), 'STATE_DAMAGED', /altered after it was recorded/);

    const notState = tempDir();
    fs.writeFileSync(path.join(notState, 'notes.txt'), 'hello');
    expectError(() => openState(notState, { create: true }), 'STATE_DAMAGED', /no state.json/);
  });
});

describe('state lock', () => {
  it('refuses a second writer with STATE_LOCKED naming the holder, and frees the dir on release', () => {
    const stateDir = tempDir();
    const lock = acquireStateLock(stateDir, { command: 'sweep' });
    expectError(() => acquireStateLock(stateDir), 'STATE_LOCKED', new RegExp(`in use by pid ${process.pid} on .* \\(sweep, since`));
    lock.release();
    acquireStateLock(stateDir).release();
    expect(fs.existsSync(path.join(stateDir, 'lock'))).toBe(false);
  });

  it('waits up to --wait seconds before refusing', () => {
    const stateDir = tempDir();
    const lock = acquireStateLock(stateDir);
    const started = Date.now();
    expectError(() => acquireStateLock(stateDir, { waitSeconds: 0.6 }), 'STATE_LOCKED');
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    lock.release();
  });

  it('takes over a stale lock left by a process that died', () => {
    const stateDir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    fs.writeFileSync(path.join(stateDir, 'lock'), JSON.stringify({ pid: deadPid, host: os.hostname(), started_at: '2026-01-01T00:00:00Z', command: 'sweep' }));
    const lock = acquireStateLock(stateDir);
    expect(JSON.parse(fs.readFileSync(path.join(stateDir, 'lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('does not break a lock held on another host (it cannot tell whether that process lives)', () => {
    const stateDir = tempDir();
    fs.writeFileSync(path.join(stateDir, 'lock'), JSON.stringify({ pid: 1, host: 'elsewhere.example', started_at: '2026-01-01T00:00:00Z', command: 'sweep' }));
    expectError(() => acquireStateLock(stateDir), 'STATE_LOCKED', /delete .*lock if that host is no longer running it/);
  });
});

describe('case book and alert policy', () => {
  it('records decisions append-only with author and figures, and detects an edited past entry', async () => {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    await sweep(root, stateDir, week1);
    const at = () => new Date('2026-11-17T09:00:00Z');
    recordCaseDecision(stateDir, { clusterId: 'C0001', status: 'under_review', note: 'looks like a swarm', by: 'alice', now: at });
    const second = recordCaseDecision(stateDir, { clusterId: 'C0001', status: 'confirmed', note: 'shared prepaid cards', by: 'bob', now: at });
    expect(second).toMatchObject({ seq: 2, cluster_id: 'C0001', status: 'confirmed', by: 'bob', sweep_id: 'W1', accounts: 1000, risk: 90 });
    expect(second.prev_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readCaseBook(openState(stateDir)).map((entry) => entry.status)).toEqual(['under_review', 'confirmed']);

    expectError(() => recordCaseDecision(stateDir, { clusterId: 'C0099', status: 'confirmed', note: 'x' }), 'UNKNOWN_CLUSTER', /C0099 is in no sweep/);
    expectError(() => recordCaseDecision(stateDir, { clusterId: 'C0001', status: 'confirmed', note: '  ' }), 'BAD_ARGUMENT', /--note/);

    const file = path.join(stateDir, 'casebook.jsonl');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('looks like a swarm', 'never mind'));
    expectError(() => readCaseBook(openState(stateDir)), 'STATE_DAMAGED', /casebook.jsonl:2: prev_sha256 does not match/);
  });

  it('waits for or refuses a decision while a sweep holds the lock', async () => {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    await sweep(root, stateDir, week1);
    const lock = acquireStateLock(stateDir, { command: 'sweep' });
    expectError(() => recordCaseDecision(stateDir, { clusterId: 'C0001', status: 'confirmed', note: 'x', waitSeconds: 0 }), 'STATE_LOCKED');
    lock.release();
    expect(fs.existsSync(path.join(stateDir, 'casebook.jsonl'))).toBe(false);
  });

  it('alerts on new members of a confirmed campaign, stays silent on a dismissed one until it regrows or its risk rises, and triages new high-risk clusters', async () => {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    await sweep(root, stateDir, week1);
    recordCaseDecision(stateDir, { clusterId: 'C0001', status: 'confirmed', note: 'distillation campaign', by: 'alice' });
    recordCaseDecision(stateDir, { clusterId: 'C0003', status: 'dismissed', note: 'QA test accounts', by: 'bob' });

    // Week 2: swarm +200; dismissed cluster +5 (30 → 35, below max(10, 50%)); a new high-risk cluster.
    const w2 = await sweep(root, stateDir, {
      sweepId: 'W2',
      clusters: [
        { accounts: range('swarm-', 0, 1200), risk: 90, tier: 'high' },
        { accounts: range('mid-', 0, 35), risk: 50, tier: 'medium' },
        { accounts: range('fresh-', 0, 80), risk: 85, tier: 'high' },
        { accounts: team, risk: 20, tier: 'low' },
      ],
    });
    const alerts2 = since(w2).alerts;
    expect(alerts2.map((alert) => [alert.cluster_id, alert.kind])).toEqual([
      ['C0001', 'confirmed_new_members'],
      ['C0004', 'needs_triage'],
    ]);
    expect(alerts2[0].joined).toBe(200);
    expect(alerts2[0].message).toContain('swarmscope case members C0001 --new-since W1');
    expect(since(w2).suppressed_alerts).toEqual([expect.objectContaining({ cluster_id: 'C0003', case_status: 'dismissed' })]);

    // Week 3: the dismissed cluster reaches 50 accounts (≥ 30 + max(10, 15)) → alerts again; the swarm is stable → silent.
    const w3 = await sweep(root, stateDir, {
      sweepId: 'W3',
      clusters: [
        { accounts: range('swarm-', 0, 1200), risk: 90, tier: 'high' },
        { accounts: range('mid-', 0, 50), risk: 50, tier: 'medium' },
      ],
    });
    expect(since(w3).alerts.map((alert) => [alert.cluster_id, alert.kind])).toEqual([['C0003', 'dismissed_regrown']]);

    // Re-reviewed and dismissed again at 50 accounts, risk 50. Week 4: same size, risk 65 (≥ 50 + 15) → dismissed_risk_rose.
    recordCaseDecision(stateDir, { clusterId: 'C0003', status: 'dismissed', note: 'still the QA team, now bigger', by: 'bob' });
    const w4 = await sweep(root, stateDir, {
      sweepId: 'W4',
      clusters: [
        { accounts: range('swarm-', 0, 1200), risk: 90, tier: 'high' },
        { accounts: range('mid-', 0, 50), risk: 65, tier: 'medium' },
      ],
    });
    expect(since(w4).alerts.map((alert) => [alert.cluster_id, alert.kind])).toEqual([['C0003', 'dismissed_risk_rose']]);

    // The ban list: members of C0001 now that were not in it at W1.
    const banList = clusterMembersSince(openState(stateDir), 'C0001', 'W1');
    expect(banList.accounts).toEqual(range('swarm-', 1000, 1200));
    expect(banList).toMatchObject({ sweep_id: 'W4', accounts_then: 1000, accounts_now: 1200 });
    expectError(() => clusterMembersSince(openState(stateDir), 'C0004', null), 'UNKNOWN_CLUSTER', /not in sweep W4/);
  });

  it('carries a confirmed decision through a merge into another id', async () => {
    const root = tempDir();
    const stateDir = path.join(root, 'state');
    await sweep(root, stateDir, {
      sweepId: 'W1',
      clusters: [
        { accounts: range('big-', 0, 300), risk: 70, tier: 'high' },
        { accounts: range('small-', 0, 60), risk: 80, tier: 'high' },
      ],
    });
    recordCaseDecision(stateDir, { clusterId: 'C0002', status: 'confirmed', note: 'same operator', by: 'alice' });
    const w2 = await sweep(root, stateDir, {
      sweepId: 'W2',
      clusters: [{ accounts: [...range('big-', 0, 300), ...range('small-', 0, 60)], risk: 85, tier: 'high' }],
    });
    const [event] = since(w2).events;
    expect(event).toMatchObject({ cluster_id: 'C0001', event: 'merged' });
    expect(since(w2).retired).toEqual(['C0002']);
    expect(since(w2).alerts).toEqual([expect.objectContaining({ cluster_id: 'C0001', kind: 'confirmed_new_members', case_cluster_id: 'C0002', joined: 60 })]);
  });
});
