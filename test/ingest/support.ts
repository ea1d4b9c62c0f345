/** Helpers for importer tests: temporary folders, and a built dist/ for tests that spawn the real CLI. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '../..');
export const FIXTURES = path.join(ROOT, 'fixtures/ingest');
export const CLI = path.join(ROOT, 'dist/cli/main.js');

export function tempDir(prefix = 'swarmscope-ingest-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const entry of paths) {
    if (!fs.existsSync(entry)) continue;
    const stat = fs.statSync(entry);
    if (stat.isDirectory()) newest = Math.max(newest, newestMtime(fs.readdirSync(entry).map((name) => path.join(entry, name))));
    else newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

/**
 * Makes sure dist/ holds a build of the current importer and CLI sources (npm ci builds it via `prepare`;
 * during development the sources may be newer). Builds under a lock so parallel test files build once.
 */
export function ensureBuilt(): void {
  const sources = ['src/ingest', 'src/contract', 'src/core', 'cli/main.ts', 'cli/run.ts', 'cli/commands/validate.ts'].map((p) => path.join(ROOT, p));
  const built = path.join(ROOT, 'dist/src/ingest/importWorld.js');
  const fresh = () => fs.existsSync(CLI) && fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestMtime(sources);
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
      // Type errors elsewhere in the tree still emit JavaScript; the checks below decide whether it is usable.
    }
    if (!fs.existsSync(CLI)) throw new Error('npx tsc -p tsconfig.json did not produce dist/cli/main.js');
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
