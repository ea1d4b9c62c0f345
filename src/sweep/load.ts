/**
 * Reading a saved sweep back: report.json validated against schema_version 1, members.csv on demand, and
 * the World snapshot loaded lazily (only the Neo4j export, evidence packs and `report --cluster` need it).
 *
 * Every file is verified before it is parsed (the one reader of saved sweeps: report, diff, evidence, export
 * and the state dir's history all come here): its SHA-256 against the sweep's checksums.sha256
 * (src/sweep/checksums.ts) — or, for a folder of a state dir's history/, against that state dir's state.json —
 * and report.json's structure against what every reader indexes. A damaged or edited file is BAD_SWEEP
 * (exit 2, one line naming the file and what is wrong). A sweep dir without checksums.sha256 (written by hand,
 * or before sweeps recorded checksums) gets the structural checks only, and its world.snapshot — binary, with
 * no structure to check — is refused.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { unneutraliseCsvText } from '../core/csv';
import { swarmscopeError } from '../core/errors';
import { loadWorld } from '../core/snapshot';
import { CHECKSUMS_FILE, readChecksums, verifyChecksum } from './checksums';
import { completeWorld, type World } from '../core/world';
import { SWEEP_FILES, SWEEP_SCHEMA_VERSION, type MemberRow, type SweepReport } from './types';

export interface SavedSweep {
  dir: string;
  report: SweepReport;
  /** The imported World, read from world.snapshot on first call and cached. */
  world(): World;
  /** members.csv rows, optionally only one cluster's. */
  members(clusterId?: string): MemberRow[];
  /** Absolute path of a file in the sweep dir (for messages: read it with read(), which verifies it). */
  file(name: keyof typeof SWEEP_FILES): string;
  /** A file's bytes, verified against the sweep's checksums first (BAD_SWEEP if it differs). */
  read(name: 'report' | 'members' | 'clusters'): Buffer;
}

const REQUIRED_TOP_LEVEL = ['sweep', 'totals', 'clusters', 'hubs', 'baseline', 'detection'] as const;
const MEMBER_COLUMNS = ['account_id', 'cluster_id', 'role', 'evidence'];

/** The SHA-256 each file of a sweep dir must have, and where that list comes from; null when there is none. */
interface ExpectedSums {
  sums: Map<string, string>;
  listedIn: string;
}

/**
 * The expected checksums of a sweep dir: its checksums.sha256, or for `<state>/history/<sweep-id>` the sha256
 * that `<state>/state.json` recorded at commit (a folder state.json does not list was never committed).
 */
function expectedSums(absolute: string): ExpectedSums | null {
  const manifest = readChecksums(absolute);
  if (manifest) return { sums: manifest, listedIn: CHECKSUMS_FILE };
  const historyDir = path.dirname(absolute);
  const stateFile = path.join(path.dirname(historyDir), 'state.json');
  if (path.basename(historyDir) !== 'history' || !fs.existsSync(stateFile)) return null;
  let entries: { sweep_id?: unknown; sha256?: unknown }[];
  try {
    entries = (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { sweeps: { sweep_id?: unknown; sha256?: unknown }[] }).sweeps;
    if (!Array.isArray(entries)) throw new Error('"sweeps" is not a list');
  } catch (error) {
    throw swarmscopeError('BAD_SWEEP', `${stateFile}: damaged (${(error as Error).message}); cannot verify ${absolute}`);
  }
  const entry = entries.find((candidate) => candidate && candidate.sweep_id === path.basename(absolute));
  if (!entry || !entry.sha256 || typeof entry.sha256 !== 'object') {
    throw swarmscopeError('BAD_SWEEP', `${absolute}: not committed in ${stateFile} (left by a sweep killed before its commit; the next sweep with this state dir removes it)`);
  }
  return { sums: new Map(Object.entries(entry.sha256 as Record<string, string>)), listedIn: stateFile };
}

