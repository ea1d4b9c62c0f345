/**
 * `sweep --out` replaces its folder whole, so it must never delete what a sweep did not write (issue 15, "destroys
 * the user's files"). Through the spawned CLI: a folder with a user's files, one that holds a stray report.json,
 * the working directory itself, and a previous sweep with a file saved beside it are refused with exit 2 and one
 * line, every file untouched; a previous sweep alone is replaced; and a sweep killed between moveIntoPlace's two
 * renames (its earlier sweep moved aside, the new one not yet in place) is repaired by the next sweep.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, ROOT, runCli, tempDir } from '../sweep/support';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
let root: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-out-');
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Every file under dir with its content, so "untouched" can be asserted exactly. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, entry);
    if (fs.statSync(file).isFile()) out[entry] = fs.readFileSync(file, 'utf8');
  }
  return out;
}

function expectRefused(result: ReturnType<typeof runCli>, pattern: RegExp): void {
  expect(result.status).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
}

test.each([
  ['a folder of the user\'s files', { 'notes.txt': 'my notes', 'thesis.tex': '\\documentclass{article}' }, /holds files a sweep does not write \(notes\.txt, thesis\.tex\)/],
  ['a folder whose report.json is not a sweep report', { 'report.json': '{}' }, /is not a saved sweep \(no swarmscope report\.json\)/],
  ['a stray report.json beside the user\'s files', { 'report.json': '{}', 'data.xlsx': 'x' }, /holds files a sweep does not write \(data\.xlsx\)/],
])('--out %s is refused and left as it was', (_name, files, pattern) => {
  const out = fs.mkdtempSync(path.join(root, 'user-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(out, name), content);
  const before = snapshot(out);
  expectRefused(runCli(['sweep', FIXTURE, '--out', out]), pattern);
  expect(snapshot(out)).toEqual(before);
  expect(fs.readdirSync(root).filter((name) => /\.(tmp|old)-/.test(name))).toEqual([]);
});

test('--out . in a folder of other files is refused', () => {
  const cwd = fs.mkdtempSync(path.join(root, 'cwd-'));
  fs.writeFileSync(path.join(cwd, 'notes.txt'), 'keep me');
  expectRefused(runCli(['sweep', FIXTURE, '--out', '.'], { cwd }), /holds files a sweep does not write \(notes\.txt\)/);
  expect(fs.readFileSync(path.join(cwd, 'notes.txt'), 'utf8')).toBe('keep me');
});

test('a previous sweep is replaced; the same sweep with a file saved beside it is refused', () => {
  const out = path.join(root, 'sweep');
  expect(runCli(['sweep', FIXTURE, '--out', out]).status).toBe(0);
  const firstId = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).sweep.id as string;
  expect(runCli(['sweep', FIXTURE, '--out', out]).status).toBe(0);
  expect(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).toContain('"schema_version"');
  fs.writeFileSync(path.join(out, 'C0001-evidence.zip'), 'a pack the investigator saved here');
  const before = snapshot(out);
  expectRefused(runCli(['sweep', FIXTURE, '--out', out]), /holds files a sweep does not write \(C0001-evidence\.zip\)/);
  expect(snapshot(out)).toEqual(before);
  expect(typeof firstId).toBe('string');
});

test('a sweep killed between its two renames is repaired by the next one: no sweep lost, no debris left', () => {
  const out = path.join(root, 'killed');
  expect(runCli(['sweep', FIXTURE, '--out', out]).status).toBe(0);
  // What a SIGKILL between "move the previous sweep aside" and "move the new one in" leaves: no <out>, the
  // previous sweep at <out>.old-<pid>-<hex> and the finished new one at <out>.tmp-<pid>-<hex>, pid long gone.
  const deadPid = 2 ** 22 + 12345; // above Linux's pid_max default range, so no process has it
  fs.renameSync(out, `${out}.old-${deadPid}-0badc0de`);
  fs.mkdirSync(`${out}.tmp-${deadPid}-0badc0de`);
  fs.writeFileSync(path.join(`${out}.tmp-${deadPid}-0badc0de`, 'report.json'), '{"half": true}');
  const result = runCli(['sweep', FIXTURE, '--out', out]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).sweep.id).toEqual(expect.any(String));
  expect(fs.readdirSync(root).filter((name) => name.startsWith('killed.'))).toEqual([]);
});
