/**
 * The rejects CSV: one row per rejected input row, `file,line,column,reason,row` (DuckDB's reject-table
 * idea). The file is created at the first reject; a clean import truncates an existing file at that path to
 * its header so a stale rejects file never describes the wrong run. Written through src/core/csv, so a
 * hostile cell cannot become a spreadsheet formula.
 */
import * as fs from 'fs';
import * as path from 'path';
import { csvRow } from '../core/csv';
import { swarmscopeError } from '../core/errors';
import type { RejectRecord } from './types';

export const REJECTS_HEADER = ['file', 'line', 'column', 'reason', 'row'] as const;

/** Where rejects go when the caller does not say: `<input folder name>.rejects.csv` in the working directory. */
export function defaultRejectsPath(inputDir: string): string {
  return path.resolve(`${path.basename(path.resolve(inputDir))}.rejects.csv`);
}

export class RejectsWriter {
  private fd: number | null = null;
  private buffered: string[] = [];
  private bufferedLength = 0;
  count = 0;

  /**
   * `target` null: rejects are counted but not written (the caller reports them another way). An existing target
   * must be an earlier rejects file (a regular file that starts with the rejects header): it is rewritten, so
   * anything else — an input file, a state dir's state.json, a symlink, a FIFO, a device — is refused before the
   * import starts, untouched.
   */
  constructor(readonly target: string | null) {
    if (target !== null) checkRejectsTarget(target);
  }

  add(file: string, reject: RejectRecord): void {
    this.count++;
    if (this.target === null) return;
    const line = csvRow([file, reject.line, reject.column, reject.reason, reject.row]);
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
      fs.writeSync(this.fd, csvRow(REJECTS_HEADER));
    }
    return this.fd;
  }

  private flush(): void {
    if (this.buffered.length === 0) return;
    fs.writeSync(this.open(), this.buffered.join(''));
    this.buffered = [];
    this.bufferedLength = 0;
  }

  /** Closes the file; returns the path written, or null when nothing was rejected (or rejects are not written). */
  close(): string | null {
    if (this.target === null) return null;
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
