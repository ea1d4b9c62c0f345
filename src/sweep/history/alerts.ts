/**
 * Alert policy: which changes since the last sweep need a person, given what the case book already decided.
 *
 *   confirmed     alerts on every new member (joined > 0): those accounts are the ban list
 *                 (`swarmscope case members <id> --new-since <previous sweep>`).
 *   dismissed     silent, unless the cluster has grown past the size it had when dismissed by
 *                 max(dismissedGrowthMinAccounts, dismissedGrowthRatio · size then), or its risk has risen by
 *                 dismissedRiskMargin points or more over the risk then. A silenced change is recorded as
 *                 suppressed only when it would have alerted without the dismissal.
 *   under_review  and clusters nobody has decided on: alert when a cluster in one of `triageTiers` is new,
 *                 grew, merged or split, or when its risk rose by riskRiseMargin points or more.
 * A cluster with no decision of its own inherits the decision of the parent it was merged or split from,
 * strongest first (confirmed, then under_review, then dismissed), so a confirmed campaign that merged into
 * another id keeps alerting.
 *
 * A `new` cluster that reuses the instruments or fingerprints of a confirmed campaign (its identifier links)
 * alerts as `confirmed_identifiers_reused` whatever its tier: the operator has probably moved to fresh accounts.
 */
import type { CaseEntry, CaseStatus } from './casebook';
import { sharedIdentifiersPhrase } from './identifier-links';
import type { ClusterEvent } from './lineage';

export interface AlertPolicy {
  dismissedGrowthRatio: number;
  dismissedGrowthMinAccounts: number;
  dismissedRiskMargin: number;
  riskRiseMargin: number;
  triageTiers: string[];
}

export const ALERT_DEFAULTS: Readonly<AlertPolicy> = {
  dismissedGrowthRatio: 0.5,
  dismissedGrowthMinAccounts: 10,
  dismissedRiskMargin: 15,
  riskRiseMargin: 15,
  triageTiers: ['high', 'medium'],
};

export const ALERT_KINDS = [
  'confirmed_new_members',
  'confirmed_identifiers_reused',
  'dismissed_regrown',
  'dismissed_risk_rose',
  'needs_triage',
  'risk_rose',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  cluster_id: string;
  kind: AlertKind;
  event: ClusterEvent['event'];
  /** The decision the alert was weighed against (own or inherited), null when none. */
  case_status: CaseStatus | null;
  /** The cluster id whose decision applies (differs from cluster_id when inherited from a parent). */
  case_cluster_id: string | null;
  message: string;
  joined: number;
}

export interface SuppressedAlert {
  cluster_id: string;
  case_status: CaseStatus;
  reason: string;
}

const STRENGTH: Record<CaseStatus, number> = { confirmed: 3, under_review: 2, dismissed: 1 };

