/** Helpers for importer tests: temporary folders, and a built dist/ for tests that spawn the real CLI. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export { CLI, ROOT, ensureBuilt } from '../support/build';
import { ROOT } from '../support/build';
export const FIXTURES = path.join(ROOT, 'fixtures/ingest');

export function tempDir(prefix = 'swarmscope-ingest-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}
