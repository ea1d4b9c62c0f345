/**
 * Pack hygiene (issue 14 item 2), through the spawned CLI:
 * - the pack's bytes do not depend on where it is written or where the sweep, keys and state dir sit: bag-info.txt
 *   records the command with every path as a placeholder; two builds to different --out paths (absolute, relative,
 *   another folder, a copy of the sweep elsewhere) are byte-identical, signed or not;
 * - the build prints the zip's SHA-256 (sha256sum's format), equal to the file's;
 * - with --state and --reviewed-by the pack carries the cluster's case decisions (status, by, note, time, the
 *   SHA-256 of the case-book entry) and the reviewer, in data/case-decisions.json, bag-info.txt and the summary.
 * (--out refusing an existing file without --force: test/hostile/evidence-out.test.ts.)
 */
import { createHash } from 'crypto';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, runCli, tempDir } from '../sweep/support';
import { expectOneLine, FIXTURE, sha256 } from './support';

let root: string;
let sweepDir: string;
let stateDir: string;
let key: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-trust-pack-');
  sweepDir = path.join(root, 'sweep');
  stateDir = path.join(root, 'state');
  expect(runCli(['sweep', FIXTURE, '--out', sweepDir, '--hub-limit', '10', '--state', stateDir, '--quiet']).status).toBe(0);
  expect(runCli(['case', 'set', 'C0001', '--status', 'under_review', '--note', 'looks coordinated', '--by', 'bob', '--state', stateDir]).status).toBe(0);
  expect(runCli(['case', 'set', 'C0002', '--status', 'dismissed', '--note', 'office', '--by', 'bob', '--state', stateDir]).status).toBe(0);
  expect(runCli(['case', 'set', 'C0001', '--status', 'confirmed', '--note', 'shared prepaid cards acct_swarm_01', '--by', 'alice', '--state', stateDir]).status).toBe(0);
  expect(runCli(['keygen', '--out', path.join(root, 'keys')]).status).toBe(0);
  key = path.join(root, 'keys', 'swarmscope-signing-key.pem');
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const FULL = () => ['--cluster', 'C0001', '--org', 'Example T&S', '--sign', key, '--state', stateDir, '--reviewed-by', 'Alice Example'];

test('the same pack built to two paths, relative and absolute, and from a copy of the sweep elsewhere, is byte-identical', () => {
  fs.mkdirSync(path.join(root, 'a/deep/folder'), { recursive: true });
  fs.mkdirSync(path.join(root, 'b'));
  const first = runCli(['evidence', sweepDir, ...FULL(), '--out', path.join(root, 'a/deep/folder/pack.zip')]);
  expect(first.status).toBe(0);
  expect(runCli(['evidence', path.relative(path.join(root, 'b'), sweepDir), ...FULL(), '--out', 'other-name.zip'], { cwd: path.join(root, 'b') }).status).toBe(0);
  const sweepCopy = path.join(root, 'b', 'copied-sweep');
  fs.cpSync(sweepDir, sweepCopy, { recursive: true });
  expect(runCli(['evidence', sweepCopy, ...FULL(), '--out', path.join(root, 'b/third.zip')]).status).toBe(0);
  const bytes = fs.readFileSync(path.join(root, 'a/deep/folder/pack.zip'));
  expect(fs.readFileSync(path.join(root, 'b/other-name.zip')).equals(bytes)).toBe(true);
  expect(fs.readFileSync(path.join(root, 'b/third.zip')).equals(bytes)).toBe(true);
  // An unsigned pack too.
  expect(runCli(['evidence', sweepDir, '--cluster', 'C0001', '--out', path.join(root, 'u1.zip')]).status).toBe(0);
  expect(runCli(['evidence', sweepCopy, '--cluster', 'C0001', '--out', path.join(root, 'a/u2.zip')]).status).toBe(0);
  expect(fs.readFileSync(path.join(root, 'u1.zip')).equals(fs.readFileSync(path.join(root, 'a/u2.zip')))).toBe(true);
});

test('bag-info.txt records the command with placeholders for every path, and no path of this machine', () => {
  const pack = path.join(root, 'recorded.zip');
  expect(runCli(['evidence', sweepDir, ...FULL(), '--out', pack]).status).toBe(0);
  const bag = path.join(root, 'recorded');
  execFileSync('unzip', ['-q', pack, '-d', bag]);
  const [folder] = fs.readdirSync(bag);
  const bagInfo = fs.readFileSync(path.join(bag, folder, 'bag-info.txt'), 'utf8');
  const unfolded = bagInfo.replace(/\n {2}/g, '');
  expect(unfolded).toContain(
    "Swarmscope-Command-Line: swarmscope evidence <sweep-dir> --cluster C0001 --org 'Example T&S' --state <state-dir> --reviewed-by 'Alice Example' --sign <private-key.pem> --out <pack.zip>",
  );
  expect(bagInfo).not.toContain(root);
});

