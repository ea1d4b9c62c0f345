/** The spawned CLI (dist/cli/main.js): sweep, report and demo, their output and exit codes. */
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, ROOT, runCli, tempDir } from './support';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
let root: string;
let sweepDir: string;
let sweepOut: ReturnType<typeof runCli>;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-sweep-cli-');
  sweepDir = path.join(root, 'sweep');
  sweepOut = runCli(['sweep', FIXTURE, '--out', sweepDir, '--hub-limit', '10']);
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('sweep prints the clusters by risk and where the files are, exit 0', () => {
  expect(sweepOut.stderr).toBe('');
  expect(sweepOut.status).toBe(0);
  const lines = sweepOut.stdout.split('\n');
  expect(lines[0]).toMatch(/^swarmscope sweep \S+ — 38 accounts, 2,936 exchanges; 3 clusters \(2 high, 0 medium risk\), 3 hubs$/);
  expect(lines[2]).toMatch(/^cluster\s+accounts\s+exchanges\s+top capabilities\s+risk\s+first reason$/);
  expect(lines[4]).toMatch(/^C0001\s+8\s+1\.5k\s+software_engineering \d+%.*high\s+\d+ of 8 accounts with a payment method share 3 prepaid\/virtual cards/);
  expect(sweepOut.stdout).toContain(`Files in ${sweepDir}:`);
  expect(sweepOut.stdout).toContain(path.join(sweepDir, 'report.html'));
});

test('report re-renders the saved sweep: the table equals the sweep output, json equals report.json', () => {
  const table = runCli(['report', sweepDir]);
  expect(table.status).toBe(0);
  expect(table.stdout).toBe(sweepOut.stdout);
  const json = runCli(['report', sweepDir, '--format', 'json']);
  expect(json.stdout).toBe(fs.readFileSync(path.join(sweepDir, 'report.json'), 'utf8'));
  const html = runCli(['report', sweepDir, '--format', 'html']);
  expect(html.stdout).toBe(fs.readFileSync(path.join(sweepDir, 'report.html'), 'utf8'));
  const top = JSON.parse(runCli(['report', sweepDir, '--format', 'json', '--top', '1']).stdout) as { clusters: unknown[] };
  expect(top.clusters).toHaveLength(1);
});

test('report --cluster shows one cluster in depth: reasons, mix, identifiers, timeline, members', () => {
  const detail = runCli(['report', sweepDir, '--cluster', 'C0001']);
  expect(detail.status).toBe(0);
  for (const heading of ['Reasons (points):', 'Capability mix', 'Time:', 'Payment and network:', 'Top shared identifiers:', 'Members (8 of 8']) {
    expect(detail.stdout).toContain(heading);
  }
  expect(detail.stdout).toContain('fp_automation_X');
  expect(detail.stdout).toMatch(/acct_swarm_01\s+(core|member)\s+\S/);
  const md = runCli(['report', sweepDir, '--cluster', 'C0001', '--format', 'md']);
  expect(md.stdout.startsWith('# C0001 — risk ')).toBe(true);
});

