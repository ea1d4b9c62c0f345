/** Spawning the CLI (and the fake sweep process) from the TypeScript sources, and waiting on their output. */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');
const REGISTER = path.join(__dirname, 'register-ts.js');
export const CLI = path.join(ROOT, 'cli/main.ts');
export const FAKE_SWEEP = path.join(__dirname, 'fake-sweep-cli.ts');

export interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}): Finished {
  const result = spawnSync(process.execPath, ['-r', REGISTER, CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface Running {
  child: ChildProcess;
  /** Resolves when stderr has printed text matching the pattern. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  finished: Promise<Finished>;
}

export function start(script: string, args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, ['-r', REGISTER, script, ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const watcher of watchers) if (watcher.pattern.test(stderr)) watcher.resolve();
  });
  const finished = new Promise<Finished>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return {
    child,
    finished,
    waitForStderr(pattern, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        if (pattern.test(stderr)) return resolve();
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stderr so far: ${stderr}`)), timeoutMs);
        watchers.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
        void finished.then((result) => reject(new Error(`exited ${result.status} before ${pattern}: ${result.stderr}`)));
      });
    },
  };
}
