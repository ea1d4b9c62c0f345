/**
 * The state dir (`--state <dir>`): the history of sweeps, the cluster-id counter and the case book.
 * Format (documented in docs/state-dir.md):
 *
 *   state.json        {format_version, created_at, software, next_cluster_number, sweeps: [...]} — the commit point
 *   history/<sweep>/  report.json, members.csv: an immutable copy of each committed sweep
 *   casebook.jsonl    one decision per line, hash-chained (src/sweep/history/casebook.ts)
 *   casebook.head     the case book's entry count and newest line's SHA-256, checked on every read
 *   tmp/              work in progress; anything here is garbage left by a killed writer
 *   lock              present while a writer runs (src/sweep/history/lock.ts)
 *
 * A sweep is in the history if and only if state.json lists it; state.json is replaced atomically after the
 * sweep's copy is complete, so a writer killed at any point leaves the previous state readable and unchanged.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { swarmscopeError } from '../../core/errors';
import { SOFTWARE } from '../../core/version';
import { loadSweep, type SavedSweep } from '../load';
import { SWEEP_FILES } from '../types';
import { removeTree, writeFileAtomic } from './atomic';
import { IDENTIFIERS_FILE, readIdentifiersFile, type ClusterIdentifiers } from './identifier-links';
import { LOCK_FILE } from './lock';
import { ACCOUNT_STATUS_FILE, readAccountStatusFile } from './account-status';

export const STATE_FORMAT_VERSION = 1;

export const STATE_LAYOUT = {
  state: 'state.json',
  history: 'history',
  casebook: 'casebook.jsonl',
  /** The case book's commit point: its entry count and the SHA-256 of its newest line (casebook.ts). */
  casebookHead: 'casebook.head',
  tmp: 'tmp',
  lock: LOCK_FILE,
} as const;

/** Files of a sweep dir copied into history/<sweep-id>/. */
export const HISTORY_FILES = [SWEEP_FILES.report, SWEEP_FILES.members] as const;

export interface StateSweepEntry {
  sweep_id: string;
  started_at: string;
  committed_at: string;
  clusters: number;
  clustered_accounts: number;
  /** SHA-256 of each file in history/<sweep_id>/, checked whenever the file is read back. */
  sha256: Record<string, string>;
}

export interface StateFile {
  format_version: typeof STATE_FORMAT_VERSION;
  created_at: string;
  software: { name: string; version: string };
  /** The next new cluster gets C<next_cluster_number>; only ever increases, so ids are never reused. */
  next_cluster_number: number;
  /** Committed sweeps, oldest first. */
  sweeps: StateSweepEntry[];
}

export interface StateDir {
  dir: string;
  state: StateFile;
  /** The newest committed sweep, or null before the first. */
  latest(): StateSweepEntry | null;
  /** A committed sweep, its files checked against the SHA-256 recorded at commit. */
  loadSweep(sweepId: string): SavedSweep;
  /** The strong identifiers recorded for a committed sweep's triage-tier clusters (empty for sweeps before they were recorded). */
  loadIdentifiers(sweepId: string): Map<string, ClusterIdentifiers>;
  /** The clustered accounts that were suspended or terminated in a committed sweep's input (null for sweeps before it was recorded). */
  loadAccountStatus(sweepId: string): Map<string, string> | null;
  path(name: keyof typeof STATE_LAYOUT): string;
}

const SAFE_SWEEP_ID = /^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$/;

