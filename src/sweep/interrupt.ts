/**
 * Cleanup on interrupt: the one place that handles SIGINT, SIGTERM and SIGHUP for work that must not leave
 * anything behind (a sweep's temporary dir, a state dir's lock).
 *
 *   const done = onInterrupt(() => fs.rmSync(tmpDir, { recursive: true, force: true }));
 *   try { …work… } finally { done(); }
 *
 * While at least one cleanup is registered, a signal runs every registered cleanup, newest first (so a sweep's
 * temporary dir goes before the state lock its session holds), each guarded so one failure does not skip the
 * rest, then exits with 128 + the signal number (SIGHUP 129, SIGINT 130, SIGTERM 143), as a shell reports a
 * process killed by that signal. With none registered the handlers are removed and Node's default applies.
 *
 * Node runs signal handlers between event-loop turns, never inside synchronous code: a signal that arrives
 * during a synchronous commit (state.json, the case book) takes effect after it, so an interrupt never lands
 * between two steps of a commit (if the cleanup was unregistered by then, the signal's default action applies). SIGKILL cannot be caught: what it leaves is stale (a lock whose pid is dead,
 * a temporary file) and is cleaned by the next writer (src/sweep/history/lock.ts, src/sweep/history/atomic.ts).
 */
export const INTERRUPT_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
export type InterruptSignal = keyof typeof INTERRUPT_SIGNALS;

const cleanups = new Map<number, () => void>();
let nextId = 0;
let installed = false;

function handle(signal: InterruptSignal): void {
  for (const id of [...cleanups.keys()].reverse()) {
    const cleanup = cleanups.get(id);
    cleanups.delete(id);
    try {
      cleanup?.();
    } catch {
      // Best effort: the process is exiting; the next writer cleans what this one could not.
    }
  }
  process.exit(128 + INTERRUPT_SIGNALS[signal]);
}

const handlers = Object.fromEntries(
  (Object.keys(INTERRUPT_SIGNALS) as InterruptSignal[]).map((signal) => [signal, () => handle(signal)]),
) as Record<InterruptSignal, () => void>;

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of Object.keys(handlers) as InterruptSignal[]) process.on(signal, handlers[signal]);
}

function uninstall(): void {
  if (!installed || cleanups.size > 0) return;
  installed = false;
  for (const signal of Object.keys(handlers) as InterruptSignal[]) process.off(signal, handlers[signal]);
}

/** Registers `cleanup` to run if the process is interrupted; the returned function unregisters it (idempotent). */
export function onInterrupt(cleanup: () => void): () => void {
  const id = nextId++;
  cleanups.set(id, cleanup);
  install();
  return () => {
    cleanups.delete(id);
    uninstall();
  };
}
