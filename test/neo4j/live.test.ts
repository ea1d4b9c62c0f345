/**
 * Live tests against a real Neo4j with the Graph Data Science plugin. They run only when NEO4J_URI is set
 * (skipped in CI and on machines without Neo4j). They WRITE to the database: point them at a scratch one.
 *
 *   docker run --rm -p 7687:7687 -e NEO4J_AUTH=neo4j/swarmscope-test -e NEO4J_PLUGINS='["graph-data-science"]' neo4j:5-community
 *   NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=swarmscope-test npx jest test/neo4j/live.test.ts
 *
 * Optional: NEO4J_USER (default neo4j), NEO4J_DATABASE (default: the server default).
 */
import neo4j, { type Driver } from 'neo4j-driver';
import { detectClusters } from '../../src/detect/detect-clusters';
import { SAVED_QUERIES } from '../../src/neo4j/browser';
import type { Neo4jConnection } from '../../src/neo4j/connect';
import { exportToNeo4j } from '../../src/neo4j/export';
import { gdsEngine } from '../../src/neo4j/gds';
import { generatedSweep, generatedWorld } from './fixtures';

const uri = process.env.NEO4J_URI;
const live = uri ? describe : describe.skip;

live('live Neo4j (NEO4J_URI)', () => {
  const connection: Neo4jConnection = {
    uri: uri ?? '', user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '', database: process.env.NEO4J_DATABASE,
  };
  const sweep = generatedSweep('live-test-sweep');
  let driver: Driver;

  const query = async (text: string, params: Record<string, unknown> = {}) => {
    const result = await driver.executeQuery(text, params, { database: connection.database });
    return result.records.map((r) => r.toObject());
  };

  const graphState = () =>
    query(`MATCH (n) WHERE n:Account OR n:PaymentInstrument OR n:IP OR n:Fingerprint OR (n:Cluster AND n.sweep = $sweep)
           OPTIONAL MATCH (n)-[r]->()
           RETURN count(DISTINCT n) AS nodes, count(r) AS relationships,
                  sum(CASE WHEN n:HighRisk THEN 1 ELSE 0 END) AS highRisk`, { sweep: sweep.sweepId });

  const gdsWorld = generatedWorld(4, 6, 10);
  /** Removes every node the tests write (both fixtures' ids), so each run starts from the same state. */
  const cleanUp = async () => {
    await query('MATCH (c:Cluster {sweep: $sweep}) DETACH DELETE c', { sweep: sweep.sweepId });
    for (const world of [sweep.world, gdsWorld]) {
      await query('MATCH (a:Account) WHERE a.id IN $ids DETACH DELETE a', { ids: world.accounts.ids });
      await query('MATCH (n) WHERE (n:PaymentInstrument OR n:IP OR n:Fingerprint) AND n.id IN $ids DETACH DELETE n', {
        ids: [...world.identifiers.instrument.ids, ...world.identifiers.ip.ids, ...world.identifiers.fingerprint.ids],
      });
    }
  };

  beforeAll(async () => {
    driver = neo4j.driver(connection.uri, neo4j.auth.basic(connection.user, connection.password));
    await cleanUp();
  });

  afterAll(async () => {
    await cleanUp();
    await driver.close();
  });

  test('export, then re-export: same graph; integers stored as integers', async () => {
    await cleanUp();
    await exportToNeo4j({ sweep, connection, batchSize: 7 });
    const first = await graphState();
    const again = await exportToNeo4j({ sweep, connection, batchSize: 7 });
    expect(await graphState()).toEqual(first);
    expect(again.stale).toEqual({ accounts: 0, clusters: 0 });
    const [c] = await query('MATCH (c:Cluster {key: $key}) RETURN c.risk AS risk, c.accounts AS accounts', { key: `${sweep.sweepId}/C1` });
    expect(neo4j.isInt(c.risk)).toBe(true);
    expect(neo4j.isInt(c.accounts)).toBe(true);
    const [members] = await query('MATCH (:Cluster {sweep: $sweep})<-[m:MEMBER_OF]-() RETURN count(m) AS n', { sweep: sweep.sweepId });
    expect(neo4j.integer.toNumber(members.n as never)).toBe(sweep.members.length);
  });

  test('every saved Browser query runs', async () => {
    const params: Record<string, unknown> = {
      sweep: sweep.sweepId, limit: neo4j.int(25), clusterId: 'C1', accountId: 'acct-r0-0', otherAccountId: 'acct-r0-3', capability: 'software_engineering',
    };
    for (const saved of SAVED_QUERIES) await expect(query(saved.query, params)).resolves.toBeDefined();
  });

  test('the GDS engine finds the same rings as the embedded engine', async () => {
    await cleanUp();
    const options = { hubLimit: { ip: 20 }, seed: 7 };
    const partition = await gdsEngine(connection)(gdsWorld, options);
    const embedded = detectClusters(gdsWorld, options);
    const members = (p: typeof partition) => p.clusters.map((c) => Array.from(c.accounts).join(',')).sort();
    expect(members(partition)).toEqual(members(embedded));
    expect(partition.modularity).toBeGreaterThan(0);
  });
});
