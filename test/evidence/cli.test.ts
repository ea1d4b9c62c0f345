/**
 * The whole path on a real saved sweep: generate a small world, sweep it (in-process), then spawn the CLI
 * (`evidence`, `evidence verify`) and check files, stdout, stderr and exit codes. Further bad-input cases
 * go through cli/main.ts's main() in-process: the same code path, without paying a process start each.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { main } from '../../cli/main';
import { generateWorld } from '../../src/generate';
import { runSweep } from '../../src/sweep/run';
import type { SweepReport } from '../../src/sweep/types';
import { computeClusterFacts } from '../../src/evidence/cluster-facts';
import { loadEvidenceInput } from '../../src/evidence/sweep-input';
import { writeChecksums } from '../../src/sweep/checksums';
import { extractWithPython, independentBagItProblems, rewriteWithPython } from './independent';

const ROOT = path.resolve(__dirname, '../..');
// Transpiles the TypeScript sources on the fly, so the test never runs a stale dist/ (shared with test/history).
const REGISTER = path.join(ROOT, 'test/history/support/register-ts.js');
const CLI = path.join(ROOT, 'cli/main.ts');

/** Runs cli/main.ts's main() in this process, capturing what it writes and the exit code it sets. */
async function inProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true));
  try {
    process.exitCode = undefined;
    await main(['node', 'swarmscope', ...args]);
    return { status: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

function cli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['-r', REGISTER, CLI, ...args], { cwd, encoding: 'utf8', timeout: 90_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let work: string;
let report: SweepReport;
let clusterId: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-evidence-cli-'));
  await generateWorld({ out: path.join(work, 'world'), accounts: 4000, seed: 3 });
  const result = await runSweep({ inputDir: path.join(work, 'world'), outDir: path.join(work, 'sweep'), progress: false });
  report = result.report;
  clusterId = report.clusters[0].cluster_id;
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('evidence on a saved sweep', () => {
  test('the pack\'s recomputed numbers reconcile with the sweep\'s report for the cluster', () => {
    const input = loadEvidenceInput(path.join(work, 'sweep'), clusterId);
    const profile = report.clusters[0];
    const facts = computeClusterFacts(input);
    expect(facts.accounts.length).toBe(profile.accounts);
    expect(facts.exchanges).toBe(profile.exchanges);
    expect(facts.inputTokens).toBe(profile.input_tokens);
    expect(facts.outputTokens).toBe(profile.output_tokens);
  });

  test('reads what the weekly history said about the cluster from report.json (null for a stand-alone sweep)', () => {
    expect(loadEvidenceInput(path.join(work, 'sweep'), clusterId).cluster.history).toBeNull();
    const copy = path.join(work, 'sweep-with-history');
    fs.cpSync(path.join(work, 'sweep'), copy, { recursive: true });
    const file = path.join(copy, 'report.json');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    const event = { cluster_id: clusterId, event: 'new', previous_id: null, accounts_before: 0, accounts_after: 5, joined: 5, left: 0, risk_before: null, risk_after: 90, tier_before: null, tier_after: 'high', parents: [], jaccard: null, identifier_links: [{ cluster_id: 'C0042', sweep_id: 'W1', shared_instruments: 4, shared_fingerprints: 0 }] };
    saved.since_last_sweep = {
      previous_sweep: { sweep_id: 'W1', started_at: '2026-11-16T06:00:00.000Z' },
      events: [event, { ...event, cluster_id: 'C0042', event: 'dormant' }],
      alerts: [{ cluster_id: clusterId, kind: 'confirmed_identifiers_reused', case_status: 'confirmed', case_cluster_id: 'C0042' }],
    };
    fs.writeFileSync(file, JSON.stringify(saved));
    writeChecksums(copy); // the edited report.json is this test's own forgery: record it
    expect(loadEvidenceInput(copy, clusterId).cluster.history).toEqual({
      previous_sweep_id: 'W1',
      event: 'new',
      previous_id: null,
      accounts_before: 0,
      accounts_after: 5,
      joined: 5,
      identifier_links: [{ cluster_id: 'C0042', sweep_id: 'W1', shared_instruments: 4, shared_fingerprints: 0 }],
      case_status: 'confirmed',
      case_cluster_id: 'C0042',
    });
  });

  test('build, verify, rebuild byte-identical, alter one byte, and the exit codes', () => {
    const build = ['evidence', 'sweep', '--cluster', clusterId, '--out', 'pack.zip', '--org', 'Example Trust & Safety'];
    const built = cli(build, work);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(built.stdout).toMatch(new RegExp(`^Wrote pack.zip: evidence pack for cluster ${clusterId} of sweep `));

    const verified = cli(['evidence', 'verify', 'pack.zip'], work);
    expect(verified).toEqual({
      status: 0,
      stdout: 'OK pack.zip: 7 files, valid BagIt 1.0; integrity proven (every checksum matches); origin NOT proven: the pack is not signed, and anyone who changes a file can recompute its checksums\n',
      stderr: '',
    });

    extractWithPython(path.join(work, 'pack.zip'), path.join(work, 'unzipped'));
    const [root] = fs.readdirSync(path.join(work, 'unzipped'));
    expect(independentBagItProblems(path.join(work, 'unzipped', root))).toEqual([]);
    const members = parse(fs.readFileSync(path.join(work, 'unzipped', root, 'data/members.csv'), 'utf8'), { columns: true }) as unknown[];
    expect(members).toHaveLength(report.clusters[0].accounts);
    expect(cli(['evidence', 'verify', 'unzipped'], work).status).toBe(0);

    const first = fs.readFileSync(path.join(work, 'pack.zip'));
    fs.renameSync(path.join(work, 'pack.zip'), path.join(work, 'first.zip'));
    expect(cli(build, work).status).toBe(0);
    expect(fs.readFileSync(path.join(work, 'pack.zip')).equals(first)).toBe(true);

    rewriteWithPython(path.join(work, 'pack.zip'), path.join(work, 'altered.zip'), { alter: `${root}/data/members.csv` });
    const altered = cli(['evidence', 'verify', 'altered.zip'], work);
    expect(altered.status).toBe(1);
    expect(altered.stdout).toMatch(/^ALTERED data\/members.csv: sha256 checksum does not match manifest-sha256.txt/m);
    expect(altered.stdout).toMatch(/^FAILED altered.zip: 1 altered; the pack is not as it was made$/m);
  });

  test('bad input exits 2 with one line on stderr (spawned)', () => {
    fs.writeFileSync(path.join(work, 'garbage.zip'), 'not a zip');
    for (const [args, message] of [
      [['evidence', 'verify', 'garbage.zip'], /not a readable zip archive/],
      [['evidence', 'sweep', '--cluster', 'C9999', '--out', 'x.zip'], /no cluster "C9999" in this sweep/],
    ] as Array<[string[], RegExp]>) {
      const result = cli(args, work);
      expect({ args, status: result.status, lines: result.stderr.trim().split('\n').length }).toEqual({ args, status: 2, lines: 1 });
      expect(result.stderr).toMatch(message);
    }
  });

  test('more bad input, and --help, through the CLI entry point in-process', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['evidence', 'verify', path.join(work, 'no-such.zip')], /no such file or folder/],
      [['evidence', path.join(work, 'sweep'), '--out', 'x.zip'], /--cluster <id> is required/],
      [['evidence', path.join(work, 'no-such-sweep'), '--cluster', clusterId, '--out', 'x.zip'], /no such sweep directory/],
      [['evidence', path.join(work, 'sweep'), '--cluster', clusterId, '--out', path.join(work, 'x.zip'), '--pseudonymize', path.join(work, 'missing.key')], /cannot read the key file/],
      [['evidence', path.join(work, 'sweep'), '--cluster', clusterId, '--out', path.join(work, 'sweep')], /is a folder/],
    ];
    for (const [args, message] of cases) {
      const result = await inProcess(args);
      expect({ args, status: result.status, lines: result.stderr.trim().split('\n').length }).toEqual({ args, status: 2, lines: 1 });
      expect(result.stderr).toMatch(message);
    }
    expect(fs.existsSync(path.join(work, 'x.zip'))).toBe(false);
    expect((await inProcess(['evidence', '--help'])).stdout).toContain('$ swarmscope evidence sweeps/2026-w03 --cluster C0001 --out C0001.zip');
    expect((await inProcess(['evidence', 'verify', '--help'])).stdout).toContain('$ swarmscope evidence verify C0001.zip');
  });
});
