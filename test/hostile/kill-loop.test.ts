/**
 * The kill loop (issue 15): 20 times, a `sweep --state` or a `case set` is SIGKILLed at a random moment
 * (seeded delays between 0 and the command's measured duration, so kills land during start-up, import,
 * detection and every step of the commit). After each kill the state dir must still work — `case list`
 * succeeds and another `sweep --state` commits — and nothing committed is lost: every sweep and decision
 * committed before the kill is still there, in order; the killed command itself is either wholly committed or
 * absent. No debris survives the next sweep (tmp/ empty, history/ holds exactly the committed sweeps).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, tempDir } from '../sweep/support';
import { caseList, committedSweeps, runCli, startCli, sweepArgs } from './state-support';

const ITERATIONS = 20;
const SEED = 15;

/** mulberry32: a small seeded PRNG, so a failing iteration can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let root: string;
let stateDir: string;
let seed = 1;
let outs = 0;
const nextOut = () => path.join(root, `sweep-${outs++}`);
const typical = { sweep: 0, case: 0 };

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-kill-loop-');
  stateDir = path.join(root, 'state');
  let started = Date.now();
  expect(runCli(sweepArgs(nextOut(), stateDir, seed++)).status).toBe(0);
  typical.sweep = Date.now() - started;
  started = Date.now();
  expect(runCli(['case', 'set', 'C0001', '--status', 'under_review', '--note', 'setup', '--state', stateDir]).status).toBe(0);
  typical.case = Date.now() - started;
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** `after` is `before` or `before` plus the one item the killed command could have committed. */
function expectNothingLost<T>(before: T[], after: T[], maybe: T): void {
  expect(after.slice(0, before.length)).toEqual(before);
  expect(after.length - before.length).toBeLessThanOrEqual(1);
  if (after.length > before.length) expect(after[after.length - 1]).toEqual(maybe);
}

test(`${ITERATIONS} SIGKILLs at random moments of sweep --state and case set lose nothing committed`, async () => {
  const rand = random(SEED);
  let sweeps = committedSweeps(stateDir);
  let notes = caseList(stateDir).entries.map((entry) => entry.note);
  const outcomes: string[] = [];

  for (let i = 0; i < ITERATIONS; i++) {
    const kind = rand() < 0.5 ? 'sweep' : 'case';
    const delay = Math.round(rand() * typical[kind]);
    const out = nextOut();
    const note = `decision ${i}`;
    const running =
      kind === 'sweep'
        ? startCli(sweepArgs(out, stateDir, seed++))
        : startCli(['case', 'set', 'C0001', '--status', rand() < 0.5 ? 'confirmed' : 'dismissed', '--note', note, '--state', stateDir, '--wait', '0']);
    const timer = setTimeout(() => running.child.kill('SIGKILL'), delay);
    const result = await running.finished;
    clearTimeout(timer);
    const context = `iteration ${i} (${kind}, killed after ${delay} ms): ${result.stderr}`;
    // Either it finished (exit 0: committed) or the kill got it; never a refusal or an error.
    expect({ context, finished: result.status === 0 || result.signal === 'SIGKILL' }).toEqual({ context, finished: true });
    outcomes.push(`${kind}@${delay}ms:${result.signal ?? result.status}`);

    const listed = caseList(stateDir);
    expect({ context, status: listed.status, stderr: listed.stderr }).toEqual({ context, status: 0, stderr: '' });
    const afterNotes = listed.entries.map((entry) => entry.note);
    const afterSweeps = committedSweeps(stateDir);
    if (kind === 'sweep') {
      const id = fs.existsSync(path.join(out, 'report.json')) ? (JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as { sweep: { id: string } }).sweep.id : '(none)';
      if (result.status === 0) expect(afterSweeps).toEqual([...sweeps, id]);
      else expectNothingLost(sweeps, afterSweeps, id);
      expect(afterNotes).toEqual(notes);
    } else {
      if (result.status === 0) expect(afterNotes).toEqual([...notes, note]);
      else expectNothingLost(notes, afterNotes, note);
      expect(afterSweeps).toEqual(sweeps);
    }

    // The state dir still takes a sweep: a stale lock is broken with its one-line notice, debris is removed.
    const next = runCli(sweepArgs(nextOut(), stateDir, seed++));
    expect({ context, status: next.status }).toEqual({ context, status: 0 });
    expect(next.stderr).toMatch(/^(swarmscope: broke the stale lock [^\n]*\n)?$/);
    expect(fs.existsSync(path.join(stateDir, 'lock'))).toBe(false);
    expect(fs.readdirSync(path.join(stateDir, 'tmp'))).toEqual([]);
    sweeps = committedSweeps(stateDir);
    expect(afterSweeps).toEqual(sweeps.slice(0, -1));
    expect(fs.readdirSync(path.join(stateDir, 'history')).sort()).toEqual([...sweeps].sort());
    notes = afterNotes;
  }
  // Useful when a run fails: which moments were hit.
  expect(outcomes).toHaveLength(ITERATIONS);
}, 240_000);
