/**
 * Every saved artefact a command reads is verified first (issue 15): a sweep folder with a damaged report.json,
 * members.csv or world.snapshot, a damaged checksum list, a damaged history entry — `report`, `diff`,
 * `evidence` and `export neo4j-admin` refuse with exit 2 and one line naming the file, never an internal error,
 * and never a different output (one flipped block in world.snapshot used to give another evidence pack, exit 0).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, tempDir } from '../sweep/support';
import { expectOneLineError, FIXTURE, runCli, sweepArgs } from './state-support';

let root: string;
let good: string;
let counter = 0;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-state-damage-');
  good = path.join(root, 'good');
  expect(runCli(['sweep', FIXTURE, '--out', good, '--hub-limit', '10', '--quiet']).status).toBe(0);
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A copy of the good sweep, changed by `damage`. */
function damagedCopy(damage: (dir: string) => void): string {
  const dir = path.join(root, `damaged-${counter++}`);
  fs.cpSync(good, dir, { recursive: true });
  damage(dir);
  return dir;
}

function editJson(file: string, edit: (value: Record<string, unknown>) => void): void {
  const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

/** The four commands that read a saved sweep, each with its own fresh output path. */
function readers(dir: string): [string, string[]][] {
  const out = path.join(root, `out-${counter++}`);
  return [
    ['report', ['report', dir]],
    ['report --cluster', ['report', dir, '--cluster', 'C0001']],
    ['diff', ['diff', good, dir]],
    ['evidence', ['evidence', dir, '--cluster', 'C0001', '--out', `${out}.zip`]],
    ['export neo4j-admin', ['export', 'neo4j-admin', dir, '--out', out]],
  ];
}

test('the good sweep works with every reader, and its checksums.sha256 is what sha256sum writes', () => {
  for (const [, args] of readers(good)) expect(runCli(args).status).toBe(0);
  const lines = fs.readFileSync(path.join(good, 'checksums.sha256'), 'utf8').trim().split('\n');
  const names = lines.map((line) => line.slice(66));
  expect(names).toEqual(['clusters.csv', 'members.csv', 'rejects.csv', 'report.html', 'report.json', 'report.md', 'world.snapshot']);
  for (const line of lines) expect(line).toMatch(/^[0-9a-f]{64} {2}\S+$/);
});

test.each([
  ['"sweep": null', (v: Record<string, unknown>) => (v.sweep = null)],
  ['a cluster without its id', (v: Record<string, unknown>) => delete (v.clusters as Record<string, unknown>[])[0].cluster_id],
  ['clusters as an object', (v: Record<string, unknown>) => (v.clusters = {})],
])('report.json with %s is refused by every reader (checksum, and structure without the checksum list)', (_name, edit) => {
  const dir = damagedCopy((d) => editJson(path.join(d, 'report.json'), edit));
  for (const [name, args] of readers(dir)) {
    const result = runCli(args);
    expectOneLineError(result, /report\.json: damaged or edited after the sweep wrote it \(SHA-256 [0-9a-f]{12}…, checksums\.sha256 says [0-9a-f]{12}…\)/);
    expect(`${name}: ${result.stderr}`).toContain(dir);
  }
  // Without the checksum list the structural check still refuses it.
  fs.rmSync(path.join(dir, 'checksums.sha256'));
  for (const [, args] of readers(dir)) expectOneLineError(runCli(args), /report\.json: (damaged: |"clusters" is not an array)/);
});

test('one flipped block in world.snapshot: evidence and export refuse it (no different pack), report still works', () => {
  const dir = damagedCopy((d) => {
    const file = path.join(d, 'world.snapshot');
    const bytes = fs.readFileSync(file);
    bytes.fill(0x5a, bytes.length - 1024, bytes.length - 512);
    fs.writeFileSync(file, bytes);
  });
  const [, , , evidence, neo4jAdmin] = readers(dir);
  for (const [, args] of [evidence, neo4jAdmin]) {
    expectOneLineError(runCli(args), /world\.snapshot: damaged or edited after the sweep wrote it/);
  }
  expect(fs.existsSync(evidence[1][5])).toBe(false);
  expect(runCli(['report', dir]).status).toBe(0); // reads report.json only
});

test('a world.snapshot that cannot be verified (no checksums.sha256) is refused', () => {
  const dir = damagedCopy((d) => fs.rmSync(path.join(d, 'checksums.sha256')));
  const [, , , evidence] = readers(dir);
  expectOneLineError(runCli(evidence[1]), /world\.snapshot: cannot be verified, the sweep has no checksums\.sha256/);
});

test('members.csv with a forged row is refused where it is read', () => {
  const dir = damagedCopy((d) => fs.appendFileSync(path.join(d, 'members.csv'), 'intruder,C0001,core,forged\n'));
  const [, cluster, diff, evidence] = readers(dir);
  for (const [, args] of [cluster, diff, evidence]) expectOneLineError(runCli(args), /members\.csv: damaged or edited after the sweep wrote it/);
});

test.each([
  ['a malformed line', (d: string) => fs.appendFileSync(path.join(d, 'checksums.sha256'), 'not a checksum\n'), /checksums\.sha256:8: not a "<sha256> {2}<file>" line/],
  ['report.json not listed', (d: string) => {
    const file = path.join(d, 'checksums.sha256');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split('\n').filter((line) => !line.endsWith('report.json')).join('\n'));
  }, /report\.json: not listed in checksums\.sha256/],
])('a checksum list with %s is refused', (_name, damage, pattern) => {
  const dir = damagedCopy(damage);
  expectOneLineError(runCli(['report', dir]), pattern);
});