/** Reads a file of the sweep, verified against its expected checksum when the sweep has a list. */
function readVerified(absolute: string, name: string, expected: ExpectedSums | null, missing: string): Buffer {
  const file = path.join(absolute, name);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw swarmscopeError('BAD_SWEEP', `${file}: ${missing}`);
  }
  if (expected) {
    const sum = expected.sums.get(name);
    if (sum === undefined) throw swarmscopeError('BAD_SWEEP', `${file}: not listed in ${expected.listedIn}, so it cannot be verified; re-run the sweep`);
    verifyChecksum(file, bytes, sum, expected.listedIn);
  }
  return bytes;
}

export function loadSweep(dir: string): SavedSweep {
  const absolute = path.resolve(dir);
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isDirectory()) {
    throw swarmscopeError('BAD_SWEEP', `${dir}: no such sweep directory; run \`swarmscope sweep <input-dir> --out ${dir}\` first`);
  }
  const reportPath = path.join(absolute, SWEEP_FILES.report);
  if (!fs.existsSync(reportPath)) {
    throw swarmscopeError('BAD_SWEEP', `${dir}: not a saved sweep (no ${SWEEP_FILES.report}); point at the --out directory of a sweep`);
  }
  const expected = expectedSums(absolute);
  const reportBytes = readVerified(absolute, SWEEP_FILES.report, expected, 'cannot be read; re-run the sweep');
  let parsed: unknown;
  try {
    parsed = JSON.parse(reportBytes.toString('utf8'));
  } catch (error) {
    throw swarmscopeError('BAD_SWEEP', `${reportPath}: not valid JSON (${(error as Error).message}); re-run the sweep`);
  }
  const report = validateReport(parsed, reportPath);
  let world: World | undefined;
  let members: MemberRow[] | undefined;
  const file = (name: keyof typeof SWEEP_FILES): string => path.join(absolute, SWEEP_FILES[name]);
  return {
    dir: absolute,
    report,
    file,
    world() {
      if (world) return world;
      const sum = expected?.sums.get(SWEEP_FILES.world);
      if (sum === undefined) {
        throw swarmscopeError(
          'BAD_SWEEP',
          expected
            ? `${file('world')}: not listed in ${expected.listedIn}, so it cannot be verified; re-run the sweep`
            : `${file('world')}: cannot be verified, the sweep has no ${CHECKSUMS_FILE} (written by hand or by an older swarmscope, or removed); re-run the sweep`,
        );
      }
      world = completeWorld(loadWorld(file('world'), { sha256: sum, listedIn: expected?.listedIn }));
      return world;
    },
    read(name) {
      return readVerified(absolute, SWEEP_FILES[name], expected, 'missing or unreadable; the sweep is incomplete, re-run it');
    },
    members(clusterId?: string) {
      members ??= readMembers(file('members'), readVerified(absolute, SWEEP_FILES.members, expected, 'missing; the sweep is incomplete, re-run it'));
      return clusterId === undefined ? members : members.filter((row) => row.cluster_id === clusterId);
    },
  };
}

type Check = (value: unknown) => boolean;
const isObject: Check = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString: Check = (value) => typeof value === 'string';
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isArray: Check = (value) => Array.isArray(value);
const isIndex: Check = (value) => Number.isInteger(value) && (value as number) >= 0;

/** What every reader of report.json indexes without further checks: a value failing one is damage. */
const SWEEP_FIELDS: Record<string, Check> = {
  id: isString,
  started_at: isString,
  input_dir: isString,
  input_files: isArray,
  parameters: isObject,
  software: isObject,
  rejects: isObject,
  stages: isObject,
};
const CLUSTER_FIELDS: Record<string, Check> = {
  cluster_id: isString,
  partition_index: isIndex,
  accounts: isNumber,
  risk: isNumber,
  tier: isString,
  reasons: isArray,
};
const HUB_FIELDS: Record<string, Check> = { kind: isString, id: isString };

