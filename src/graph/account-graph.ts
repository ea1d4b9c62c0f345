/**
 * The account–identifier graph: a bipartite CSR graph whose nodes are accounts (0..A-1) followed by the
 * identifiers of each kind (instrument, ip, fingerprint — each kind its own id space), and whose edges are the
 * account–identifier links, weighted by how much a shared identifier says about the accounts sharing it.
 *
 * Link weight (every link of identifier x gets the same weight):
 *
 *   w(x) = specificity(kind, subkind) · proxyFactor(x) / log2(1 + degree(x))
 *
 * - specificity: the kind's baseline evidential value, in [0, 1]. A payment instrument names a payer (1.0);
 *   a device or proxy-client fingerprint names an installation (0.6–0.8); an IP or a TLS/browser fingerprint
 *   names a network or a software build that many unrelated people share by design (0.3). Defaults are in
 *   ACCOUNT_GRAPH_DEFAULTS.specificity and are all overridable.
 * - proxyFactor: an IP flagged as a proxy exit (ip_addresses.csv `is_proxy`) is a commercial exit that
 *   unrelated customers share; its weight is multiplied by `proxyIpFactor` (default 0.5).
 * - 1/log2(1 + degree): the inverse-log discount of Adamic & Adar (2003, doi:10.1016/S0378-8733(03)00009-1) —
 *   sharing something with few others says more than sharing something with many. A card shared by 5 accounts
 *   weighs 1/log2(6) = 0.39; an IP shared by 5,000 weighs 0.3/log2(5001) = 0.024. The identifier's total pull,
 *   degree · w, still grows with its degree, which is what lets a large swarm's shared proxy fingerprint hold
 *   the swarm together.
 *
 * Hub rule: an identifier whose degree (distinct accounts) exceeds its kind's hub limit links nothing and is
 * returned as a Hub. The default limit of a kind is derived from that kind's degree distribution on the
 * account side — how many accounts have any identifier of the kind:
 *
 *   hubLimit(kind) = max(hubMinimum, ceil(hubShare · accountsWith(kind)))      (defaults 10 and 2%)
 *
 * An identifier seen on more than one in fifty of all the accounts that have one of its kind (a mobile carrier
 * NAT, the TLS handshake of a browser release, a privacy relay) is population-level infrastructure, not a
 * sign of coordination. The floor keeps small worlds from calling a handful of accounts a hub. The rule is
 * deliberately lenient: at 1M accounts the limit is 20,000, so a swarm's automation fingerprint shared by a
 * few thousand accounts stays evidence; telling such a fingerprint from a common one of the same degree is
 * the job of the concentration test in campaign grouping, not of degree. Known limit: an operator who puts
 * more than 2% of the platform's accounts behind one fingerprint turns it into a hub (it is still listed,
 * with its degree, in Partition.hubs, and cards and exits still tie the swarm); set `hubLimit` per kind to
 * override.
 *
 * Identifiers linked to a single account cannot tie accounts together; by default they are left out of the
 * graph (they would only add pendant nodes); `keepSingleAccountIdentifiers` puts them back.
 *
 * Memory: the CSR holds 2 half-edges per link (2 × (4 + 8) bytes) plus per-node offsets and strengths; the
 * per-kind degree and weight arrays add 12 bytes per identifier. Well under the 250 bytes/link budget.
 */
import { swarmscopeError } from '../core/errors';
import type { Hub } from '../core/partition';
import { IDENTIFIER_KINDS, SUBKINDS, type IdentifierKind, type World } from '../core/world';
import { csrFromEdges, type CsrGraph } from './csr';

export interface AccountGraphOptions {
  /** Baseline specificity per identifier kind and sub-kind name (see SUBKINDS). */
  specificity: Record<IdentifierKind, Record<string, number>>;
  /** Multiplier for IPs flagged as proxy exits. */
  proxyIpFactor: number;
  /** Explicit hub limit per kind (max degree that still links); a missing kind uses the derived default. */
  hubLimit: Partial<Record<IdentifierKind, number>>;
  /** Lower bound of the derived hub limit. */
  hubMinimum: number;
  /** Derived hub limit = this share of the accounts that have an identifier of the kind. */
  hubShare: number;
  keepSingleAccountIdentifiers: boolean;
}