export function checkSweepId(sweepId: string): void {
  if (!SAFE_SWEEP_ID.test(sweepId)) {
    throw swarmscopeError('BAD_ARGUMENT', `sweep id ${JSON.stringify(sweepId)} cannot name a history folder (letters, digits and . _ : + - only)`);
  }
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function damaged(dir: string, what: string): never {
  throw swarmscopeError(
    'STATE_DAMAGED',
    `state dir ${dir} is damaged: ${what}; restore it from a backup, or start a new state dir (history and case book start empty)`,
  );
}

function emptyState(now: Date): StateFile {
  return {
    format_version: STATE_FORMAT_VERSION,
    created_at: now.toISOString(),
    software: { name: SOFTWARE.name, version: SOFTWARE.version },
    next_cluster_number: 1,
    sweeps: [],
  };
}

function validateState(dir: string, value: unknown): StateFile {
  const file = path.join(dir, STATE_LAYOUT.state);
  if (!value || typeof value !== 'object' || Array.isArray(value)) damaged(dir, `${file} is not a JSON object`);
  const record = value as Record<string, unknown>;
  const version = record.format_version;
  if (typeof version !== 'number' || !Number.isInteger(version)) damaged(dir, `${file} has no format_version`);
  if (version !== STATE_FORMAT_VERSION) {
    throw swarmscopeError(
      'STATE_VERSION',
      version > STATE_FORMAT_VERSION
        ? `state dir ${dir} has format_version ${version}, written by a newer swarmscope; this build (${SOFTWARE.version}) reads format ${STATE_FORMAT_VERSION} — upgrade swarmscope`
        : `state dir ${dir} has format_version ${version}, older than this build reads (${STATE_FORMAT_VERSION}); it cannot be used — start a new state dir`,
      { format_version: version, supported: STATE_FORMAT_VERSION },
    );
  }
  const next = record.next_cluster_number;
  if (typeof next !== 'number' || !Number.isInteger(next) || next < 1) damaged(dir, `${file}: next_cluster_number is not a whole number ≥ 1`);
  if (!Array.isArray(record.sweeps)) damaged(dir, `${file}: "sweeps" is not a list`);
  const seen = new Set<string>();
  for (const [index, entry] of (record.sweeps as unknown[]).entries()) {
    const sweep = entry as Partial<StateSweepEntry> | null;
    if (!sweep || typeof sweep.sweep_id !== 'string' || !SAFE_SWEEP_ID.test(sweep.sweep_id) || !sweep.sha256 || typeof sweep.sha256 !== 'object') {
      damaged(dir, `${file}: sweeps[${index}] is not a valid entry`);
    }
    if (seen.has(sweep.sweep_id)) damaged(dir, `${file}: sweep ${sweep.sweep_id} is listed twice`);
    seen.add(sweep.sweep_id);
    for (const name of HISTORY_FILES) {
      if (!fs.existsSync(path.join(dir, STATE_LAYOUT.history, sweep.sweep_id, name))) {
        damaged(dir, `${STATE_LAYOUT.history}/${sweep.sweep_id}/${name} is missing`);
      }
    }
  }
  return value as StateFile;
}

/** What a folder given as --state holds, read without changing anything. */
export type StateDirKind =
  /** missing, or an empty folder */
  | 'empty'
  /** only what a first sweep leaves before its first commit (an empty history/, tmp/, a lock): nothing was committed */
  | 'uncommitted'
  /** has state.json */
  | 'committed';

/** Names a writer can leave at the top of a state dir before state.json first exists. */
function isFirstCommitDebris(absolute: string, name: string): boolean {
  if (name === STATE_LAYOUT.tmp || name === STATE_LAYOUT.lock) return true;
  if (name.startsWith(`${STATE_LAYOUT.lock}.`)) return true; // lock.<pid>.<hex>.tmp, lock.stale.<pid>
  if (name === STATE_LAYOUT.history) {
    const history = path.join(absolute, name);
    return fs.statSync(history).isDirectory() && fs.readdirSync(history).length === 0;
  }
  return false;
}

/**
 * Classifies a state dir without writing. A folder without state.json that holds only the debris of a first
 * sweep killed before its first commit (an empty history/, tmp/, a lock) is 'uncommitted': nothing was ever
 * recorded in it, so it is treated as empty, not as damage. Anything else without state.json is STATE_DAMAGED
 * (a state dir whose state.json was lost still has history folders, which are never deleted for it).
 */
export function inspectStateDir(dir: string): StateDirKind {
  const absolute = path.resolve(dir);
  if (!fs.existsSync(absolute)) return 'empty';
  if (!fs.statSync(absolute).isDirectory()) throw swarmscopeError('STATE_DAMAGED', `${dir} is a file, not a state dir`);
  if (fs.existsSync(path.join(absolute, STATE_LAYOUT.state))) return 'committed';
  const names = fs.readdirSync(absolute);
  if (names.length === 0) return 'empty';
  if (names.every((name) => isFirstCommitDebris(absolute, name))) return 'uncommitted';
  damaged(dir, `it has files but no ${STATE_LAYOUT.state} (is this a swarmscope state dir?)`);
}

/**
 * Opens a state dir. `create` (a sweep, holding the lock: see beginHistorySweep) turns an empty or uncommitted
 * folder into a new state dir (state.json written atomically before anything else); commands that only read
 * (case list, case members) pass create: false and are told to run a sweep first (exit 2). STATE_DAMAGED for a
 * folder that is not a state dir.
 */
export function openState(dir: string, options: { create?: boolean; now?: () => Date } = {}): StateDir {
  const absolute = path.resolve(dir);
  const stateFile = path.join(absolute, STATE_LAYOUT.state);
  const kind = inspectStateDir(dir);
  if (kind !== 'committed') {
    if (!options.create) {
      throw swarmscopeError(
        'BAD_ARGUMENT',
        `${dir} is not a state dir yet${kind === 'uncommitted' ? ' (its first sweep never completed)' : ''}; run \`swarmscope sweep <input-dir> --out <sweep-dir> --state ${dir}\` first`,
      );
    }
    fs.mkdirSync(absolute, { recursive: true });
    writeFileAtomic(stateFile, `${JSON.stringify(emptyState((options.now ?? (() => new Date()))()), null, 2)}\n`, path.join(absolute, STATE_LAYOUT.tmp), 'state-init-written');
    fs.mkdirSync(path.join(absolute, STATE_LAYOUT.history), { recursive: true });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  } catch (error) {
    damaged(dir, `${STATE_LAYOUT.state} is not valid JSON (${(error as Error).message})`);
  }
  const state = validateState(absolute, parsed);
  return stateDirHandle(absolute, state);
}

function stateDirHandle(absolute: string, state: StateFile): StateDir {
  const byId = new Map(state.sweeps.map((entry) => [entry.sweep_id, entry]));
  const cache = new Map<string, SavedSweep>();
  return {
    dir: absolute,
    state,
    latest: () => state.sweeps[state.sweeps.length - 1] ?? null,
    path: (name) => path.join(absolute, STATE_LAYOUT[name]),
    loadSweep(sweepId: string): SavedSweep {
      const cached = cache.get(sweepId);
      if (cached) return cached;
      const entry = byId.get(sweepId);
      if (!entry) {
        const known = state.sweeps.map((sweep) => sweep.sweep_id);
        throw swarmscopeError(
          'BAD_ARGUMENT',
          `sweep ${sweepId} is not in the history of ${absolute}` + (known.length ? ` (known: ${known.slice(-5).join(', ')})` : ' (no sweeps yet)'),
        );
      }
      const folder = path.join(absolute, STATE_LAYOUT.history, sweepId);
      for (const name of HISTORY_FILES) {
        const expected = entry.sha256[name];
        if (expected && sha256File(path.join(folder, name)) !== expected) {
          damaged(absolute, `${STATE_LAYOUT.history}/${sweepId}/${name} was altered after it was recorded (SHA-256 differs)`);
        }
      }
      let saved: SavedSweep;
      try {
        saved = loadSweep(folder);
      } catch (error) {
        damaged(absolute, `${STATE_LAYOUT.history}/${sweepId} cannot be read (${(error as Error).message})`);
      }
      cache.set(sweepId, saved);
      return saved;
    },
    loadIdentifiers(sweepId: string): Map<string, ClusterIdentifiers> {
      const entry = byId.get(sweepId);
      const file = path.join(absolute, STATE_LAYOUT.history, sweepId, IDENTIFIERS_FILE);
      const expected = entry?.sha256[IDENTIFIERS_FILE];
      if (!expected) return new Map();
      if (!fs.existsSync(file)) damaged(absolute, `${STATE_LAYOUT.history}/${sweepId}/${IDENTIFIERS_FILE} is missing`);
      if (sha256File(file) !== expected) {
        damaged(absolute, `${STATE_LAYOUT.history}/${sweepId}/${IDENTIFIERS_FILE} was altered after it was recorded (SHA-256 differs)`);
      }
      return readIdentifiersFile(file);
    },
    loadAccountStatus(sweepId: string): Map<string, string> | null {
      const entry = byId.get(sweepId);
      const file = path.join(absolute, STATE_LAYOUT.history, sweepId, ACCOUNT_STATUS_FILE);
      const expected = entry?.sha256[ACCOUNT_STATUS_FILE];
      if (!expected) return null;
      if (!fs.existsSync(file)) damaged(absolute, `${STATE_LAYOUT.history}/${sweepId}/${ACCOUNT_STATUS_FILE} is missing`);
      if (sha256File(file) !== expected) {
        damaged(absolute, `${STATE_LAYOUT.history}/${sweepId}/${ACCOUNT_STATUS_FILE} was altered after it was recorded (SHA-256 differs)`);
      }
      return readAccountStatusFile(file);
    },
  };
}

/**
 * Removes what a killed writer left: everything in tmp/, and history folders that state.json does not list
 * (copied but never committed). Call only while holding the lock.
 */
export function recoverState(state: StateDir): string[] {
  const removed: string[] = [];
  const tmp = state.path('tmp');
  if (fs.existsSync(tmp)) {
    for (const name of fs.readdirSync(tmp)) {
      removeTree(path.join(tmp, name));
      removed.push(`${STATE_LAYOUT.tmp}/${name}`);
    }
  }
  const committed = new Set(state.state.sweeps.map((entry) => entry.sweep_id));
  const history = state.path('history');
  if (fs.existsSync(history)) {
    for (const name of fs.readdirSync(history)) {
      if (committed.has(name)) continue;
      removeTree(path.join(history, name));
      removed.push(`${STATE_LAYOUT.history}/${name}`);
    }
  }
  return removed;
}

/** Replaces state.json atomically (the commit point). */
export function writeState(state: StateDir, next: StateFile): void {
  writeFileAtomic(state.path('state'), `${JSON.stringify(next, null, 2)}\n`, state.path('tmp'), 'state-written');
}
