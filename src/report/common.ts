/** What every renderer receives, and the small helpers they share. */
import type { ClusterProfile } from '../score/types';
import type { MemberRow, SweepReport } from '../sweep/types';
import { int, num, pct } from '../score/format';
import { maxOf } from '../core/max';

export interface RenderInput {
  report: SweepReport;
  /** How many clusters to list (default DEFAULT_TOP; the JSON lists all unless given). */
  top?: number;
  /** The sweep directory, so the terminal table can say where the files are. */
  dir?: string;
}

export const DEFAULT_TOP = 20;

/** Input of the one-cluster, in-depth view (`report --cluster ID`). */
export interface ClusterDetailInput {
  report: SweepReport;
  cluster: ClusterProfile;
  /** The cluster's rows of members.csv (a sample is shown). */
  members: MemberRow[];
  /** How many members to show. */
  sample?: number;
}

export const DEFAULT_MEMBER_SAMPLE = 20;

/** Clusters in the high or medium tier, in report order (risk descending). */
export function flaggedClusters(report: SweepReport): ClusterProfile[] {
  return report.clusters.filter((c) => c.tier !== 'low');
}

/** The cluster's capabilities by share, largest first, as "software_engineering 61%, agentic_reasoning 35%". */
export function topCapabilities(cluster: ClusterProfile, count = 2, options: { wholePercent?: boolean } = {}): string {
  const share = options.wholePercent ? wholePercent : pct;
  return Object.entries(cluster.capability_mix)
    .filter(([, value]) => value > 0)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, count)
    .map(([name, value]) => `${name} ${share(value)}`)
    .join(', ');
}

/** A share as a whole percent for narrow columns: "60%", "2%", "<1%". */
export function wholePercent(share: number): string {
  const percent = Math.round(share * 100);
  return percent === 0 && share > 0 ? '<1%' : `${percent}%`;
}

/** Capabilities ordered by the larger of the cluster's and the baseline's share, for charts and tables. */
export function capabilityOrder(cluster: ClusterProfile, baselineMix: Record<string, number>): string[] {
  const names = new Set([...Object.keys(cluster.capability_mix), ...Object.keys(baselineMix)]);
  return [...names]
    .filter((name) => (cluster.capability_mix[name] ?? 0) > 0 || (baselineMix[name] ?? 0) > 0)
    .sort((x, y) => Math.max(cluster.capability_mix[y] ?? 0, baselineMix[y] ?? 0) - Math.max(cluster.capability_mix[x] ?? 0, baselineMix[x] ?? 0) || (x < y ? -1 : 1));
}

/**
 * The hub limit(s) the sweep used, from report.json's detection parameters: "instrument 10, ip 25,
 * fingerprint 10", or one number when every kind had the same; null when the parameters do not say.
 */
export function hubLimitText(report: SweepReport): string | null {
  const limit = (report.sweep.parameters.detection as Record<string, unknown>).hubLimit;
  if (typeof limit === 'number') return String(limit);
  if (limit === null || typeof limit !== 'object') return null;
  const entries = Object.entries(limit as Record<string, unknown>).filter(([, value]) => typeof value === 'number') as [string, number][];
  if (entries.length === 0) return null;
  if (entries.every(([, value]) => value === entries[0][1])) return `${entries[0][1]} for every kind`;
  return entries.map(([kind, value]) => `${kind} ${value}`).join(', ');
}

/** "… and 12 more hubs (all in report.json)" when only `shown` of the sweep's hubs are listed, else null. */
export function moreHubsText(report: SweepReport, shown: number): string | null {
  const more = report.hubs.length - shown;
  return more > 0 ? `… and ${int(more)} more hub${more === 1 ? '' : 's'} (all in report.json)` : null;
}

/** "1.30 accounts per instrument", or "no payment instruments" when there are none (0 is not a ratio then). */
export function accountsPerInstrumentText(accountsPerInstrument: number): string {
  return accountsPerInstrument > 0 ? `${num(accountsPerInstrument)} accounts per instrument` : 'no payment instruments';
}

/** ISO date of day offset i from an ISO start date. */
export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A one-line text sparkline of a series (for the terminal and Markdown timeline). */
export function sparkline(values: number[], width = 60): string {
  if (values.length === 0) return '';
  const buckets = Math.min(width, values.length);
  const sums = new Array<number>(buckets).fill(0);
  values.forEach((v, i) => {
    sums[Math.floor((i * buckets) / values.length)] += v;
  });
  const max = maxOf(sums, 0);
  return sums.map((s) => (max > 0 ? BLOCKS[Math.min(7, Math.floor((s / max) * 7.999))] : BLOCKS[0])).join('');
}
