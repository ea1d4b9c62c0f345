/**
 * The ban list: accounts in a cluster in the newest sweep of the history that were not in that cluster
 * at an earlier sweep (`swarmscope case members <id> --new-since <sweep-id>`). Without a since-sweep,
 * every current member.
 */
import { swarmscopeError } from '../../core/errors';
import type { SavedSweep } from '../load';
import { readSavedMemberships } from './members-file';
import type { StateDir } from './state';

export interface ClusterMembersSince {
  cluster_id: string;
  /** The sweep the members are taken from (the newest in the history unless asked otherwise). */
  sweep_id: string;
  since_sweep_id: string | null;
  /** Sorted external account ids. */
  accounts: string[];
  /** Members at since_sweep_id (0 when the cluster did not exist then). */
  accounts_then: number;
  accounts_now: number;
}

export function clusterMembersSince(state: StateDir, clusterId: string, sinceSweepId: string | null, atSweepId?: string): ClusterMembersSince {
  const at = atSweepId ?? state.latest()?.sweep_id;
  if (!at) throw swarmscopeError('BAD_ARGUMENT', `${state.dir} has no sweeps yet; run a sweep with --state first`);
  const saved = state.loadSweep(at);
  if (!saved.report.clusters.some((cluster) => cluster.cluster_id === clusterId)) {
    throw swarmscopeError('UNKNOWN_CLUSTER', `cluster ${clusterId} is not in sweep ${at} (dormant or retired?); see swarmscope case list or the sweep's since_last_sweep`);
  }
  const now = membersOf(saved, clusterId);
  const then = new Set(sinceSweepId === null ? [] : membersOf(state.loadSweep(sinceSweepId), clusterId));
  const accounts = now.filter((account) => !then.has(account)).sort();
  return { cluster_id: clusterId, sweep_id: at, since_sweep_id: sinceSweepId, accounts, accounts_then: then.size, accounts_now: now.length };
}

function membersOf(saved: SavedSweep, clusterId: string): string[] {
  const { accounts, clusterIds } = readSavedMemberships(saved);
  const out: string[] = [];
  for (let row = 0; row < accounts.length; row++) if (clusterIds[row] === clusterId) out.push(accounts[row]);
  return out;
}
