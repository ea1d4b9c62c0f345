/**
 * The ban list: accounts in a cluster in the newest sweep of the history that were not in that cluster
 * at an earlier sweep (`swarmscope case members <id> --new-since <sweep-id>`). Without a since-sweep,
 * every current member.
 *
 * The guard (banListGuard, the one check every ban list goes through): a ban list is handed out only for a
 * cluster whose current case-book decision is `confirmed` (else STATE refusal, exit 2, unless forced), and
 * accounts the platform already suspended or terminated are left out (unless asked for). The statuses come from
 * `history/<sweep>/account-status.json`, written at commit: the clustered accounts whose status was not
 * `active` in that sweep's input (sweeps committed before it was recorded have none, and say so).
 */
import { swarmscopeError } from '../../core/errors';
import type { SavedSweep } from '../load';
import { currentCases, readCaseBook, type CaseEntry } from './casebook';
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

export interface BanListOptions {
  /** Hand out the list whatever the cluster's decision (`--force`). */
  force?: boolean;
  /** Keep accounts already suspended or terminated (`--include-inactive`). */
  includeInactive?: boolean;
}

export interface BanList extends ClusterMembersSince {
  /** The cluster's current decision (null: none recorded). */
  decision: CaseEntry | null;
  /** Accounts left out because the platform already suspended or terminated them, id → status. */
  left_out_inactive: Record<string, string>;
  /** False when the sweep predates account-status.json, so inactive accounts could not be left out. */
  statuses_known: boolean;
}

/**
 * The one gate in front of every ban list (`case members`): refuses (BAD_ARGUMENT, exit 2) a cluster whose
 * current decision is not `confirmed` unless forced, and leaves out accounts already suspended or terminated.
 */
export function banList(state: StateDir, clusterId: string, sinceSweepId: string | null, atSweepId: string | undefined, options: BanListOptions = {}): BanList {
  // The members first: a damaged history or an unknown cluster is reported as such, before the decision is weighed.
  const members = clusterMembersSince(state, clusterId, sinceSweepId, atSweepId);
  const decision = currentCases(readCaseBook(state)).get(clusterId) ?? null;
  if (!options.force && decision?.status !== 'confirmed') {
    throw swarmscopeError(
      'BAD_ARGUMENT',
      decision
        ? `cluster ${clusterId} is ${decision.status} (case book #${decision.seq} by ${decision.by}), not confirmed; a ban list is only for confirmed clusters (record the decision with \`swarmscope case set ${clusterId} --status confirmed\`, or pass --force)`
        : `cluster ${clusterId} has no decision in the case book; a ban list is only for confirmed clusters (record one with \`swarmscope case set ${clusterId} --status confirmed\`, or pass --force)`,
    );
  }
  const statuses = state.loadAccountStatus(members.sweep_id);
  const leftOut: Record<string, string> = {};
  let accounts = members.accounts;
  if (!options.includeInactive && statuses) {
    accounts = accounts.filter((account) => {
      const status = statuses.get(account);
      if (status === undefined) return true;
      leftOut[account] = status;
      return false;
    });
  }
  return { ...members, accounts, decision, left_out_inactive: leftOut, statuses_known: statuses !== null };
}
