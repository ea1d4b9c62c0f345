/**
 * One sweep with `--state`: lock the state dir, give clusters their lineage ids, build the since-last-sweep
 * section, and commit the finished sweep into the history. Nothing in the state dir changes until commit(),
 * so a sweep that fails or is killed before it leaves the state as it was.
 *
 *   const history = beginHistorySweep({ stateDir });
 *   try {
 *     const result = await runSweep({ ...options, assignClusterIds: history.assignClusterIds, sinceLastSweep: history.sinceLastSweep });
 *     history.commit(result);
 *   } finally { history.release(); }
 *
 * (runSweepWithHistory does exactly this.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { swarmscopeError } from '../../core/errors';
import type { Partition } from '../../core/partition';
import type { World } from '../../core/world';
import { CHECKSUMS_FILE, readChecksums } from '../checksums';
import type { ClusterIdAssigner, SweepOptions, SweepReport, SweepResult } from '../types';
import { dataWindow } from '../run';
import type { DataWindow } from '../types';
import { ACCOUNT_STATUS_FILE, accountStatusFileText } from './account-status';
import { ALERT_DEFAULTS, type AlertPolicy } from './alerts';
import { commitDirectory, copyFile, pausePoint, removeTree } from './atomic';
import { currentCases, readCaseBook } from './casebook';
import {
  clusterIdNumber,
  counterAllocator,
  LINEAGE_DEFAULTS,
  traceLineage,
  validateLineageOptions,
  type ClusterEvent,
  type DormantCluster,
  type LineageOptions,
  type LineageResult,
} from './lineage';
import {
  clusterIdentifiers,
  identifierLinks,
  identifiersFileText,
  indexKnownIdentifiers,
  IDENTIFIERS_FILE,
  type ClusterIdentifiers,
} from './identifier-links';
import { acquireStateLock, type StateLock } from './lock';
import { savedClusters, type SavedClusters } from './saved-clusters';
import { buildSinceLastSweep, type SinceLastSweep } from './since-last-sweep';
import {
  checkSweepId,
  HISTORY_FILES,
  inspectStateDir,
  openState,
  recoverState,
  sha256File,
  writeState,
  type StateDir,
  type StateSweepEntry,
} from './state';

export interface HistoryOptions {
  stateDir: string;
  lineage?: Partial<LineageOptions>;
  alerts?: Partial<AlertPolicy>;
  /** Seconds to wait for another writer to release the state dir before refusing (default 0: refuse at once). */
  waitSeconds?: number;
  /** Record a sweep whose data window ends before the newest committed sweep's (`--allow-older`). */
  allowOlder?: boolean;
  now?: () => Date;
}

export interface HistorySweep {
  state: StateDir;
  /** Files and folders a killed writer had left, removed when this sweep took the lock. */
  recovered: string[];
  assignClusterIds: ClusterIdAssigner;
  sinceLastSweep: (report: SweepReport, context: { world: World; partition: Partition }) => SinceLastSweep;
  /**
   * Copies the finished sweep's report.json and members.csv into history/<sweep-id>/, records the triage-tier
   * clusters' strong identifiers there, and commits state.json.
   */
  commit(result: Pick<SweepResult, 'dir' | 'report' | 'world' | 'partition'>): StateSweepEntry;
  release(): void;
}

export function beginHistorySweep(options: HistoryOptions): HistorySweep {
  const lineageOptions: LineageOptions = { ...LINEAGE_DEFAULTS, ...options.lineage };
  const problem = validateLineageOptions(lineageOptions);
  if (problem) throw swarmscopeError('BAD_ARGUMENT', problem);
  const now = options.now ?? (() => new Date());
  // Refuse a folder that is not a state dir (or a damaged one) before writing a lock into it.
  inspectStateDir(options.stateDir);
  fs.mkdirSync(options.stateDir, { recursive: true });
  const lock: StateLock = acquireStateLock(options.stateDir, { waitSeconds: options.waitSeconds ?? 0, command: 'sweep' });
  try {
    // Opened (and on the first sweep created) under the lock: another writer may have committed meanwhile.
    const state = openState(options.stateDir, { create: true, now });
    const recovered = recoverState(state);
    return historySweep(state, lock, recovered, lineageOptions, options, now);
  } catch (error) {
    lock.release();
    throw error;
  }
}

