/**
 * One writer at a time on a state dir. The lock is a file created with O_EXCL (open fails if it exists, atomic
 * on local filesystems) holding {pid, host, started_at, command}. A lock whose pid is no longer running on this
 * host is stale (the writer was killed): it is taken over. A live lock makes the second writer wait up to
 * `waitSeconds`, then refuse with STATE_LOCKED naming who holds it.
 *
 * Limits: a lock held by another host cannot be checked for liveness, so it is never broken automatically
 * (delete the file by hand once sure); O_EXCL is not reliable on some old NFS versions.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { swarmscopeError } from '../../core/errors';

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

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

function tryCreate(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw swarmscopeError('STATE_DAMAGED', `cannot create the lock file ${file}: ${(error as Error).message}`);
  }
  try {
    fs.writeSync(fd, `${JSON.stringify(owner)}\n`);
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

export function acquireStateLock(stateDir: string, options: { waitSeconds?: number; command?: string } = {}): StateLock {
  const file = path.join(stateDir, LOCK_FILE);
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    started_at: new Date().toISOString(),
    command: options.command ?? 'swarmscope',
  };
  const deadline = Date.now() + Math.max(0, options.waitSeconds ?? 0) * 1000;
  for (;;) {
    if (tryCreate(file, owner)) break;
    const holder = readOwner(file);
    const stale =
      holder === null
        ? Date.now() - safeMtime(file) > UNREADABLE_LOCK_GRACE_MS
        : holder.host === owner.host && holder.pid !== process.pid && !processIsAlive(holder.pid);
    if (stale) {
      // Rename first so two processes breaking the same stale lock cannot both delete a fresh one.
      const breaking = `${file}.stale.${process.pid}`;
      try {
        fs.renameSync(file, breaking);
        fs.rmSync(breaking, { force: true });
      } catch {
        // Someone else broke it first; retry the create.
      }
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
  let released = false;
  return {
    file,
    owner,
    release(): void {
      if (released) return;
      released = true;
      const holder = readOwner(file);
      if (holder && holder.pid === owner.pid && holder.host === owner.host) fs.rmSync(file, { force: true });
    },
  };
}

function safeMtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
