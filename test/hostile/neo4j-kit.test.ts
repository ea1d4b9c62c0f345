/**
 * Issue 13's faults, through the spawned CLI:
 * - the Browser kit's saved queries ship example parameters taken from the exported sweep itself (its id, its top
 *   cluster, two of that cluster's accounts sharing a non-hub identifier), never fixed strings that match nothing;
 * - `export neo4j --dry-run --cypher-out newdir/x.jsonl` creates the folder; a --cypher-out that is a folder is
 *   refused before the sweep is loaded (exit 2, one line);
 * - `sweep --engine neo4j-gds --algorithm louvain` with a resolution other than 1 is refused before anything is
 *   loaded (GDS Louvain has no resolution), instead of silently running Leiden.
 * test/neo4j/live.test.ts runs every saved query, with these parameters, against a real Neo4j.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readSweepForExport } from '../../src/neo4j/sweepInput';
import { ensureBuilt, ROOT, runCli, tempDir } from '../sweep/support';

let root: string;
let sweepDir: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-kit-');
  sweepDir = path.join(root, 'sweep');
  const swept = runCli(['sweep', path.join(ROOT, 'fixtures/small-world'), '--out', sweepDir, '--quiet']);
  expect(swept.status).toBe(0);
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function expectRefused(result: ReturnType<typeof runCli>, pattern: RegExp): void {
  expect(result.status).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
}

/** The :param values of a saved query file, as written (Cypher literals). */
function params(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of fs.readFileSync(file, 'utf8').matchAll(/^:param (\w+) => (.*);$/gm)) out[match[1]] = match[2];
  return out;
}

test('--dry-run --cypher-out into a folder that does not exist yet: created; the kit next to it has this sweep\'s parameters', () => {
  const file = path.join(root, 'new', 'deeper', 'statements.jsonl');
  const result = runCli(['export', 'neo4j', sweepDir, '--dry-run', '--cypher-out', file]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(fs.statSync(file).size).toBeGreaterThan(0);
  const queries = path.join(root, 'new', 'deeper', 'browser', 'queries');
  const sweep = readSweepForExport(sweepDir);
  const top = [...sweep.clusters].sort((a, b) => b.risk - a.risk || b.exchanges - a.exchanges)[0];
  const cluster = params(path.join(queries, '2_cluster_accounts_and_shared_identifiers.cypher'));
  expect(cluster).toEqual({ sweep: `'${sweep.sweepId}'`, clusterId: `'${top.id}'` });
  const members = new Set(sweep.members.filter((m) => m.cluster === top.id).map((m) => `'${m.account}'`));
  const pair = params(path.join(queries, '4_what_links_two_accounts.cypher'));
  expect(members.has(pair.accountId)).toBe(true);
  expect(members.has(pair.otherAccountId)).toBe(true);
  expect(pair.accountId).not.toBe(pair.otherAccountId);
  expect(params(path.join(queries, '5_clusters_by_capability.cypher')).capability).toBe(`'${top.capabilities[0]}'`);
});

test('--cypher-out naming a folder is refused before the sweep is read', () => {
  const folder = path.join(root, 'a-folder');
  fs.mkdirSync(folder);
  // A sweep folder that does not exist proves the refusal comes first (reading it would fail differently).
  expectRefused(runCli(['export', 'neo4j', path.join(root, 'no-such-sweep'), '--dry-run', '--cypher-out', folder]), /--cypher-out .*a-folder is a folder/);
});

test('--engine neo4j-gds --algorithm louvain --resolution 0.5 is refused before loading, not run as Leiden', () => {
  const out = path.join(root, 'louvain-sweep');
  const result = runCli(['sweep', path.join(root, 'no-such-input'), '--out', out, '--engine', 'neo4j-gds', '--algorithm', 'louvain',
    '--resolution', '0.5', '--uri', 'bolt://127.0.0.1:9']);
  expectRefused(result, /GDS Louvain has no resolution parameter/);
  expect(fs.existsSync(out)).toBe(false);
});