test('the build prints the zip\'s SHA-256 in sha256sum\'s format', () => {
  const pack = path.join(root, 'printed.zip');
  const built = runCli(['evidence', sweepDir, '--cluster', 'C0001', '--out', pack]);
  expect(built.status).toBe(0);
  const line = built.stdout.split('\n').find((text) => text.startsWith('sha256 '));
  expect(line).toBe(`sha256 ${sha256(pack)}  printed.zip`);
});

test('with --state and --reviewed-by the pack carries the cluster\'s decisions, each with its case-book entry hash, and the reviewer', () => {
  const pack = path.join(root, 'decisions.zip');
  expect(runCli(['evidence', sweepDir, ...FULL(), '--out', pack]).status).toBe(0);
  const bag = path.join(root, 'decisions');
  execFileSync('unzip', ['-q', pack, '-d', bag]);
  const [folder] = fs.readdirSync(bag);
  const decisions = JSON.parse(fs.readFileSync(path.join(bag, folder, 'data/case-decisions.json'), 'utf8')) as {
    cluster_id: string;
    reviewed_by: string;
    decisions: Array<{ seq: number; status: string; by: string; note: string; at: string; entry_sha256: string }>;
  };
  const lines = fs.readFileSync(path.join(stateDir, 'casebook.jsonl'), 'utf8').split('\n').slice(0, -1);
  const lineHash = (line: string) => createHash('sha256').update(line, 'utf8').digest('hex');
  expect(decisions.cluster_id).toBe('C0001');
  expect(decisions.reviewed_by).toBe('Alice Example');
  // Only C0001's decisions (#1 and #3), each citing the exact line of the case book.
  expect(decisions.decisions.map((d) => [d.seq, d.status, d.by, d.note])).toEqual([
    [1, 'under_review', 'bob', 'looks coordinated'],
    [3, 'confirmed', 'alice', 'shared prepaid cards acct_swarm_01'],
  ]);
  expect(decisions.decisions.map((d) => d.entry_sha256)).toEqual([lineHash(lines[0]), lineHash(lines[2])]);
  expect(decisions.decisions.map((d) => d.at)).toEqual([JSON.parse(lines[0]).at, JSON.parse(lines[2]).at]);
  const bagInfo = fs.readFileSync(path.join(bag, folder, 'bag-info.txt'), 'utf8').replace(/\n {2}/g, '');
  expect(bagInfo).toContain('Reviewed-By: Alice Example\n');
  expect(bagInfo).toContain(`Case-Decision: confirmed by alice at ${JSON.parse(lines[2]).at} (case book #3, entry sha256 ${lineHash(lines[2])})`);
  const html = fs.readFileSync(path.join(bag, folder, 'data/summary.html'), 'utf8');
  expect(html).toContain('<h2>Review</h2>');
  expect(html).toContain('Reviewed by: Alice Example.');
  expect(html).toContain('Current decision: confirmed, by alice');
});

test('a pack built without --state says so, and a state dir the sweep is not in is refused', () => {
  const pack = path.join(root, 'no-state.zip');
  expect(runCli(['evidence', sweepDir, '--cluster', 'C0001', '--out', pack]).status).toBe(0);
  const bag = path.join(root, 'no-state');
  execFileSync('unzip', ['-q', pack, '-d', bag]);
  const [folder] = fs.readdirSync(bag);
  expect(fs.existsSync(path.join(bag, folder, 'data/case-decisions.json'))).toBe(false);
  expect(fs.readFileSync(path.join(bag, folder, 'data/summary.html'), 'utf8')).toContain('Case decisions: not included (the pack was built without --state');
  const otherState = path.join(root, 'other-state');
  expect(runCli(['sweep', FIXTURE, '--out', path.join(root, 'other-sweep'), '--hub-limit', '10', '--seed', '9', '--state', otherState, '--quiet']).status).toBe(0);
  const refused = runCli(['evidence', sweepDir, '--cluster', 'C0001', '--out', path.join(root, 'never.zip'), '--state', otherState]);
  expectOneLine(refused, /--state .*other-state: sweep \S+ is not in its history, so its cluster ids are not the case book's/);
  expect(fs.existsSync(path.join(root, 'never.zip'))).toBe(false);
});
