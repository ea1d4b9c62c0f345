/**
 * The one error factory. Every expected failure is a SwarmscopeError with a code from a closed set;
 * the exit code is derived from the code, never chosen at the throw site.
 *
 * Exit-code contract (documented in README "Exit codes"):
 *   0  ok
 *   1  ok, but findings to act on: rejected input rows, or a verify that found altered files
 *   2  fatal input error: a user can fix it (missing file or column, bad flag, not UTF-8, bad gzip…)
 *   3  internal error: a bug; anything that is not a SwarmscopeError is treated as this
 */
export const EXIT = { OK: 0, FINDINGS: 1, BAD_INPUT: 2, INTERNAL: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Closed set of error codes. Add a code here (with its exit code) rather than throwing plain Errors. */
export const ERROR_CODES = {
  INPUT_NOT_FOUND: EXIT.BAD_INPUT,
  MISSING_FILE: EXIT.BAD_INPUT,
  MISSING_COLUMN: EXIT.BAD_INPUT,
  NOT_UTF8: EXIT.BAD_INPUT,
  BAD_GZIP: EXIT.BAD_INPUT,
  BAD_CSV: EXIT.BAD_INPUT,
  BAD_MAPPING: EXIT.BAD_INPUT,
  BAD_ARGUMENT: EXIT.BAD_INPUT,
  BAD_GRAPH_FILE: EXIT.BAD_INPUT,
  BAD_SWEEP: EXIT.BAD_INPUT,
  UNKNOWN_CLUSTER: EXIT.BAD_INPUT,
  STATE_LOCKED: EXIT.BAD_INPUT,
  STATE_VERSION: EXIT.BAD_INPUT,
  STATE_DAMAGED: EXIT.BAD_INPUT,
  NEO4J_CONNECTION: EXIT.BAD_INPUT,
  NEO4J_AUTH: EXIT.BAD_INPUT,
  NEO4J_FAILED: EXIT.INTERNAL,
  VERIFY_FAILED: EXIT.FINDINGS,
  INTERNAL: EXIT.INTERNAL,
  /** An input path that is not a regular file, resolves outside its folder, or is over its size limit (src/ingest/open-input.ts). */
  BAD_INPUT_FILE: EXIT.BAD_INPUT,
  /** An input file that could not be opened or read (EACCES, EIO…), named with what the system said. */
  READ_FAILED: EXIT.BAD_INPUT,
  /** An output could not be written: a full disk, a quota, an I/O error (src/core/output-file.ts). */
  WRITE_FAILED: EXIT.BAD_INPUT,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class SwarmscopeError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  /** Structured facts behind the message (file, line, numbers), for JSON output and tests. */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'SwarmscopeError';
    this.code = code;
    this.exitCode = ERROR_CODES[code];
    this.details = details;
  }
}

export function swarmscopeError(code: ErrorCode, message: string, details?: Record<string, unknown>): SwarmscopeError {
  return new SwarmscopeError(code, message, details);
}

export function isSwarmscopeError(error: unknown): error is SwarmscopeError {
  return error instanceof SwarmscopeError;
}