function historySweep(
  state: StateDir,
  lock: StateLock,
  recovered: string[],
  lineageOptions: LineageOptions,
  options: HistoryOptions,
  now: () => Date,
): HistorySweep {
  const previousEntry = state.latest();
  let previous: SavedClusters | null = null;
  const previousClusters = (): SavedClusters => {
    previous ??= previousEntry ? savedClusters(state.loadSweep(previousEntry.sweep_id)) : { clusters: [], membersById: new Map() };
    return previous;
  };
  let firstNumber = state.state.next_cluster_number;
  let allocator = counterAllocator(firstNumber);
  let lineage: LineageResult | null = null;
  let currentMembers = new Map<string, string[]>();
  let pool: DormantCluster[] = [];

  return {
    state,
    recovered,
    assignClusterIds({ world, partition }) {
      if (!options.allowOlder && previousEntry) checkDataWindowOrder(state, previousEntry.sweep_id, dataWindow(world));
      const before = previousClusters();
      // Never hand out a number at or below one already used, even if state.json's counter was edited down.
      for (const cluster of before.clusters) firstNumber = Math.max(firstNumber, clusterIdNumber(cluster.cluster_id) + 1);
      allocator = counterAllocator(firstNumber);
      const current = partition.clusters.map((cluster) => ({
        cluster_id: '',
        accounts: Array.from(cluster.accounts, (account) => world.accounts.ids[account]),
      }));
      pool = dormantPool(state, lineageOptions.dormantSweeps);
      lineage = traceLineage(before.clusters, current, allocator, lineageOptions, pool);
      currentMembers = new Map(lineage.ids.map((id, index) => [id, current[index].accounts]));
      return lineage.ids;
    },
    sinceLastSweep(report, context) {
      if (!lineage) throw swarmscopeError('INTERNAL', 'since-last-sweep was asked for before cluster ids were assigned');
      const before = previousClusters();
      const events = withIdentifierLinks(state, lineage.events, report, context, pool, lineageOptions.minSharedIdentifiers);
      return buildSinceLastSweep({
        previousSweep: previousEntry ? { sweep_id: previousEntry.sweep_id, started_at: previousEntry.started_at } : null,
        events,
        retired: lineage.retired,
        lineageParameters: lineage.parameters,
        currentFigures: new Map(report.clusters.map((cluster) => [cluster.cluster_id, { risk: cluster.risk, tier: cluster.tier }])),
        currentMembers,
        // A returned cluster's joined accounts are counted against its members when last seen.
        previousMembers: new Map([...before.membersById, ...pool.map((cluster): [string, readonly string[]] => [cluster.cluster_id, cluster.accounts])].map(([id, members]) => [id, new Set(members)])),
        cases: currentCases(readCaseBook(state)),
        alertPolicy: options.alerts,
      });
    },
    commit(result) {
      if (!lineage) throw swarmscopeError('INTERNAL', 'the sweep did not ask the history for cluster ids; nothing was committed');
      const sweepId = result.report.sweep.id;
      checkSweepId(sweepId);
      if (state.state.sweeps.some((entry) => entry.sweep_id === sweepId)) {
        throw swarmscopeError('BAD_ARGUMENT', `sweep ${sweepId} is already in the history of ${state.dir}; each sweep is recorded once`);
      }
      const assigned = new Set(lineage.ids);
      const reported = result.report.clusters.map((cluster) => cluster.cluster_id);
      if (reported.length !== assigned.size || reported.some((id) => !assigned.has(id))) {
        throw swarmscopeError('INTERNAL', `the sweep's cluster ids differ from the ids the history assigned; nothing was committed`);
      }
      const staging = path.join(state.path('tmp'), `${sweepId}.${process.pid}`);
      fs.mkdirSync(staging, { recursive: true });
      const sha256: Record<string, string> = {};
      // The copy must be what the sweep wrote: checked against its checksums.sha256 (absent only for test doubles).
      const written = readChecksums(result.dir);
      for (const name of HISTORY_FILES) {
        const target = path.join(staging, name);
        copyFile(path.join(result.dir, name), target);
        sha256[name] = sha256File(target);
        const expected = written?.get(name);
        if (written && expected !== sha256[name]) {
          throw swarmscopeError('BAD_SWEEP', `${path.join(result.dir, name)} changed after the sweep wrote it (SHA-256 differs from ${CHECKSUMS_FILE}); nothing was committed`);
        }
      }
      // The strong identifiers of the clusters an investigator triages, for identifier links next week.
      const triage = new Set<string>({ ...ALERT_DEFAULTS, ...options.alerts }.triageTiers);
      const recorded = result.report.clusters
        .filter((cluster) => triage.has(cluster.tier))
        .map((cluster) => ({ cluster_id: cluster.cluster_id, accounts: result.partition.clusters[cluster.partition_index].accounts }));
      const identifiersTarget = path.join(staging, IDENTIFIERS_FILE);
      fs.writeFileSync(identifiersTarget, identifiersFileText(clusterIdentifiers(result.world, recorded, result.partition.hubs ?? [])));
      sha256[IDENTIFIERS_FILE] = sha256File(identifiersTarget);
      // Which clustered accounts the platform had already suspended or terminated, for the ban list's guard.
      const statusText = accountStatusFileText(result.world, result.partition);
      if (statusText !== null) {
        const statusTarget = path.join(staging, ACCOUNT_STATUS_FILE);
        fs.writeFileSync(statusTarget, statusText);
        sha256[ACCOUNT_STATUS_FILE] = sha256File(statusTarget);
      }
      commitDirectory(staging, path.join(state.path('history'), sweepId), 'history-written');
      pausePoint('history-renamed');
      const entry: StateSweepEntry = {
        sweep_id: sweepId,
        started_at: result.report.sweep.started_at,
        committed_at: now().toISOString(),
        clusters: result.report.clusters.length,
        clustered_accounts: [...currentMembers.values()].reduce((sum, members) => sum + members.length, 0),
        sha256,
      };
      writeState(state, {
        ...state.state,
        next_cluster_number: Math.max(state.state.next_cluster_number, allocator.peek()),
        sweeps: [...state.state.sweeps, entry],
      });
      return entry;
    },
    release: () => lock.release(),
  };
}

