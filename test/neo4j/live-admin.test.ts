/**
 * The neo4j-admin bundle imported for real: `export neo4j-admin` on a generated world's sweep, then the exact
 * command its README.md ships, run with Neo4j 5.26's own neo4j-admin (`npm run neo4j -- admin …`) into the fresh
 * store of a second, throw-away instance (its own folder and free ports, no plugins: Community Edition has one user
 * database, so the import cannot target the running test server), which is then started: node and relationship
 * counts match the sweep, schema.cypher applies, and the Browser kit's cluster query returns the top cluster's
 * members with its shipped parameters.
 *
 * Runs where the other live tests run (NEO4J_URI set, i.e. CI): it needs the Neo4j home scripts/neo4j.js lays
 * out, which exists once a server was started with it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import neo4j, { type Driver } from 'neo4j-driver';
import { IDENTIFIER_KINDS } from '../../src/core/world';
import { IDENTIFIER_LABEL, LINK_TYPE } from '../../src/neo4j/model';
import { readSweepForExport } from '../../src/neo4j/sweepInput';
import { ensureBuilt, generateSmallWorld, ROOT, runCli, tempDir } from '../sweep/support';

const live = process.env.NEO4J_URI ? describe : describe.skip;
const SCRIPT = path.join(ROOT, 'scripts', 'neo4j.js');

live('neo4j-admin bundle imported with `database import full` into a fresh store', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let driver: Driver | undefined;

  const script = (args: string[], cwd = ROOT) => {
    const result = spawnSync(process.execPath, [SCRIPT, ...args], { cwd, env, encoding: 'utf8', timeout: 300_000 });
    if (result.status !== 0) throw new Error(`scripts/neo4j.js ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    return result;
  };

  beforeAll(() => {
    ensureBuilt();
    root = tempDir('swarmscope-live-admin-');
    // No NEO4J_PASSWORD: the throw-away instance runs with auth off.
    const { NEO4J_PASSWORD: _password, ...rest } = process.env;
    env = {
      ...rest, SWARMSCOPE_NEO4J_INSTANCE: path.join(root, 'instance'), SWARMSCOPE_NEO4J_PLUGINS: 'none',
      SWARMSCOPE_NEO4J_BOLT_PORT: 'auto', SWARMSCOPE_NEO4J_HTTP_PORT: 'auto', SWARMSCOPE_NEO4J_HEAP: '512m', SWARMSCOPE_NEO4J_PAGECACHE: '64m',
    };
  });

  afterAll(async () => {
    await driver?.close();
    if (root) {
      spawnSync(process.execPath, [SCRIPT, 'stop', '--kill'], { env, encoding: 'utf8', timeout: 120_000 });
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('the README command imports the bundle; counts, schema and a saved query check out', async () => {
    const worldDir = await generateSmallWorld(path.join(root, 'world'), 5, 2_000);
    const sweepDir = path.join(root, 'sweep');
    const bundle = path.join(root, 'bundle');
    for (const args of [['sweep', worldDir, '--out', sweepDir, '--seed', '7', '--hub-limit', '30', '--quiet'], ['export', 'neo4j-admin', sweepDir, '--out', bundle]]) {
      const result = runCli(args);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }

    // The command exactly as README.md ships it, with neo4j-admin run through the script.
    const readme = fs.readFileSync(path.join(bundle, 'README.md'), 'utf8');
    const command = /```sh\n(neo4j-admin database import full [^`]*?)\n```/.exec(readme)?.[1];
    expect(command).toBeDefined();
    const args = command!.replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean).slice(1);
    expect(args.slice(0, 4)).toEqual(['database', 'import', 'full', 'neo4j']);
    const imported = script(['admin', ...args], bundle);
    expect(`${imported.stdout}${imported.stderr}`).toMatch(/IMPORT DONE/);

    script(['start']);
    const uri = /export NEO4J_URI='([^']+)'/.exec(script(['env']).stdout)?.[1];
    driver = neo4j.driver(uri!);
    const count = async (text: string, params: Record<string, unknown> = {}) =>
      neo4j.integer.toNumber((await driver!.executeQuery(text, params)).records[0].get('n') as never);

    const sweep = readSweepForExport(sweepDir);
    const expected: Record<string, number> = { Account: sweep.world.accounts.size, Cluster: sweep.clusters.length, MEMBER_OF: sweep.members.length };
    const actual: Record<string, number> = {
      Account: await count('MATCH (n:Account) RETURN count(n) AS n'),
      Cluster: await count('MATCH (n:Cluster {sweep: $sweep}) RETURN count(n) AS n', { sweep: sweep.sweepId }),
      MEMBER_OF: await count('MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS n'),
    };
    for (const kind of IDENTIFIER_KINDS) {
      if (sweep.world.identifiers[kind].size === 0) continue;
      expected[IDENTIFIER_LABEL[kind]] = sweep.world.identifiers[kind].size;
      expected[LINK_TYPE[kind]] = sweep.world.links[kind].size;
      actual[IDENTIFIER_LABEL[kind]] = await count(`MATCH (n:${IDENTIFIER_LABEL[kind]}) RETURN count(n) AS n`);
      actual[LINK_TYPE[kind]] = await count(`MATCH ()-[r:${LINK_TYPE[kind]}]->() RETURN count(r) AS n`);
    }
    expect(actual).toEqual(expected);

    for (const statement of fs.readFileSync(path.join(bundle, 'schema.cypher'), 'utf8').split(';').map((s) => s.trim()).filter(Boolean)) {
      await driver.executeQuery(statement);
    }

    const kitFile = fs.readFileSync(path.join(bundle, 'browser', 'queries', '2_cluster_accounts_and_shared_identifiers.cypher'), 'utf8');
    const literals = [...kitFile.matchAll(/^:param (\w+) => (.*);$/gm)].map((m) => `${m[1]}: ${m[2]}`);
    const params = (await driver.executeQuery(`RETURN {${literals.join(', ')}} AS p`)).records[0].get('p') as Record<string, unknown>;
    const body = kitFile.split('\n').filter((line) => !line.startsWith(':param') && !line.startsWith('//')).join('\n').replace(/;\s*$/, '');
    const rows = (await driver.executeQuery(body, params)).records;
    const top = sweep.members.filter((m) => `'${m.cluster}'` === /clusterId => (.*);/.exec(kitFile)?.[1]).length;
    expect(new Set(rows.map((r) => (r.get('a') as { properties: { id: string } }).properties.id)).size).toBe(top);
  });
});
