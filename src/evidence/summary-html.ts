/**
 * data/summary.html: one self-contained file (inline CSS and SVG, no scripts, no network) that a lawyer can
 * open in any browser without the tool.
 */
// XML escaping is also right for HTML text and attribute values.
import { escapeXml as escapeHtml } from '../report/svg';
import type { SummaryModel } from './summary';

export interface SummaryPictures {
  graphSvg: string;
  graphCaption: string;
  volumeSvg: string;
  mixSvg: string;
}

export interface PackFileDescription {
  path: string;
  description: string;
}

const STYLE = `
body { font-family: Georgia, 'Times New Roman', serif; color: #111827; max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.5; }
h1 { font-family: Helvetica, Arial, sans-serif; font-size: 1.9rem; margin-bottom: 0.2rem; }
h2 { font-family: Helvetica, Arial, sans-serif; font-size: 1.3rem; border-bottom: 2px solid #b91c1c; padding-bottom: 0.2rem; margin-top: 2.2rem; }
.subtitle { color: #4b5563; font-family: Helvetica, Arial, sans-serif; margin-top: 0; }
.finding { font-size: 1.1rem; background: #fef2f2; border-left: 5px solid #b91c1c; padding: 0.8rem 1.2rem; }
.notice { background: #eff6ff; border-left: 5px solid #2563eb; padding: 0.6rem 1.2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.6rem; border-bottom: 1px solid #e5e7eb; }
th { font-family: Helvetica, Arial, sans-serif; background: #f9fafb; }
td.number { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
code, .mono { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 0.85rem; word-break: break-all; }
figure { margin: 1rem 0; }
figcaption { color: #374151; font-size: 0.95rem; margin-top: 0.4rem; }
svg { display: block; border: 1px solid #e5e7eb; }
code.reason { word-break: normal; }
.small { font-size: 0.9rem; color: #374151; }
table.params { font-size: 0.85rem; }
table.params th { width: 45%; word-break: normal; overflow-wrap: normal; font-weight: normal; font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
details summary { cursor: pointer; font-family: Helvetica, Arial, sans-serif; }
footer { margin-top: 3rem; color: #6b7280; font-size: 0.85rem; }
`;

export function summaryHtml(model: SummaryModel, pictures: SummaryPictures, files: readonly PackFileDescription[]): string {
  const rows = (items: ReadonlyArray<{ label: string; value: string }>) =>
    items.map((item) => `<tr><th scope="row">${escapeHtml(item.label)}</th><td>${escapeHtml(item.value)}</td></tr>`).join('\n');
  const reasons = model.reasons.length
    ? `<table><thead><tr><th>Reason</th><th>What it means</th><th>Value</th><th>Baseline</th><th>Risk points</th></tr></thead><tbody>
${model.reasons
  .map(
    (reason) =>
      `<tr><td><code class="reason">${escapeHtml(reason.code).replace(/_/g, '_<wbr>')}</code></td><td>${escapeHtml(reason.text)}</td><td class="number">${escapeHtml(reason.value)}</td><td class="number">${escapeHtml(reason.baseline)}</td><td class="number">${escapeHtml(reason.points)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>
<p class="small">Value: the measurement behind the reason (a percentage where it is a share). Baseline: the same measurement for ordinary accounts; "—" where there is none to compare with.</p>`
    : '<p>The sweep recorded no reasons for this cluster.</p>';
  const mixTable = `<table><thead><tr><th>Capability</th><th>Share of this cluster's exchanges</th><th>Share in the baseline</th><th>Times the baseline</th></tr></thead><tbody>
${model.mix
  .map(
    (row) =>
      `<tr><td>${escapeHtml(row.capability)}</td><td class="number">${(row.cluster * 100).toFixed(1)}%</td><td class="number">${(row.baseline * 100).toFixed(1)}%</td><td class="number">${row.baseline > 0 ? (row.cluster / row.baseline).toFixed(2) : '–'}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
  const inputs = `<table><thead><tr><th>Input file</th><th>Bytes</th><th>Rows</th><th>SHA-256</th></tr></thead><tbody>
${model.inputFiles.map((file) => `<tr><td>${escapeHtml(file.file)}</td><td class="number">${escapeHtml(file.bytes)}</td><td>${escapeHtml(file.rows)}</td><td class="mono">${escapeHtml(file.sha256)}</td></tr>`).join('\n')}
</tbody></table>`;
  const contents = `<table><thead><tr><th>File</th><th>What it holds</th></tr></thead><tbody>
${files.map((file) => `<tr><td><code>${escapeHtml(file.path)}</code></td><td>${escapeHtml(file.description)}</td></tr>`).join('\n')}
</tbody></table>`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(model.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(model.title)}</h1>
<p class="subtitle">${escapeHtml(model.subtitle)}</p>
${model.pseudonymisation ? `<p class="notice">${escapeHtml(model.pseudonymisation)}</p>` : ''}
<h2>The finding</h2>
<div class="finding">
${model.finding.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
</div>
${model.review.length ? `<h2>Review</h2>\n${model.review.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}` : ''}
<h2>Key numbers</h2>
<table><tbody>
${rows(model.keyNumbers)}
</tbody></table>
<h2>Why this cluster was flagged</h2>
${reasons}
<h2>Member accounts: examples</h2>
<table><thead><tr><th>Account</th><th>Role</th><th>Created</th><th>Exchanges</th><th>Why it is a member</th></tr></thead><tbody>
${model.memberExamples.map((member) => `<tr><td class="nowrap"><code>${escapeHtml(member.account)}</code></td><td>${escapeHtml(member.role)}</td><td class="nowrap">${escapeHtml(member.created)}</td><td class="number">${escapeHtml(member.exchanges)}</td><td>${escapeHtml(member.evidence)}</td></tr>`).join('\n')}
</tbody></table>
<p>${escapeHtml(model.memberExamplesNote)}</p>
<h2>How the accounts are tied together</h2>
<figure>
${pictures.graphSvg}
<figcaption>${escapeHtml(pictures.graphCaption)} Grey dots are member accounts; coloured circles are the identifiers they share; the most shared are labelled with the number of member accounts using them.</figcaption>
</figure>
<h2>Activity over time</h2>
<figure>
${pictures.volumeSvg}
<figcaption>Exchanges made by the member accounts. Per-account, per-day, per-capability figures are in exchanges.csv.</figcaption>
</figure>
<h2>What the accounts asked for: capability mix against the baseline</h2>
<figure>
${pictures.mixSvg}
<figcaption>Share of exchanges in each capability, this cluster against the ${escapeHtml(model.mixBaselineLabel)}.</figcaption>
</figure>
${mixTable}
<h2>How it was detected</h2>
${model.method.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<table><thead><tr><th>Parameter</th><th>Value</th></tr></thead><tbody>
${rows(model.parameters)}
</tbody></table>
<p>${escapeHtml(model.parametersNote)}</p>
<details><summary>All ${model.allParameters.length.toLocaleString('en-US')} parameters</summary>
<table class="params"><tbody>
${model.allParameters.map((item) => `<tr><th scope="row">${escapeHtml(item.label).replace(/\./g, '.<wbr>')}</th><td>${escapeHtml(item.value)}</td></tr>`).join('\n')}
</tbody></table>
</details>
<h2>Data analysed</h2>
${inputs}
<h2>What is in this pack</h2>
${contents}
<h2>Limits</h2>
<ul>
${model.limits.map((line) => `<li>${escapeHtml(line)}</li>`).join('\n')}
</ul>
<footer>Made by ${escapeHtml(model.subtitle)}. This page needs no network and no software besides a browser.</footer>
</body>
</html>
`;
}
