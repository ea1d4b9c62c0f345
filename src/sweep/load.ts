/**
 * Reading a saved sweep back: report.json validated against schema_version 1, members.csv on demand, and
 * the World snapshot loaded lazily (only the Neo4j export, evidence packs and `report --cluster` need it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { unneutraliseCsvText } from '../core/csv';
import { swarmscopeError } from '../core/errors';
import { loadWorld } from '../core/snapshot';
import { completeWorld, type World } from '../core/world';
import { SWEEP_FILES, SWEEP_SCHEMA_VERSION, type MemberRow, type SweepReport } from './types';

export interface SavedSweep {
  dir: string;
  report: SweepReport;
  /** The imported World, read from world.snapshot on first call and cached. */
  world(): World;
  /** members.csv rows, optionally only one cluster's. */
  members(clusterId?: string): MemberRow[];
  /** Absolute path of a file in the sweep dir. */
  file(name: keyof typeof SWEEP_FILES): string;
}

const REQUIRED_TOP_LEVEL = ['sweep', 'totals', 'clusters', 'hubs', 'baseline', 'detection'] as const;
const MEMBER_COLUMNS = ['account_id', 'cluster_id', 'role', 'evidence'];

export function loadSweep(dir: string): SavedSweep {
  const absolute = path.resolve(dir);
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isDirectory()) {
    throw swarmscopeError('BAD_SWEEP', `${dir}: no such sweep directory; run \`swarmscope sweep <input-dir> --out ${dir}\` first`);
  }
  const reportPath = path.join(absolute, SWEEP_FILES.report);
  if (!fs.existsSync(reportPath)) {
    throw swarmscopeError('BAD_SWEEP', `${dir}: not a saved sweep (no ${SWEEP_FILES.report}); point at the --out directory of a sweep`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
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
      world ??= completeWorld(loadWorld(file('world')));
      return world;
    },
    members(clusterId?: string) {
      members ??= readMembers(file('members'));
      return clusterId === undefined ? members : members.filter((row) => row.cluster_id === clusterId);
    },
  };
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
  return value as SweepReport;
}

function readMembers(file: string): MemberRow[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw swarmscopeError('BAD_SWEEP', `${file}: missing; the sweep is incomplete, re-run it`);
  }
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