export const ACCOUNT_GRAPH_DEFAULTS: Readonly<AccountGraphOptions> = Object.freeze({
  specificity: {
    instrument: { card: 1, prepaid_card: 1, virtual_card: 1, bank: 1, wallet: 0.8, other: 0.6 },
    ip: { ipv4: 0.3, ipv6: 0.4 },
    fingerprint: { proxy: 0.8, device: 0.6, tls: 0.3, browser: 0.3, other: 0.4 },
  },
  proxyIpFactor: 0.5,
  hubLimit: {},
  hubMinimum: 10,
  hubShare: 0.02,
  keepSingleAccountIdentifiers: false,
});

export interface AccountGraph {
  graph: CsrGraph;
  accountCount: number;
  /** Identifier i of kind k is node nodeOffset[k] + i. */
  nodeOffset: Record<IdentifierKind, number>;
  /** Distinct accounts per identifier. */
  degree: Record<IdentifierKind, Int32Array>;
  /** Weight of every link of each identifier; 0 when it links nothing (a hub or a single-account identifier). */
  weight: Record<IdentifierKind, Float64Array>;
  hubLimit: Record<IdentifierKind, number>;
  /** Identifiers above their kind's hub limit, by degree descending. */
  hubs: Hub[];
  /** Links that became edges, per kind. */
  edges: Record<IdentifierKind, number>;
  /** Every value used, for Partition.parameters. */
  parameters: Record<string, unknown>;
}

export function resolveAccountGraphOptions(options: Partial<AccountGraphOptions> = {}): AccountGraphOptions {
  const specificity = {} as Record<IdentifierKind, Record<string, number>>;
  for (const kind of IDENTIFIER_KINDS) {
    specificity[kind] = { ...ACCOUNT_GRAPH_DEFAULTS.specificity[kind], ...(options.specificity?.[kind] ?? {}) };
    for (const [subkind, value] of Object.entries(specificity[kind])) {
      if (!(value >= 0) || !Number.isFinite(value)) {
        throw swarmscopeError('BAD_ARGUMENT', `specificity of ${kind} ${subkind} must be a non-negative number, got ${value}`);
      }
    }
  }
  const resolved: AccountGraphOptions = {
    ...ACCOUNT_GRAPH_DEFAULTS,
    ...options,
    specificity,
    hubLimit: { ...(options.hubLimit ?? {}) },
  };
  if (!(resolved.proxyIpFactor >= 0)) throw swarmscopeError('BAD_ARGUMENT', `proxyIpFactor must be ≥ 0, got ${resolved.proxyIpFactor}`);
  if (!(resolved.hubMinimum >= 2)) throw swarmscopeError('BAD_ARGUMENT', `hubMinimum must be ≥ 2, got ${resolved.hubMinimum}`);
  if (!(resolved.hubShare > 0 && resolved.hubShare <= 1)) {
    throw swarmscopeError('BAD_ARGUMENT', `hubShare must be in (0, 1], got ${resolved.hubShare}`);
  }
  for (const [kind, limit] of Object.entries(resolved.hubLimit)) {
    if (!(Number(limit) >= 1)) throw swarmscopeError('BAD_ARGUMENT', `hub limit for ${kind} must be ≥ 1, got ${limit}`);
  }
  return resolved;
}

/** The weight formula, exported so tests and docs state it once. */
export function linkWeight(specificity: number, degree: number): number {
  return specificity / Math.log2(1 + degree);
}

