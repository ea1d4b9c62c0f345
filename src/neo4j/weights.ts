/**
 * Link weights written to `r.weight` on USED_CARD / USED_IP / USED_FINGERPRINT: exactly the weights the
 * embedded engine uses (src/graph/account-graph.ts, where the formula and its paper are stated once):
 *
 *   w(x) = specificity(kind, subkind) · proxyFactor(x) / log2(1 + degree(x)),   0 for hubs and single-account identifiers
 *
 * The GDS engine projects only links with w > 0, so Neo4j GDS optimises the same weighted graph; the export
 * rebuilds the weights from the sweep's recorded detection parameters so Browser users see the same numbers.
 */
import type { IdentifierKind, World } from '../core/world';
import { buildAccountGraph, type AccountGraph, type AccountGraphOptions } from '../graph/account-graph';

/** Weight of link number `link` (index into world.links[kind]). */
export type LinkWeight = (kind: IdentifierKind, link: number) => number;

export function accountGraphLinkWeight(world: World, accountGraph: AccountGraph): LinkWeight {
  // A link the embedded graph leaves out (an incumbent's, arrival.ts) weighs 0, so GDS leaves it out too.
  return (kind, link) => (accountGraph.leftOut?.[kind]?.[link] === 1 ? 0 : accountGraph.weight[kind][world.links[kind].identifier[link]]);
}

const ACCOUNT_GRAPH_KEYS = ['specificity', 'proxyIpFactor', 'hubLimit', 'spreadGroups', 'concentration', 'keepSingleAccountIdentifiers', 'letGoBelowPrior'] as const;

/** The account-graph options among a sweep's recorded detection parameters (unknown keys ignored). */
export function accountGraphOptionsFrom(parameters: Record<string, unknown> | undefined): Partial<AccountGraphOptions> {
  const options: Record<string, unknown> = {};
  for (const key of ACCOUNT_GRAPH_KEYS) if (parameters && parameters[key] !== undefined) options[key] = parameters[key];
  return options as Partial<AccountGraphOptions>;
}

/** Weights of a World under the given detection parameters (the sweep's, or the defaults). */
export function sweepLinkWeight(world: World, parameters?: Record<string, unknown>): LinkWeight {
  return accountGraphLinkWeight(world, buildAccountGraph(world, accountGraphOptionsFrom(parameters)));
}
