/**
 * `swarmscope case verify --state DIR` (issue 14 item 3): checks the whole case book and prints the entry count and
 * the head hash (the newest line's SHA-256, the same as casebook.head's) to anchor outside the state dir. Deleting,
 * reordering or editing any entry — the first, a middle one, the last — exits 2 with one line naming the entry's
 * line in casebook.jsonl; the same damage is refused by `case list` too (every read checks the chain).
 */
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { ensureBuilt, runCli, tempDir } from '../sweep/support';
import { expectOneLine, FIXTURE } from './support';

let root: string;
let base: string;
let counter = 0;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-trust-casebook-');
  base = path.join(root, 'base');
  expect(runCli(['sweep', FIXTURE, '--out', path.join(root, 'sweep'), '--hub-limit', '10', '--state', base, '--quiet']).status).toBe(0);
  for (const [cluster, status, note] of [
    ['C0001', 'under_review', 'looks coordinated'],
    ['C0002', 'dismissed', 'office team'],
    ['C0001', 'confirmed', 'shared prepaid cards'],
  ]) {
    expect(runCli(['case', 'set', cluster, '--status', status, '--note', note, '--by', 'alice', '--state', base]).status).toBe(0);
  }
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function copyWithBook(edit: (lines: string[]) => string[]): string {
  const dir = path.join(root, `state-${counter++}`);
  fs.cpSync(base, dir, { recursive: true });
  const file = path.join(dir, 'casebook.jsonl');
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(0, -1);
  fs.writeFileSync(file, edit(lines).map((line) => `${line}\n`).join(''));
  return dir;
}

const edited = (index: number, change: (entry: Record<string, unknown>) => void) => (lines: string[]) =>
  lines.map((line, i) => {
    if (i !== index) return line;
    const entry = JSON.parse(line) as Record<string, unknown>;
    change(entry);
    return JSON.stringify(entry);
  });

test('an intact book: exit 0, the count and the head hash, equal to casebook.head and the newest line\'s SHA-256', () => {
  const result = runCli(['case', 'verify', '--state', base]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const lines = fs.readFileSync(path.join(base, 'casebook.jsonl'), 'utf8').split('\n').slice(0, -1);
  const newest = createHash('sha256').update(lines[2], 'utf8').digest('hex');
  expect(JSON.parse(fs.readFileSync(path.join(base, 'casebook.head'), 'utf8'))).toEqual({ entries: 3, last_sha256: newest });
  expect(result.stdout).toBe(`OK ${path.join(base, 'casebook.jsonl')}: 3 decisions, hash chain intact, head sha256 ${newest}\n`);
});

test('an empty book verifies and says so', () => {
  const empty = path.join(root, 'empty-state');
  expect(runCli(['sweep', FIXTURE, '--out', path.join(root, 'sweep-empty'), '--hub-limit', '10', '--state', empty, '--quiet']).status).toBe(0);
  const result = runCli(['case', 'verify', '--state', empty]);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/: 0 decisions, hash chain intact, head sha256 \(none: the book is empty\)\n$/);
});

test.each([
  ['the newest entry deleted (head -n -1)', (lines: string[]) => lines.slice(0, -1), /casebook\.jsonl:3: has 2 complete entries but casebook\.head counts 3/],
  ['a middle entry deleted', (lines: string[]) => [lines[0], lines[2]], /casebook\.jsonl:2: seq is 3, expected 2/],
  ['the first entry deleted', (lines: string[]) => lines.slice(1), /casebook\.jsonl:1: seq is 2, expected 1/],
  ['two entries swapped', (lines: string[]) => [lines[1], lines[0], lines[2]], /casebook\.jsonl:1: seq is 2, expected 1/],
  ['two entries swapped with their seq renumbered', (lines: string[]) => [edited(0, (e) => (e.seq = 1))([lines[1]])[0], edited(0, (e) => (e.seq = 2))([lines[0]])[0], lines[2]], /casebook\.jsonl:1: prev_sha256 does not match/],
  ['the first entry\'s note edited', edited(0, (e) => (e.note = 'nothing here')), /casebook\.jsonl:2: prev_sha256 does not match the line before/],
  ['a middle entry\'s status edited', edited(1, (e) => (e.status = 'confirmed')), /casebook\.jsonl:3: prev_sha256 does not match the line before/],
  ['the newest entry\'s author edited', edited(2, (e) => (e.by = 'mallory')), /casebook\.jsonl:3: the newest entry differs from the one casebook\.head recorded/],
  ['every entry deleted', () => [], /casebook\.jsonl:1: has 0 complete entries but casebook\.head counts 3/],
])('%s: case verify and case list exit 2 naming the line', (_name, edit, pattern) => {
  const dir = copyWithBook(edit as (lines: string[]) => string[]);
  const verify = runCli(['case', 'verify', '--state', dir]);
  expectOneLine(verify, pattern);
  expect(verify.stdout).toBe('');
  expectOneLine(runCli(['case', 'list', '--state', dir]), pattern);
});

test('casebook.head deleted: exit 2, the book cannot be checked', () => {
  const dir = copyWithBook((lines) => lines);
  fs.rmSync(path.join(dir, 'casebook.head'));
  expectOneLine(runCli(['case', 'verify', '--state', dir]), /casebook\.jsonl:1: casebook\.head is missing/);
});

test('case verify needs --state, and a folder that is no state dir is refused', () => {
  expectOneLine(runCli(['case', 'verify']), /--state <state-dir> is required/);
  expectOneLine(runCli(['case', 'verify', '--state', path.join(root, 'nothing-here')]), /is not a state dir yet/);
});
