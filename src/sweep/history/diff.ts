/**
 * `swarmscope diff A B`: the lineage comparison between any two saved sweeps (sweep dirs or history folders),
 * with the same rule and events as a sweep with --state (./lineage.ts). Each event names B's cluster id and,
 * in previous_id, the A cluster it continues; dormant events name A's ids.
 */
import { loadSweep, type SavedSweep } from '../load';
import { CLUSTER_EVENTS, traceLineage, type ClusterEvent, type ClusterEventKind, type LineageOptions } from './lineage';
import { savedClusters } from './saved-clusters';

export interface SweepDiff {
  from: { sweep_id: string; started_at: string; dir: string };
  to: { sweep_id: string; started_at: string; dir: string };
  parameters: LineageOptions;
  counts: Record<ClusterEventKind, number>;
  events: ClusterEvent[];
  /** A's ids absorbed into a B cluster that continues another A id (merge) or split into several. */
  retired: string[];
}

export function diffSweeps(before: SavedSweep, after: SavedSweep, options: Partial<LineageOptions> = {}): SweepDiff {
  const previous = savedClusters(before);
  const current = savedClusters(after);
  // B's clusters already have ids; lineage only needs a placeholder for those it would call new.
  let placeholder = 0;
  const lineage = traceLineage(previous.clusters, current.clusters, { next: () => `new-${++placeholder}` }, options);
  const events = lineage.events.map((event, index) =>
    index < current.clusters.length ? { ...event, cluster_id: current.clusters[index].cluster_id } : event,
  );
  const counts = Object.fromEntries(CLUSTER_EVENTS.map((kind) => [kind, 0])) as Record<ClusterEventKind, number>;
  for (const event of events) counts[event.event]++;
  const describe = (saved: SavedSweep) => ({ sweep_id: saved.report.sweep.id, started_at: saved.report.sweep.started_at, dir: saved.dir });
  return { from: describe(before), to: describe(after), parameters: lineage.parameters, counts, events, retired: lineage.retired };
}

export function diffSweepDirs(dirBefore: string, dirAfter: string, options: Partial<LineageOptions> = {}): SweepDiff {
  return diffSweeps(loadSweep(dirBefore), loadSweep(dirAfter), options);
}
