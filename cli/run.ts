/**
 * Wraps a command action: expected errors (SwarmscopeError) print one line and set their exit code;
 * anything else is an internal error (exit 3) and prints the stack only when SWARMSCOPE_DEBUG is set.
 */
import { EXIT, isSwarmscopeError } from '../src/core/errors';

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

export function reportError(error: unknown): number {
  if (isSwarmscopeError(error)) {
    process.stderr.write(`swarmscope: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`swarmscope: internal error: ${message} (set SWARMSCOPE_DEBUG=1 for the stack trace)\n`);
  if (process.env.SWARMSCOPE_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return EXIT.INTERNAL;
}