export function buildAccountGraph(world: World, options: Partial<AccountGraphOptions> = {}): AccountGraph {
  const settings = resolveAccountGraphOptions(options);
  const accountCount = world.accounts.size;
  const nodeOffset = {} as Record<IdentifierKind, number>;
  const degree = {} as Record<IdentifierKind, Int32Array>;
  const weight = {} as Record<IdentifierKind, Float64Array>;
  const hubLimit = {} as Record<IdentifierKind, number>;
  const edgesPerKind = {} as Record<IdentifierKind, number>;
  const hubs: Hub[] = [];
  let nodeCount = accountCount;
  let edgeCount = 0;
  for (const kind of IDENTIFIER_KINDS) {
    const table = world.identifiers[kind];
    const links = world.links[kind];
    nodeOffset[kind] = nodeCount;
    nodeCount += table.size;
    // Links are distinct (account, identifier) pairs, so counting links counts distinct accounts.
    const kindDegree = new Int32Array(table.size);
    for (let l = 0; l < links.size; l++) kindDegree[links.identifier[l]]++;
    let accountsWithKind = 0;
    for (let l = 0; l < links.size; l++) if (l === 0 || links.account[l] !== links.account[l - 1]) accountsWithKind++;
    const limit = settings.hubLimit[kind] ?? Math.max(settings.hubMinimum, Math.ceil(settings.hubShare * accountsWithKind));
    const kindWeight = new Float64Array(table.size);
    const names = SUBKINDS[kind];
    const minimumDegree = settings.keepSingleAccountIdentifiers ? 1 : 2;
    let kindEdges = 0;
    for (let i = 0; i < table.size; i++) {
      const d = kindDegree[i];
      if (d > limit) {
        hubs.push({ kind, identifier: i, id: table.ids[i], degree: d });
        continue;
      }
      if (d < minimumDegree) continue;
      let specificity = settings.specificity[kind][names[table.subkind[i]]] ?? 0;
      if (kind === 'ip' && table.proxy.length > 0 && table.proxy[i] === 1) specificity *= settings.proxyIpFactor;
      kindWeight[i] = linkWeight(specificity, d);
      if (kindWeight[i] > 0) kindEdges += d;
    }
    degree[kind] = kindDegree;
    weight[kind] = kindWeight;
    hubLimit[kind] = limit;
    edgesPerKind[kind] = kindEdges;
    edgeCount += kindEdges;
  }
  const sources = new Int32Array(edgeCount);
  const targets = new Int32Array(edgeCount);
  const weights = new Float64Array(edgeCount);
  let e = 0;
  for (const kind of IDENTIFIER_KINDS) {
    const links = world.links[kind];
    const kindWeight = weight[kind];
    const offset = nodeOffset[kind];
    for (let l = 0; l < links.size; l++) {
      const identifier = links.identifier[l];
      const w = kindWeight[identifier];
      if (w === 0) continue;
      sources[e] = links.account[l];
      targets[e] = offset + identifier;
      weights[e++] = w;
    }
  }
  const graph = csrFromEdges(nodeCount, { sources, targets, weights, size: e });
  hubs.sort((a, b) => b.degree - a.degree || a.kind.localeCompare(b.kind) || a.identifier - b.identifier);
  return {
    graph,
    accountCount,
    nodeOffset,
    degree,
    weight,
    hubLimit,
    hubs,
    edges: edgesPerKind,
    parameters: {
      weightFormula: 'specificity(kind, subkind) * (ip flagged proxy ? proxyIpFactor : 1) / log2(1 + degree)',
      specificity: settings.specificity,
      proxyIpFactor: settings.proxyIpFactor,
      hubRule: 'hubLimit(kind) = max(hubMinimum, ceil(hubShare * accounts with an identifier of the kind)) unless set explicitly',
      hubMinimum: settings.hubMinimum,
      hubShare: settings.hubShare,
      hubLimit,
      keepSingleAccountIdentifiers: settings.keepSingleAccountIdentifiers,
    },
  };
}

/** Which identifier a graph node is; null for an account node. */
export function identifierOfNode(accountGraph: AccountGraph, node: number): { kind: IdentifierKind; identifier: number } | null {
  if (node < accountGraph.accountCount) return null;
  let found: IdentifierKind = IDENTIFIER_KINDS[0];
  for (const kind of IDENTIFIER_KINDS) if (node >= accountGraph.nodeOffset[kind]) found = kind;
  return { kind: found, identifier: node - accountGraph.nodeOffset[found] };
}
