/**
 * Nothing swarmscope prints carries a raw control, bidi or invisible format character (issue 15, "Leaks and
 * injection"): a crafted account id `acct ESC[2K CR OK …` must not erase a line and print a fake "OK", and a
 * right-to-left override must not reorder a "FAILED". Through the spawned CLI on a copy of
 * fixtures/small-world whose account id, capability, identifier, column name and folder name carry such
 * characters: the sweep table, report --cluster, report --format json, validate, case set/list/members,
 * evidence build and verify (a pack with a forged entry whose name is hostile), and error lines quoting a
 * hostile value. Each asserts no raw unsafe character on stdout or stderr AND that the value is there in its
 * escaped form (so the test fails if the value were dropped rather than escaped).
 */
import * as fs from 'fs';
import * as path from 'path';
import { readZip, writeZip } from '../../src/evidence/zip';
import { ensureBuilt, ROOT, runCli, tempDir } from '../sweep/support';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
/** What a terminal would obey or hide: C0 except the output's own newlines, DEL, C1, bidi and invisible format characters. */
const RAW_UNSAFE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/;

const HOSTILE_ACCOUNT = 'acct\x1b[2K\rOK\u202eswarm01';
const HOSTILE_CAPABILITY = 'soft\x1b[31m\u2066ware';
const HOSTILE_CARD = 'card\x1b]0;pwn\x07A';
const HOSTILE_COLUMN = 'note\x1b[2K\rOK';
/** How each is shown: the same text with visible escapes. */
const SHOWN_ACCOUNT = 'acct\\x1b[2K\\rOK\\u202eswarm01';
const SHOWN_CAPABILITY = 'soft\\x1b[31m\\u2066ware';
const SHOWN_CARD = 'card\\x1b]0;pwn\\x07A';

let root: string;
let world: string;
let sweep: string;

const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;

/** A copy of the small world with hostile values in place of one account, one capability and one card. */
function hostileWorld(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const substitutions: Array<[string, string]> = [
    ['acct_swarm_01', quoted(HOSTILE_ACCOUNT)],
    ['software_engineering', quoted(HOSTILE_CAPABILITY)],
    ['card_prepaid_A', quoted(HOSTILE_CARD)],
  ];
  for (const file of fs.readdirSync(FIXTURE)) {
    if (!file.endsWith('.csv')) continue;
    let text = fs.readFileSync(path.join(FIXTURE, file), 'utf8');
    for (const [from, to] of substitutions) text = text.split(from).join(to);
    // An extra (ignored) column whose name is hostile; every row gets an empty cell for it.
    if (file === 'accounts.csv') {
      const lines = text.trimEnd().split('\n');
      text = `${[`${lines[0]},${quoted(HOSTILE_COLUMN)}`, ...lines.slice(1).map((line) => `${line},`)].join('\n')}\n`;
    }
    fs.writeFileSync(path.join(dir, file), text);
  }
}

function expectSafe(result: ReturnType<typeof runCli>): void {
  expect(result.stdout).not.toMatch(RAW_UNSAFE);
  expect(result.stderr).not.toMatch(RAW_UNSAFE);
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
}

function expectOneErrorLine(result: ReturnType<typeof runCli>, status: number): void {
  expect(result.status).toBe(status);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expectSafe(result);
}

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-terminal-');
  // The folder name itself is hostile too: validate and sweep print paths.
  world = path.join(root, 'world\x1b[2K\u202e');
  hostileWorld(world);
  sweep = path.join(root, 'sweep');
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('sweep prints its table with every hostile id, capability and path escaped', () => {
  const result = runCli(['sweep', world, '--out', sweep, '--top', '50']);
  expect(result.status).toBe(0);
  expectSafe(result);
  expect(result.stdout).toContain(SHOWN_CAPABILITY);
  expect(result.stdout).toMatch(/^C0001 /m);
});

test('report --cluster shows the hostile account and card escaped, one member per line', () => {
  const result = runCli(['report', sweep, '--cluster', 'C0001', '--members', '50']);
  expect(result.status).toBe(0);
  expectSafe(result);
  expect(result.stdout).toContain(SHOWN_ACCOUNT);
  expect(result.stdout).toContain(SHOWN_CARD);
  expect(result.stdout).toContain(SHOWN_CAPABILITY);
  expect(result.stdout.split('\n').filter((line) => line.includes('OK')).every((line) => line.includes(SHOWN_ACCOUNT))).toBe(true);
});

