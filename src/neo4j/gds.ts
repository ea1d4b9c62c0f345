/**
 * The Neo4j Graph Data Science engine: the same detection as the embedded engine, with the community
 * optimiser (the memory- and CPU-heavy step) run inside Neo4j GDS.
 *
 *   1. weights and hubs: buildAccountGraph (src/graph) — the embedded engine's formula and hub rule;
 *   2. upload (optional): the account–identifier graph MERGEd into Neo4j with r.weight (the export's statements);
 *   3. project: a Cypher-aggregation projection (gds.graph.project) of the links with weight > 0, undirected;
 *   4. gds.wcc.stats (component count) and gds.leiden.stream with gamma = resolution, theta = randomness,
 *      randomSeed = seed, concurrency 1 (GDS is deterministic for a seed only single-threaded), and the
 *      intermediate communities (their count is the number of levels run) — or, with algorithm 'louvain',
 *      gds.louvain.stream (see gdsAlgorithm); memberships read back through the driver in pulls of `fetchSize`
 *      records;
 *   5. campaign grouping (src/detect/campaigns) on those modules → the same Partition shape as the embedded
 *      engine; modularity is recomputed here by src/detect/modularity on the same weighted graph.
 *
 * Leiden (Traag, Waltman & van Eck 2019, doi:10.1038/s41598-019-41695-z) guarantees connected communities in
 * both implementations. GDS and the embedded optimiser are different programs: for the same seed they find
 * partitions of similar modularity, not identical ones (live tests compare them; see docs/neo4j.md).
 *
 * Limits, stated plainly: the World and the CSR used for campaign grouping still live in this process (they
 * are linear in links and compact); what moves to Neo4j is Leiden's working memory and time.
 */
import type { Integer } from 'neo4j-driver';
import { neo4jDriver } from './driver';
import { swarmscopeError } from '../core/errors';
import type { DetectionEngine, Partition } from '../core/partition';
import { IDENTIFIER_KINDS, type IdentifierKind, type World } from '../core/world';
import { CAMPAIGN_DEFAULTS, groupCampaigns, orderCampaigns, type CampaignOptions } from '../detect/campaigns';
import { LEIDEN_DEFAULTS, relabelByFirstAppearance } from '../detect/leiden';
import { modularity } from '../detect/modularity';
import { ACCOUNT_GRAPH_DEFAULTS, buildAccountGraph, type AccountGraphOptions } from '../graph/account-graph';
import { neo4jError, useNeo4j, type Neo4jConnection } from './connect';
import { IDENTIFIER_LABEL, LINK_TYPE } from './model';
import { buildExportPlan, DEFAULT_BATCH_SIZE } from './plan';
import { accountGraphLinkWeight } from './weights';

export const GDS_PROJECT = `MATCH (source:Account)-[r:${IDENTIFIER_KINDS.map((kind) => LINK_TYPE[kind]).join('|')}]->(target)
WHERE r.weight > 0
WITH gds.graph.project($graphName, source, target,
  {relationshipProperties: {weight: r.weight}},
  {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.graphName AS graphName, g.nodeCount AS nodeCount, g.relationshipCount AS relationshipCount`;

export const GDS_WCC_STATS = `CALL gds.wcc.stats($graphName, {concurrency: $concurrency})
YIELD componentCount
RETURN componentCount`;

export const GDS_LEIDEN_STREAM = `CALL gds.leiden.stream($graphName, {
  relationshipWeightProperty: 'weight',
  gamma: $gamma,
  theta: $theta,
  randomSeed: $seed,
  maxLevels: $maxLevels,
  concurrency: $concurrency,
  includeIntermediateCommunities: true
})
YIELD nodeId, communityId, intermediateCommunityIds
WITH gds.util.asNode(nodeId) AS node, communityId, intermediateCommunityIds
RETURN CASE
    WHEN node:Account THEN 'account'
${IDENTIFIER_KINDS.map((kind) => `    WHEN node:${IDENTIFIER_LABEL[kind]} THEN '${kind}'`).join('\n')}
  END AS kind, node.id AS id, communityId AS community, size(intermediateCommunityIds) AS levels`;

/** GDS Louvain (no resolution or seed parameter in GDS: modularity at γ = 1, deterministic with concurrency 1). */
export const GDS_LOUVAIN_STREAM = `CALL gds.louvain.stream($graphName, {
  relationshipWeightProperty: 'weight',
  maxLevels: $maxLevels,
  concurrency: $concurrency,
  includeIntermediateCommunities: true
})
YIELD nodeId, communityId, intermediateCommunityIds
WITH gds.util.asNode(nodeId) AS node, communityId, intermediateCommunityIds
RETURN CASE
    WHEN node:Account THEN 'account'
${IDENTIFIER_KINDS.map((kind) => `    WHEN node:${IDENTIFIER_LABEL[kind]} THEN '${kind}'`).join('\n')}
  END AS kind, node.id AS id, communityId AS community, size(intermediateCommunityIds) AS levels`;

