/** loadSweep: a saved sweep is validated, and a damaged or foreign directory is a clear BAD_SWEEP (exit 2). */
import * as fs from 'fs';
import * as path from 'path';
import { loadSweep } from '../../src/sweep/load';
import { SwarmscopeError } from '../../src/core/errors';
import { tempDir } from './support';

let root: string;
beforeAll(() => {
  root = tempDir('swarmscope-load-');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function expectBadSweep(dir: string, message: RegExp): void {
  let caught: unknown;
  try {
    loadSweep(dir);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SwarmscopeError);
  expect((caught as SwarmscopeError).code).toBe('BAD_SWEEP');
  expect((caught as SwarmscopeError).exitCode).toBe(2);
  expect((caught as SwarmscopeError).message).toMatch(message);
}

test('missing directory, missing report.json, invalid JSON, other schema versions, missing sections', () => {
  expectBadSweep(path.join(root, 'absent'), /no such sweep directory/);
  const empty = path.join(root, 'empty');
  fs.mkdirSync(empty);
  expectBadSweep(empty, /not a saved sweep \(no report\.json\)/);
  const broken = path.join(root, 'broken');
  fs.mkdirSync(broken);
  fs.writeFileSync(path.join(broken, 'report.json'), '{"schema_version": 1, "sweep"');
  expectBadSweep(broken, /report\.json: not valid JSON/);
  fs.writeFileSync(path.join(broken, 'report.json'), JSON.stringify({ schema_version: 2 }));
  expectBadSweep(broken, /schema_version 2 is not supported \(this build reads 1\)/);
  fs.writeFileSync(path.join(broken, 'report.json'), JSON.stringify({ schema_version: 1, sweep: {}, totals: {}, clusters: [], hubs: [], baseline: {} }));
  expectBadSweep(broken, /missing "detection"/);
});

test('members.csv and world.snapshot are read lazily and checked when asked for', () => {
  const dir = path.join(root, 'lazy');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify({ schema_version: 1, sweep: {}, totals: {}, clusters: [], hubs: [], baseline: {}, detection: {} }));
  const saved = loadSweep(dir);
  expect(() => saved.members()).toThrow(/members\.csv: missing/);
  expect(() => saved.world()).toThrow(/cannot read the world snapshot/);
  fs.writeFileSync(path.join(dir, 'members.csv'), 'account,cluster\na,C1\n');
  expect(() => loadSweep(dir).members()).toThrow(/header is "account,cluster", expected "account_id,cluster_id,role,evidence"/);
});
