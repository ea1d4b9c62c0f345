/** Helpers for sweep/report tests: temp dirs, a generated world made once per test file, the built CLI. */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { generateWorld } from '../../src/generate';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'dist/cli/main.js');

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

/** Builds dist/ when it is missing or older than the sources (one build at a time across test files). */
export function ensureBuilt(): void {
  const newest = (entry: string): number => {
    if (!fs.existsSync(entry)) return 0;
    const stat = fs.statSync(entry);
    return stat.isDirectory() ? Math.max(0, ...fs.readdirSync(entry).map((name) => newest(path.join(entry, name)))) : stat.mtimeMs;
  };
  const fresh = () => fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= Math.max(newest(path.join(ROOT, 'src')), newest(path.join(ROOT, 'cli')));
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
    }
  }
  try {
    if (fresh()) return;
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json')], { stdio: 'pipe' });
    } catch {
      // Type errors elsewhere in the tree still emit JavaScript; whether the CLI runs is what the tests check.
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export function runCli(args: string[], options: { cwd?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: options.cwd ?? ROOT, env: { ...process.env, SWARMSCOPE_DEBUG: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
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

/** Decodes a chromium screenshot (8-bit RGB/RGBA PNG) and reports how much of it is not background. */
export function pngInk(file: string): { width: number; height: number; inkShare: number; colours: number } {
  const bytes = fs.readFileSync(file);
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      channels = data[9] === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const previous = new Uint8Array(stride);
  const row = new Uint8Array(stride);
  let ink = 0;
  const colours = new Set<number>();
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? row[x - channels] : 0;
      const up = previous[x];
      const upLeft = x >= channels ? previous[x - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      row[x] = (line[x] + predictor) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const r = row[x * channels];
      const g = row[x * channels + 1];
      const b = row[x * channels + 2];
      if (r < 235 || g < 235 || b < 235) ink++;
      if ((x & 7) === 0 && (y & 7) === 0) colours.add((r << 16) | (g << 8) | b);
    }
    previous.set(row);
  }
  return { width, height, inkShare: ink / (width * height), colours: colours.size };
}
