/** loadSweep: a saved sweep is validated, and a damaged or foreign directory is a clear BAD_SWEEP (exit 2). */
import * as fs from 'fs';
import * as path from 'path';
import { writeChecksums } from '../../src/sweep/checksums';
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

/** The smallest report.json that passes the structural checks. */
const MINIMAL_REPORT = {
  schema_version: 1,
  sweep: { id: 'S1', started_at: '2026-11-16T06:00:00.000Z', input_dir: 'x', input_files: [], parameters: {}, software: {}, rejects: {}, stages: {} },
  totals: {},
  clusters: [],
  hubs: [],
  baseline: {},
  detection: {},
};

test('report.json is checked for what every reader indexes: a null sweep, a cluster without id, duplicate ids', () => {
  const dir = path.join(root, 'structure');
  fs.mkdirSync(dir);
  const write = (value: unknown) => fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(value));
  write({ ...MINIMAL_REPORT, sweep: null });
  expectBadSweep(dir, /report\.json: damaged: sweep is not an object/);
  write({ ...MINIMAL_REPORT, sweep: { ...MINIMAL_REPORT.sweep, id: 7 } });
  expectBadSweep(dir, /damaged: sweep\.id is 7/);
  const cluster = { cluster_id: 'C0001', partition_index: 0, accounts: 3, risk: 50, tier: 'high', reasons: [] };
  write({ ...MINIMAL_REPORT, clusters: [{ ...cluster, cluster_id: undefined }] });
  expectBadSweep(dir, /damaged: clusters\[0\]\.cluster_id is missing/);
  write({ ...MINIMAL_REPORT, clusters: [cluster, cluster] });
  expectBadSweep(dir, /damaged: cluster "C0001" is listed twice/);
  write({ ...MINIMAL_REPORT, hubs: [null] });
  expectBadSweep(dir, /damaged: hubs\[0\] is not an object/);
  write({ ...MINIMAL_REPORT, clusters: [cluster] });
  expect(loadSweep(dir).report.clusters).toHaveLength(1);
});

test('members.csv and world.snapshot are read lazily and checked when asked for', () => {
  const dir = path.join(root, 'lazy');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(MINIMAL_REPORT));
  const saved = loadSweep(dir);
  expect(() => saved.members()).toThrow(/members\.csv: missing/);
  // A binary snapshot has no structure to check: without checksums.sha256 it cannot be verified, so it is refused.
  expect(() => saved.world()).toThrow(/world\.snapshot: cannot be verified, the sweep has no checksums\.sha256/);
  fs.writeFileSync(path.join(dir, 'members.csv'), 'account,cluster\na,C1\n');
  expect(() => loadSweep(dir).members()).toThrow(/header is "account,cluster", expected "account_id,cluster_id,role,evidence"/);
});

test('with checksums.sha256 every file is verified before it is parsed', () => {
  const dir = path.join(root, 'summed');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(MINIMAL_REPORT));
  fs.writeFileSync(path.join(dir, 'members.csv'), 'account_id,cluster_id,role,evidence\na,C1,core,x\n');
  fs.writeFileSync(path.join(dir, 'world.snapshot'), 'not a snapshot');
  writeChecksums(dir);
  expect(loadSweep(dir).members()).toHaveLength(1);
  expect(() => loadSweep(dir).world()).toThrow(/world\.snapshot: not a swarmscope world snapshot/);
  fs.appendFileSync(path.join(dir, 'members.csv'), 'b,C1,core,x\n');
  expect(() => loadSweep(dir).members()).toThrow(/members\.csv: damaged or edited after the sweep wrote it/);
  fs.appendFileSync(path.join(dir, 'world.snapshot'), '!');
  expect(() => loadSweep(dir).world()).toThrow(/world\.snapshot: damaged or edited after the sweep wrote it/);
  fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify({ ...MINIMAL_REPORT, clusters: [] }, null, 1));
  expectBadSweep(dir, /report\.json: damaged or edited after the sweep wrote it/);
});