/**
 * History order: the history is a sequence of weeks, so a sweep whose input's data window ends before the newest
 * committed sweep's (an older export swept again) is refused — lineage would compare it against a later week and
 * report the later week's clusters as dormant or shrunk. `--allow-older` records it anyway. Sweeps committed
 * before data windows were recorded, and inputs without exchanges, are not compared.
 */
function checkDataWindowOrder(state: StateDir, previousId: string, current: DataWindow | null): void {
  const previous = state.loadSweep(previousId).report.sweep.data_window;
  if (!current || !previous || current.last_day >= previous.last_day) return;
  throw swarmscopeError(
    'BAD_ARGUMENT',
    `this input's data ends ${current.last_day}, before that of the newest sweep in ${state.dir} (${previousId}, data to ${previous.last_day}); ` +
      'recording it would move the history backwards and mark later clusters dormant or shrunk. Pass --allow-older to record it anyway; nothing was written',
    { last_day: current.last_day, previous_last_day: previous.last_day },
  );
}

/**
 * The events with identifier links on each `new` cluster: the known clusters (recorded in the previous sweep, or
 * in the sweep a dormant-pool cluster was last seen in) whose instruments or fingerprints it reuses.
 */
function withIdentifierLinks(
  state: StateDir,
  events: readonly ClusterEvent[],
  report: SweepReport,
  context: { world: World; partition: Partition },
  pool: readonly DormantCluster[],
  minShared: number,
): ClusterEvent[] {
  const fresh = events.filter((event) => event.event === 'new');
  const previousEntry = state.latest();
  if (fresh.length === 0 || !previousEntry || !context.world.links) return [...events];
  const known: { sweep_id: string; clusters: Iterable<ClusterIdentifiers> }[] = [
    { sweep_id: previousEntry.sweep_id, clusters: state.loadIdentifiers(previousEntry.sweep_id).values() },
  ];
  const poolBySweep = new Map<string, Set<string>>();
  for (const cluster of pool) {
    if (!poolBySweep.has(cluster.last_seen_sweep)) poolBySweep.set(cluster.last_seen_sweep, new Set());
    poolBySweep.get(cluster.last_seen_sweep)?.add(cluster.cluster_id);
  }
  for (const [sweepId, ids] of poolBySweep) {
    known.push({ sweep_id: sweepId, clusters: [...state.loadIdentifiers(sweepId).values()].filter((cluster) => ids.has(cluster.cluster_id)) });
  }
  const index = indexKnownIdentifiers(known);
  if (index.size === 0) return [...events];
  const partitionIndex = new Map(report.clusters.map((cluster) => [cluster.cluster_id, cluster.partition_index]));
  const identifiers = clusterIdentifiers(
    context.world,
    fresh.map((event) => ({ cluster_id: event.cluster_id, accounts: context.partition.clusters[partitionIndex.get(event.cluster_id) as number].accounts })),
    context.partition.hubs ?? [],
  );
  const linksById = new Map(identifiers.map((cluster) => [cluster.cluster_id, identifierLinks(cluster, index, minShared)]));
  return events.map((event) => {
    const links = linksById.get(event.cluster_id);
    return event.event === 'new' && links && links.length ? { ...event, identifier_links: links } : event;
  });
}