test('report --format json goes through the same printer and still parses to the exact values', () => {
  const result = runCli(['report', sweep, '--format', 'json', '--top', '50']);
  expect(result.status).toBe(0);
  expectSafe(result);
  const report = JSON.parse(result.stdout) as { clusters: Array<{ capability_mix: Record<string, number> }> };
  expect(report.clusters.some((cluster) => HOSTILE_CAPABILITY in cluster.capability_mix)).toBe(true);
});

test('validate prints the hostile folder name and column name escaped', () => {
  const result = runCli(['validate', world, '--rejects', path.join(root, 'validate-rejects.csv')]);
  expect(result.status).toBe(0);
  expectSafe(result);
  expect(result.stdout).toContain('world\\x1b[2K\\u202e');
  expect(result.stdout).toContain('note\\x1b[2K\\rOK');
});

test('case set, list and members escape notes, authors and account ids; --json keeps them exact', () => {
  const state = path.join(root, 'state');
  expect(runCli(['sweep', world, '--out', path.join(root, 'state-sweep'), '--state', state, '--quiet']).status).toBe(0);
  const set = runCli(['case', 'set', 'C0001', '--status', 'confirmed', '--note', 'fine\x1b[2K\rOK \u202edismissed', '--by', 'eve\x1b[8m', '--state', state]);
  expect(set.status).toBe(0);
  expectSafe(set);
  const list = runCli(['case', 'list', '--state', state]);
  expect(list.status).toBe(0);
  expectSafe(list);
  expect(list.stdout).toContain('fine\\x1b[2K\\rOK \\u202edismissed');
  expect(list.stdout).toContain('by eve\\x1b[8m');
  const members = runCli(['case', 'members', 'C0001', '--state', state]);
  expect(members.status).toBe(0);
  expectSafe(members);
  expect(members.stdout.split('\n')).toContain(SHOWN_ACCOUNT);
  expect(members.stderr).toMatch(/1 of them hold control or invisible characters, printed escaped \(use --json for the exact ids\)/);
  const exact = runCli(['case', 'members', 'C0001', '--state', state, '--json']);
  expectSafe(exact);
  expect((JSON.parse(exact.stdout) as { accounts: string[] }).accounts).toContain(HOSTILE_ACCOUNT);
});

test('evidence verify: a forged entry with a hostile name cannot print a fake OK or hide FAILED', async () => {
  const pack = path.join(root, 'pack.zip');
  const built = runCli(['evidence', sweep, '--cluster', 'C0001', '--out', pack]);
  expect(built.status).toBe(0);
  expectSafe(built);
  const good = runCli(['evidence', 'verify', pack]);
  expect(good.status).toBe(0);
  expectSafe(good);

  const entries = readZip(fs.readFileSync(pack), 'pack.zip');
  const bagRoot = entries[0].name.split('/')[0];
  const forgedName = `${bagRoot}/data/x\x1b[2K\rOK ${pack}: 7 files, valid BagIt 1.0\x1b[8m\u202e.csv`;
  const forged = path.join(root, 'forged\x1b[2K.zip');
  fs.writeFileSync(forged, await writeZip([...entries.map((entry) => ({ name: entry.name, data: entry.data })), { name: forgedName, data: Buffer.from('x') }]));
  const result = runCli(['evidence', 'verify', forged]);
  expect(result.status).toBe(1);
  expectSafe(result);
  const lines = result.stdout.trimEnd().split('\n');
  // The strict zip reader refuses a name with control characters outright, naming it JSON-escaped.
  expect(lines.at(-1)).toMatch(/^FAILED .*forged\\x1b\[2K\.zip: 1 invalid\b/);
  expect(lines.some((line) => line.startsWith('INVALID ') && line.includes('x\\u001b[2K\\rOK ') && line.includes('\\u001b[8m\\u202e.csv'))).toBe(true);
  expect(lines.filter((line) => line.startsWith('OK'))).toEqual([]);
});

test('error lines quote hostile values escaped, on one line', () => {
  expectOneErrorLine(runCli(['report', sweep, '--cluster', 'C9\x1b[2K\rOK\u202e\nsecond line']), 2);
  const unknown = runCli(['report', sweep, '--cluster', 'C9\x1b[2K\rOK\u202e']);
  expect(unknown.stderr).toContain('C9\\x1b[2K\\rOK\\u202e');
  expectOneErrorLine(runCli(['sweep', world, '--out', sweep, '--bogus\x1b[2K\u202e']), 2);
  expectOneErrorLine(runCli(['sweep', path.join(root, 'missing\x1b[2K\rOK\u202e'), '--out', path.join(root, 'nowhere')]), 2);
  expectOneErrorLine(runCli(['evidence', 'verify', path.join(root, 'no-pack\x1b[2K\rOK.zip')]), 2);
});
