/**
 * One writer at a time on a state dir. The lock is a file holding {pid, host, started_at, command}, written
 * whole to a temporary file (src/sweep/history/atomic.ts) and hard-linked to `lock` (link fails if `lock`
 * exists, atomically on local filesystems), so a lock is never seen empty or half-written; where hard links
 * are not supported it is created with O_EXCL instead.
 *
 * - Released on every exit path: release() in the caller's `finally`, and on SIGINT/SIGTERM/SIGHUP through
 *   src/sweep/interrupt.ts (the process then exits 130/143/129).
 * - A lock whose pid no longer runs on this host is stale (its writer was SIGKILLed or the machine lost power);
 *   so is one whose pid now belongs to a process that started well after the lock was taken (the pid was
 *   reused; Linux, from /proc). A stale lock is broken with a one-line notice on stderr and taken over.
 * - A live lock makes the second writer wait up to `waitSeconds`, then refuse with STATE_LOCKED naming who
 *   holds it.
 *
 * Limits: a lock held by another host cannot be checked for liveness, so it is never broken automatically
 * (delete the file by hand once sure); link/O_EXCL are not reliable on some old NFS versions.
 */
import { terminalText } from '../../core/terminal';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { swarmscopeError } from '../../core/errors';
import { onInterrupt } from '../interrupt';
import { processIsAlive, writeDurableTemporary } from './atomic';

export const LOCK_FILE = 'lock';

export interface LockOwner {
  pid: number;
  host: string;
  started_at: string;
  command: string;
}

export interface StateLock {
  file: string;
  owner: LockOwner;
  release(): void;
}

/**
 * Linux only: the wall-clock time (ms) at which process `pid` started, from /proc/<pid>/stat (field 22, clock
 * ticks after boot; USER_HZ is 100 on every Linux) and /proc/stat's boot time; null elsewhere or if unreadable.
 */
function processStartMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const bootSeconds = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))?.[1]);
    return Number.isFinite(ticks) && Number.isFinite(bootSeconds) ? bootSeconds * 1000 + ticks * 10 : null;
  } catch {
    return null;
  }
}

/** A pid whose process started this long after the lock was taken cannot be its writer (generous for clock steps). */
const PID_REUSE_MARGIN_MS = 60_000;

/** Why a readable lock of this host is stale, or null while its writer may still run. */
function staleReason(holder: LockOwner): string | null {
  if (holder.pid === process.pid) return null;
  if (!processIsAlive(holder.pid)) return 'that process is no longer running';
  const started = processStartMs(holder.pid);
  const taken = Date.parse(holder.started_at);
  if (started !== null && Number.isFinite(taken) && started > taken + PID_REUSE_MARGIN_MS) {
    return `pid ${holder.pid} now belongs to a process started after the lock was taken`;
  }
  return null;
}

/** Control characters from a lock file never reach the terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function parseOwner(text: string | null): LockOwner | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as LockOwner;
    return parsed && typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

function readOwner(file: string): LockOwner | null {
  return parseOwner(readText(file));
}

/** Publishes the lock: hard-links the complete temporary file to `file`; false if `file` exists. */
function tryCreate(file: string, temporary: string, content: string): boolean {
  try {
    fs.linkSync(temporary, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') {
      throw swarmscopeError('STATE_DAMAGED', `cannot create the lock file ${file}: ${(error as Error).message}`);
    }
  }
  // No hard links on this filesystem: create with O_EXCL and write (a kill in between leaves an unreadable lock).
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw swarmscopeError('STATE_DAMAGED', `cannot create the lock file ${file}: ${(error as Error).message}`);
  }
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A lock file older than this with unreadable content is a writer that died between create and write. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

export function acquireStateLock(
  stateDir: string,
  options: { waitSeconds?: number; command?: string; notice?: (line: string) => void } = {},
): StateLock {
  const file = path.join(stateDir, LOCK_FILE);
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    started_at: new Date().toISOString(),
    command: options.command ?? 'swarmscope',
  };
  const notice = options.notice ?? ((line: string) => process.stderr.write(`swarmscope: ${terminalText(line)}\n`));
  const content = `${JSON.stringify(owner)}\n`;
  const deadline = Date.now() + Math.max(0, options.waitSeconds ?? 0) * 1000;
  const temporary = writeDurableTemporary(file, content, stateDir);
  try {
    for (;;) {
      if (tryCreate(file, temporary, content)) break;
      const seen = readText(file);
      const holder = parseOwner(seen);
      const reason =
        seen === null
          ? null // released meanwhile: retry the create
          : holder === null
            ? Date.now() - safeMtime(file) > UNREADABLE_LOCK_GRACE_MS
              ? 'its content is unreadable'
              : null
            : holder.host === owner.host
              ? staleReason(holder)
              : null;
      if (seen === null) continue;
      if (reason) {
        // Rename, then check that what was renamed is the lock judged stale: if another process broke it and
        // took a fresh lock in between, that fresh lock is put back (link fails only if yet another was taken).
        const breaking = `${file}.stale.${process.pid}`;
        try {
          fs.renameSync(file, breaking);
        } catch {
          continue; // someone else broke it first; retry the create
        }
        if (readText(breaking) !== seen) {
          try {
            fs.linkSync(breaking, file);
          } catch {
            // Another writer holds a newer lock; the one renamed here is lost only if that writer dies too.
          }
          fs.rmSync(breaking, { force: true });
          continue;
        }
        fs.rmSync(breaking, { force: true });
        const who = holder ? `pid ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.started_at})` : 'an unknown writer';
        notice(printable(`broke the stale lock ${file} left by ${who}: ${reason}`));
        continue;
      }
      if (Date.now() >= deadline) {
        const who = holder
          ? `pid ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.started_at})`
          : 'a process that is still writing the lock file';
        throw swarmscopeError(
          'STATE_LOCKED',
          `state dir ${stateDir} is in use by ${who}; wait for it to finish` +
            (holder && holder.host !== owner.host ? `, or delete ${file} if that host is no longer running it` : ''),
          { lock_file: file, holder },
        );
      }
      sleep(200);
    }
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  removeBrokenLocks(stateDir);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    stopWatchingSignals();
    const holder = readOwner(file);
    if (holder && holder.pid === owner.pid && holder.host === owner.host && holder.started_at === owner.started_at) fs.rmSync(file, { force: true });
  };
  const stopWatchingSignals = onInterrupt(release);
  return { file, owner, release };
}

/** Removes `lock.stale.<pid>` files of breakers that were killed between their rename and their delete. */
function removeBrokenLocks(stateDir: string): void {
  for (const name of fs.readdirSync(stateDir)) {
    const match = /^lock\.stale\.(\d+)$/.exec(name);
    if (match && (Number(match[1]) === process.pid || !processIsAlive(Number(match[1])))) fs.rmSync(path.join(stateDir, name), { force: true });
  }
}

function safeMtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
