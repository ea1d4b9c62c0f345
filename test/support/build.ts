/**
 * A built dist/ for the tests that spawn the real CLI (`node dist/cli/main.js`). `npm ci` builds it through the
 * `prepare` script; during development the sources may be newer, so this rebuilds when any file under src/ or cli/
 * is newer than the built CLI. A lock directory makes parallel jest workers build once.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'dist/cli/main.js');

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

function fresh(): boolean {
  return fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= Math.max(newestMtime(path.join(ROOT, 'src')), newestMtime(path.join(ROOT, 'cli')));
}

export function ensureBuilt(): void {
  if (fresh()) return;
  const lock = path.join(os.tmpdir(), 'swarmscope-test-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) fs.rmSync(lock, { recursive: true, force: true });
      execFileSync('sleep', ['0.5']);
      if (fresh()) return;
    }
  }
  try {
    if (fresh()) return;
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json')], { stdio: 'pipe' });
    } catch {
      // tsc still emits JavaScript when some file has a type error; whether the CLI runs is what the tests check.
    }
    if (!fs.existsSync(CLI)) throw new Error('npx tsc -p tsconfig.json did not produce dist/cli/main.js');
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Runs the built CLI to completion; SWARMSCOPE_DEBUG is cleared so errors are the user-facing one-liners. A CLI
 * that hangs is killed after `timeoutMs` (default 5 minutes, far above any test's sweep) and the test fails naming
 * the command, instead of stalling the run until CI kills it.
 */
export function runBuiltCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): { status: number | null; stdout: string; stderr: string } {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, SWARMSCOPE_DEBUG: '', ...options.env },
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    throw new Error(`swarmscope ${args.join(' ')} did not finish within ${timeoutMs / 1000} s and was killed`);
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
