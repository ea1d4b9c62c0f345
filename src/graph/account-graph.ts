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
 * Hub rule (src/graph/dispersion.ts): an identifier is population infrastructure — a hub that links nothing —
 * when its accounts lie in many separate groups and share it with their own group-mates no more often than its
 * prevalence predicts; judged the same way for every kind, never by a fixed share of the platform. A card on
 * 500 accounts that a swarm's exits and fingerprints tie together is evidence; a reseller's card on 500 clients
 * from 500 unrelated households is a hub. Every hub is returned with both numbers; `hubLimit` per kind adds an
 * explicit degree limit on top.
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
import { arrivalSources, incumbentLinkMask } from './arrival';
import { identifierView, judgeIdentifiers } from './dispersion';

export interface AccountGraphOptions {
  /** Baseline specificity per identifier kind and sub-kind name (see SUBKINDS). */
  specificity: Record<IdentifierKind, Record<string, number>>;
  /** Multiplier for IPs flagged as proxy exits. */
  proxyIpFactor: number;
  /** Explicit hub limit per kind (max degree that still links), on top of the spread rule. */
  hubLimit: Partial<Record<IdentifierKind, number>>;
  /** Effective separate groups at which an unconcentrated identifier is a hub; 0 = clamp(⌈√A/4⌉, 4, 50). */
  spreadGroups: number;
  /** Co-membership beyond chance that keeps a widely spread identifier evidence (and, in grouping, a group's). */
  concentration: number;
  keepSingleAccountIdentifiers: boolean;
  /**
   * Identifiers whose prior is below this — places and builds many people pass through (exits, NATs, TLS stacks)
   * — let go of their incumbents when a co-arrival wave comes (arrival.ts); at or above it — payers and devices —
   * they keep every account: a card is the same payer whenever an account joined it. The same line as the
   * campaign rules' definingSpecificity.
   */
  letGoBelowPrior: number;
}

