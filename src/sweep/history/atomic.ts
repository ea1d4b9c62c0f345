/**
 * Crash-safe file writes for the state dir. A file or directory appears under its final name only when its
 * content is complete and on disk: write to a temporary name, fsync the data, rename (atomic within one
 * filesystem on POSIX), then fsync the parent directory so the rename itself survives a power cut.
 * writeFileAtomic is the one helper for files; commitDirectory for folders. Temporary files a killed writer
 * left are removed by the next writer of the same file (removeAtomicDebris), and the whole of the state dir's
 * tmp/ by the next writer that takes the lock (recoverState).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Test hook: when SWARMSCOPE_TEST_PAUSE_AT names this point, the process stops here (sleeping) so a test can
 * SIGKILL it half-way through a write. Named points: `state-init-written` (a new state dir's first state.json
 * in tmp/, not yet renamed), `history-written` (new sweep copied into tmp/, not yet renamed),
 * `history-renamed` (history dir in place, state.json not yet replaced), `state-written` (new state.json in
 * tmp/, not yet renamed), `casebook-written` (new case book in tmp/, not yet renamed), `casebook-head-written`
 * (case book replaced, its new head in tmp/, not yet renamed: the decision is not committed yet),
 * `undo-committed` (`history undo`: state.json without the newest sweep in place, its history folder not yet removed).
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

const TEMP_SUFFIX = '.tmp';

/** `<base>.<pid>.<random>.tmp`: the temporary name writeFileAtomic uses for `file`, owned by this process. */
function temporaryName(file: string, tmpDir: string): string {
  return path.join(tmpDir, `${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files a killed writer of `file` left in `tmpDir` (its name, then a pid that no longer
 * runs). Files of live writers and anything else in the folder are left alone. Returns the names removed.
 */
export function removeAtomicDebris(file: string, tmpDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(tmpDir);
  } catch {
    return [];
  }
  const prefix = `${path.basename(file)}.`;
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const match = /^(\d+)\.[0-9a-f]+$/.exec(name.slice(prefix.length, -TEMP_SUFFIX.length));
    if (!match || Number(match[1]) === process.pid || processIsAlive(Number(match[1]))) continue;
    fs.rmSync(path.join(tmpDir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * THE atomic write of the state dir: `file` holds either its old content or the new, whole, never a mix or
 * nothing, whatever kills the process (SIGKILL, power cut) and when.
 *
 * 1. remove the debris of earlier writers of `file` that were killed (removeAtomicDebris);
 * 2. write `content` to `<tmpDir>/<base>.<pid>.<random>.tmp` (default tmpDir: beside `file`), fsync it;
 * 3. rename it over `file` (atomic within one filesystem on POSIX), fsync the folder so the rename survives.
 *
 * `tmpDir` must be on the same filesystem as `file`. Every commit of the state dir (state.json, the case book
 * and its head, the initial state) goes through this function; history folders through commitDirectory.
 */
export function writeFileAtomic(file: string, content: string | Buffer, tmpDir = path.dirname(file), pauseAfterTemp?: string): void {
  const temporary = writeDurableTemporary(file, content, tmpDir);
  try {
    if (pauseAfterTemp) pausePoint(pauseAfterTemp);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  fsyncPath(path.dirname(file));
}

/**
 * Steps 1 and 2 of writeFileAtomic: the complete, fsynced content of `file` under a temporary name in `tmpDir`,
 * for a caller that publishes it otherwise (the lock is hard-linked into place so it never exists half-written).
 * The caller removes the temporary file; if it is killed first, the next writer of `file` does.
 */
export function writeDurableTemporary(file: string, content: string | Buffer, tmpDir = path.dirname(file)): string {
  fs.mkdirSync(tmpDir, { recursive: true });
  removeAtomicDebris(file, tmpDir);
  const temporary = temporaryName(file, tmpDir);
  try {
    const fd = fs.openSync(temporary, 'wx', 0o644);
    try {
      fs.writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  return temporary;
}

/**
 * Moves a finished folder into place: fsyncs every file in `staging` and the folder itself, renames it to
 * `target` (which must not exist) and fsyncs the parent, so `target` appears only complete and on disk.
 */
export function commitDirectory(staging: string, target: string, pauseBeforeRename?: string): void {
  for (const name of fs.readdirSync(staging)) fsyncPath(path.join(staging, name));
  fsyncPath(staging);
  if (pauseBeforeRename) pausePoint(pauseBeforeRename);
  fs.renameSync(staging, target);
  fsyncPath(path.dirname(target));
}

/** Copies a file (hard-linking is not used: the sweep dir stays the user's to edit or delete). */
export function copyFile(source: string, target: string): void {
  fs.copyFileSync(source, target);
}

/** Removes a path and everything under it; missing paths are fine. */
export function removeTree(target: string): void {
  fs.rmSync(target, { recursive: true, force: true });
}
