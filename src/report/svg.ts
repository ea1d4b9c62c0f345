/**
 * Small inline-SVG chart helpers for report.html: no scripts, no fonts, no network — the SVG is text in the
 * page, so the report can be opened offline or attached to a case. Every label is XML-escaped.
 */
import { compact } from '../score/format';
import { maxOf } from '../core/max';

export const PALETTE = ['#c0392b', '#2471a3', '#d68910', '#7d3c98', '#1e8449', '#a04000', '#566573', '#b03a2e'];
const AXIS = '#555';
const GRID = '#e3e3e3';
const FONT = 'font-family="sans-serif" font-size="11"';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function svgOpen(width: number, height: number, title: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">` +
    `<title>${escapeXml(title)}</title>`
  );
}

function fixed(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : '0';
}

/** Round axis maximum: 1, 2 or 5 × 10^k at or above value. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export interface BarSeries {
  name: string;
  color: string;
  /** One value per category. */
  values: number[];
}

/** Horizontal grouped bars: one row per category, one bar per series (e.g. cluster vs baseline share). */
export function groupedBarChart(options: {
  title: string;
  categories: string[];
  series: BarSeries[];
  format: (value: number) => string;
  width?: number;
}): string {
  const width = options.width ?? 520;
  const labelWidth = 150;
  const barHeight = 10;
  const rowHeight = options.series.length * barHeight + 8;
  const top = 24;
  const height = top + options.categories.length * rowHeight + 8;
  const plotWidth = width - labelWidth - 60;
  const max = niceMax(maxOf(options.series.flatMap((s) => s.values), 0));
  const parts = [svgOpen(width, height, options.title)];
  options.series.forEach((series, s) => {
    const x = labelWidth + s * 140;
    parts.push(`<rect x="${x}" y="6" width="10" height="10" fill="${series.color}"/>`);
    parts.push(`<text x="${x + 14}" y="15" ${FONT} fill="${AXIS}">${escapeXml(series.name)}</text>`);
  });
  options.categories.forEach((category, c) => {
    const y = top + c * rowHeight;
    parts.push(`<text x="${labelWidth - 6}" y="${y + rowHeight / 2 + 2}" ${FONT} text-anchor="end" fill="#222">${escapeXml(category)}</text>`);
    options.series.forEach((series, s) => {
      const value = series.values[c] ?? 0;
      const barWidth = (value / max) * plotWidth;
      const barY = y + s * barHeight + 2;
      parts.push(`<rect x="${labelWidth}" y="${barY}" width="${fixed(barWidth)}" height="${barHeight - 1}" fill="${series.color}"/>`);
      parts.push(`<text x="${fixed(labelWidth + barWidth + 4)}" y="${barY + barHeight - 2}" ${FONT} fill="${AXIS}">${escapeXml(options.format(value))}</text>`);
    });
  });
  parts.push(`<line x1="${labelWidth}" y1="${top - 2}" x2="${labelWidth}" y2="${height - 6}" stroke="${AXIS}"/>`);
  parts.push('</svg>');
  return parts.join('');
}

export interface LineSeries {
  name: string;
  color: string;
  /** One value per x position (day). */
  values: number[];
}

