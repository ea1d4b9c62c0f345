/**
 * Reproducible sweep ids (issue 14 item 6): the id is `<UTC start>-<hash>`, and the hash part covers the input
 * files' hashes and the detection parameters only — not the stage timings the report also records. Two sweeps of
 * the same input with the same parameters get the same hash part; another seed or another input, another one.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, runCli, tempDir } from '../sweep/support';
import { FIXTURE, fixtureVariant } from './support';

let root: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-trust-sweep-id-');
}, 60_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function sweepOf(input: string, out: string, ...extra: string[]) {
  const result = runCli(['sweep', input, '--out', path.join(root, out), '--hub-limit', '10', '--quiet', ...extra]);
  expect(result.status).toBe(0);
  const report = JSON.parse(fs.readFileSync(path.join(root, out, 'report.json'), 'utf8')) as {
    sweep: { id: string; parameters: { detection: { seconds?: Record<string, number> } } };
  };
  const match = /^(\d{8}T\d{6}Z)-([0-9a-f]{8})$/.exec(report.sweep.id);
  expect(match).not.toBeNull();
  return { hash: match![2], seconds: report.sweep.parameters.detection.seconds };
}

test('the same input and parameters give the same hash part, although the recorded timings differ', () => {
  const runs = [sweepOf(FIXTURE, 'a'), sweepOf(FIXTURE, 'b'), sweepOf(FIXTURE, 'c')];
  expect(new Set(runs.map((run) => run.hash)).size).toBe(1);
  // The timings are in the parameters the report records, and are not all equal: the id must not depend on them.
  expect(runs.every((run) => run.seconds && typeof run.seconds.optimiser === 'number')).toBe(true);
  expect(new Set(runs.map((run) => JSON.stringify(run.seconds))).size).toBeGreaterThan(1);
});

test('the hash part does not depend on where the input sits or where the sweep is written', () => {
  const copy = fixtureVariant(path.join(root, 'elsewhere', 'input'));
  expect(sweepOf(copy, 'elsewhere/sweep').hash).toBe(sweepOf(FIXTURE, 'd').hash);
});

test('another seed or another input gives another hash part', () => {
  const base = sweepOf(FIXTURE, 'e').hash;
  expect(sweepOf(FIXTURE, 'f', '--seed', '7').hash).not.toBe(base);
  const changed = fixtureVariant(path.join(root, 'changed'), { shiftDays: 1 });
  expect(sweepOf(changed, 'g').hash).not.toBe(base);
});
