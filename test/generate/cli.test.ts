/** The spawned `swarmscope generate`: exit codes, one-line errors, the summary, --help with examples. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli as run } from '../history/support/spawn';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-generate-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('swarmscope generate (spawned from the TypeScript sources)', () => {
  test('writes a world, prints the summary and exits 0', () => {
    const out = path.join(tmp, 'world');
    const result = run(['generate', '--out', out, '--accounts', '1000', '--seed', '3']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^wrote .*world \(seed 3, week 1/);
    expect(result.stdout).toMatch(/accounts\.csv +1000 rows/);
    expect(result.stdout).toMatch(/SWARM swarm_residential_proxy/);
    expect(fs.existsSync(path.join(out, 'truth/truth.json'))).toBe(true);
  });

  test('--json prints the summary as JSON', () => {
    const result = run(['generate', '--out', path.join(tmp, 'json'), '--accounts', '500', '--json']);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.accounts).toBe(500);
    expect(summary.files['accounts.csv'].rows).toBe(500);
  });

  test('--tactics plants one swarm per listed item and no classic swarm', () => {
    const out = path.join(tmp, 'tactics');
    const result = run(['generate', '--out', out, '--accounts', '3000', '--tactics', 'fresh-card, mega-card+tiny', '--tactic-swarm-size', '100', '--seed', '4']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/SWARM swarm_01_fresh-card +100 accounts/);
    expect(result.stdout).toMatch(/SWARM swarm_02_mega-card\+tiny +\d\d accounts/);
    expect(result.stdout).toMatch(/legit resellers x3 /);
    expect(result.stdout).not.toMatch(/swarm_residential_proxy|swarm_datacenter|swarm_payment_ring/);
    expect(fs.readFileSync(path.join(out, 'truth/dense_groups.csv'), 'utf8')).toMatch(/^group,kind,accounts\n/);
  });

  test('a behaviour tactic turns the behaviour columns on; the help lists it', () => {
    const out = path.join(tmp, 'hygiene');
    const result = run(['generate', '--out', out, '--accounts', '1000', '--tactics', 'perfect-hygiene', '--tactic-swarm-size', '40', '--seed', '2']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/SWARM swarm_01_perfect-hygiene +40 accounts/);
    const [header, first] = fs.readFileSync(path.join(out, 'exchanges.csv'), 'utf8').split('\n', 2);
    expect(header).toBe('account_id,timestamp,capability,count,input_tokens,output_tokens,template,client');
    expect(first).toMatch(/^acct_[0-9a-f]{8},\d{4}-\d\d-\d\dT\d\d:\d\d:00Z,[a-z_]+,\d+,\d+,\d+,[0-9a-f]{16},[a-z-]+\/[\d.]+$/);
    expect(run(['generate', '--help']).stdout).toMatch(/\n {2}framework-template +the public agent framework/);
  });

  test.each([
    [['--accounts', 'lots'], /--accounts must be a number, got "lots"/],
    [['--accounts', '1000', '--swarm-size', '900'], /--swarm-size must be an integer from 0 to 250, got 900/],
    [['--tactics', 'fresh-card,bogus'], /--tactics: unknown tactic "bogus"; known: fresh-card/],
    [['--swarms', '3'], /--swarms needs --tactics/],
  ])('bad input %j exits 2 with one line and no stack', (args, message) => {
    const result = run(['generate', '--out', path.join(tmp, 'bad'), ...args]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  test('--help shows every knob and an example', () => {
    const result = run(['generate', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Examples:\n {2}swarmscope generate --out world/);
    for (const flag of ['--swarm-size', '--bystander-households', '--enterprise-teams', '--mobile-nat-ips', '--week', '--raw-exchange-share', '--tactics', '--swarms', '--resellers']) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toMatch(/Tactics \(each changes one dimension[^\n]*\n {2}fresh-card +a fresh card per account/);
  });
});