/**
 * The GDS algorithm an --algorithm asks for, checked before anything is loaded (the CLI calls it on the flags,
 * the engine again on its options): leiden (default) runs gds.leiden, louvain runs gds.louvain. GDS Louvain has
 * no resolution parameter, so louvain with a resolution other than 1 is refused rather than silently changed.
 */
export function gdsAlgorithm(algorithm: unknown, resolution: number | undefined): 'leiden' | 'louvain' {
  if (algorithm === undefined || algorithm === 'leiden') return 'leiden';
  if (algorithm !== 'louvain') throw swarmscopeError('BAD_ARGUMENT', `--algorithm ${String(algorithm)}: use leiden or louvain`);
  if (resolution !== undefined && resolution !== 1) {
    throw swarmscopeError('BAD_ARGUMENT', `--engine neo4j-gds --algorithm louvain: GDS Louvain has no resolution parameter (it optimises modularity at 1), got --resolution ${resolution}; use --algorithm leiden or drop --resolution`);
  }
  return 'louvain';
}

export const GDS_DROP = `CALL gds.graph.drop($graphName, false)
YIELD graphName
RETURN graphName`;

/** Every statement the GDS engine sends besides the export's upload statements (for linting). */
export const GDS_STATEMENTS: readonly string[] = [GDS_PROJECT, GDS_WCC_STATS, GDS_LEIDEN_STREAM, GDS_LOUVAIN_STREAM, GDS_DROP];

export interface GdsEngineOptions {
  /** MERGE the World's accounts, identifiers and weighted links first (default true). Set false when the
   *  database already holds this graph with the same weights (e.g. loaded from `export neo4j-admin`). */
  upload?: boolean;
  /** Rows per upload transaction (default 10,000). */
  batchSize?: number;
  /** Records per Bolt PULL when reading memberships back (default 10,000). */
  fetchSize?: number;
  /** GDS concurrency; 1 (default) makes a seeded run reproducible. */
  concurrency?: number;
  /** Leiden levels (GDS maxLevels, default 10). */
  maxLevels?: number;
}

type DetectionSettings = AccountGraphOptions & CampaignOptions & { resolution: number; randomness: number; seed: number };

function settingsFrom(options: Record<string, unknown>): DetectionSettings {
  const settings: Record<string, unknown> = {
    ...ACCOUNT_GRAPH_DEFAULTS, ...CAMPAIGN_DEFAULTS,
    resolution: LEIDEN_DEFAULTS.resolution, randomness: LEIDEN_DEFAULTS.randomness, seed: LEIDEN_DEFAULTS.seed,
  };
  for (const key of Object.keys(settings)) if (options[key] !== undefined) settings[key] = options[key];
  const s = settings as unknown as DetectionSettings;
  if (!(s.resolution > 0)) throw swarmscopeError('BAD_ARGUMENT', `resolution must be > 0, got ${s.resolution}`);
  if (!Number.isInteger(s.seed)) throw swarmscopeError('BAD_ARGUMENT', `seed must be an integer, got ${s.seed}`);
  return s;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value && typeof (value as Integer).toNumber === 'function') return (value as Integer).toNumber();
  return Number(value);
}

