/** Terminal renderers: the sweep summary table and the one-cluster in-depth view. Plain text, no colour codes. */
import * as path from 'path';
import { compact, int, num, pct } from '../score/format';
import { renderSinceLastSweepText } from '../sweep/history/render';
import type { SinceLastSweep } from '../sweep/history/since-last-sweep';
import type { ClusterProfile } from '../score/types';
import { SWEEP_FILES } from '../sweep/types';
import {
  addDays,
  capabilityOrder,
  DEFAULT_MEMBER_SAMPLE,
  DEFAULT_TOP,
  flaggedClusters,
  sparkline,
  topCapabilities,
  type ClusterDetailInput,
  type RenderInput,
} from './common';
import { maxOf } from '../core/max';
import { terminalText } from '../core/terminal';

/**
 * Left/right-aligned columns; cells longer than maxWidth[i] are cut with an ellipsis. Every cell is escaped
 * for the terminal first (ids and capability names come from input), so widths count what is shown.
 */
export function textTable(header: string[], rows: string[][], options: { right?: boolean[]; maxWidth?: number[] } = {}): string {
  const cut = (text: string, i: number) => {
    const cell = terminalText(text);
    const max = options.maxWidth?.[i];
    return max !== undefined && cell.length > max ? `${cell.slice(0, max - 1)}…` : cell;
  };
  const all = [header, ...rows].map((row) => row.map(cut));
  const widths = header.map((_, i) => maxOf(all.map((row) => (row[i] ?? '').length), 0));
  const line = (row: string[]) =>
    row.map((cell, i) => (options.right?.[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(all[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

/** Wide enough for the two longest capability names with their shares ("software_engineering 60%, agentic_reasoning 35%"). */
const CAPABILITIES_WIDTH = 48;
const MIN_REASON_WIDTH = 10;
/** Low-risk clusters this small (3-account VPN users, households) are summarised in one line when not listed. */
const SMALL_CLUSTER = 5;

/**
 * The terminal's order: high- and medium-risk clusters by risk (report.json's order), then low-risk clusters by
 * risk and then size, so a larger low-risk group (a team, a campus) comes before many 3-account look-alikes.
 */
function terminalOrder(clusters: readonly ClusterProfile[]): ClusterProfile[] {
  const flagged = clusters.filter((c) => c.tier !== 'low');
  const low = clusters.filter((c) => c.tier === 'low').sort((a, b) => b.risk - a.risk || b.accounts - a.accounts);
  return [...flagged, ...low];
}

export function renderTable(input: RenderInput): string {
  const { report } = input;
  const top = input.top ?? DEFAULT_TOP;
  const t = report.totals;
  const flagged = flaggedClusters(report);
  const high = flagged.filter((c) => c.tier === 'high').length;
  const lines = [
    `swarmscope sweep ${terminalText(report.sweep.id)} — ${int(t.accounts)} accounts, ${int(t.exchanges)} exchanges; ` +
      `${int(t.clusters)} clusters (${high} high, ${flagged.length - high} medium risk), ${int(report.hubs.length)} hub${report.hubs.length === 1 ? '' : 's'}`,
    '',
  ];
  const ordered = terminalOrder(report.clusters);
  const shown = ordered.slice(0, top);
  if (report.clusters.length === 0) lines.push('No clusters found.');
  else if (shown.length > 0) {
    const columns = process.stdout.columns && process.stdout.columns > 80 ? process.stdout.columns : 160;
    const rows = shown.map((c) => [c.cluster_id, int(c.accounts), compact(c.exchanges), topCapabilities(c, 2, { wholePercent: true }), `${c.risk} ${c.tier}`, c.reasons[0]?.text ?? '']);
    const header = ['cluster', 'accounts', 'exchanges', 'top capabilities', 'risk', 'first reason'];
    const maxWidth = [12, 10, 9, CAPABILITIES_WIDTH, 11];
    // The first reason takes what the other columns leave (two spaces between columns), so at 100+ columns the
    // two top capabilities are never cut; the reason is (the whole text is in report --cluster).
    const used = maxWidth.reduce((sum, max, i) => sum + Math.min(max, maxOf(rows.map((row) => row[i].length), header[i].length)) + 2, 0);
    maxWidth.push(Math.max(MIN_REASON_WIDTH, columns - used));
    lines.push(textTable(header, rows, { right: [false, true, true, false, true, false], maxWidth }));
    const hidden = ordered.slice(shown.length);
    if (hidden.length > 0) {
      const smallLow = hidden.filter((c) => c.tier === 'low' && c.accounts <= SMALL_CLUSTER).length;
      lines.push(
        smallLow === hidden.length
          ? `${int(smallLow)} low-risk cluster${smallLow === 1 ? '' : 's'} of ≤ ${SMALL_CLUSTER} accounts not shown (--top N to list more)`
          : `… and ${int(hidden.length)} more clusters${smallLow > 0 ? `, ${int(smallLow)} of them low-risk of ≤ ${SMALL_CLUSTER} accounts` : ''} (--top N to list more)`,
      );
    }
  }
  if (report.sweep.rejects.rows > 0) lines.push('', `${int(report.sweep.rejects.rows)} input rows were rejected: see ${terminalText(String(report.sweep.rejects.file))}`);
  if (report.since_last_sweep) lines.push('', renderSinceLastSweepText(report.since_last_sweep as SinceLastSweep).trimEnd());
  if (input.dir) {
    lines.push('', `Files in ${terminalText(input.dir)}:`);
    for (const name of [SWEEP_FILES.html, SWEEP_FILES.markdown, SWEEP_FILES.report, SWEEP_FILES.clusters, SWEEP_FILES.members]) {
      lines.push(`  ${terminalText(path.join(input.dir, name))}`);
    }
    if (report.clusters.length > 0) lines.push(`Details of one cluster: swarmscope report ${terminalText(input.dir)} --cluster ${terminalText(report.clusters[0].cluster_id)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderClusterTable(input: ClusterDetailInput): string {
  const { cluster: c, report } = input;
  const base = report.baseline;
  const out: string[] = [];
  out.push(`Cluster ${terminalText(c.cluster_id)}: risk ${c.risk} (${c.tier}) — ${int(c.accounts)} accounts (${int(c.registered_accounts)} registered, ${int(c.unregistered_accounts)} unregistered), ${int(c.exchanges)} exchanges`);
  out.push('', 'Reasons (points):');
  for (const r of c.reasons) out.push(`  ${(r.points > 0 ? '+' : '') + num(r.points)}  ${terminalText(r.code)}: ${terminalText(r.text)}`);
  if (c.reasons.length === 0) out.push('  (none)');
  out.push('', 'Volume:');
  out.push(`  ${int(c.exchanges)} exchanges (${pct(c.share_of_platform_exchanges)} of the platform), ${int(c.input_tokens)} input / ${int(c.output_tokens)} output tokens`);
  out.push(`  ${num(c.exchanges_per_account)} per account, ${num(c.exchanges_per_day)} per day, ${num(c.exchanges_per_account_day)} per account-day (ordinary accounts: ${num(base.exchanges_per_account_day)})`);
  out.push('', 'Capability mix (cluster vs ordinary accounts, lift):');
  out.push(
    textTable(
      ['capability', 'cluster', 'baseline', 'lift'],
      capabilityOrder(c, base.capability_mix).map((name) => [
        name, pct(c.capability_mix[name] ?? 0), pct(base.capability_mix[name] ?? 0), c.capability_lift[name] == null ? '–' : `${num(c.capability_lift[name]!)}×`,
      ]),
      { right: [false, true, true, true] },
    ).replace(/^/gm, '  '),
  );
  const t = c.time;
  out.push('', 'Time:');
  out.push(`  created ${t.created_first ?? '?'} … ${t.created_last ?? '?'} (${num(t.creation_span_days)} days); busiest 24 h ${pct(t.busiest_24h_share)}, busiest hour ${pct(t.busiest_1h_share)}, burstiness ${num(t.creation_burstiness)}`);
  out.push(`  active ${t.active_first_day ?? '–'} … ${t.active_last_day ?? '–'} (${t.active_window_days} days), synchrony ${pct(t.activity_synchrony)}`);
  if (t.active_first_day) out.push(`  ${t.active_first_day} ${sparkline(c.daily_exchanges)} ${addDays(t.active_first_day, c.daily_exchanges.length - 1)}`);
  const p = c.payment;
  const n = c.network;
  out.push('', 'Payment and network:');
  out.push(`  ${int(p.instruments)} instruments, ${num(p.accounts_per_instrument)} accounts per instrument (ordinary: ${base.accounts_per_instrument > 0 ? num(base.accounts_per_instrument) : 'no payment instruments'}); ${pct(p.prepaid_virtual_share)} prepaid/virtual; ${int(p.shared_prepaid_virtual)} shared prepaid/virtual cards`);
  out.push(`  ${int(n.distinct_ips)} IPs in ${int(n.distinct_asns)} ASNs (HHI ${num(n.asn_hhi)}, top ${terminalText(n.top_asn ?? '–')} ${pct(n.top_asn_share)}); proxy-flagged ${pct(n.proxy_share)} (ordinary: ${pct(base.proxy_share)}); ${int(n.automation_fingerprints)} automation fingerprints on ${pct(n.automation_fingerprint_share)} of accounts`);
  out.push('', 'Top shared identifiers:');
  out.push(
    c.top_identifiers.length === 0
      ? '  (none)'
      : textTable(
          ['kind', 'subkind', 'identifier', 'members', 'platform accounts'],
          c.top_identifiers.map((i) => [i.kind, i.subkind, i.id, int(i.members), int(i.platform_accounts)]),
          { right: [false, false, false, true, true], maxWidth: [12, 14, 40, 10, 18] },
        ).replace(/^/gm, '  '),
  );
  const sample = input.members.slice(0, input.sample ?? DEFAULT_MEMBER_SAMPLE);
  out.push('', `Members (${int(sample.length)} of ${int(input.members.length)}; all in members.csv):`);
  out.push(
    textTable(['account', 'role', 'evidence'], sample.map((m) => [m.account_id, m.role, m.evidence]), { maxWidth: [40, 8, 110] }).replace(/^/gm, '  '),
  );
  return `${out.join('\n')}\n`;
}
