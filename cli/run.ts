/**
 * Wraps a command action: expected errors (SwarmscopeError) print one line and set their exit code;
 * anything else is an internal error (exit 3) and prints the stack only when SWARMSCOPE_DEBUG is set.
 */
import { EXIT, isSwarmscopeError } from '../src/core/errors';
import { terminalLines, terminalText } from '../src/core/terminal';
import { writeErrorCause } from '../src/core/output-file';

export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void> | number | void) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await fn(...args);
      process.exitCode = typeof code === 'number' ? code : EXIT.OK;
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}

/**
 * File-system errors about a path the user named (an --out folder that cannot be created, a directory given
 * where a file is expected, a full disk) are bad input the user can fix, not bugs: one line, exit 2.
 */
const USER_FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory, a file was expected',
  EEXIST: 'already exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'file name too long',
};

/** System calls whose failure is the output's medium (a full disk, an I/O error), whatever the file. */
const WRITE_SYSCALLS = new Set(['write', 'writev', 'fsync', 'fdatasync', 'close', 'ftruncate']);

interface NodeFsError extends Error {
  code?: string;
  path?: string;
  syscall?: string;
}

export function reportError(error: unknown): number {
  if (isSwarmscopeError(error)) {
    process.stderr.write(`swarmscope: ${terminalText(error.message)}\n`);
    return error.exitCode;
  }
  const fsError = error as NodeFsError;
  if (fsError && typeof fsError.code === 'string' && typeof fsError.path === 'string' && USER_FS_ERRORS[fsError.code]) {
    process.stderr.write(`swarmscope: cannot ${fsError.syscall ?? 'use'} ${terminalText(fsError.path)}: ${USER_FS_ERRORS[fsError.code]}; check the path and try again\n`);
    return EXIT.BAD_INPUT;
  }
  if (fsError && typeof fsError.code === 'string' && WRITE_SYSCALLS.has(fsError.syscall ?? '')) {
    // A write that failed without saying where (fs.writeSync has no path): still the disk, not a bug.
    process.stderr.write(`swarmscope: cannot write an output file: ${writeErrorCause(fsError)}\n`);
    return EXIT.BAD_INPUT;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`swarmscope: internal error: ${terminalText(message)} (set SWARMSCOPE_DEBUG=1 for the stack trace)\n`);
  if (process.env.SWARMSCOPE_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${terminalLines(error.stack)}\n`);
  return EXIT.INTERNAL;
}
