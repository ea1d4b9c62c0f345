/**
 * The case book: who decided what about which cluster, and when. Append-only, one JSON object per line in
 * casebook.jsonl. Each entry carries the SHA-256 of the previous line (`prev_sha256`), so an edited or deleted
 * past entry breaks the chain and is reported (STATE_DAMAGED with the line number) instead of silently trusted.
 * A decision also records the cluster's size and risk in the newest sweep, which the alert policy compares
 * against (a dismissed cluster alerts again only when it grows or its risk rises past that).
 *
 * The chain alone cannot show that the newest entries were edited or removed (the last line has no successor
 * to carry its hash), so casebook.head anchors it: {"entries": n, "last_sha256": SHA-256 of line n}. Every read
 * checks the chain against the head: an edited newest entry, a deleted one, or a missing head is
 * STATE_DAMAGED naming the case book.
 *
 * Writes replace the whole file atomically (src/sweep/history/atomic.ts: temp file, fsync, rename) rather
 * than appending in place, so a writer killed mid-write leaves the previous book byte for byte; the book is
 * small (one line per decision). The book is written first, then the head: the head is the commit point. A
 * writer killed between the two leaves one line past what the head counts: that decision was never committed
 * (`case set` had not reported it), readers ignore it and the next `case set` drops it.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import { swarmscopeError } from '../../core/errors';
import { writeFileAtomic } from './atomic';
import { acquireStateLock } from './lock';
import { openState, STATE_LAYOUT, type StateDir } from './state';

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

/** casebook.head: the commit point of the case book. */
export interface CaseBookHead {
  /** Committed decisions: lines 1…entries of casebook.jsonl. */
  entries: number;
  /** SHA-256 of line `entries` (null when there are none). */
  last_sha256: string | null;
}

const CASEBOOK_HEAD_FILE = STATE_LAYOUT.casebookHead;

function headPath(state: StateDir): string {
  return state.path('casebookHead');
}

function readHead(state: StateDir): CaseBookHead | null {
  const file = headPath(state);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let head: CaseBookHead;
  try {
    head = JSON.parse(text) as CaseBookHead;
  } catch {
    damaged(file, 1, 'not valid JSON');
  }
  const hashOk = head && (head.last_sha256 === null ? head.entries === 0 : typeof head.last_sha256 === 'string' && /^[0-9a-f]{64}$/.test(head.last_sha256));
  if (!head || !Number.isInteger(head.entries) || head.entries < 0 || !hashOk) damaged(file, 1, 'not a case book head ({"entries": n, "last_sha256": …})');
  return head;
}

/** The committed lines of the case book (the head's count) and their entries, every check done. */
function readCommitted(state: StateDir): { entries: CaseEntry[]; lines: string[] } {
  const file = state.path('casebook');
  const head = readHead(state);
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (head && head.entries > 0) damaged(file, 1, `the file is missing but ${CASEBOOK_HEAD_FILE} counts ${head.entries} decisions`);
  }
  if (text.length > 0 && head === null) {
    damaged(file, 1, `${CASEBOOK_HEAD_FILE} is missing, so the newest entries cannot be checked (it is written with every decision)`);
  }
  const expected = head?.entries ?? 0;
  // Complete lines end with a newline; the piece after the last one is empty, or a line cut short.
  const complete = text.length === 0 ? [] : text.split('\n').slice(0, -1);
  // Lines past the head's count are a decision whose writer was killed before its commit: not part of the book.
  // The chain is checked before the count, so a deleted or moved entry is named by the line where it breaks.
  const lines = complete.slice(0, expected);
  const entries: CaseEntry[] = [];
  let previousHash: string | null = null;
  lines.forEach((line, index) => {
    let entry: CaseEntry;
    try {
      entry = JSON.parse(line) as CaseEntry;
    } catch {
      damaged(file, index + 1, 'not valid JSON');
    }
    if (!entry || typeof entry !== 'object' || entry.seq !== index + 1) damaged(file, index + 1, `seq is ${entry?.seq}, expected ${index + 1}`);
    if (!CASE_STATUSES.includes(entry.status)) damaged(file, index + 1, `unknown status ${JSON.stringify(entry.status)}`);
    if (typeof entry.cluster_id !== 'string') damaged(file, index + 1, 'no cluster_id');
    if (entry.prev_sha256 !== previousHash) damaged(file, index + 1, 'prev_sha256 does not match the line before (an entry was changed or removed)');
    previousHash = lineHash(line);
    entries.push(entry);
  });
  if (complete.length < expected) {
    damaged(file, complete.length + 1, `has ${complete.length} complete entries but ${CASEBOOK_HEAD_FILE} counts ${expected} (the newest entries were deleted or cut short)`);
  }
  if (head && previousHash !== head.last_sha256) {
    damaged(file, expected, `the newest entry differs from the one ${CASEBOOK_HEAD_FILE} recorded (it was changed after it was written)`);
  }
  return { entries, lines };
}

