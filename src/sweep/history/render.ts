/**
 * Renderers for the since-last-sweep section (terminal, Markdown, HTML fragment) and for `swarmscope diff`.
 * The sweep's report renderers call these to add the section; JSON needs none (the object is the section).
 */
import { terminalText } from '../../core/terminal';
import type { SweepDiff } from './diff';
import { sharedIdentifiersPhrase } from './identifier-links';
import type { ClusterEvent, ClusterEventKind } from './lineage';
import type { SinceLastSweep } from './since-last-sweep';

const EVENT_ORDER: ClusterEventKind[] = ['new', 'returned', 'grown', 'merged', 'split', 'shrunk', 'unchanged', 'dormant'];
/** The terminal and Markdown list every event but `unchanged` (counted only), so a week with 500 stable groups stays readable. */
const LISTED_EVENTS = new Set<ClusterEventKind>(['new', 'returned', 'grown', 'merged', 'split', 'shrunk', 'dormant']);
/** Counted in the summary line only when some cluster had it (a diff of two sweeps never has one). */
const COUNTED_WHEN_SEEN = new Set<ClusterEventKind>(['returned']);
/** The terminal lists risk changes of at least this many points (all of them are in report.json and the Markdown). */
const RISK_CHANGE_SHOWN = 5;

function number(value: number | null): string {
  return value === null ? '–' : value.toLocaleString('en-US');
}