/** A DetectionEngine that runs WCC and Leiden in Neo4j GDS (see the file comment). */
export function gdsEngine(connection: Neo4jConnection, engineOptions: GdsEngineOptions = {}): DetectionEngine {
  const fetchSize = engineOptions.fetchSize ?? DEFAULT_BATCH_SIZE;
  const concurrency = engineOptions.concurrency ?? 1;
  const maxLevels = engineOptions.maxLevels ?? 10;
  return async (world: World, options: Record<string, unknown>): Promise<Partition> => {
    const started = performance.now();
    const algorithm = gdsAlgorithm(options.algorithm, options.resolution as number | undefined);
    const settings = settingsFrom(options);
    const accountGraph = buildAccountGraph(world, settings);
    const { graph } = accountGraph;
    const graphName = `swarmscope-${process.pid}-${Date.now().toString(36)}`;
    let doing = 'uploading the graph';
    let projected = { nodeCount: 0, relationshipCount: 0 };
    let components = 0;
    const membership = new Int32Array(graph.nodeCount).fill(-1);
    let unknownNodes = 0;
    let levels = 0;
    await useNeo4j({ ...connection, driverConfig: { fetchSize, ...connection.driverConfig } }, async ({ session, bounded }) => {
      try {
        if (engineOptions.upload !== false) {
          const plan = buildExportPlan(
            { sweepId: 'gds', world, clusters: [], members: [], hubs: accountGraph.hubs.map((h) => ({ kind: h.kind, id: h.id })) },
            { clusters: false, linkWeight: accountGraphLinkWeight(world, accountGraph) },
          );
          const batchSize = engineOptions.batchSize ?? DEFAULT_BATCH_SIZE;
          for (const step of plan.steps) {
            if (step.kind === 'schema') await session.executeWrite((tx) => tx.run(step.query));
            else if (step.kind === 'rows') for (const rows of step.batches(batchSize)) await session.executeWrite((tx) => tx.run(step.query, { rows }));
          }
        }
        doing = 'projecting the GDS graph';
        await session.executeWrite((tx) => tx.run(GDS_DROP, { graphName }));
        projected = await session.executeWrite(async (tx) => {
          const result = await tx.run(GDS_PROJECT, { graphName });
          const record = result.records[0];
          return { nodeCount: toNumber(record?.get('nodeCount') ?? 0), relationshipCount: toNumber(record?.get('relationshipCount') ?? 0) };
        });
        doing = 'running gds.wcc.stats';
        components = await session.executeRead(async (tx) => {
          const result = await tx.run(GDS_WCC_STATS, { graphName, concurrency: neo4jInt(concurrency) });
          return toNumber(result.records[0]?.get('componentCount') ?? 0);
        });
        doing = `running gds.${algorithm}.stream`;
        const idIndex = buildIdIndex(world, accountGraph.nodeOffset);
        await session.executeRead(async (tx) => {
          membership.fill(-1);
          unknownNodes = 0;
          levels = 0;
          const result = algorithm === 'louvain'
            ? tx.run(GDS_LOUVAIN_STREAM, { graphName, maxLevels: neo4jInt(maxLevels), concurrency: neo4jInt(concurrency) })
            : tx.run(GDS_LEIDEN_STREAM, {
              graphName, gamma: settings.resolution, theta: settings.randomness, seed: neo4jInt(settings.seed),
              maxLevels: neo4jInt(maxLevels), concurrency: neo4jInt(concurrency),
            });
          for await (const record of result) {
            levels = Math.max(levels, toNumber(record.get('levels') ?? 0));
            const kind = record.get('kind') as string;
            const id = record.get('id') as string;
            const node = idIndex(kind, id);
            if (node < 0) {
              unknownNodes++; // in the database but not in this World (another import): not ours to cluster
              continue;
            }
            membership[node] = toNumber(record.get('community'));
          }
        });
      } catch (error) {
        throw neo4jError(error, connection, doing);
      } finally {
        // Best effort, and bounded: on a server that stopped answering, the drop must not hold the process.
        await bounded(session.executeWrite((tx) => tx.run(GDS_DROP, { graphName })));
      }
    });

    // Nodes GDS did not see (no weighted link) are singletons; then number modules 0..n-1 by first appearance.
    let next = 0;
    for (let v = 0; v < membership.length; v++) if (membership[v] >= next) next = membership[v] + 1;
    for (let v = 0; v < membership.length; v++) if (membership[v] < 0) membership[v] = next++;
    const moduleCount = relabelByFirstAppearance(membership);
    const moduleSizes = new Int32Array(moduleCount);
    for (let v = 0; v < membership.length; v++) moduleSizes[membership[v]]++;
    let nonTrivialModules = 0;
    for (let c = 0; c < moduleCount; c++) if (moduleSizes[c] > 1) nonTrivialModules++;

    const { clusters, accountCluster } = orderCampaigns(groupCampaigns(world, accountGraph, membership, moduleCount, settings), world.accounts.size);
    return {
      algorithm: `gds-${algorithm}`,
      resolution: algorithm === 'louvain' ? 1 : settings.resolution,
      seed: settings.seed,
      modularity: modularity(graph, membership, algorithm === 'louvain' ? 1 : settings.resolution),
      accountCluster,
      clusters,
      hubs: accountGraph.hubs,
      parameters: {
        engine: 'neo4j-gds',
        algorithm: `gds-${algorithm}`,
        resolution: algorithm === 'louvain' ? 1 : settings.resolution,
        randomness: algorithm === 'louvain' ? null : settings.randomness,
        seed: settings.seed,
        ...accountGraph.parameters,
        minClusterSize: settings.minClusterSize,
        concentration: settings.concentration,
        definingSpecificity: settings.definingSpecificity,
        ownGroupIdentifiers: settings.ownGroupIdentifiers,
        evidenceTies: settings.evidenceTies,
        gds: { maxLevels, concurrency, fetchSize, projectedNodes: projected.nodeCount, projectedRelationships: projected.relationshipCount, nodesNotInWorld: unknownNodes },
      },
      // levels: Leiden levels GDS ran (length of intermediateCommunityIds); iterations: GDS does not report them in stream mode.
      stats: { seconds: (performance.now() - started) / 1000, components, communities: nonTrivialModules, levels, iterations: 1 },
    };
  };
}

function neo4jInt(value: number): Integer {
  return neo4jDriver().int(value);
}

/** Graph node number of an external id of a kind ('account' or an identifier kind); -1 when unknown. */
function buildIdIndex(world: World, nodeOffset: Record<IdentifierKind, number>): (kind: string, id: string) => number {
  const maps = new Map<string, Map<string, number>>();
  const accounts = new Map<string, number>();
  world.accounts.ids.forEach((id, i) => accounts.set(id, i));
  maps.set('account', accounts);
  for (const kind of IDENTIFIER_KINDS) {
    const map = new Map<string, number>();
    const base = nodeOffset[kind];
    world.identifiers[kind].ids.forEach((id, i) => map.set(id, base + i));
    maps.set(kind, map);
  }
  return (kind, id) => maps.get(kind)?.get(id) ?? -1;
}
