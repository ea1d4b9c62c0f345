/**
 * An interrupted sweep (Ctrl-C, SIGTERM) leaves no `<out>.tmp-<pid>-<hex>` behind and the previous sweep at
 * --out whole; a temporary dir left by a process that died harder is removed by the next sweep to that --out.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runSweep } from '../../src/sweep/run';
import { CLI, ensureBuilt, ROOT, runCli, tempDir } from './support';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
let root: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-interrupt-');
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function leftovers(): string[] {
  return fs.readdirSync(root).filter((name) => name.includes('.tmp-'));
}

async function interruptedSweep(out: string, signal: 'SIGINT' | 'SIGTERM'): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'sweep', FIXTURE, '--out', out, '--hub-limit', '10'], {
    env: { ...process.env, SWARMSCOPE_TEST_PAUSE_AT: 'sweep-imported' },
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('paused at sweep-imported')) resolve();
    });
    child.on('close', () => reject(new Error(`exited before pausing: ${stderr}`)));
  });
  expect(leftovers()).toHaveLength(1);
  child.kill(signal);
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { status, stderr };
}

test.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s during a sweep removes the temporary dir, exits %i, and keeps the previous sweep', async (signal, code) => {
  const out = path.join(root, `sweep-${signal}`);
  expect(runCli(['sweep', FIXTURE, '--out', out, '--hub-limit', '10', '--quiet']).status).toBe(0);
  const before = fs.readFileSync(path.join(out, 'report.json'), 'utf8');
  const result = await interruptedSweep(out, signal);
  expect(result.status).toBe(code);
  expect(leftovers()).toEqual([]);
  expect(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).toBe(before);
}, 60_000);

test('a later sweep removes temporary dirs of dead processes, not those of running ones', async () => {
  const out = path.join(root, 'stale');
  const exited = spawnSync(process.execPath, ['-e', '0']);
  const dead = `stale.tmp-${exited.pid}-0badc0de`;
  const running = `stale.tmp-${process.ppid}-0badc0de`;
  const unrelated = 'stale.tmp-notes';
  for (const name of [dead, running, unrelated]) fs.mkdirSync(path.join(root, name));
  fs.writeFileSync(path.join(root, dead, 'members.csv'), 'half written');
  await runSweep({ inputDir: FIXTURE, outDir: out, hubLimit: 10 });
  expect(fs.existsSync(path.join(out, 'report.json'))).toBe(true);
  expect(leftovers().sort()).toEqual([running, unrelated].sort());
  for (const name of [running, unrelated]) fs.rmSync(path.join(root, name), { recursive: true });
}, 60_000);
