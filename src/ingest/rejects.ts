/**
 * The rejects CSV: one row per rejected input row, `file,line,column,reason,row` (DuckDB's reject-table
 * idea). The file is created at the first reject; a clean import truncates an existing file at that path to
 * its header so a stale rejects file never describes the wrong run. Written through src/core/csv, so a
 * hostile cell cannot become a spreadsheet formula.
 *
 * Bounded: every rejected row is counted, but at most `perReason` rows are written per file and reason (the reason
 * text up to its first ": ", i.e. the REJECT_REASONS entry), and a row's raw text is cut at MAX_REJECT_ROW_CHARS.
 * So a small gzip of a million duplicate rows makes a rejects file of a thousand rows, not hundreds of MB. When the
 * cap applies, one note row per capped (file, reason) closes the file — its line and column cells empty, its reason
 * saying how many rows there were and how many were written — and the import summary says the same
 * (rejects_written, rejects_capped).
 */
import * as fs from 'fs';
import * as path from 'path';
import { csvRow } from '../core/csv';
import { swarmscopeError } from '../core/errors';
import { guardedWrite } from '../core/output-file';
import { REJECT_REASONS } from '../contract/cells';
import type { RejectRecord } from './types';

export const REJECTS_HEADER = ['file', 'line', 'column', 'reason', 'row'] as const;

/** Default rejects written per file and reason (ImportOptions.rejectsPerReason). */
export const DEFAULT_REJECTS_PER_REASON = 1000;
/** A rejected row's text is written up to this many characters, then a note of its full length. */
export const MAX_REJECT_ROW_CHARS = 10_000;

/** The REJECT_REASONS entry a reason text starts with (the text before any ": detail"). */
function reasonKind(reason: string): string {
  for (const known of Object.values(REJECT_REASONS)) if (reason.startsWith(known)) return known;
  const colon = reason.indexOf(': ');
  return colon === -1 ? reason : reason.slice(0, colon);
}

function rowForRejects(row: string): string {
  return row.length <= MAX_REJECT_ROW_CHARS
    ? row
    : `${row.slice(0, MAX_REJECT_ROW_CHARS)}… [cut: ${row.length.toLocaleString('en-US')} characters in all]`;
}

/** Where rejects go when the caller does not say: `<input folder name>.rejects.csv` in the working directory. */
export function defaultRejectsPath(inputDir: string): string {
  return path.resolve(`${path.basename(path.resolve(inputDir))}.rejects.csv`);
}

export class RejectsWriter {
  private fd: number | null = null;
  private buffered: string[] = [];
  private bufferedLength = 0;
  /** Rejected rows seen, and written. */
  count = 0;
  written = 0;
  /** Rows per `file \0 reason kind`. */
  private readonly perKind = new Map<string, number>();

  /**
   * `target` null: rejects are counted but not written (the caller reports them another way). An existing target
   * must be an earlier rejects file (a regular file that starts with the rejects header): it is rewritten, so
   * anything else — an input file, a state dir's state.json, a symlink, a FIFO, a device — is refused before the
   * import starts, untouched.
   */
  constructor(
    readonly target: string | null,
    readonly perReason = DEFAULT_REJECTS_PER_REASON,
  ) {
    if (!Number.isInteger(perReason) || perReason < 0) {
      throw swarmscopeError('BAD_ARGUMENT', `the rejects cap per reason must be a whole number ≥ 0, got ${perReason}`);
    }
    if (target !== null) checkRejectsTarget(target);
  }

  add(file: string, reject: RejectRecord): void {
    this.count++;
    const key = `${file}\0${reasonKind(reject.reason)}`;
    const seen = (this.perKind.get(key) ?? 0) + 1;
    this.perKind.set(key, seen);
    if (this.target === null || seen > this.perReason) return;
    this.written++;
    this.write(csvRow([file, reject.line, reject.column, reject.reason, rowForRejects(reject.row)]));
  }

  /** (file, reason) pairs with more rejects than the cap: how many there were and how many were written. */
  capped(): Array<{ file: string; reason: string; rows: number; written: number }> {
    const capped = [];
    for (const [key, rows] of this.perKind) {
      if (rows <= this.perReason) continue;
      const [file, reason] = key.split('\0');
      capped.push({ file, reason, rows, written: this.target === null ? 0 : this.perReason });
    }
    return capped;
  }

  private write(line: string): void {
    this.buffered.push(line);
    this.bufferedLength += line.length;
    if (this.bufferedLength > 1 << 16) this.flush();
  }

  private open(): number {
    if (this.fd === null) {
      try {
        fs.mkdirSync(path.dirname(this.target as string), { recursive: true });
        this.fd = fs.openSync(this.target as string, 'w');
      } catch (error) {
        throw swarmscopeError('BAD_ARGUMENT', `${this.target}: cannot write the rejects file (${(error as Error).message}); pass --rejects with a writable path`, {
          file: this.target,
        });
      }
      const fd = this.fd;
      guardedWrite(this.target as string, () => fs.writeSync(fd, csvRow(REJECTS_HEADER)));
    }
    return this.fd;
  }

  private flush(): void {
    if (this.buffered.length === 0) return;
    // A full disk is the user's, named with the file (WRITE_FAILED, exit 2), not an internal error.
    const fd = this.open();
    const text = this.buffered.join('');
    guardedWrite(this.target as string, () => fs.writeSync(fd, text));
    this.buffered = [];
    this.bufferedLength = 0;
  }

  /** Closes the file; returns the path written, or null when nothing was rejected (or rejects are not written). */
  close(): string | null {
    if (this.target === null) return null;
    for (const { file, reason, rows, written } of this.capped()) {
      this.write(csvRow([file, '', '', `${reason} — ${rows.toLocaleString('en-US')} rows in all, the first ${written.toLocaleString('en-US')} written (rejects cap per file and reason)`, '']));
    }
    this.flush();
    if (this.count === 0 && fs.existsSync(this.target)) this.open();
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    return this.count > 0 ? this.target : null;
  }
}

function checkRejectsTarget(target: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return; // a new file
  }
  const refuse = (why: string) =>
    swarmscopeError('BAD_ARGUMENT', `--rejects ${target}: ${why}; the rejects file is rewritten, so pass a new path or an earlier rejects file`, { file: target });
  if (stat.isSymbolicLink()) throw refuse('is a symbolic link');
  if (!stat.isFile()) throw refuse(stat.isDirectory() ? 'is a directory' : 'is not a regular file');
  const header = csvRow(REJECTS_HEADER);
  const start = Buffer.alloc(header.length);
  const fd = fs.openSync(target, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, start, 0, start.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (stat.size > 0 && start.subarray(0, read).toString('utf8') !== header) throw refuse('exists and is not a rejects file (it does not start with the rejects header)');
}