/**
 * Reads and checks the case book of a state dir: every line parses, seq runs 1…n, the hash chain holds and ends
 * where casebook.head says (so the newest entries cannot be edited or removed unseen).
 */
export function readCaseBook(state: StateDir): CaseEntry[] {
  return readCommitted(state).entries;
}

/** A case-book entry with the SHA-256 of its line in casebook.jsonl (what the next entry's prev_sha256 and the head carry). */
export interface HashedCaseEntry extends CaseEntry {
  entry_sha256: string;
}

/** The checked case book, each entry with its line's SHA-256 (for an evidence pack to cite the exact entry). */
export function readCaseBookHashed(state: StateDir): HashedCaseEntry[] {
  const { entries, lines } = readCommitted(state);
  return entries.map((entry, index) => ({ ...entry, entry_sha256: lineHash(lines[index]) }));
}

export interface CaseBookVerification {
  /** Committed entries (what casebook.head counts). */
  entries: number;
  /** SHA-256 of the newest committed line: anchors the whole chain (null when the book is empty). */
  head_sha256: string | null;
  /** Complete lines past the head's count: a decision whose writer was killed before its commit, ignored by readers. */
  uncommitted_lines: number;
}

/**
 * `swarmscope case verify`: the whole chain checked (every line parses, seq 1…n, each prev_sha256 matches the line
 * before, the newest line's SHA-256 and the count match casebook.head). Any deleted, reordered or edited entry,
 * the newest included, is STATE_DAMAGED (exit 2) naming casebook.jsonl:<line>. The head hash it returns is what
 * to write down outside the state dir (a ticket, an email): a later verify printing the same hash and count
 * proves the book up to that entry unchanged, even against someone who rewrote both the book and its head.
 */
export function verifyCaseBook(state: StateDir): CaseBookVerification {
  const { entries, lines } = readCommitted(state);
  let text = '';
  try {
    text = fs.readFileSync(state.path('casebook'), 'utf8');
  } catch {
    text = '';
  }
  const complete = text.length === 0 ? 0 : text.split('\n').length - 1;
  return {
    entries: entries.length,
    head_sha256: lines.length ? lineHash(lines[lines.length - 1]) : null,
    uncommitted_lines: Math.max(0, complete - lines.length),
  };
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
    const { entries, lines } = readCommitted(state);
    const lastLine = lines.length ? lines[lines.length - 1] : null;
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
    const line = JSON.stringify(entry);
    writeFileAtomic(file, [...lines, line].map((text) => `${text}\n`).join(''), state.path('tmp'), 'casebook-written');
    // The commit point: until the head counts it, the new line is not part of the book.
    const head: CaseBookHead = { entries: entries.length + 1, last_sha256: lineHash(line) };
    writeFileAtomic(headPath(state), `${JSON.stringify(head)}\n`, state.path('tmp'), 'casebook-head-written');
    return entry;
  } finally {
    lock.release();
  }
}
