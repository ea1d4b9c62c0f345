/**
 * `swarmscope export neo4j` and `export neo4j-admin` on a real saved sweep of a generated world (generator →
 * importer → detection → scoring → saved sweep), run in-process through the CLI's main(): exit codes, one-line
 * errors, the Browser kit, bundle consistency, and that the password never reaches stdout or stderr.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../cli/main';
import { generateWorld } from '../../src/generate';
import { readSweepForExport } from '../../src/neo4j/sweepInput';
import { runSweep } from '../../src/sweep/run';
import { ModelGraph } from './bolt/modelGraph';
import { BoltTestServer } from './bolt/server';
import { checkBundle, readCsv } from './bundleCheck';

const PASSWORD = 'cli-pw-4f9!x';
let root: string;
let sweepDir: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-neo4j-cli-'));
  await generateWorld({ out: path.join(root, 'world'), accounts: 2_000, seed: 5 });
  sweepDir = (await runSweep({ inputDir: path.join(root, 'world'), outDir: path.join(root, 'sweep'), hubLimit: 40, seed: 1 })).dir;
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  process.exitCode = 0;
  try {
    await main(['node', 'swarmscope', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env = saved;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, stdout, stderr };
}

describe('export neo4j-admin', () => {
  test('writes a consistent bundle of the generated world, its README and the Browser kit', async () => {
    const out = path.join(root, 'bundle');
    const { code, stdout, stderr } = await cli(['export', 'neo4j-admin', sweepDir, '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // 9 files, plus the synchrony groups' nodes and IN_STEP links: the world's swarms arrive on their exits in
    // co-arrival waves (src/graph/arrival.ts), which are synchrony identifiers.
    expect(stdout).toMatch(/wrote 11 CSV files/);
    const sweep = readSweepForExport(sweepDir);
    const files = fs.readFileSync(path.join(out, 'README.md'), 'utf8').match(/--(nodes|relationships)=\S+/g)!.map((flag) => {
      const [kind, file] = flag.slice(2).split('=');
      return { kind, file };
    });
    const spaces = checkBundle(out, files);
    expect(spaces.get('Account')!.size).toBe(sweep.world.accounts.size);
    expect(readCsv(path.join(out, 'relationships/member_of.csv')).rows).toHaveLength(sweep.members.length);
    expect(sweep.clusters.length).toBeGreaterThan(0);
    for (const f of ['browser/swarmscope.grass', 'browser/GUIDE.md', 'browser/queries/1_top_clusters_by_risk.cypher']) {
      expect(fs.existsSync(path.join(out, f))).toBe(true);
    }
  });

  test('a folder that is not a sweep is bad input (exit 2, one line)', async () => {
    const { code, stderr } = await cli(['export', 'neo4j-admin', root, '--out', path.join(root, 'x')]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('export neo4j', () => {
  test('exports the sweep to a Bolt server; the password never appears in output', async () => {
    const model = new ModelGraph();
    const server = await new BoltTestServer({ password: PASSWORD, answer: (r) => model.answer(r), onCommit: (t) => model.apply(t) }).start();
    try {
      const { code, stdout, stderr } = await cli(['export', 'neo4j', sweepDir, '--uri', server.uri, '--user', 'neo4j'], { NEO4J_PASSWORD: PASSWORD });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(/exported sweep .* rows in \d+ transactions of up to 10,000 rows/);
      expect(stdout + stderr).not.toContain(PASSWORD);
      const sweep = readSweepForExport(sweepDir);
      expect(model.nodes.get('Account')!.size).toBe(sweep.world.accounts.size);
      expect(model.memberships.size).toBe(sweep.members.length);
      expect(model.unmatched).toBe(0);
      // Only the auth messages carried the password; no query or parameter did.
      expect(JSON.stringify(server.transactions, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(PASSWORD);
      expect(fs.existsSync(path.join(sweepDir, 'neo4j-export.checkpoint.json'))).toBe(false);
      expect(fs.existsSync(path.join(sweepDir, 'neo4j/browser/swarmscope.grass'))).toBe(true);

      const wrong = await cli(['export', 'neo4j', sweepDir, '--uri', server.uri], { NEO4J_PASSWORD: 'wrong-guess-123' });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/^swarmscope: Neo4j at bolt:\/\/127\.0\.0\.1:\d+ refused the credentials/);
      expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
      expect(wrong.stderr).not.toContain('wrong-guess-123');
    } finally {
      await server.stop();
    }
  });

  test('without NEO4J_PASSWORD, or with --password, it refuses (exit 2)', async () => {
    const missing = await cli(['export', 'neo4j', sweepDir, '--uri', 'bolt://127.0.0.1:1'], { NEO4J_PASSWORD: undefined });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/NEO4J_PASSWORD/);
    const flag = await cli(['export', 'neo4j', sweepDir, '--uri', 'bolt://127.0.0.1:1', '--password', PASSWORD]);
    expect(flag.code).toBe(2);
  });

  test('--dry-run --cypher-out writes the statements and reports the transaction count', async () => {
    const file = path.join(root, 'dry.jsonl');
    const { code, stdout } = await cli(['export', 'neo4j', sweepDir, '--dry-run', '--cypher-out', file, '--batch-size', '500']);
    expect(code).toBe(0);
    // 22 statements, plus the synchrony groups' node and IN_STEP statements (co-arrival waves, as above).
    expect(stdout).toMatch(/24 distinct statements .* would take \d+ transactions/);
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(24);
    const bad = await cli(['export', 'neo4j', sweepDir, '--dry-run', '--cypher-out', file, '--batch-size', '0']);
    expect(bad.code).toBe(2);
  });

  test('--dry-run leaves the saved sweep untouched and writes the Browser kit next to --cypher-out', async () => {
    const listing = (dir: string): string[] =>
      fs.readdirSync(dir, { recursive: true, withFileTypes: true }).map((entry) => {
        const full = path.join(entry.parentPath, entry.name);
        return `${path.relative(dir, full)} ${fs.statSync(full).mtimeMs}`;
      }).sort();
    const before = listing(sweepDir);
    const outDir = path.join(root, 'dry-kit');
    fs.mkdirSync(outDir);
    const file = path.join(outDir, 'statements.jsonl');
    const { code, stdout } = await cli(['export', 'neo4j', sweepDir, '--dry-run', '--cypher-out', file]);
    expect(code).toBe(0);
    expect(listing(sweepDir)).toEqual(before); // nothing added or rewritten (the driver export above wrote a kit there)
    expect(fs.existsSync(path.join(outDir, 'browser', 'swarmscope.grass'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'browser', 'GUIDE.md'))).toBe(true);
    expect(stdout).toContain(`Browser kit in ${path.join(outDir, 'browser')}`);
  });

  test('--help shows an example', async () => {
    const { stdout } = await cli(['export', 'neo4j', '--help']);
    expect(stdout).toMatch(/Examples:\n\s+NEO4J_PASSWORD=… swarmscope export neo4j/);
  });
});

describe('export --help', () => {
  test('export and export neo4j-admin show examples too', async () => {
    const parent = await cli(['export', '--help']);
    expect(parent.stdout).toMatch(/Examples:\n\s+NEO4J_PASSWORD=… swarmscope export neo4j sweeps\/\S+ --uri/);
    expect(parent.stdout).toMatch(/\n\s+swarmscope export neo4j-admin sweeps\/\S+ --out /);
    const admin = await cli(['export', 'neo4j-admin', '--help']);
    expect(admin.stdout).toMatch(/Example:\n\s+swarmscope export neo4j-admin sweeps\/\S+ --out /);
  });
});