test('bad input exits 2 with one line and no stack trace', () => {
  const cases: [string[], RegExp][] = [
    [['report', sweepDir, '--cluster', 'C9999'], /^swarmscope: no cluster C9999 in .* \(highest risk: C0001, /],
    [['report', path.join(root, 'nowhere')], /^swarmscope: .*nowhere: no such sweep directory/],
    [['report', FIXTURE], /not a saved sweep \(no report\.json\)/],
    [['report', sweepDir, '--format', 'pdf'], /--format pdf: unknown format; use one of table, json, csv, md, html/],
    [['sweep', FIXTURE], /missing --out/],
    [['sweep', FIXTURE, '--out', path.join(root, 'x'), '--seed', 'abc'], /^swarmscope: --seed must be a whole number from 0 to 4,294,967,295, got "abc"$/m],
    [['sweep', path.join(root, 'missing-input'), '--out', path.join(root, 'y')], /input folder not found/],
    [['sweep', FIXTURE, '--out', FIXTURE], /would replace the input folder/],
    [['sweep', FIXTURE, '--out', path.join(root, 'x'), '--top', '-1'], /^swarmscope: --top must be a whole number from 1 to 2,147,483,647, got "-1"$/m],
    [['sweep', FIXTURE, '--out', path.join(root, 'x'), '--top', '0'], /--top must be a whole number from 1 to 2,147,483,647, got "0"/],
    [['sweep', FIXTURE, '--out', path.join(root, 'x'), '--resolution', '-2'], /^swarmscope: --resolution must be a number above 0 and at most 1,000,000, got "-2"$/m],
    [['sweep', FIXTURE, '--out', path.join(root, 'x'), '--state', path.join(root, 'st'), '--state-wait', '-5'], /--state-wait must be a number from 0 to 86,400, got "-5"/],
    [['report', sweepDir, '--top', '-1'], /--top must be a whole number from 1 to 2,147,483,647, got "-1"/],
    [['demo', '--out', FIXTURE], /^swarmscope: --out .*small-world: exists, is not empty and is not a previous demo's folder; choose a new or empty directory$/m],
    [['report', sweepDir, '--cluster', 'C0001', '--format', 'csv'], /^swarmscope: --format csv is not available with --cluster; use one of table, json, md, html \(csv is for the overview\)$/m],
    [['report', sweepDir, '--cluster', 'C0001', '--format', 'pdf'], /--format pdf: unknown format; use one of table, json, md, html with --cluster$/m],
  ];
  for (const [args, message] of cases) {
    const out = runCli(args);
    expect({ args, status: out.status }).toEqual({ args, status: 2 });
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  }
  expect(fs.existsSync(path.join(root, 'x'))).toBe(false);
});

test('rejected input rows: the sweep still completes, exit 1, rejects.csv in the sweep dir', () => {
  const input = path.join(root, 'dirty');
  fs.cpSync(FIXTURE, input, { recursive: true });
  fs.appendFileSync(path.join(input, 'exchanges.csv'), 'acct_swarm_01,not-a-date,software_engineering,1,10,10\n');
  const out = runCli(['sweep', input, '--out', path.join(root, 'dirty-sweep'), '--hub-limit', '10']);
  expect(out.status).toBe(1);
  expect(out.stdout).toMatch(/1 input rows were rejected: see .*dirty-sweep\/rejects\.csv/);
  const rejects = fs.readFileSync(path.join(root, 'dirty-sweep', 'rejects.csv'), 'utf8').trim().split('\n');
  expect(rejects[0]).toBe('file,line,column,reason,row');
  expect(rejects).toHaveLength(2);
  expect(rejects[1]).toMatch(/^exchanges\.csv,\d+,timestamp,/);
});

test('demo generates a world, sweeps it and prints the report, exit 0', () => {
  const out = runCli(['demo', '--out', path.join(root, 'demo'), '--accounts', '5000']);
  expect(out.status).toBe(0);
  expect(out.stdout).toMatch(/^swarmscope sweep \S+ — 5,000 accounts/);
  expect(out.stdout).toMatch(/\nC0001\s+\S+\s+\S+\s+.*\d+ high\s/);
  expect(fs.existsSync(path.join(root, 'demo', 'sweep', 'report.html'))).toBe(true);
  expect(out.stderr).toContain('Generating 5,000 accounts');
  // Its folder is a previous demo's: a second demo there replaces it; the fixture folder was refused untouched.
  const again = runCli(['demo', '--out', path.join(root, 'demo'), '--accounts', '5000', '--quiet']);
  expect([again.status, again.stderr]).toEqual([0, '']);
  expect(again.stdout).not.toContain('No clusters found');
  expect(fs.existsSync(path.join(FIXTURE, 'input'))).toBe(false);
}, 120_000);

test('every command has --help with an example', () => {
  for (const command of ['sweep', 'report', 'demo']) {
    const help = runCli([command, '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Example');
    expect(help.stdout).toContain(`swarmscope ${command}`);
  }
});