function decisionFor(event: ClusterEvent, cases: ReadonlyMap<string, CaseEntry>): CaseEntry | null {
  const own = cases.get(event.cluster_id);
  if (own) return own;
  let best: CaseEntry | null = null;
  for (const parent of event.parents) {
    const inherited = cases.get(parent.cluster_id);
    if (inherited && (!best || STRENGTH[inherited.status] > STRENGTH[best.status])) best = inherited;
  }
  return best;
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

/** A cluster in a triage tier that is new, grew, merged, split or returned from dormancy. */
function needsTriage(event: ClusterEvent, policy: AlertPolicy): boolean {
  const triageTier = event.tier_after !== null && policy.triageTiers.includes(event.tier_after);
  return (
    triageTier &&
    (event.event === 'new' || event.event === 'grown' || event.event === 'merged' || event.event === 'split' || event.event === 'returned')
  );
}

function riskRose(event: ClusterEvent, policy: AlertPolicy): boolean {
  const riskRise = event.risk_before !== null && event.risk_after !== null ? event.risk_after - event.risk_before : 0;
  return riskRise >= policy.riskRiseMargin;
}

/**
 * Whether the change would alert had nobody decided on the cluster: only such a change counts as suppressed by
 * a dismissal (an unchanged low-risk cluster was never going to alert, so nothing was held back).
 */
function wouldAlertUndecided(event: ClusterEvent, policy: AlertPolicy): boolean {
  return needsTriage(event, policy) || riskRose(event, policy);
}

/** Weighs each event against the case book. Dormant clusters never alert (they are listed as events). */
export function evaluateAlerts(
  events: readonly ClusterEvent[],
  cases: ReadonlyMap<string, CaseEntry>,
  policy: AlertPolicy,
  previousSweepId: string | null,
): { alerts: Alert[]; suppressed: SuppressedAlert[] } {
  const alerts: Alert[] = [];
  const suppressed: SuppressedAlert[] = [];
  for (const event of events) {
    if (event.event === 'dormant') continue;
    const reused = (event.identifier_links ?? []).find((link) => cases.get(link.cluster_id)?.status === 'confirmed');
    if (reused && !cases.get(event.cluster_id)) {
      const what = sharedIdentifiersPhrase(reused, { instrument: 'payment instrument', fingerprint: 'fingerprint' });
      alerts.push({
        cluster_id: event.cluster_id,
        kind: 'confirmed_identifiers_reused',
        event: event.event,
        case_status: 'confirmed',
        case_cluster_id: reused.cluster_id,
        joined: event.joined,
        message:
          `new cluster ${event.cluster_id} (${plural(event.accounts_after, 'account')}) uses ${what} of confirmed campaign ${reused.cluster_id} ` +
          `(recorded in ${reused.sweep_id}): likely the same operator on fresh accounts; decide with swarmscope case set ${event.cluster_id} --status …`,
      });
      continue;
    }
    const decision = decisionFor(event, cases);
    const base = {
      cluster_id: event.cluster_id,
      event: event.event,
      case_status: decision?.status ?? null,
      case_cluster_id: decision?.cluster_id ?? null,
      joined: event.joined,
    };
    if (decision?.status === 'confirmed') {
      if (event.joined > 0) {
        // A returned campaign's newcomers are counted against its members when it was last seen.
        const sinceSweep = event.last_seen_sweep ?? previousSweepId;
        const since = sinceSweep ? ` --new-since ${sinceSweep}` : '';
        alerts.push({
          ...base,
          kind: 'confirmed_new_members',
          message:
            `${plural(event.joined, 'new account')} joined confirmed campaign ${event.cluster_id}` +
            (event.event === 'returned' ? ` (back after last being seen in ${event.last_seen_sweep})` : '') +
            (decision.cluster_id !== event.cluster_id ? ` (confirmed as ${decision.cluster_id})` : '') +
            `; ban list: swarmscope case members ${event.cluster_id}${since}`,
        });
      }
      continue;
    }
    if (decision?.status === 'dismissed') {
      const sizeThen = decision.accounts ?? event.accounts_before;
      const riskThen = decision.risk ?? event.risk_before;
      const growthNeeded = Math.max(policy.dismissedGrowthMinAccounts, policy.dismissedGrowthRatio * sizeThen);
      if (event.accounts_after - sizeThen >= growthNeeded) {
        alerts.push({
          ...base,
          kind: 'dismissed_regrown',
          message: `dismissed cluster ${event.cluster_id} grew from ${plural(sizeThen, 'account')} when dismissed to ${event.accounts_after.toLocaleString('en-US')}; review it again`,
        });
      } else if (riskThen !== null && event.risk_after !== null && event.risk_after - riskThen >= policy.dismissedRiskMargin) {
        alerts.push({
          ...base,
          kind: 'dismissed_risk_rose',
          message: `dismissed cluster ${event.cluster_id}: risk rose from ${riskThen} when dismissed to ${event.risk_after}; review it again`,
        });
      } else if (wouldAlertUndecided(event, policy)) {
        suppressed.push({
          cluster_id: event.cluster_id,
          case_status: 'dismissed',
          reason: `dismissed by ${decision.by} on ${decision.at.slice(0, 10)}; ${event.accounts_after} accounts (dismissed at ${sizeThen}), risk ${event.risk_after ?? '?'} (dismissed at ${riskThen ?? '?'})`,
        });
      }
      continue;
    }
    if (needsTriage(event, policy)) {
      const what =
        event.event === 'new'
          ? `new ${event.tier_after}-risk cluster of ${plural(event.accounts_after, 'account')}`
          : `${event.tier_after}-risk cluster ${event.event} from ${event.accounts_before.toLocaleString('en-US')} to ${plural(event.accounts_after, 'account')}`;
      alerts.push({
        ...base,
        kind: 'needs_triage',
        message: `${event.cluster_id}: ${what}${decision ? ' (under review)' : ''}; decide with swarmscope case set ${event.cluster_id} --status …`,
      });
    } else if (riskRose(event, policy)) {
      alerts.push({
        ...base,
        kind: 'risk_rose',
        message: `${event.cluster_id}: risk rose from ${event.risk_before} to ${event.risk_after}`,
      });
    }
  }
  return { alerts, suppressed };
}
