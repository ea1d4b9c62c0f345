/**
 * The case book: who decided what about which cluster, and when. Append-only, one JSON object per line in
 * casebook.jsonl. Each entry carries the SHA-256 of the previous line (`prev_sha256`), so an edited or deleted
 * past entry breaks the chain and is reported (STATE_DAMAGED with the line number) instead of silently trusted.
 * A decision also records the cluster's size and risk in the newest sweep, which the alert policy compares
 * against (a dismissed cluster alerts again only when it grows or its risk rises past that).
 *
 * Writes replace the whole file atomically (temp file, fsync, rename) rather than appending in place, so a
 * writer killed mid-write leaves the previous book byte for byte; the book is small (one line per decision).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import { swarmscopeError } from '../../core/errors';
import { writeFileAtomic } from './atomic';
import { acquireStateLock } from './lock';
import { openState, type StateDir } from './state';

export const CASE_STATUSES = ['confirmed', 'dismissed', 'under_review'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface CaseEntry {
  /** 1, 2, 3… in file order. */
  seq: number;
  cluster_id: string;
  status: CaseStatus;
  note: string;
  by: string;
  /** ISO 8601 time of the decision. */
  at: string;
  /** The newest sweep in the history when the decision was made, and the cluster's size and risk in it. */
  sweep_id: string | null;
  accounts: number | null;
  risk: number | null;
  /** SHA-256 (hex) of the previous line's bytes, null for the first entry. */
  prev_sha256: string | null;
}

function lineHash(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('hex');
}

function damaged(file: string, line: number, what: string): never {
  throw swarmscopeError(
    'STATE_DAMAGED',
    `${file}:${line}: ${what}; the case book was edited by hand or truncated — restore it from a backup`,
    { file, line },
  );
}

/** Reads and checks the case book of a state dir: every line parses, seq runs 1…n, and the hash chain holds. */
export function readCaseBook(state: StateDir): CaseEntry[] {
  const file = state.path('casebook');
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  if (text.length > 0 && !text.endsWith('\n')) damaged(file, text.split('\n').length, 'the last line is incomplete');
  const lines = text.length === 0 ? [] : text.slice(0, -1).split('\n');
  const entries: CaseEntry[] = [];
  let previousHash: string | null = null;
  lines.forEach((line, index) => {
    let entry: CaseEntry;
    try {
      entry = JSON.parse(line) as CaseEntry;
    } catch {
      damaged(file, index + 1, 'not valid JSON');
    }
    if (entry.seq !== index + 1) damaged(file, index + 1, `seq is ${entry.seq}, expected ${index + 1}`);
    if (!CASE_STATUSES.includes(entry.status)) damaged(file, index + 1, `unknown status ${JSON.stringify(entry.status)}`);
    if (entry.prev_sha256 !== previousHash) damaged(file, index + 1, 'prev_sha256 does not match the line before (an entry was changed or removed)');
    previousHash = lineHash(line);
    entries.push(entry);
  });
  return entries;
}

/** The latest decision per cluster id. */
export function currentCases(entries: readonly CaseEntry[]): Map<string, CaseEntry> {
  const latest = new Map<string, CaseEntry>();
  for (const entry of entries) latest.set(entry.cluster_id, entry);
  return latest;
}

export interface CaseDecision {
  clusterId: string;
  status: CaseStatus;
  note: string;
  /** Default: the OS user name. */
  by?: string;
  now?: () => Date;
  /** Seconds to wait for a running sweep to release the state dir. */
  waitSeconds?: number;
}

function defaultAuthor(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** Finds the cluster in the newest sweep that has it (a dormant cluster can still be decided on). */
function clusterFigures(state: StateDir, clusterId: string): { sweep_id: string; accounts: number; risk: number } | null {
  for (let i = state.state.sweeps.length - 1; i >= 0; i--) {
    const sweepId = state.state.sweeps[i].sweep_id;
    const cluster = state.loadSweep(sweepId).report.clusters.find((candidate) => candidate.cluster_id === clusterId);
    if (cluster) return { sweep_id: sweepId, accounts: cluster.accounts, risk: cluster.risk };
  }
  return null;
}

/** Records a decision. Takes the state lock, so it never interleaves with a sweep's commit. */
export function recordCaseDecision(stateDir: string, decision: CaseDecision): CaseEntry {
  if (!CASE_STATUSES.includes(decision.status)) {
    throw swarmscopeError('BAD_ARGUMENT', `status ${JSON.stringify(decision.status)} is not one of ${CASE_STATUSES.join(', ')}`);
  }
  if (!decision.note.trim()) throw swarmscopeError('BAD_ARGUMENT', 'a decision needs a --note saying why (it is the record legal will read)');
  const probe = openState(stateDir, { create: false });
  const lock = acquireStateLock(probe.dir, { waitSeconds: decision.waitSeconds ?? 30, command: `case set ${decision.clusterId}` });
  try {
    const state = openState(stateDir, { create: false });
    const figures = clusterFigures(state, decision.clusterId);
    if (!figures) {
      const latest = state.latest();
      const known = latest ? state.loadSweep(latest.sweep_id).report.clusters.slice(0, 8).map((cluster) => cluster.cluster_id) : [];
      throw swarmscopeError(
        'UNKNOWN_CLUSTER',
        `cluster ${decision.clusterId} is in no sweep of ${stateDir}` + (known.length ? ` (newest sweep has ${known.join(', ')}…)` : ''),
      );
    }
    const file = state.path('casebook');
    const entries = readCaseBook(state);
    const previousText = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const lastLine = previousText.length ? previousText.slice(0, -1).split('\n').pop() ?? null : null;
    const entry: CaseEntry = {
      seq: entries.length + 1,
      cluster_id: decision.clusterId,
      status: decision.status,
      note: decision.note,
      by: decision.by?.trim() || defaultAuthor(),
      at: (decision.now ?? (() => new Date()))().toISOString(),
      sweep_id: figures.sweep_id,
      accounts: figures.accounts,
      risk: figures.risk,
      prev_sha256: lastLine === null ? null : lineHash(lastLine),
    };
    writeFileAtomic(file, `${previousText}${JSON.stringify(entry)}\n`, state.path('tmp'), 'casebook-written');
    return entry;
  } finally {
    lock.release();
  }
}
