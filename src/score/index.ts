/**
 * profileClusters: every detected cluster measured (size, volume, capability mix, time, payment, network, behaviour),
 * compared with the platform baseline, and scored 0–100 with reasons.
 *
 * The baseline is "accounts not in flagged clusters", which depends on the scores: pass 1 scores against the
 * accounts in no cluster at all; pass 2 re-measures the baseline without the accounts of clusters that pass 1
 * put in the high or medium tier, and scores again. Two linear passes over the World; measurements per cluster
 * are computed once.
 */
import type { Partition } from '../core/partition';
import type { World } from '../core/world';
import { measureBaseline } from './baseline';
import { measureCluster, ratio, type ClusterMeasures } from './measure';
import { DEFAULTS, scoreCluster, type RiskModel, type ScoredInput } from './risk';
import type { Baseline, ClusterProfile } from './types';
import { buildWorldIndex } from './world-index';

export interface ProfileOptions {
  /** cluster_id of each of the Partition's clusters (parallel); default C0001… in the Partition's order. */
  clusterIds?: string[];
  model?: RiskModel;
}

export interface ProfileResult {
  /** Sorted by risk descending, then cluster_id. */
  clusters: ClusterProfile[];
  baseline: Baseline;
}

export function defaultClusterIds(count: number): string[] {
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, i) => `C${String(i + 1).padStart(width, '0')}`);
}

export function profileClusters(world: World, partition: Partition, options: ProfileOptions = {}): ProfileResult {
  const model = options.model ?? DEFAULTS;
  const ids = options.clusterIds ?? defaultClusterIds(partition.clusters.length);
  if (ids.length !== partition.clusters.length) {
    throw new Error(`profileClusters: ${ids.length} cluster ids for ${partition.clusters.length} clusters`);
  }
  const index = buildWorldIndex(world, { behaviour: model.behaviour });
  const measures = partition.clusters.map((cluster) =>
    measureCluster(index, cluster, {
      exclusiveShare: model.exclusiveShare,
      topIdentifiers: model.topIdentifiers,
      corporateCardMinMembers: model.corporateCardMinMembers,
      exclusiveDomainMinMembers: model.exclusiveDomainMinMembers,
    }),
  );

  const inAnyCluster = new Uint8Array(world.accounts.size);
  for (const cluster of partition.clusters) for (const a of cluster.accounts) inAnyCluster[a] = 1;
  const firstBaseline = measureBaseline(index, inAnyCluster, 'accounts in no cluster');
  const firstPass = measures.map((m, i) => score(world, m, i, ids[i], firstBaseline, model));

  const inFlagged = new Uint8Array(world.accounts.size);
  firstPass.forEach((profile, i) => {
    if (profile.tier !== 'low') for (const a of partition.clusters[i].accounts) inFlagged[a] = 1;
  });
  const baseline = measureBaseline(index, inFlagged, 'accounts outside high- and medium-risk clusters');
  const clusters = measures.map((m, i) => score(world, m, i, ids[i], baseline, model));
  clusters.sort((x, y) => y.risk - x.risk || (x.cluster_id < y.cluster_id ? -1 : x.cluster_id > y.cluster_id ? 1 : 0));
  return { clusters, baseline };
}

function score(world: World, m: ClusterMeasures, partitionIndex: number, clusterId: string, baseline: Baseline, model: RiskModel): ClusterProfile {
  const capabilities = world.exchanges.capabilities;
  const mix: Record<string, number> = {};
  const lift: Record<string, number | null> = {};
  let distance = 0;
  let chance = 0;
  capabilities.forEach((name, c) => {
    const share = ratio(m.capabilityExchanges[c], m.exchanges);
    const base = baseline.capability_mix[name] ?? 0;
    mix[name] = share;
    lift[name] = base > 0 ? share / base : null;
    distance += Math.abs(share - base);
    chance += baseline.capability_account_sd?.[name] ?? 0;
  });
  // The mean absolute deviation of a normal with σ = sd/√n_eff is σ·√(2/π); TV distance halves the L1 sum.
  const chanceDistance = m.effectiveMembers > 0 ? Math.min(1, (0.5 * Math.sqrt(2 / Math.PI) * chance) / Math.sqrt(m.effectiveMembers)) : 0;
  const input: ScoredInput = {
    cluster_id: clusterId,
    partition_index: partitionIndex,
    accounts: m.accounts,
    registered_accounts: m.registered_accounts,
    unregistered_accounts: m.unregistered_accounts,
    core_accounts: m.core_accounts,
    subclusters: m.subclusters,
    identifiers: m.identifiers,
    links: m.links,
    top_identifiers: m.top_identifiers,
    exchanges: m.exchanges,
    input_tokens: m.input_tokens,
    output_tokens: m.output_tokens,
    exchanges_per_account: ratio(m.exchanges, m.accounts),
    exchanges_per_day: ratio(m.exchanges, m.time.active_window_days),
    exchanges_per_account_day: ratio(m.exchanges, m.memberActiveDays),
    share_of_platform_exchanges: ratio(m.exchanges, world.exchanges.totals.exchanges),
    capability_mix: mix,
    capability_lift: lift,
    capability_distance: m.exchanges > 0 && baseline.exchanges > 0 ? distance / 2 : 0,
    capability_chance_distance: m.exchanges > 0 && baseline.exchanges > 0 ? chanceDistance : 0,
    effective_members: m.effectiveMembers,
    time: m.time,
    payment: m.payment,
    network: m.network,
    behaviour: m.behaviour,
    daily_exchanges: m.daily_exchanges,
  };
  const { risk, tier, reasons } = scoreCluster(input, baseline, model);
  // Key order is the JSON's: identity, the score, then the measurements.
  const { cluster_id, partition_index, accounts, ...measurements } = input;
  return { cluster_id, partition_index, accounts, risk, tier, reasons, ...measurements };
}

export { DEFAULTS, scoreCluster, ramp, type RiskModel } from './risk';
export { measureBaseline } from './baseline';
export { int, num, pct, compact } from './format';
export { buildWorldIndex, type WorldIndex } from './world-index';
export type * from './types';