function checkFields(value: unknown, fields: Record<string, Check>, where: string, reportPath: string): void {
  if (!isObject(value)) throw damagedReport(reportPath, `${where} is not an object`);
  const record = value as Record<string, unknown>;
  for (const [key, check] of Object.entries(fields)) {
    if (!check(record[key])) throw damagedReport(reportPath, `${where}.${key} is ${JSON.stringify(record[key]) ?? 'missing'}`);
  }
}

function damagedReport(reportPath: string, what: string) {
  return swarmscopeError('BAD_SWEEP', `${reportPath}: damaged: ${what.length > 160 ? `${what.slice(0, 160)}…` : what}; re-run the sweep`);
}

function validateReport(value: unknown, reportPath: string): SweepReport {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw swarmscopeError('BAD_SWEEP', `${reportPath}: expected a JSON object; re-run the sweep`);
  }
  const record = value as Record<string, unknown>;
  if (record.schema_version !== SWEEP_SCHEMA_VERSION) {
    throw swarmscopeError(
      'BAD_SWEEP',
      `${reportPath}: schema_version ${JSON.stringify(record.schema_version)} is not supported (this build reads ${SWEEP_SCHEMA_VERSION}); re-run the sweep with this version`,
    );
  }
  for (const key of REQUIRED_TOP_LEVEL) {
    if (!(key in record)) throw swarmscopeError('BAD_SWEEP', `${reportPath}: missing "${key}"; the file is damaged, re-run the sweep`);
  }
  if (!Array.isArray(record.clusters)) throw swarmscopeError('BAD_SWEEP', `${reportPath}: "clusters" is not an array; re-run the sweep`);
  checkFields(record.sweep, SWEEP_FIELDS, 'sweep', reportPath);
  for (const key of ['totals', 'detection', 'baseline'] as const) {
    if (!isObject(record[key])) throw damagedReport(reportPath, `${key} is not an object`);
  }
  const ids = new Set<string>();
  record.clusters.forEach((cluster, index) => {
    checkFields(cluster, CLUSTER_FIELDS, `clusters[${index}]`, reportPath);
    const id = (cluster as { cluster_id: string }).cluster_id;
    if (ids.has(id)) throw damagedReport(reportPath, `cluster ${JSON.stringify(id)} is listed twice`);
    ids.add(id);
  });
  if (!Array.isArray(record.hubs)) throw damagedReport(reportPath, 'hubs is not an array');
  record.hubs.forEach((hub, index) => checkFields(hub, HUB_FIELDS, `hubs[${index}]`, reportPath));
  const since = record.since_last_sweep;
  if (since !== undefined && since !== null) {
    if (!isObject(since)) throw damagedReport(reportPath, 'since_last_sweep is not an object');
    const events = (since as Record<string, unknown>).events;
    if (events !== undefined && !isArray(events)) throw damagedReport(reportPath, 'since_last_sweep.events is not an array');
  }
  return value as SweepReport;
}

function readMembers(file: string, bytes: Buffer): MemberRow[] {
  const text = bytes.toString('utf8');
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: false }) as string[][];
  } catch (error) {
    throw swarmscopeError('BAD_SWEEP', `${file}: not valid CSV (${(error as Error).message}); re-run the sweep`);
  }
  const header = rows[0] ?? [];
  if (header.join(',') !== MEMBER_COLUMNS.join(',')) {
    throw swarmscopeError('BAD_SWEEP', `${file}: header is "${header.join(',')}", expected "${MEMBER_COLUMNS.join(',')}"; re-run the sweep`);
  }
  const out: MemberRow[] = new Array(rows.length - 1);
  for (let i = 1; i < rows.length; i++) {
    const [account_id, cluster_id, role, evidence] = rows[i];
    out[i - 1] = { account_id: unneutraliseCsvText(account_id), cluster_id, role, evidence: unneutraliseCsvText(evidence) };
  }
  return out;
}

