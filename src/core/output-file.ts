/**
 * Writing the files a command outputs (a sweep's report files, members.csv and world.snapshot; detect's --out
 * membership): every write error — a full disk (ENOSPC), a quota (EDQUOT), an I/O error, a read-only file system —
 * becomes one user-facing line naming the file and the cause (WRITE_FAILED, exit 2), never an internal error.
 * `writeFileAtomically` also never leaves a half-written file in place of a previous good one: it writes a
 * temporary sibling, fsyncs it and renames it over the target, and removes the temporary file on any failure.
 *
 * Test hook: SWARMSCOPE_TEST_WRITE_FAILS=<code>:<file name> makes the write of that file fail with that errno code
 * (e.g. ENOSPC:members.csv) after its bytes went out, so tests reach the full-disk path without a full disk.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isSwarmscopeError, swarmscopeError, type SwarmscopeError } from './errors';

/** The cause of a failed write, in words, by errno code. */
const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  ENAMETOOLONG: 'file name too long',
};

/** The cause of a write error in words, with its code: "no space left on the device (ENOSPC)". */
export function writeErrorCause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (typeof code === 'string') return `${WRITE_ERRORS[code] ?? (error as Error).message} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/** WRITE_FAILED naming the file and the cause. */
export function writeFailed(file: string, error: unknown): SwarmscopeError {
  return swarmscopeError('WRITE_FAILED', `cannot write ${file}: ${writeErrorCause(error)}`, { file, code: (error as NodeJS.ErrnoException)?.code });
}

/**
 * `error` as WRITE_FAILED naming `file` when it is a write that failed without saying where (fs.writeSync errors
 * carry no path): for a caller that knows the only file its callee writes. Any other error is returned as it is.
 */
export function nameWriteFailure(file: string, error: unknown): unknown {
  const failed = error as NodeJS.ErrnoException;
  const pathless = failed instanceof Error && typeof failed.code === 'string' && failed.path === undefined;
  return pathless && ['write', 'writev', 'fsync', 'close'].includes(failed.syscall ?? '') ? writeFailed(file, error) : error;
}

function injectedFailure(file: string): void {
  const hook = process.env.SWARMSCOPE_TEST_WRITE_FAILS;
  if (!hook) return;
  const [code, name] = hook.split(':');
  if (name !== path.basename(file)) return;
  throw Object.assign(new Error(`${code}: injected by SWARMSCOPE_TEST_WRITE_FAILS, write`), { code, syscall: 'write' });
}

/** Runs `write` (which writes `file`); an error is WRITE_FAILED naming `file`. */
export function guardedWrite<T>(file: string, write: () => T): T {
  try {
    const result = write();
    injectedFailure(file);
    return result;
  } catch (error) {
    if (isSwarmscopeError(error)) throw error;
    throw writeFailed(file, error);
  }
}

/** fs.writeFileSync with WRITE_FAILED on failure (for files inside a folder that is itself moved into place). */
export function writeOutputFile(file: string, data: string | Uint8Array): void {
  guardedWrite(file, () => fs.writeFileSync(file, data));
}

/**
 * Writes `file` whole or not at all: `write` gets a descriptor of a temporary sibling, which is fsynced and renamed
 * over `file`. On failure the temporary file is removed, `file` is as it was, and the error is WRITE_FAILED.
 */
export function writeFileAtomically(file: string, write: (fd: number) => void): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  let fd: number | null = null;
  try {
    guardedWrite(file, () => {
      fd = fs.openSync(temporary, 'wx');
      write(fd);
      fs.fsyncSync(fd);
    });
    fs.closeSync(fd!);
    fd = null;
    guardedWrite(file, () => fs.renameSync(temporary, file));
  } catch (error) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