/** Lines over days, with a y grid and first/last date labels. */
export function lineChart(options: { title: string; xLabels: string[]; series: LineSeries[]; width?: number; height?: number }): string {
  const width = options.width ?? 960;
  const height = options.height ?? 260;
  const left = 56;
  const right = 12;
  const top = 28;
  const bottom = 26;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const points = options.xLabels.length;
  const max = niceMax(maxOf(options.series.flatMap((s) => s.values), 0));
  const x = (i: number) => left + (points <= 1 ? plotWidth / 2 : (i / (points - 1)) * plotWidth);
  const y = (v: number) => top + plotHeight - (v / max) * plotHeight;
  const parts = [svgOpen(width, height, options.title)];
  for (let g = 0; g <= 4; g++) {
    const value = (max * g) / 4;
    parts.push(`<line x1="${left}" y1="${fixed(y(value))}" x2="${width - right}" y2="${fixed(y(value))}" stroke="${GRID}"/>`);
    parts.push(`<text x="${left - 6}" y="${fixed(y(value) + 4)}" ${FONT} text-anchor="end" fill="${AXIS}">${compact(value)}</text>`);
  }
  if (points > 0) {
    parts.push(`<text x="${left}" y="${height - 8}" ${FONT} fill="${AXIS}">${escapeXml(options.xLabels[0])}</text>`);
    parts.push(`<text x="${width - right}" y="${height - 8}" ${FONT} text-anchor="end" fill="${AXIS}">${escapeXml(options.xLabels[points - 1])}</text>`);
  }
  options.series.forEach((series, s) => {
    const path = series.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${fixed(x(i))},${fixed(y(v))}`).join('');
    if (path) parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="1.8"/>`);
    const legendX = left + 8 + s * 170;
    parts.push(`<rect x="${legendX}" y="8" width="10" height="10" fill="${series.color}"/>`);
    parts.push(`<text x="${legendX + 14}" y="17" ${FONT} fill="${AXIS}">${escapeXml(series.name)}</text>`);
  });
  parts.push(`<line x1="${left}" y1="${top + plotHeight}" x2="${width - right}" y2="${top + plotHeight}" stroke="${AXIS}"/>`);
  parts.push('</svg>');
  return parts.join('');
}

export interface ScatterPoint {
  x: number;
  y: number;
  label: string;
  color: string;
}

/** Scatter with a log10 x axis (cluster sizes span 2 to tens of thousands) and a linear y axis 0–yMax. */
export function logScatter(options: { title: string; xTitle: string; yTitle: string; yMax: number; points: ScatterPoint[]; width?: number; height?: number; labelTop?: number }): string {
  const width = options.width ?? 960;
  const height = options.height ?? 320;
  const left = 56;
  const right = 20;
  const top = 16;
  const bottom = 40;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const maxX = maxOf(options.points.map((p) => p.x), 10);
  const decades = Math.max(1, Math.ceil(Math.log10(maxX)));
  const x = (v: number) => left + (Math.log10(Math.max(1, v)) / decades) * plotWidth;
  const y = (v: number) => top + plotHeight - (v / options.yMax) * plotHeight;
  const parts = [svgOpen(width, height, options.title)];
  for (let d = 0; d <= decades; d++) {
    const value = 10 ** d;
    parts.push(`<line x1="${fixed(x(value))}" y1="${top}" x2="${fixed(x(value))}" y2="${top + plotHeight}" stroke="${GRID}"/>`);
    parts.push(`<text x="${fixed(x(value))}" y="${top + plotHeight + 14}" ${FONT} text-anchor="middle" fill="${AXIS}">${compact(value)}</text>`);
  }
  for (let g = 0; g <= 4; g++) {
    const value = (options.yMax * g) / 4;
    parts.push(`<line x1="${left}" y1="${fixed(y(value))}" x2="${width - right}" y2="${fixed(y(value))}" stroke="${GRID}"/>`);
    parts.push(`<text x="${left - 6}" y="${fixed(y(value) + 4)}" ${FONT} text-anchor="end" fill="${AXIS}">${value}</text>`);
  }
  parts.push(`<text x="${left + plotWidth / 2}" y="${height - 6}" ${FONT} text-anchor="middle" fill="${AXIS}">${escapeXml(options.xTitle)}</text>`);
  parts.push(`<text x="12" y="${top + plotHeight / 2}" ${FONT} text-anchor="middle" fill="${AXIS}" transform="rotate(-90 12 ${top + plotHeight / 2})">${escapeXml(options.yTitle)}</text>`);
  const labelled = options.labelTop ?? 8;
  options.points.forEach((p, i) => {
    parts.push(`<circle cx="${fixed(x(p.x))}" cy="${fixed(y(p.y))}" r="4" fill="${p.color}" fill-opacity="0.75"><title>${escapeXml(p.label)}</title></circle>`);
    if (i < labelled) parts.push(`<text x="${fixed(x(p.x) + 6)}" y="${fixed(y(p.y) - 5)}" ${FONT} fill="#222">${escapeXml(p.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