/**
 * Clusters that went dormant in the last `sweeps` sweeps of the history and have not been seen since, with their
 * members as last seen. Sweep j's since_last_sweep lists as `dormant` the clusters of sweep j−1 that vanished at
 * j; an id seen in any later sweep (it returned, or was never gone) is left out.
 */
function dormantPool(state: StateDir, sweeps: number): DormantCluster[] {
  const history = state.state.sweeps;
  const pool: DormantCluster[] = [];
  const seenLater = new Set<string>();
  for (let j = history.length - 1; j >= Math.max(1, history.length - sweeps); j--) {
    const report = state.loadSweep(history[j].sweep_id).report;
    for (const cluster of report.clusters) seenLater.add(cluster.cluster_id);
    const section = report.since_last_sweep as { events?: { cluster_id: string; event: string }[] } | undefined;
    const vanished = new Set((section?.events ?? []).filter((event) => event.event === 'dormant').map((event) => event.cluster_id));
    for (const id of seenLater) vanished.delete(id);
    if (vanished.size === 0) continue;
    const lastSeen = history[j - 1].sweep_id;
    for (const cluster of savedClusters(state.loadSweep(lastSeen)).clusters) {
      if (vanished.has(cluster.cluster_id)) pool.push({ ...cluster, last_seen_sweep: lastSeen });
    }
  }
  return pool;
}

/** Runs a sweep against a state dir: lineage ids, since-last-sweep section, commit; the lock is always released. */
export async function runSweepWithHistory<R extends SweepResult>(
  run: (options: SweepOptions) => Promise<R>,
  options: SweepOptions,
  history: HistoryOptions,
): Promise<R & { history: StateSweepEntry; recovered: string[] }> {
  const session = beginHistorySweep(history);
  try {
    const result = await run({ ...options, assignClusterIds: session.assignClusterIds, sinceLastSweep: (report, context) => session.sinceLastSweep(report, context) });
    const entry = session.commit(result);
    return { ...result, history: entry, recovered: session.recovered };
  } finally {
    session.release();
  }
}

export interface UndoneSweep {
  sweep_id: string;
  /** The sweep that is now the newest (null when the history is now empty). */
  newest: string | null;
  remaining: number;
}

/**
 * `swarmscope history undo`: removes the newest sweep from the history, under the state lock. state.json (the
 * commit point) is replaced atomically first, without the sweep; its history folder, no longer listed, is then
 * removed (a writer killed in between leaves it for the next writer's recoverState). The next sweep traces its
 * lineage against the sweep that is now the newest. The case book is append-only and keeps every entry (a
 * decision made on the undone sweep's clusters stays, with that sweep's id); the cluster-id counter is not
 * turned back, so ids handed out by the undone sweep are never reused.
 */
export function undoLastSweep(stateDir: string, options: { waitSeconds?: number } = {}): UndoneSweep {
  const probe = openState(stateDir, { create: false });
  const lock = acquireStateLock(probe.dir, { waitSeconds: options.waitSeconds ?? 0, command: 'history undo' });
  try {
    const state = openState(stateDir, { create: false });
    recoverState(state);
    const last = state.latest();
    if (!last) throw swarmscopeError('BAD_ARGUMENT', `${stateDir} has no sweeps in its history; nothing to undo`);
    const sweeps = state.state.sweeps.slice(0, -1);
    writeState(state, { ...state.state, sweeps });
    pausePoint('undo-committed');
    removeTree(path.join(state.path('history'), last.sweep_id));
    return { sweep_id: last.sweep_id, newest: sweeps[sweeps.length - 1]?.sweep_id ?? null, remaining: sweeps.length };
  } finally {
    lock.release();
  }
}
