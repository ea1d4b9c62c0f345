/**
 * The case book's newest entries are anchored (issue 15): casebook.head holds the entry count and the newest
 * line's SHA-256, so editing the LAST decision (dismissed → confirmed, its note, its author), deleting it,
 * cutting it short or deleting the head is refused by every reader (`case list`, `case set`, `sweep --state`)
 * with exit 2 and one line naming the case book. A `case set` killed between writing the book and its head
 * committed nothing: the decision is not listed and the next one takes its place.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, tempDir } from '../sweep/support';
import { caseList, committedOnly, expectOneLineError, runCli, startCli, sweepArgs, treeHashes } from './state-support';

let root: string;
let base: string;
let counter = 0;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-casebook-');
  base = path.join(root, 'base');
  expect(runCli(sweepArgs(path.join(root, 'sweep-base'), base, 1)).status).toBe(0);
  for (const [status, note, by] of [
    ['under_review', 'looks coordinated', 'alice'],
    ['dismissed', 'campus NAT, verified', 'bob'],
  ]) {
    expect(runCli(['case', 'set', 'C0001', '--status', status, '--note', note, '--by', by, '--state', base]).status).toBe(0);
  }
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function copyOfBase(): string {
  const dir = path.join(root, `state-${counter++}`);
  fs.cpSync(base, dir, { recursive: true });
  return dir;
}

function editBook(stateDir: string, edit: (lines: string[]) => string[]): void {
  const file = path.join(stateDir, 'casebook.jsonl');
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(0, -1);
  fs.writeFileSync(file, edit(lines).map((line) => `${line}\n`).join(''));
}

const editLast = (replace: (entry: Record<string, unknown>) => void) => (lines: string[]) => {
  const last = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
  replace(last);
  return [...lines.slice(0, -1), JSON.stringify(last)];
};

test('the untouched book lists both decisions and its head counts them', () => {
  expect(caseList(base).entries.map((entry) => entry.status)).toEqual(['under_review', 'dismissed']);
  expect(JSON.parse(fs.readFileSync(path.join(base, 'casebook.head'), 'utf8'))).toMatchObject({ entries: 2, last_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
});

test.each([
  ['the last decision turned from dismissed to confirmed', editLast((e) => (e.status = 'confirmed')), /casebook\.jsonl:2: the newest entry differs from the one casebook\.head recorded/],
  ['the last note edited', editLast((e) => (e.note = 'swarm, ban it')), /casebook\.jsonl:2: the newest entry differs/],
  ['the last author edited', editLast((e) => (e.by = 'mallory')), /casebook\.jsonl:2: the newest entry differs/],
  ['the last decision deleted', (lines: string[]) => lines.slice(0, -1), /casebook\.jsonl:2: has 1 complete entries but casebook\.head counts 2/],
  ['every decision deleted', () => [], /casebook\.jsonl:1: has 0 complete entries but casebook\.head counts 2/],
  ['a middle entry edited', (lines: string[]) => [lines[0].replace('looks coordinated', 'nothing here'), ...lines.slice(1)], /casebook\.jsonl:2: prev_sha256 does not match/],
])('%s: every reader refuses it, naming the case book', (_name, edit, pattern) => {
  const stateDir = copyOfBase();
  editBook(stateDir, edit);
  expectOneLineError(caseList(stateDir), pattern);
  expectOneLineError(runCli(['case', 'set', 'C0001', '--status', 'confirmed', '--note', 'x', '--state', stateDir]), pattern);
  expectOneLineError(runCli(sweepArgs(path.join(root, `sweep-${counter++}`), stateDir, 2)), pattern);
  expect(fs.existsSync(path.join(stateDir, 'lock'))).toBe(false);
});

test('the last line cut short is refused', () => {
  const stateDir = copyOfBase();
  const file = path.join(stateDir, 'casebook.jsonl');
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.slice(0, -20));
  expectOneLineError(caseList(stateDir), /casebook\.jsonl:2: has 1 complete entries but casebook\.head counts 2/);
});

test('deleting the head (to hide an edit of the newest entry) is refused', () => {
  const stateDir = copyOfBase();
  fs.rmSync(path.join(stateDir, 'casebook.head'));
  expectOneLineError(caseList(stateDir), /casebook\.jsonl:1: casebook\.head is missing, so the newest entries cannot be checked/);
});

test('a damaged head is refused', () => {
  const stateDir = copyOfBase();
  fs.writeFileSync(path.join(stateDir, 'casebook.head'), '{"entries": "two"}');
  expectOneLineError(caseList(stateDir), /casebook\.head:1: not a case book head/);
});

test('a case set killed after writing the book but before its head committed nothing; the next one takes its place', async () => {
  const stateDir = copyOfBase();
  const before = treeHashes(stateDir, committedOnly);
  const running = startCli(['case', 'set', 'C0001', '--status', 'confirmed', '--note', 'killed', '--state', stateDir], {
    SWARMSCOPE_TEST_PAUSE_AT: 'casebook-head-written',
  });
  await running.waitForStderr(/paused at casebook-head-written/);
  running.child.kill('SIGKILL');
  await running.finished;
  // The book has a third line, the head still counts two: the third decision is not part of the book.
  expect(fs.readFileSync(path.join(stateDir, 'casebook.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
  expect(treeHashes(stateDir, (relative) => committedOnly(relative) || relative === 'casebook.jsonl')).toEqual(
    Object.fromEntries(Object.entries(before).filter(([name]) => name !== 'casebook.jsonl')),
  );
  expect(caseList(stateDir).entries.map((entry) => entry.note)).toEqual(['looks coordinated', 'campus NAT, verified']);

  const next = runCli(['case', 'set', 'C0001', '--status', 'confirmed', '--note', 'sure now', '--state', stateDir, '--wait', '0']);
  expect(next.status).toBe(0);
  expect(next.stdout).toMatch(/^recorded #3 /);
  expect(next.stderr).toMatch(/^swarmscope: broke the stale lock [^\n]*\n$/);
  expect(caseList(stateDir).entries.map((entry) => entry.note)).toEqual(['looks coordinated', 'campus NAT, verified', 'sure now']);
  expect(fs.readdirSync(path.join(stateDir, 'tmp'))).toEqual([]);
}, 60_000);
