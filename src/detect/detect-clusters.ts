/**
 * The embedded detection engine: World → account–identifier graph → Leiden modules → campaigns → Partition.
 * See campaigns.ts for how modules become campaigns and who counts as a member, account-graph.ts for the
 * weights and hub rule, leiden.ts for the optimiser.
 */
import { swarmscopeError } from '../core/errors';
import type { DetectionEngine, Partition } from '../core/partition';
import type { World } from '../core/world';
import { ACCOUNT_GRAPH_DEFAULTS, buildAccountGraph, type AccountGraphOptions } from '../graph/account-graph';
import { CAMPAIGN_DEFAULTS, groupCampaigns, orderCampaigns, type CampaignOptions } from './campaigns';
import { weaklyConnectedComponents } from './components';
import { LEIDEN_DEFAULTS, leidenDetailed } from './leiden';
import { louvainDetailed } from './louvain';

export const DETECT_ALGORITHMS = ['leiden', 'louvain'] as const;
export type DetectAlgorithm = (typeof DETECT_ALGORITHMS)[number];

export interface DetectOptions extends AccountGraphOptions, CampaignOptions {
  algorithm: DetectAlgorithm;
  /** γ of the module level. */
  resolution: number;
  /** β of Leiden's refinement. */
  randomness: number;
  seed: number;
  maxIterations: number;
}

export const DETECT_DEFAULTS: Readonly<DetectOptions> = Object.freeze({
  ...ACCOUNT_GRAPH_DEFAULTS,
  ...CAMPAIGN_DEFAULTS,
  algorithm: 'leiden',
  resolution: LEIDEN_DEFAULTS.resolution,
  randomness: LEIDEN_DEFAULTS.randomness,
  seed: LEIDEN_DEFAULTS.seed,
  maxIterations: LEIDEN_DEFAULTS.maxIterations,
});

const OPTION_KEYS = new Set(Object.keys(DETECT_DEFAULTS));

function resolveDetectOptions(options: Partial<DetectOptions>): DetectOptions {
  const settings: DetectOptions = { ...DETECT_DEFAULTS, ...options };
  if (!DETECT_ALGORITHMS.includes(settings.algorithm)) {
    throw swarmscopeError('BAD_ARGUMENT', `algorithm must be one of ${DETECT_ALGORITHMS.join(', ')}, got '${settings.algorithm}'`);
  }
  if (!Number.isInteger(settings.minClusterSize) || settings.minClusterSize < 2) {
    throw swarmscopeError('BAD_ARGUMENT', `minClusterSize must be an integer ≥ 2, got ${settings.minClusterSize}`);
  }
  if (!(settings.concentration > 0 && settings.concentration <= 1)) {
    throw swarmscopeError('BAD_ARGUMENT', `concentration must be in (0, 1], got ${settings.concentration}`);
  }
  if (!(settings.definingSpecificity >= 0)) {
    throw swarmscopeError('BAD_ARGUMENT', `definingSpecificity must be a number ≥ 0, got ${settings.definingSpecificity}`);
  }
  if (!Number.isInteger(settings.ownGroupIdentifiers) || settings.ownGroupIdentifiers < 1) {
    throw swarmscopeError('BAD_ARGUMENT', `ownGroupIdentifiers must be a positive integer, got ${settings.ownGroupIdentifiers}`);
  }
  if (!Number.isInteger(settings.evidenceTies) || settings.evidenceTies < 1) {
    throw swarmscopeError('BAD_ARGUMENT', `evidenceTies must be a positive integer, got ${settings.evidenceTies}`);
  }
  return settings;
}

/**
 * Finds the coordinated clusters of a World. Deterministic for a given seed. Clusters are sorted by size
 * descending, then by their smallest member's external id; accounts in no reported cluster get -1.
 */
export function detectClusters(world: World, options: Partial<DetectOptions> = {}): Partition {
  const settings = resolveDetectOptions(options);
  const started = performance.now();
  const accountGraph = buildAccountGraph(world, settings);
  const graphSeconds = (performance.now() - started) / 1000;
  const { graph } = accountGraph;

  const components = weaklyConnectedComponents(graph);
  let nonTrivialComponents = 0;
  for (let c = 0; c < components.count; c++) if (components.sizes[c] > 1) nonTrivialComponents++;

  const optimiserStarted = performance.now();
  const modules =
    settings.algorithm === 'leiden'
      ? leidenDetailed(graph, {
          resolution: settings.resolution,
          randomness: settings.randomness,
          seed: settings.seed,
          maxIterations: settings.maxIterations,
        })
      : { ...louvainDetailed(graph, { resolution: settings.resolution, seed: settings.seed }), iterations: 1 };
  const optimiserSeconds = (performance.now() - optimiserStarted) / 1000;
  const moduleSizes = new Int32Array(modules.communities);
  for (let v = 0; v < graph.nodeCount; v++) moduleSizes[modules.membership[v]]++;
  let nonTrivialModules = 0;
  for (let c = 0; c < modules.communities; c++) if (moduleSizes[c] > 1) nonTrivialModules++;

  const groupingStarted = performance.now();
  const { clusters, accountCluster } = orderCampaigns(
    groupCampaigns(world, accountGraph, modules.membership, modules.communities, settings),
    world.accounts.size,
  );
  const groupingSeconds = (performance.now() - groupingStarted) / 1000;

  return {
    algorithm: settings.algorithm,
    resolution: settings.resolution,
    seed: settings.seed,
    modularity: modules.modularity,
    accountCluster,
    clusters,
    hubs: accountGraph.hubs,
    parameters: {
      engine: 'embedded',
      algorithm: settings.algorithm,
      resolution: settings.resolution,
      randomness: settings.randomness,
      seed: settings.seed,
      maxIterations: settings.maxIterations,
      tolerance: LEIDEN_DEFAULTS.tolerance,
      foldLeaves: LEIDEN_DEFAULTS.foldLeaves,
      ...accountGraph.parameters,
      minClusterSize: settings.minClusterSize,
      concentration: settings.concentration,
      definingSpecificity: settings.definingSpecificity,
      ownGroupIdentifiers: settings.ownGroupIdentifiers,
      evidenceTies: settings.evidenceTies,
      bindingRule: 'modules bound by >= 2 distinct identifiers, or by one on >= concentration of both modules\' accounts',
      membershipRule:
        'a structural tie (an identifier of any kind shared by >= 2 members with >= concentration of its accounts members); parts hanging off one identifier stay only if it defines them (prior >= definingSpecificity) or they are a group of their own (>= ownGroupIdentifiers structural identifiers)',
      graph: { nodes: graph.nodeCount, edges: graph.targets.length / 2, edgesByKind: accountGraph.edges, hubs: accountGraph.hubs.length },
      seconds: { graph: graphSeconds, optimiser: optimiserSeconds, grouping: groupingSeconds },
    },
    stats: {
      seconds: (performance.now() - started) / 1000,
      components: nonTrivialComponents,
      communities: nonTrivialModules,
      levels: modules.levels,
      iterations: modules.iterations,
    },
  };
}

/** The embedded engine behind the sweep's `--engine embedded`; unknown option keys are ignored. */
export const embeddedEngine: DetectionEngine = async (world, options) => {
  const known: Partial<DetectOptions> = {};
  for (const [key, value] of Object.entries(options)) {
    if (OPTION_KEYS.has(key) && value !== undefined) (known as Record<string, unknown>)[key] = value;
  }
  return detectClusters(world, known);
};
