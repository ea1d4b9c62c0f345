/** Helpers for sweep/report tests: temp dirs, a generated world made once per test file, the built CLI. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateWorld } from '../../src/generate';

export { CLI, ROOT, ensureBuilt } from '../support/build';
export { pngInk } from '../support/png';
import { runBuiltCli } from '../support/build';

export function tempDir(prefix = 'swarmscope-sweep-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A generated 10,000-account world (three planted swarms, one enterprise team, a campus, households, VPN users).
 * Tests sweep it with an explicit HUB_LIMIT (1.5% of accounts) so a change of detection's default hub rule does
 * not silently change what these tests measure.
 */
export const SMALL_WORLD_ACCOUNTS = 10_000;
export const HUB_LIMIT = 150;

export async function generateSmallWorld(dir: string, seed = 3, accounts = SMALL_WORLD_ACCOUNTS): Promise<string> {
  await generateWorld({ out: dir, accounts, seed });
  return dir;
}

/** truth/members.csv of a generated world: account → group name, and group → legitimate. */
export function readTruth(worldDir: string): { groupOf: Map<string, string>; legitimate: Map<string, boolean>; kind: Map<string, string> } {
  const truth = JSON.parse(fs.readFileSync(path.join(worldDir, 'truth/truth.json'), 'utf8')) as { groups: { name: string; legitimate: boolean; kind: string }[] };
  const legitimate = new Map(truth.groups.map((g) => [g.name, g.legitimate]));
  const kind = new Map(truth.groups.map((g) => [g.name, g.kind]));
  const groupOf = new Map<string, string>();
  const lines = fs.readFileSync(path.join(worldDir, 'truth/members.csv'), 'utf8').split('\n');
  const header = lines[0].split(',');
  const a = header.indexOf('account_id');
  const g = header.indexOf('group');
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const cells = line.split(',');
    groupOf.set(cells[a], cells[g]);
  }
  return { groupOf, legitimate, kind };
}

/** Runs the built CLI to completion (runBuiltCli: user-facing errors, killed and failing after `timeoutMs`). */
export function runCli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): { status: number | null; stdout: string; stderr: string } {
  return runBuiltCli(args, options);
}

/** Independent count of exchanges per account straight from exchanges.csv (count column, default 1). */
export function exchangesPerAccount(worldDir: string): Map<string, number> {
  const file = path.join(worldDir, 'exchanges.csv');
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const header = lines[0].split(',');
  const account = header.indexOf('account_id');
  const count = header.indexOf('count');
  const out = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const cells = line.split(',');
    const n = count >= 0 && cells[count] !== '' ? Number(cells[count]) : 1;
    out.set(cells[account], (out.get(cells[account]) ?? 0) + n);
  }
  return out;
}
