/**
 * Crash-safe file writes for the state dir. A file or directory appears under its final name only when its
 * content is complete and on disk: write to a temporary name, fsync the data, rename (atomic within one
 * filesystem on POSIX), then fsync the parent directory so the rename itself survives a power cut.
 */
import * as fs from 'fs';
import * as path from 'path';

/**
 * Test hook: when SWARMSCOPE_TEST_PAUSE_AT names this point, the process stops here (sleeping) so a test can
 * SIGKILL it half-way through a write. Named points: `history-written` (new sweep copied into tmp/, not yet
 * renamed), `history-renamed` (history dir in place, state.json not yet replaced), `state-written` (new
 * state.json in tmp/, not yet renamed), `casebook-written` (new case book in tmp/, not yet renamed).
 */
export function pausePoint(name: string): void {
  if (process.env.SWARMSCOPE_TEST_PAUSE_AT !== name) return;
  process.stderr.write(`swarmscope: paused at ${name} (test hook)\n`);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(sleeper, 0, 0, 60_000);
}

/**
 * Test hook like pausePoint, but the event loop keeps running (signal handlers fire), so a test can interrupt
 * the process with SIGINT/SIGTERM at this point. Named points: `sweep-imported` (runSweep, temporary sweep dir
 * created and input imported).
 */
export async function pausePointAsync(name: string): Promise<void> {
  if (process.env.SWARMSCOPE_TEST_PAUSE_AT !== name) return;
  process.stderr.write(`swarmscope: paused at ${name} (test hook)\n`);
  for (;;) await new Promise((resolve) => setTimeout(resolve, 60_000));
}

export function fsyncPath(target: string): void {
  const fd = fs.openSync(target, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `content` to `file` atomically: `file` holds either the old content or the new, never a mix. */
export function writeFileAtomic(file: string, content: string | Buffer, tmpDir: string, pauseAfterTemp?: string): void {
  fs.mkdirSync(tmpDir, { recursive: true });
  const temporary = path.join(tmpDir, `${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (pauseAfterTemp) pausePoint(pauseAfterTemp);
  fs.renameSync(temporary, file);
  fsyncPath(path.dirname(file));
}

/** Copies a file (hard-linking is not used: the sweep dir stays the user's to edit or delete) and fsyncs the copy. */
export function copyFileDurable(source: string, target: string): void {
  fs.copyFileSync(source, target);
  fsyncPath(target);
}

/** Removes a path and everything under it; missing paths are fine. */
export function removeTree(target: string): void {
  fs.rmSync(target, { recursive: true, force: true });
}