describe('history entries of a state dir', () => {
  let stateDir: string;
  let sweepId: string;

  beforeAll(() => {
    stateDir = path.join(root, 'state');
    expect(runCli(sweepArgs(path.join(root, 'state-sweep-1'), stateDir, 1)).status).toBe(0);
    sweepId = fs.readdirSync(path.join(stateDir, 'history'))[0];
    expect(runCli(['case', 'set', 'C0001', '--status', 'under_review', '--note', 'look', '--state', stateDir]).status).toBe(0);
  }, 60_000);

  test('a history folder read directly (diff) is verified against state.json; an edit is refused', () => {
    const folder = path.join(stateDir, 'history', sweepId);
    expect(runCli(['diff', folder, good]).status).toBe(0);
    const copy = path.join(root, 'state-copy');
    fs.cpSync(stateDir, copy, { recursive: true });
    editJson(path.join(copy, 'history', sweepId, 'report.json'), (v) => (v.sweep = null));
    expectOneLineError(runCli(['diff', path.join(copy, 'history', sweepId), good]), /history\/[^/]+\/report\.json: damaged or edited after the sweep wrote it .*state\.json says/);
    expectOneLineError(runCli(sweepArgs(path.join(root, 'state-sweep-x'), copy, 2)), /state dir .* is damaged: history\/[^/]+\/report\.json was altered after it was recorded/);
    expectOneLineError(runCli(['case', 'members', 'C0001', '--state', copy]), /report\.json was altered after it was recorded/);
  });

  test('an uncommitted history folder (left by a killed sweep) is not read as a sweep', () => {
    const copy = path.join(root, 'state-uncommitted');
    fs.cpSync(stateDir, copy, { recursive: true });
    fs.cpSync(path.join(copy, 'history', sweepId), path.join(copy, 'history', `${sweepId}x`), { recursive: true });
    expectOneLineError(runCli(['diff', path.join(copy, 'history', `${sweepId}x`), good]), /not committed in .*state\.json \(left by a sweep killed before its commit/);
  });

  test('a damaged state.json is refused by every state reader', () => {
    const copy = path.join(root, 'state-json');
    fs.cpSync(stateDir, copy, { recursive: true });
    fs.writeFileSync(path.join(copy, 'state.json'), '{"format_version": 1, "sweeps": [');
    for (const args of [['case', 'list', '--state', copy], ['case', 'members', 'C0001', '--state', copy], sweepArgs(path.join(root, 'state-sweep-y'), copy, 3)]) {
      expectOneLineError(runCli(args), /state\.json is not valid JSON/);
    }
    expectOneLineError(runCli(['diff', path.join(copy, 'history', sweepId), good]), /state\.json: damaged/);
  });
});
