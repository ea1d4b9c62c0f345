/** report.md: the sweep as Markdown (GitHub-flavoured tables), for tickets and wikis. */
import { int, num, pct } from '../score/format';
import type { ClusterProfile } from '../score/types';
import { renderSinceLastSweepMarkdown } from '../sweep/history/render';
import type { SinceLastSweep } from '../sweep/history/since-last-sweep';
import type { SweepReport } from '../sweep/types';
import { accountsPerInstrumentText, addDays, capabilityOrder, DEFAULT_MEMBER_SAMPLE, DEFAULT_TOP, flaggedClusters, hubLimitText, moreHubsText, sparkline, topCapabilities, type ClusterDetailInput, type RenderInput } from './common';
import { maxOf } from '../core/max';

/**
 * Input-derived text made inert in Markdown: HTML-significant characters become entities (GitHub renders
 * inline HTML, so a capability named `<b>x</b>` would otherwise be bold), Markdown punctuation that could
 * open emphasis, code, links or strikethrough is backslash-escaped, pipes cannot end a table cell, and newlines are flattened.
 */
export function mdText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]|~]/g, '\\$&')
    // GFM ignores intraword underscores (software_engineering stays readable); escape only the ones that could emphasise.
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/[\r\n]+/g, ' ');
}

/** Input-derived text shown as code: backticks cannot close the span (the span is widened), pipes are escaped for tables. */
function mdCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const fence = '`'.repeat(maxOf((flat.match(/`+/g) ?? []).map((run) => run.length), 0) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** Table cells are already Markdown (escaped where input-derived); only newlines are flattened here. */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

export function renderMarkdown(input: RenderInput): string {
  const { report } = input;
  const top = input.top ?? DEFAULT_TOP;
  const t = report.totals;
  const flagged = flaggedClusters(report);
  const out: string[] = [];
  out.push(`# swarmscope sweep ${mdText(report.sweep.id)}`, '');
  out.push(`Started ${mdText(report.sweep.started_at)} · input ${mdCode(report.sweep.input_dir)} · ${report.sweep.software.name} ${report.sweep.software.version} · ${report.detection.algorithm} (resolution ${report.detection.resolution}, seed ${report.detection.seed}, modularity ${num(report.detection.modularity)})`, '');
  out.push(
    `**${int(t.accounts)} accounts** (${int(t.unregistered_accounts)} unregistered), **${int(t.exchanges)} exchanges**, ${int(t.input_tokens)} input / ${int(t.output_tokens)} output tokens. ` +
      `${int(t.clusters)} clusters hold ${int(t.clustered_accounts)} accounts and ${int(t.clustered_exchanges)} exchanges; ` +
      `**${flagged.length} flagged** (${flagged.filter((c) => c.tier === 'high').length} high risk).`,
    '',
  );
  if (report.sweep.rejects.rows > 0) out.push(`> ${int(report.sweep.rejects.rows)} input rows were rejected — see ${mdCode(report.sweep.rejects.file ?? '')}.`, '');
  if (report.since_last_sweep) out.push(renderSinceLastSweepMarkdown(report.since_last_sweep as SinceLastSweep));
  out.push('## Clusters by risk', '');
  const shown = report.clusters.slice(0, top);
  out.push(
    shown.length === 0
      ? 'No clusters found.'
      : table(
          ['cluster', 'accounts', 'exchanges', 'top capabilities', 'risk', 'tier', 'first reason'],
          shown.map((c) => [mdText(c.cluster_id), int(c.accounts), int(c.exchanges), mdText(topCapabilities(c)), String(c.risk), c.tier, mdText(c.reasons[0]?.text ?? '')]),
        ),
  );
  if (report.clusters.length > shown.length) out.push('', `…and ${int(report.clusters.length - shown.length)} more in clusters.csv.`);
  out.push('');
  for (const cluster of flagged.slice(0, top)) out.push(clusterSection(report, cluster, '##'), '');
  if (report.hubs.length > 0) {
    out.push('## Hubs (population infrastructure, not evidence)', '');
    out.push('Identifiers whose accounts lie in many separate groups that share nothing else; they link no accounts in detection.', '');
    const limits = hubLimitText(report);
    if (limits) out.push(`Explicit hub limit (accounts per identifier above which it links nothing): ${limits}.`, '');
    const hubs = report.hubs.slice(0, top);
    out.push(table(['kind', 'identifier', 'accounts', 'why'], hubs.map((h) => [mdText(h.kind), mdCode(h.id), int(h.degree), mdText(h.reason ?? 'above the hub limit')])), '');
    const more = moreHubsText(report, hubs.length);
    if (more) out.push(more, '');
  }
  out.push('## Baseline', '', `${mdText(report.baseline.definition)}: ${int(report.baseline.accounts)} accounts, ${int(report.baseline.exchanges)} exchanges, ${num(report.baseline.exchanges_per_account_day)} exchanges per account-day, ${accountsPerInstrumentText(report.baseline.accounts_per_instrument)}, ${pct(report.baseline.prepaid_virtual_share)} prepaid/virtual, ${pct(report.baseline.proxy_share)} on proxies.`, '');
  out.push('How the risk is scored: docs/risk-model.md. Every number above is in report.json (schema: docs/report-schema.md).');
  return `${out.join('\n')}\n`;
}

function clusterSection(report: SweepReport, c: ClusterProfile, heading: string): string {
  const base = report.baseline;
  const out: string[] = [];
  out.push(`${heading} ${mdText(c.cluster_id)} — risk ${c.risk} (${c.tier}), ${int(c.accounts)} accounts`, '');
  for (const r of c.reasons) out.push(`- **${mdText(r.code)}** (${r.points > 0 ? '+' : ''}${num(r.points)}): ${mdText(r.text)}`);
  out.push('');
  out.push(
    `${int(c.exchanges)} exchanges (${pct(c.share_of_platform_exchanges)} of the platform), ${num(c.exchanges_per_account_day)} per account-day vs ${num(base.exchanges_per_account_day)}; ` +
      `active ${c.time.active_first_day ?? '–'} … ${c.time.active_last_day ?? '–'}; created ${c.time.created_first?.slice(0, 10) ?? '?'} … ${c.time.created_last?.slice(0, 10) ?? '?'}.`,
    '',
  );
  out.push(
    table(
      ['capability', 'cluster', 'baseline', 'lift'],
      capabilityOrder(c, base.capability_mix).map((name) => [mdText(name), pct(c.capability_mix[name] ?? 0), pct(base.capability_mix[name] ?? 0), c.capability_lift[name] == null ? '–' : `${num(c.capability_lift[name]!)}×`]),
    ),
    '',
  );
  if (c.top_identifiers.length > 0) {
    out.push(table(['kind', 'identifier', 'members', 'platform accounts'], c.top_identifiers.map((i) => [mdText(`${i.kind} (${i.subkind})`), mdCode(i.id), int(i.members), int(i.platform_accounts)])));
  }
  return out.join('\n');
}

export function renderClusterMarkdown(input: ClusterDetailInput): string {
  const { cluster: c } = input;
  const out = [clusterSection(input.report, c, '#'), ''];
  if (c.time.active_first_day) out.push(`Timeline: \`${c.time.active_first_day} ${sparkline(c.daily_exchanges)} ${addDays(c.time.active_first_day, c.daily_exchanges.length - 1)}\``, '');
  const sample = input.members.slice(0, input.sample ?? DEFAULT_MEMBER_SAMPLE);
  out.push(`## Members (${int(sample.length)} of ${int(input.members.length)})`, '');
  out.push(table(['account', 'role', 'evidence'], sample.map((m) => [mdText(m.account_id), mdText(m.role), mdText(m.evidence)])));
  return `${out.join('\n')}\n`;
}