export const ACCOUNT_GRAPH_DEFAULTS: Readonly<AccountGraphOptions> = Object.freeze({
  specificity: {
    instrument: { card: 1, prepaid_card: 1, virtual_card: 1, bank: 1, wallet: 0.8, other: 0.6 },
    ip: { ipv4: 0.3, ipv6: 0.4 },
    fingerprint: { proxy: 0.8, device: 0.6, tls: 0.3, browser: 0.3, other: 0.4 },
    // A request scaffold is as particular as a device (a harness, a personal prompt kit); a client version is a
    // software build, as common as a TLS stack.
    template: { template: 0.6 },
    client: { client: 0.3 },
    // Accounts in step on one template beyond the time-shifted null (synchrony.ts): a dispatcher's timetable.
    // Accounts that came to one card, exit or device within days, beyond its own rate of newcomers (arrival.ts):
    // as particular as an IP, and never enough alone to define a member (definingSpecificity 0.5).
    synchrony: { window: 0.6, arrival_instrument: 0.3, arrival_ip: 0.3, arrival_fingerprint: 0.3 },
  },
  proxyIpFactor: 0.5,
  hubLimit: {},
  spreadGroups: 0,
  concentration: 0.5,
  keepSingleAccountIdentifiers: false,
  letGoBelowPrior: 0.5,
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
  /**
   * The view of every identifier (who pays, where from, with what software/device; viewOf in dispersion.ts):
   * identifiers of one view are not independent evidence, so two of them are one fact.
   */
  view: Record<IdentifierKind, Int32Array>;
  /** 1 for an identifier concentrated in one group and spread over many others (judgeIdentifiers' `mixed`). */
  mixed: Record<IdentifierKind, Uint8Array>;
  /**
   * Per kind, 1 for a link the graph leaves out (an incumbent's on an identifier with a co-arrival cohort,
   * arrival.ts incumbentLinkMask); null when it keeps every link.
   */
  leftOut: Record<IdentifierKind, Uint8Array | null> | null;
  /**
   * The evidence unit of every node: itself, except a co-arrival cohort's, which is the node of the identifier it
   * arrived on — an exit and the wave that arrived on it are one coincidence, not two (campaigns.ts counts
   * distinct units where it counts distinct attaching identifiers).
   */
  unit: Int32Array;
  /** specificity · proxy factor of every identifier that is not a hub (0 for hubs). */
  prior: Record<IdentifierKind, Float64Array>;
  /** The spreadGroups the hub rule used (derived unless set). */
  spreadGroups: number;
  /** Hubs, by degree descending. */
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
  if (!(resolved.spreadGroups === 0 || resolved.spreadGroups >= 2)) {
    throw swarmscopeError('BAD_ARGUMENT', `spreadGroups must be 0 (derived) or ≥ 2, got ${resolved.spreadGroups}`);
  }
  if (!(resolved.concentration > 0 && resolved.concentration <= 1)) {
    throw swarmscopeError('BAD_ARGUMENT', `concentration must be in (0, 1], got ${resolved.concentration}`);
  }
  for (const [kind, limit] of Object.entries(resolved.hubLimit)) {
    if (!(Number(limit) >= 1)) throw swarmscopeError('BAD_ARGUMENT', `hub limit for ${kind} must be ≥ 1, got ${limit}`);
  }
  return resolved;
}

/** specificity(kind, subkind) · proxyFactor: what sharing identifier i says before its degree is known. */
function priorOf(settings: AccountGraphOptions, table: World['identifiers'][IdentifierKind], kind: IdentifierKind, i: number): number {
  let specificity = settings.specificity[kind][SUBKINDS[kind][table.subkind[i]]] ?? 0;
  if (kind === 'ip' && table.proxy.length > 0 && table.proxy[i] === 1) specificity *= settings.proxyIpFactor;
  return specificity;
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
  const prior = {} as Record<IdentifierKind, Float64Array>;
  const view = {} as Record<IdentifierKind, Int32Array>;
  const edgesPerKind = {} as Record<IdentifierKind, number>;
  const hubs: Hub[] = [];
  let nodeCount = accountCount;
  let edgeCount = 0;
  for (const kind of IDENTIFIER_KINDS) {
    const table = world.identifiers[kind];
    const links = world.links[kind];
    // Links are distinct (account, identifier) pairs, so counting links counts distinct accounts.
    const kindDegree = new Int32Array(table.size);
    for (let l = 0; l < links.size; l++) kindDegree[links.identifier[l]]++;
    degree[kind] = kindDegree;
  }
  const judgement = judgeIdentifiers(world, degree, settings);
  // A place many people pass through (prior below letGoBelowPrior) that is evidence and has a co-arrival wave lets
  // go of its incumbents (arrival.ts): the accounts that were on it before the wave came are not tied to the wave
  // by it. Hubs and public tools keep every link (a browser build's older users would otherwise leave its newest
  // ones tied), and so do payers and devices.
  const arrivals = arrivalSources(world);
  const carried = incumbentLinkMask(world, arrivals);
  if (carried !== null) {
    for (const kind of IDENTIFIER_KINDS) {
      const mask = carried[kind];
      if (mask === null) continue;
      const links = world.links[kind];
      for (let l = 0; l < links.size; l++) {
        if (mask[l] === 0) continue;
        const x = links.identifier[l];
        if (judgement.hub[kind][x] === 1 || judgement.mixed[kind][x] === 1 || priorOf(settings, world.identifiers[kind], kind, x) >= settings.letGoBelowPrior) mask[l] = 0;
        else degree[kind][x]--;
      }
    }
  }
  for (const kind of IDENTIFIER_KINDS) {
    const table = world.identifiers[kind];
    nodeOffset[kind] = nodeCount;
    nodeCount += table.size;
    const kindDegree = degree[kind];
    const kindWeight = new Float64Array(table.size);
    const kindPrior = new Float64Array(table.size);
    const kindView = new Int32Array(table.size);
    for (let i = 0; i < table.size; i++) kindView[i] = identifierView(kind, table.subkind[i]);
    view[kind] = kindView;
    const minimumDegree = settings.keepSingleAccountIdentifiers ? 1 : 2;
    let kindEdges = 0;
    for (let i = 0; i < table.size; i++) {
      const d = kindDegree[i];
      // A wave that arrived on a public tool (a browser build, a public SDK's fingerprint, a carrier NAT) is a
      // sign-up wave, not a tie: only a wave on an identifier that is itself evidence links (arrival.ts).
      if (kind === 'synchrony' && arrivals.kindOf[i] !== null && arrivals.sourceOf[i] >= 0) {
        const source = arrivals.kindOf[i] as IdentifierKind;
        if (judgement.hub[source][arrivals.sourceOf[i]] === 1 || judgement.mixed[source][arrivals.sourceOf[i]] === 1) continue;
      }
      if (judgement.hub[kind][i] === 1) {
        const spread = judgement.spread[kind][i];
        hubs.push(
          Number.isNaN(spread)
            ? { kind, identifier: i, id: table.ids[i], degree: d, reason: `more than the explicit hub limit of ${settings.hubLimit[kind]} accounts` }
            : {
                kind, identifier: i, id: table.ids[i], degree: d,
                groups: Math.round(spread), mates: Math.round(judgement.mates[kind][i] * 1000) / 1000,
                reason: `its accounts lie in about ${Math.round(spread).toLocaleString('en-US')} separate groups besides the largest, and only ${(judgement.mates[kind][i] * 100).toFixed(0)}% of their group-mates share it`,
              },
        );
        continue;
      }
      kindPrior[i] = priorOf(settings, table, kind, i);
      if (d < minimumDegree) continue;
      kindWeight[i] = linkWeight(kindPrior[i], d);
      if (kindWeight[i] > 0) kindEdges += d;
    }
    weight[kind] = kindWeight;
    prior[kind] = kindPrior;
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
    const mask = carried?.[kind] ?? null;
    for (let l = 0; l < links.size; l++) {
      if (mask !== null && mask[l] === 1) continue;
      const identifier = links.identifier[l];
      const w = kindWeight[identifier];
      if (w === 0) continue;
      sources[e] = links.account[l];
      targets[e] = offset + identifier;
      weights[e++] = w;
    }
  }
  const graph = csrFromEdges(nodeCount, { sources, targets, weights, size: e });
  const unit = new Int32Array(nodeCount);
  for (let v = 0; v < nodeCount; v++) unit[v] = v;
  for (let c = 0; c < arrivals.sourceOf.length; c++) {
    const kind = arrivals.kindOf[c];
    if (kind !== null && arrivals.sourceOf[c] >= 0) unit[nodeOffset.synchrony + c] = nodeOffset[kind] + arrivals.sourceOf[c];
  }
  hubs.sort((a, b) => b.degree - a.degree || a.kind.localeCompare(b.kind) || a.identifier - b.identifier);
  return {
    graph,
    accountCount,
    nodeOffset,
    degree,
    weight,
    prior,
    view,
    leftOut: carried,
    unit,
    mixed: judgement.mixed,
    spreadGroups: judgement.spreadGroups,
    hubs,
    edges: edgesPerKind,
    parameters: {
      weightFormula: 'specificity(kind, subkind) * (ip flagged proxy ? proxyIpFactor : 1) / log2(1 + degree)',
      specificity: settings.specificity,
      proxyIpFactor: settings.proxyIpFactor,
      hubRule: 'hub when its accounts lie in >= spreadGroups separate groups (inverse Simpson) and it is not concentrated (share of group-mates also on it < concentration, or < 2 x its prevalence); or above an explicit hubLimit',
      spreadGroups: judgement.spreadGroups,
      concentration: settings.concentration,
      hubLimit: settings.hubLimit,
      keepSingleAccountIdentifiers: settings.keepSingleAccountIdentifiers,
      letGoBelowPrior: settings.letGoBelowPrior,
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
