/**
 * report.html: one self-contained page (inline CSS and SVG; no scripts, fonts, images or links to fetch), so an
 * investigator can open it offline or attach it to a case. Charts: cluster size vs risk, exchange volume over
 * time, and per flagged cluster its capability mix against the baseline.
 */
import { compact, int, num, pct } from '../score/format';
import type { ClusterProfile, RiskTier } from '../score/types';
import { renderSinceLastSweepHtml } from '../sweep/history/render';
import type { SinceLastSweep } from '../sweep/history/since-last-sweep';
import type { SweepReport } from '../sweep/types';
import { addDays, capabilityOrder, DEFAULT_MEMBER_SAMPLE, DEFAULT_TOP, flaggedClusters, hubLimitText, moreHubsText, topCapabilities, type ClusterDetailInput, type RenderInput } from './common';
import { escapeXml as esc, groupedBarChart, lineChart, logScatter, PALETTE } from './svg';

const TIER_COLOR: Record<RiskTier, string> = { high: '#c0392b', medium: '#d68910', low: '#7f8c8d' };
const BASELINE_COLOR = '#95a5a6';
const SCATTER_POINTS = 2000;

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
main{max-width:1080px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:16px;margin:0 0 8px}
.meta{color:#555;font-size:13px}
.kpis{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.kpi{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:130px}
.kpi b{display:block;font-size:20px}.kpi span{color:#555;font-size:12px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{border:1px solid #e1e1e1;padding:4px 6px;text-align:left;vertical-align:top}th{background:#efefef}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.tier{display:inline-block;color:#fff;border-radius:3px;padding:0 6px;font-size:12px}
.card{background:#fff;border:1px solid #ddd;border-left:6px solid #999;border-radius:6px;padding:14px 16px;margin:14px 0}
.reasons{margin:6px 0 10px;padding-left:18px}.reasons li{margin:3px 0}
.up{color:#a93226}.down{color:#1e8449}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:6px 16px;font-size:13px;margin:8px 0}
.grid div span{color:#666}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px;overflow-x:auto}
code{font-size:12px;word-break:break-all}
.warn{background:#fff4e5;border:1px solid #f0c36d;padding:8px 12px;border-radius:6px}
footer{color:#666;font-size:12px;margin-top:32px}
`;

function page(title: string, body: string[]): string {
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head>` +
    `<body><main>${body.join('\n')}</main></body></html>\n`
  );
}

function tierBadge(tier: RiskTier): string {
  return `<span class="tier" style="background:${TIER_COLOR[tier]}">${tier}</span>`;
}

function kpi(value: string, label: string): string {
  return `<div class="kpi"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
}

export function renderHtml(input: RenderInput): string {
  const { report } = input;
  const top = input.top ?? DEFAULT_TOP;
  const t = report.totals;
  const flagged = flaggedClusters(report);
  const body: string[] = [];
  body.push(`<h1>swarmscope sweep ${esc(report.sweep.id)}</h1>`);
  body.push(
    `<div class="meta">Started ${esc(report.sweep.started_at)} · input <code>${esc(report.sweep.input_dir)}</code> · ` +
      `${esc(report.sweep.software.name)} ${esc(report.sweep.software.version)} · ${esc(report.detection.algorithm)} ` +
      `(resolution ${num(report.detection.resolution)}, seed ${report.detection.seed}, modularity ${num(report.detection.modularity)})</div>`,
  );
  body.push(
    `<div class="kpis">${kpi(int(t.accounts), 'accounts')}${kpi(compact(t.exchanges), 'exchanges')}${kpi(int(t.clusters), 'clusters')}` +
      `${kpi(int(flagged.filter((c) => c.tier === 'high').length), 'high-risk clusters')}${kpi(int(flagged.filter((c) => c.tier === 'medium').length), 'medium-risk clusters')}` +
      `${kpi(pct(t.exchanges > 0 ? flagged.reduce((s, c) => s + c.exchanges, 0) / t.exchanges : 0), 'of exchanges from flagged clusters')}</div>`,
  );
  if (report.sweep.rejects.rows > 0) {
    body.push(`<p class="warn">${int(report.sweep.rejects.rows)} input rows were rejected — see <code>${esc(report.sweep.rejects.file ?? 'rejects.csv')}</code>.</p>`);
  }
  if (report.since_last_sweep) body.push(renderSinceLastSweepHtml(report.since_last_sweep as SinceLastSweep));

  body.push('<h2>Clusters by risk</h2>');
  body.push(clusterTable(report.clusters.slice(0, top)));
  if (report.clusters.length > top) body.push(`<p class="meta">…and ${int(report.clusters.length - top)} more clusters in clusters.csv.</p>`);

  body.push('<h2>Cluster size and risk</h2>');
  // Draw at most SCATTER_POINTS clusters (the highest risk ones, which include every flagged cluster) so a
  // million-account sweep's page stays small; low-risk tails overlap at risk 0 anyway.
  const plotted = report.clusters.slice(0, Math.max(SCATTER_POINTS, flagged.length));
  if (plotted.length < report.clusters.length) {
    body.push(`<p class="meta">The ${int(plotted.length)} highest-risk of ${int(report.clusters.length)} clusters.</p>`);
  }
  body.push(
    `<div class="chart">${logScatter({
      title: 'Cluster size (accounts, log scale) against risk',
      xTitle: 'accounts in cluster (log scale)',
      yTitle: 'risk',
      yMax: 100,
      points: [...plotted].reverse().map((c) => ({ x: c.accounts, y: c.risk, label: c.cluster_id, color: TIER_COLOR[c.tier] })),
      labelTop: 0,
    })}</div>`,
  );

  body.push('<h2>Exchange volume over time</h2>');
  body.push(`<div class="chart">${volumeChart(report, flagged.slice(0, PALETTE.length - 1))}</div>`);

  body.push('<h2>Flagged clusters</h2>');
  if (flagged.length === 0) body.push('<p>No cluster reached the medium or high tier.</p>');
  for (const cluster of flagged.slice(0, top)) body.push(clusterCard(report, cluster));

  if (report.hubs.length > 0) {
    const limits = hubLimitText(report);
    body.push(
      `<h2>Hubs</h2><p class="meta">Identifiers set aside as population infrastructure: their accounts lie in many separate groups that share nothing else${limits ? ` (explicit hub limit: ${esc(limits)})` : ''}. They link no accounts in detection.</p>`,
    );
    const hubs = report.hubs.slice(0, top);
    body.push(
      `<table><tr><th>kind</th><th>identifier</th><th>accounts</th><th>why</th></tr>${hubs
        .map((h) => `<tr><td>${esc(h.kind)}</td><td><code>${esc(h.id)}</code></td><td class="n">${int(h.degree)}</td><td>${esc(h.reason ?? 'above the hub limit')}</td></tr>`)
        .join('')}</table>`,
    );
    const more = moreHubsText(report, hubs.length);
    if (more) body.push(`<p class="meta">${esc(more)}</p>`);
  }
  body.push(provenance(report));
  return page(`swarmscope sweep ${report.sweep.id}`, body);
}

function clusterTable(clusters: ClusterProfile[]): string {
  if (clusters.length === 0) return '<p>No clusters found.</p>';
  const rows = clusters.map(
    (c) =>
      `<tr><td><a href="#${esc(c.cluster_id)}">${esc(c.cluster_id)}</a></td><td class="n">${int(c.accounts)}</td><td class="n">${int(c.exchanges)}</td>` +
      `<td>${esc(topCapabilities(c))}</td><td class="n">${c.risk}</td><td>${tierBadge(c.tier)}</td><td>${esc(c.reasons[0]?.text ?? '')}</td></tr>`,
  );
  return `<table><tr><th>cluster</th><th>accounts</th><th>exchanges</th><th>top capabilities</th><th>risk</th><th>tier</th><th>first reason</th></tr>${rows.join('')}</table>`;
}

function volumeChart(report: SweepReport, clusters: ClusterProfile[]): string {
  const base = report.baseline;
  if (!base.first_day || base.daily_exchanges.length === 0) return '<p>No exchanges.</p>';
  const days = base.daily_exchanges.length;
  const labels = Array.from({ length: days }, (_, i) => addDays(base.first_day!, i));
  const start = Date.parse(`${base.first_day}T00:00:00Z`);
  const series = [{ name: 'ordinary accounts', color: BASELINE_COLOR, values: base.daily_exchanges }];
  clusters.forEach((c, i) => {
    const values = new Array<number>(days).fill(0);
    if (c.time.active_first_day) {
      const offset = Math.round((Date.parse(`${c.time.active_first_day}T00:00:00Z`) - start) / 86_400_000);
      c.daily_exchanges.forEach((v, d) => {
        if (offset + d >= 0 && offset + d < days) values[offset + d] = v;
      });
    }
    series.push({ name: `${c.cluster_id} (risk ${c.risk})`, color: PALETTE[i], values });
  });
  return lineChart({ title: 'Exchanges per day: ordinary accounts and flagged clusters', xLabels: labels, series });
}

function clusterCard(report: SweepReport, c: ClusterProfile): string {
  const base = report.baseline;
  const { names, clusterShare, baselineShare } = chartCapabilities(c, base.capability_mix);
  const reasons = c.reasons
    .map((r) => `<li class="${r.points > 0 ? 'up' : 'down'}"><b>${esc(r.code)}</b> (${r.points > 0 ? '+' : ''}${num(r.points)}): ${esc(r.text)}</li>`)
    .join('');
  const stat = (label: string, value: string) => `<div><span>${esc(label)}</span><br>${esc(value)}</div>`;
  const identifiers = c.top_identifiers.length
    ? `<table><tr><th>kind</th><th>identifier</th><th>members</th><th>platform accounts</th></tr>${c.top_identifiers
        .map((i) => `<tr><td>${esc(i.kind)} (${esc(i.subkind)})</td><td><code>${esc(i.id)}</code></td><td class="n">${int(i.members)}</td><td class="n">${int(i.platform_accounts)}</td></tr>`)
        .join('')}</table>`
    : '';
  return (
    `<section class="card" id="${esc(c.cluster_id)}" style="border-left-color:${TIER_COLOR[c.tier]}">` +
    `<h3>${esc(c.cluster_id)} · risk ${c.risk} ${tierBadge(c.tier)} · ${int(c.accounts)} accounts · ${int(c.exchanges)} exchanges</h3>` +
    `<ul class="reasons">${reasons || '<li>no reasons</li>'}</ul>` +
    `<div class="grid">` +
    stat('share of platform exchanges', pct(c.share_of_platform_exchanges)) +
    stat('exchanges per account-day', `${num(c.exchanges_per_account_day)} (ordinary ${num(base.exchanges_per_account_day)})`) +
    stat('tokens in / out', `${compact(c.input_tokens)} / ${compact(c.output_tokens)}`) +
    stat('created', `${c.time.created_first?.slice(0, 10) ?? '?'} … ${c.time.created_last?.slice(0, 10) ?? '?'}`) +
    stat('active', `${c.time.active_first_day ?? '–'} … ${c.time.active_last_day ?? '–'}`) +
    stat('busiest 24 h / burstiness', `${pct(c.time.busiest_24h_share)} / ${num(c.time.creation_burstiness)}`) +
    stat('accounts per instrument', `${num(c.payment.accounts_per_instrument)} (ordinary: ${base.accounts_per_instrument > 0 ? num(base.accounts_per_instrument) : 'no payment instruments'})`) +
    stat('prepaid/virtual', `${pct(c.payment.prepaid_virtual_share)} (ordinary ${pct(base.prepaid_virtual_share)})`) +
    stat('proxy-flagged', `${pct(c.network.proxy_share)} (ordinary ${pct(base.proxy_share)})`) +
    stat('ASNs / HHI', `${int(c.network.distinct_asns)} / ${num(c.network.asn_hhi)}`) +
    stat('automation fingerprints', `${int(c.network.automation_fingerprints)} on ${pct(c.network.automation_fingerprint_share)} of accounts`) +
    stat('registered / unregistered', `${int(c.registered_accounts)} / ${int(c.unregistered_accounts)}`) +
    `</div>` +
    `<div class="chart">${groupedBarChart({
      title: `${c.cluster_id} capability mix against ordinary accounts`,
      categories: names,
      series: [
        { name: c.cluster_id, color: TIER_COLOR[c.tier], values: clusterShare },
        { name: 'ordinary accounts', color: BASELINE_COLOR, values: baselineShare },
      ],
      format: pct,
      width: 620,
    })}</div>` +
    identifiers +
    `</section>`
  );
}

/** Bars the capability chart has room for; beyond that the smallest capabilities share one "other" bar. */
const CAPABILITY_BARS = 8;

/** The capability chart's categories and shares: every capability, or the largest ones and "other (N)" holding the rest. */
function chartCapabilities(c: ClusterProfile, baselineMix: Record<string, number>): { names: string[]; clusterShare: number[]; baselineShare: number[] } {
  const ordered = capabilityOrder(c, baselineMix);
  const shown = ordered.length > CAPABILITY_BARS ? ordered.slice(0, CAPABILITY_BARS - 1) : ordered;
  const rest = ordered.slice(shown.length);
  const sum = (mix: Record<string, number>, names: string[]) => names.reduce((total, name) => total + (mix[name] ?? 0), 0);
  const names = rest.length > 0 ? [...shown, `other (${rest.length} more)`] : shown;
  const clusterShare = shown.map((n) => c.capability_mix[n] ?? 0);
  const baselineShare = shown.map((n) => baselineMix[n] ?? 0);
  if (rest.length > 0) {
    clusterShare.push(sum(c.capability_mix, rest));
    baselineShare.push(sum(baselineMix, rest));
  }
  return { names, clusterShare, baselineShare };
}

function provenance(report: SweepReport): string {
  const files = report.sweep.input_files
    .map((f) => `<tr><td>${esc(f.file)}</td><td><code>${esc(f.path ?? '(absent)')}</code></td><td class="n">${int(f.rows_read)}</td><td class="n">${int(f.rows_rejected)}</td><td><code>${esc(f.sha256 ?? '')}</code></td></tr>`)
    .join('');
  // render and total are only known after this page is written (they are in report.json).
  const s = report.sweep.stages;
  const stages = `import ${num(s.import)} s · detect ${num(s.detect)} s · profile ${num(s.profile)} s · save ${num(s.save)} s`;
  return (
    `<h2>Provenance</h2><table><tr><th>file</th><th>path</th><th>rows read</th><th>rejected</th><th>SHA-256</th></tr>${files}</table>` +
    `<details><summary>Parameters</summary><pre>${esc(JSON.stringify(report.sweep.parameters, null, 2))}</pre></details>` +
    `<footer>Stages: ${esc(stages)}. Risk model: docs/risk-model.md · report schema: docs/report-schema.md (schema_version ${report.schema_version}).</footer>`
  );
}

export function renderClusterHtml(input: ClusterDetailInput): string {
  const { report, cluster } = input;
  const sample = input.members.slice(0, input.sample ?? DEFAULT_MEMBER_SAMPLE);
  const timeline = cluster.time.active_first_day
    ? lineChart({
        title: `${cluster.cluster_id} exchanges per day`,
        xLabels: cluster.daily_exchanges.map((_, i) => addDays(cluster.time.active_first_day!, i)),
        series: [{ name: cluster.cluster_id, color: TIER_COLOR[cluster.tier], values: cluster.daily_exchanges }],
      })
    : '<p>No exchanges.</p>';
  const members = `<table><tr><th>account</th><th>role</th><th>evidence</th></tr>${sample
    .map((m) => `<tr><td><code>${esc(m.account_id)}</code></td><td>${esc(m.role)}</td><td>${esc(m.evidence)}</td></tr>`)
    .join('')}</table>`;
  return page(`swarmscope ${cluster.cluster_id}`, [
    `<h1>Cluster ${esc(cluster.cluster_id)}</h1><div class="meta">sweep ${esc(report.sweep.id)} · ${esc(report.sweep.started_at)}</div>`,
    clusterCard(report, cluster),
    `<h2>Timeline</h2><div class="chart">${timeline}</div>`,
    `<h2>Members (${int(sample.length)} of ${int(input.members.length)})</h2>${members}`,
  ]);
}
