/**
 * The GDS engine through the real driver against the Bolt test server, which stands in for Neo4j GDS: it
 * answers gds.leiden.stream with the partition the embedded Leiden finds on the same weighted graph (with
 * GDS-style arbitrary community ids). The engine must then produce exactly the embedded engine's Partition —
 * which checks the projection's weights, the id mapping, the batching of the read-back and the campaign step.
 * Whether real GDS finds a partition of the same quality is for live.test.ts (NEO4J_URI).
 */
import { kindsOf } from '../../src/core/world';
import { detectClusters } from '../../src/detect/detect-clusters';
import { LEIDEN_DEFAULTS, leidenDetailed } from '../../src/detect/leiden';
import { buildAccountGraph, identifierOfNode } from '../../src/graph/account-graph';
import { upsertLinks } from '../../src/neo4j/cypher';
import { GDS_DROP, GDS_LEIDEN_STREAM, GDS_PROJECT, GDS_WCC_STATS, gdsEngine } from '../../src/neo4j/gds';
import { BoltTestServer, type RecordedRun } from './bolt/server';
import { generatedWorld } from './fixtures';

const PASSWORD = 'gds-secret';

describe('gdsEngine', () => {
  test('maps GDS memberships back into the same Partition as the embedded engine', async () => {
    const world = generatedWorld(4, 6, 10);
    const options = { hubLimit: { ip: 20 }, seed: 7, resolution: 1 };
    const accountGraph = buildAccountGraph(world, options);
    const modules = leidenDetailed(accountGraph.graph, { resolution: 1, randomness: LEIDEN_DEFAULTS.randomness, seed: 7 });
    const { graph } = accountGraph;
    const projectedNodes: number[] = [];
    for (let v = 0; v < graph.nodeCount; v++) if (graph.offsets[v + 1] > graph.offsets[v]) projectedNodes.push(v);
    const streamRecords = projectedNodes.map((v) => {
      const identifier = identifierOfNode(accountGraph, v);
      const kind = identifier ? identifier.kind : 'account';
      const id = identifier ? world.identifiers[identifier.kind].ids[identifier.identifier] : world.accounts.ids[v];
      return [kind, id, BigInt(9000 - modules.membership[v] * 13), 2n]; // GDS community ids are arbitrary numbers
    });
    const answer = (run: RecordedRun) => {
      if (run.query === GDS_PROJECT) return { fields: ['graphName', 'nodeCount', 'relationshipCount'], records: [[run.parameters.graphName, BigInt(projectedNodes.length), BigInt(graph.targets.length)]] };
      if (run.query === GDS_WCC_STATS) return { fields: ['componentCount'], records: [[3n]] };
      if (run.query === GDS_LEIDEN_STREAM) return { fields: ['kind', 'id', 'community', 'levels'], records: streamRecords };
      if (run.query === GDS_DROP) return { fields: ['graphName'], records: [] };
      return undefined;
    };
    const server = await new BoltTestServer({ password: PASSWORD, answer }).start();
    try {
      const engine = gdsEngine({ uri: server.uri, user: 'neo4j', password: PASSWORD }, { fetchSize: 25, batchSize: 40 });
      const partition = await engine(world, options);
      const embedded = detectClusters(world, options);

      expect(partition.algorithm).toBe('gds-leiden');
      expect(partition.clusters.length).toBeGreaterThan(0);
      expect(partition.clusters.map((c) => Array.from(c.accounts))).toEqual(embedded.clusters.map((c) => Array.from(c.accounts)));
      expect(partition.clusters.map((c) => c.evidence)).toEqual(embedded.clusters.map((c) => c.evidence));
      expect(Array.from(partition.accountCluster)).toEqual(Array.from(embedded.accountCluster));
      expect(partition.hubs).toEqual(embedded.hubs);
      expect(partition.modularity).toBeCloseTo(embedded.modularity, 9);
      expect(partition.stats.components).toBe(3);
      expect(partition.stats.levels).toBe(2);

      const runs = server.committedRuns;
      const leiden = runs.find((r) => r.query === GDS_LEIDEN_STREAM)!;
      expect(leiden.parameters).toMatchObject({ gamma: 1, theta: LEIDEN_DEFAULTS.randomness, seed: 7n, concurrency: 1n, maxLevels: 10n });
      // The memberships came back in pulls of 25 records.
      expect(server.pullSizes.filter((n) => n === 25).length).toBeGreaterThanOrEqual(Math.ceil(streamRecords.length / 25));
      // Upload: weights on the links are the embedded engine's (0 for the hub 10.0.0.1).
      const ipRows = runs.filter((r) => r.query === upsertLinks('ip')).flatMap((r) => r.parameters.rows as Record<string, unknown>[]);
      expect(ipRows).toHaveLength(world.links.ip.size);
      const ipIndex = new Map(world.identifiers.ip.ids.map((id, i) => [id, i]));
      for (const row of ipRows) expect(row.weight).toBeCloseTo(accountGraph.weight.ip[ipIndex.get(String(row.identifier))!], 12);
      // The projection is made once and dropped before and after.
      expect(runs.filter((r) => r.query === GDS_PROJECT)).toHaveLength(1);
      expect(runs.filter((r) => r.query === GDS_DROP)).toHaveLength(2);
      // Every kind the world has is uploaded; template and client links only when the export had those columns.
      expect(kindsOf(world)).toEqual(['instrument', 'ip', 'fingerprint']);
      expect(kindsOf(world).every((k) => runs.some((r) => r.query === upsertLinks(k)))).toBe(true);
      expect(runs.some((r) => r.query === upsertLinks('template'))).toBe(false);
    } finally {
      await server.stop();
    }
  });

  test('upload: false sends only the GDS statements', async () => {
    const world = generatedWorld(2, 4, 2);
    const answer = (run: RecordedRun) =>
      run.query === GDS_PROJECT ? { fields: ['graphName', 'nodeCount', 'relationshipCount'], records: [[run.parameters.graphName, 0n, 0n]] } : undefined;
    const server = await new BoltTestServer({ password: PASSWORD, answer }).start();
    try {
      const partition = await gdsEngine({ uri: server.uri, user: 'neo4j', password: PASSWORD }, { upload: false })(world, {});
      expect(server.committedRuns.map((r) => r.query)).toEqual([GDS_DROP, GDS_PROJECT, GDS_WCC_STATS, GDS_LEIDEN_STREAM, GDS_DROP]);
      // Nothing came back, so every node is its own module; campaign grouping still binds modules joined by
      // a shared card, so each ring is found (what GDS adds is the grouping of weaker ties).
      expect(partition.clusters.map((c) => c.accounts.length)).toEqual([4, 4]);
      expect((partition.parameters.gds as Record<string, unknown>).projectedNodes).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