/** "1 change", "1,350 changes". */
function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${number(count)} ${count === 1 ? singular : pluralForm}`;
}

function countsLine(counts: Record<ClusterEventKind, number>): string {
  return EVENT_ORDER.filter((kind) => !COUNTED_WHEN_SEEN.has(kind) || (counts[kind] ?? 0) > 0)
    .map((kind) => `${number(counts[kind])} ${kind}`)
    .join(', ');
}

function eventSentence(event: ClusterEvent): string {
  const size = `${number(event.accounts_before)} → ${number(event.accounts_after)} accounts`;
  const churn = event.event === 'new' || event.event === 'dormant' ? '' : ` (+${number(event.joined)} / −${number(event.left)})`;
  const risk =
    event.risk_before !== null && event.risk_after !== null && event.risk_before !== event.risk_after
      ? `, risk ${event.risk_before} → ${event.risk_after}`
      : event.risk_after !== null
        ? `, risk ${event.risk_after}`
        : '';
  const parents =
    event.parents.length > 1 || (event.parents.length === 1 && event.parents[0].cluster_id !== event.cluster_id)
      ? ` from ${event.parents.map((parent) => `${parent.cluster_id} (${number(parent.shared)} shared)`).join(', ')}`
      : '';
  const lastSeen = event.event === 'returned' && event.last_seen_sweep ? ` (last seen in sweep ${event.last_seen_sweep})` : '';
  return `${event.cluster_id} ${event.event}: ${size}${churn}${risk}${parents}${lastSeen}${reuses(event)}`;
}

/** ", reuses 120 instruments and 2 fingerprints of C0001 (W1)" for a new cluster with identifier links. */
function reuses(event: ClusterEvent): string {
  if (!event.identifier_links?.length) return '';
  const parts = event.identifier_links.map(
    (link) => `${sharedIdentifiersPhrase(link, { instrument: 'instrument', fingerprint: 'fingerprint' })} of ${link.cluster_id} (${link.sweep_id})`,
  );
  return `, reuses ${parts.join('; ')}`;
}

/** The "from" cell: the linked previous clusters, or the known clusters whose identifiers a new one reuses. */
function fromCell(event: ClusterEvent): string {
  if (event.parents.length) return event.parents.map((parent) => parent.cluster_id).join(', ');
  return (event.identifier_links ?? []).map((link) => `identifiers of ${link.cluster_id}`).join(', ');
}

/** Listed events, riskiest first within each kind. The first sweep of a state dir lists none: every cluster is new. */
function orderedEvents(events: readonly ClusterEvent[], firstSweep = false): ClusterEvent[] {
  if (firstSweep) return [];
  const risk = (event: ClusterEvent) => event.risk_after ?? event.risk_before ?? 0;
  return events
    .filter((event) => LISTED_EVENTS.has(event.event))
    .sort((a, b) => EVENT_ORDER.indexOf(a.event) - EVENT_ORDER.indexOf(b.event) || risk(b) - risk(a) || b.accounts_after - a.accounts_after);
}

export function renderSinceLastSweepText(section: SinceLastSweep, options: { maxEvents?: number } = {}): string {
  const max = options.maxEvents ?? 20;
  const lines: string[] = [];
  lines.push(`Since last sweep${section.previous_sweep ? ` (${section.previous_sweep.sweep_id})` : ' (first sweep of this state dir: every cluster is new)'}`);
  lines.push(`  ${countsLine(section.counts)}`);
  if (section.alerts.length) {
    lines.push(`  Alerts (${number(section.alerts.length)}):`);
    for (const alert of section.alerts.slice(0, max)) lines.push(`    ! ${alert.message}`);
    if (section.alerts.length > max) lines.push(`    … ${number(section.alerts.length - max)} more in report.json`);
  } else {
    lines.push('  No alerts.');
  }
  if (section.suppressed_alerts.length) {
    lines.push(`  ${plural(section.suppressed_alerts.length, 'change')} not alerted: ${section.suppressed_alerts.length === 1 ? 'its cluster is' : 'their clusters are'} dismissed in the case book.`);
  }
  const listed = orderedEvents(section.events, section.previous_sweep === null);
  if (listed.length) {
    lines.push('  Changes:');
    for (const event of listed.slice(0, max)) lines.push(`    ${eventSentence(event)}`);
    if (listed.length > max) lines.push(`    … ${number(listed.length - max)} more in report.json`);
  }
  const risky = section.risk_changes.filter((change) => Math.abs(change.change) >= RISK_CHANGE_SHOWN);
  if (risky.length) {
    lines.push(`  Risk changes of ${RISK_CHANGE_SHOWN}+ points: ${risky.slice(0, max).map((change) => `${change.cluster_id} ${change.risk_before} → ${change.risk_after}`).join(', ')}${risky.length > max ? ', …' : ''}`);
  }
  for (const joined of section.joined_known_campaigns.slice(0, max)) {
    lines.push(`  ${plural(joined.joined, 'account')} joined ${joined.cluster_id}${joined.case_status ? ` [${joined.case_status}]` : ''}: ${joined.sample.join(', ')}${joined.joined > joined.sample.length ? ', …' : ''}`);
  }
  // Each line holds ids and account ids from the sweeps: escaped, so one stays one line on a terminal.
  return `${lines.map(terminalText).join('\n')}\n`;
}

function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

export function renderSinceLastSweepMarkdown(section: SinceLastSweep): string {
  const out: string[] = ['## Since last sweep', ''];
  out.push(
    section.previous_sweep
      ? `Compared with sweep \`${section.previous_sweep.sweep_id}\` (started ${section.previous_sweep.started_at}): ${countsLine(section.counts)}.`
      : 'First sweep of this state dir: every cluster is new.',
  );
  out.push('');
  if (section.alerts.length) {
    out.push('### Alerts', '');
    for (const alert of section.alerts) out.push(`- **${alert.kind}** — ${mdCell(alert.message)}`);
    out.push('');
  }
  const listed = orderedEvents(section.events, section.previous_sweep === null);
  if (listed.length) {
    out.push('### Changes', '', '| cluster | event | accounts before | accounts after | joined | left | risk before | risk after | from |', '|---|---|---:|---:|---:|---:|---:|---:|---|');
    for (const event of listed) {
      out.push(
        `| ${event.cluster_id} | ${event.event} | ${number(event.accounts_before)} | ${number(event.accounts_after)} | ${number(event.joined)} | ${number(event.left)} | ${number(event.risk_before)} | ${number(event.risk_after)} | ${mdCell(fromCell(event))} |`,
      );
    }
    out.push('');
  }
  if (section.joined_known_campaigns.length) {
    out.push('### New accounts in known campaigns', '');
    for (const joined of section.joined_known_campaigns) {
      out.push(`- ${joined.cluster_id}${joined.case_status ? ` (${joined.case_status})` : ''}: ${number(joined.joined)} joined — ${joined.sample.map((id) => `\`${mdCell(id)}\``).join(', ')}${joined.joined > joined.sample.length ? ', …' : ''}`);
    }
    out.push('');
  }
  if (section.risk_changes.length) {
    out.push('### Risk changes', '');
    for (const change of section.risk_changes.slice(0, 20)) out.push(`- ${change.cluster_id}: ${change.risk_before} → ${change.risk_after} (${change.change > 0 ? '+' : ''}${change.change})`);
    out.push('');
  }
  return out.join('\n');
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A self-contained <section> (no scripts, no external styles) for the HTML report. */
export function renderSinceLastSweepHtml(section: SinceLastSweep): string {
  const parts: string[] = ['<section id="since-last-sweep">', '<h2>Since last sweep</h2>'];
  parts.push(
    `<p>${section.previous_sweep ? `Compared with sweep <code>${html(section.previous_sweep.sweep_id)}</code>: ${html(countsLine(section.counts))}.` : 'First sweep of this state dir: every cluster is new.'}</p>`,
  );
  if (section.alerts.length) {
    parts.push('<h3>Alerts</h3><ul>');
    for (const alert of section.alerts) parts.push(`<li><strong>${html(alert.kind)}</strong> — ${html(alert.message)}</li>`);
    parts.push('</ul>');
  }
  const listed = orderedEvents(section.events, section.previous_sweep === null);
  if (listed.length) {
    parts.push('<h3>Changes</h3><table><thead><tr><th>cluster</th><th>event</th><th>accounts before</th><th>accounts after</th><th>joined</th><th>left</th><th>risk before</th><th>risk after</th><th>from</th></tr></thead><tbody>');
    for (const event of listed) {
      parts.push(
        `<tr><td>${html(event.cluster_id)}</td><td>${event.event}</td><td>${number(event.accounts_before)}</td><td>${number(event.accounts_after)}</td><td>${number(event.joined)}</td><td>${number(event.left)}</td><td>${number(event.risk_before)}</td><td>${number(event.risk_after)}</td><td>${html(fromCell(event))}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  if (section.joined_known_campaigns.length) {
    parts.push('<h3>New accounts in known campaigns</h3><ul>');
    for (const joined of section.joined_known_campaigns) {
      parts.push(`<li>${html(joined.cluster_id)}${joined.case_status ? ` (${joined.case_status})` : ''}: ${number(joined.joined)} joined — ${html(joined.sample.join(', '))}${joined.joined > joined.sample.length ? ', …' : ''}</li>`);
    }
    parts.push('</ul>');
  }
  if (section.risk_changes.length) {
    parts.push('<h3>Risk changes</h3><ul>');
    for (const change of section.risk_changes.slice(0, 20)) {
      parts.push(`<li>${html(change.cluster_id)}: ${change.risk_before} → ${change.risk_after} (${change.change > 0 ? '+' : ''}${change.change})</li>`);
    }
    parts.push('</ul>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

export function renderDiffText(diff: SweepDiff): string {
  const lines = [`${diff.from.sweep_id} → ${diff.to.sweep_id}: ${countsLine(diff.counts)}`];
  for (const event of orderedEvents(diff.events)) {
    const continued = event.previous_id && event.previous_id !== event.cluster_id && event.event !== 'dormant' ? ` (was ${event.previous_id})` : '';
    lines.push(`  ${eventSentence(event)}${continued}`);
  }
  if (diff.retired.length) lines.push(`  retired (absorbed by a merge or split): ${diff.retired.join(', ')}`);
  return `${lines.map(terminalText).join('\n')}\n`;
}
