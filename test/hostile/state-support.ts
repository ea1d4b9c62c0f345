/** Helpers for the state-dir hostile tests: spawned CLI processes that can be paused, signalled or killed. */
import { spawn, type ChildProcess } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, ROOT, runCli } from '../sweep/support';

export const FIXTURE = path.join(ROOT, 'fixtures/small-world');

export interface Running {
  child: ChildProcess;
  /** Resolves when stderr matches. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  finished: Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function startCli(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, SWARMSCOPE_DEBUG: '', ...env } });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of waiters.splice(0)) {
      if (waiter.pattern.test(stderr)) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  const finished = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })),
  );
  return {
    child,
    finished,
    waitForStderr(pattern, timeoutMs = 30_000) {
      if (pattern.test(stderr)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stderr: ${stderr}`)), timeoutMs);
        waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
        void finished.then(() => {
          clearTimeout(timer);
          if (pattern.test(stderr)) resolve();
          else reject(new Error(`exited before ${pattern}; stderr: ${stderr}`));
        });
      });
    },
  };
}

/** A sweep of the small fixture with a state dir; `seed` makes each sweep's id distinct within one second. */
export function sweepArgs(out: string, stateDir: string, seed = 1): string[] {
  return ['sweep', FIXTURE, '--out', out, '--state', stateDir, '--hub-limit', '10', '--seed', String(seed), '--quiet'];
}

/** Exit 2, exactly one stderr line matching `pattern`, no stack trace. */
export function expectOneLineError(result: { status: number | null; stderr: string }, pattern: RegExp, status = 2): void {
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  expect(result.status).toBe(status);
}

/** Every file under dir (relative path → SHA-256), skipping what `skip` names. */
export function treeHashes(dir: string, skip: (relative: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const file = path.join(dir, entry);
    if (skip(entry) || !fs.statSync(file).isFile()) continue;
    out[entry] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return out;
}

/** What a reader of the state sees: everything but work in progress (tmp/) and the lock. */
export const committedOnly = (relative: string): boolean => relative === 'lock' || relative === 'tmp' || relative.startsWith(`tmp${path.sep}`);

export function committedSweeps(stateDir: string): string[] {
  return (JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8')) as { sweeps: { sweep_id: string }[] }).sweeps.map((entry) => entry.sweep_id);
}

export function caseList(stateDir: string): { status: number | null; stderr: string; entries: { seq: number; status: string; note: string }[] } {
  const result = runCli(['case', 'list', '--state', stateDir, '--json']);
  let entries: { seq: number; status: string; note: string }[] = [];
  if (result.status === 0) {
    const parsed = JSON.parse(result.stdout) as { entries?: typeof entries } | typeof entries;
    entries = Array.isArray(parsed) ? parsed : parsed.entries ?? [];
  }
  return { status: result.status, stderr: result.stderr, entries };
}

export { runCli };
