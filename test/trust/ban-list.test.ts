/**
 * The ban-list guard (issue 14 item 4), through the spawned CLI: `case members` refuses (exit 2, one stderr line
 * saying why, nothing on stdout) a cluster nobody decided on, one dismissed and one under review, unless --force;
 * for a confirmed cluster it prints one id per line on stdout with the summary on stderr, leaving out accounts
 * already suspended or terminated in the sweep's input unless --include-inactive.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, runCli, tempDir } from '../sweep/support';
import { expectOneLine, fixtureVariant } from './support';

let root: string;
let stateDir: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-trust-banlist-');
  // Two of the swarm's accounts were already acted on by the platform.
  const input = fixtureVariant(path.join(root, 'input'), { statuses: { acct_swarm_02: 'suspended', acct_swarm_05: 'terminated' } });
  stateDir = path.join(root, 'state');
  expect(runCli(['sweep', input, '--out', path.join(root, 'sweep'), '--hub-limit', '10', '--state', stateDir, '--quiet']).status).toBe(0);
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const members = (...extra: string[]) => runCli(['case', 'members', 'C0001', '--state', stateDir, ...extra]);
const decide = (cluster: string, status: string) => expect(runCli(['case', 'set', cluster, '--status', status, '--note', `${status} for the test`, '--by', 'alice', '--state', stateDir]).status).toBe(0);

test('an undecided cluster is refused: exit 2, one line, nothing on stdout', () => {
  const result = members();
  expectOneLine(result, /cluster C0001 has no decision in the case book; a ban list is only for confirmed clusters .*or pass --force/);
  expect(result.stdout).toBe('');
});

test('--force prints an undecided cluster\'s list, and says so on stderr', () => {
  const result = members('--force');
  expect(result.status).toBe(0);
  expect(result.stdout.trim().split('\n').length).toBeGreaterThan(0);
  expect(result.stderr).toMatch(/; cluster no decision, printed because of --force;/);
});

test.each(['under_review', 'dismissed'])('a cluster whose current decision is %s is refused', (status) => {
  decide('C0001', status);
  const result = members();
  expectOneLine(result, new RegExp(`cluster C0001 is ${status} \\(case book #\\d+ by alice\\), not confirmed; a ban list is only for confirmed clusters`));
  expect(result.stdout).toBe('');
});

test('a confirmed cluster: one id per line on stdout, suspended and terminated accounts left out, the summary on stderr', () => {
  decide('C0001', 'confirmed');
  const result = members();
  expect(result.status).toBe(0);
  const ids = result.stdout.split('\n').slice(0, -1);
  expect(ids.every((id) => /^acct_\w+$/.test(id))).toBe(true);
  expect(ids).toContain('acct_swarm_01');
  expect(ids).not.toContain('acct_swarm_02');
  expect(ids).not.toContain('acct_swarm_05');
  expect(result.stderr).toBe(`${ids.length} accounts of C0001 in sweep ${sweepId()}; cluster confirmed (case book #3 by alice); 2 already suspended or terminated left out\n`);
  const all = members('--include-inactive');
  expect(all.status).toBe(0);
  const allIds = all.stdout.split('\n').slice(0, -1);
  expect(allIds.sort()).toEqual([...ids, 'acct_swarm_02', 'acct_swarm_05'].sort());
  expect(all.stderr).toMatch(/suspended and terminated accounts included \(--include-inactive\)\n$/);
  const json = JSON.parse(members('--json').stdout) as { accounts: string[]; left_out_inactive: Record<string, string>; decision: { status: string } };
  expect(json.left_out_inactive).toEqual({ acct_swarm_02: 'suspended', acct_swarm_05: 'terminated' });
  expect(json.decision.status).toBe('confirmed');
});

test('a later decision overrides: confirmed, then dismissed, is refused again', () => {
  decide('C0001', 'dismissed');
  expectOneLine(members(), /cluster C0001 is dismissed/);
  decide('C0001', 'confirmed');
  expect(members().status).toBe(0);
});

function sweepId(): string {
  const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8')) as { sweeps: { sweep_id: string }[] };
  return state.sweeps[state.sweeps.length - 1].sweep_id;
}
