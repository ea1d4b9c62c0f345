/**
 * The "since last sweep" section of a sweep report: what changed against the previous sweep in the history
 * (events, accounts that joined known campaigns, risk changes) and the alerts left after the case book.
 * Plain data; the renderers are in ./render.ts.
 */
import { ALERT_DEFAULTS, evaluateAlerts, type Alert, type AlertPolicy, type SuppressedAlert } from './alerts';
import type { CaseEntry, CaseStatus } from './casebook';
import { CLUSTER_EVENTS, type ClusterEvent, type ClusterEventKind, type LineageOptions } from './lineage';

/** How many joined account ids the report lists per cluster; the full list is `swarmscope case members`. */
export const JOINED_SAMPLE_SIZE = 10;

export interface JoinedKnownCampaign {
  cluster_id: string;
  event: ClusterEventKind;
  joined: number;
  case_status: CaseStatus | null;
  /** The first joined account ids (sorted), at most JOINED_SAMPLE_SIZE. */
  sample: string[];
}

export interface RiskChange {
  cluster_id: string;
  risk_before: number;
  risk_after: number;
  change: number;
  tier_before: string | null;
  tier_after: string | null;
}

/** A type alias (not an interface) so it fits SweepReport.since_last_sweep's Record<string, unknown>. */
export type SinceLastSweep = {
  /** The sweep compared against; null for the first sweep of a state dir (every cluster is then `new`). */
  previous_sweep: { sweep_id: string; started_at: string } | null;
  parameters: { lineage: LineageOptions; alerts: AlertPolicy };
  counts: Record<ClusterEventKind, number>;
  /** One per current cluster (report order), then the dormant ones. */
  events: ClusterEvent[];
  /** Previous ids absorbed by a merge or split (their members live on under another id). */
  retired: string[];
  joined_known_campaigns: JoinedKnownCampaign[];
  /** Continuing clusters whose risk changed, largest change first. */
  risk_changes: RiskChange[];
  alerts: Alert[];
  suppressed_alerts: SuppressedAlert[];
};

export interface SinceLastSweepInput {
  previousSweep: { sweep_id: string; started_at: string } | null;
  events: readonly ClusterEvent[];
  retired: readonly string[];
  lineageParameters: LineageOptions;
  /** Risk and tier of each current cluster by id (from the scored report). */
  currentFigures: ReadonlyMap<string, { risk: number; tier: string }>;
  /** Members of each current cluster and of each previous cluster, by id. */
  currentMembers: ReadonlyMap<string, readonly string[]>;
  previousMembers: ReadonlyMap<string, ReadonlySet<string>>;
  cases: ReadonlyMap<string, CaseEntry>;
  alertPolicy?: Partial<AlertPolicy>;
}

/**
 * Each current cluster's event in a since_last_sweep section as saved in report.json (dormant events, which
 * name vanished clusters, left out); empty for a stand-alone sweep. For readers of saved sweeps (Neo4j export,
 * evidence packs).
 */
export function eventsByCluster(section: unknown): Map<string, ClusterEvent> {
  const events = (section as { events?: unknown } | null | undefined)?.events;
  const out = new Map<string, ClusterEvent>();
  if (!Array.isArray(events)) return out;
  for (const event of events as ClusterEvent[]) if (event && event.event !== 'dormant') out.set(String(event.cluster_id), event);
  return out;
}

export function buildSinceLastSweep(input: SinceLastSweepInput): SinceLastSweep {
  const policy: AlertPolicy = { ...ALERT_DEFAULTS, ...input.alertPolicy };
  const events = input.events.map((event) => {
    const figures = input.currentFigures.get(event.cluster_id);
    return event.event === 'dormant' || !figures ? { ...event } : { ...event, risk_after: figures.risk, tier_after: figures.tier };
  });
  const counts = Object.fromEntries(CLUSTER_EVENTS.map((kind) => [kind, 0])) as Record<ClusterEventKind, number>;
  for (const event of events) counts[event.event]++;

  const joined: JoinedKnownCampaign[] = [];
  const riskChanges: RiskChange[] = [];
  for (const event of events) {
    if (event.event === 'new' || event.event === 'dormant' || event.previous_id === null) continue;
    if (event.joined > 0) {
      const before = input.previousMembers.get(event.previous_id) ?? new Set<string>();
      const newcomers = (input.currentMembers.get(event.cluster_id) ?? []).filter((account) => !before.has(account)).sort();
      joined.push({
        cluster_id: event.cluster_id,
        event: event.event,
        joined: event.joined,
        case_status: input.cases.get(event.cluster_id)?.status ?? null,
        sample: newcomers.slice(0, JOINED_SAMPLE_SIZE),
      });
    }
    if (event.risk_before !== null && event.risk_after !== null && event.risk_after !== event.risk_before) {
      riskChanges.push({
        cluster_id: event.cluster_id,
        risk_before: event.risk_before,
        risk_after: event.risk_after,
        change: event.risk_after - event.risk_before,
        tier_before: event.tier_before,
        tier_after: event.tier_after,
      });
    }
  }
  joined.sort((a, b) => b.joined - a.joined || (a.cluster_id < b.cluster_id ? -1 : 1));
  riskChanges.sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || (a.cluster_id < b.cluster_id ? -1 : 1));
  const { alerts, suppressed } = evaluateAlerts(events, input.cases, policy, input.previousSweep?.sweep_id ?? null);
  return {
    previous_sweep: input.previousSweep,
    parameters: { lineage: input.lineageParameters, alerts: policy },
    counts,
    events,
    retired: [...input.retired],
    joined_known_campaigns: joined,
    risk_changes: riskChanges,
    alerts,
    suppressed_alerts: suppressed,
  };
}
