/**
 * The renderers, chosen from a registry keyed by format. Each is a pure function of the saved report
 * (report.json's content), so `swarmscope report` re-renders a sweep without recomputing anything.
 */
import { swarmscopeError } from '../core/errors';
import { renderClustersCsv } from './csv';
import { renderClusterHtml, renderHtml } from './html';
import { renderClusterMarkdown, renderMarkdown } from './markdown';
import { renderClusterTable, renderTable } from './table';
import type { ClusterDetailInput, RenderInput } from './common';

export const REPORT_FORMATS = ['table', 'json', 'csv', 'md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export type Renderer = (input: RenderInput) => string;
export type ClusterRenderer = (input: ClusterDetailInput) => string;

/** report.json's text; with `top`, only the first `top` clusters (by risk) are listed. */
export function renderJson(input: RenderInput): string {
  const report = input.top === undefined ? input.report : { ...input.report, clusters: input.report.clusters.slice(0, input.top) };
  return `${JSON.stringify(report, null, 2)}\n`;
}

export const RENDERERS: Record<ReportFormat, Renderer> = {
  table: renderTable,
  json: renderJson,
  csv: renderClustersCsv,
  md: renderMarkdown,
  html: renderHtml,
};

function renderClusterJson(input: ClusterDetailInput): string {
  const sample = input.members.slice(0, input.sample ?? 20);
  return `${JSON.stringify({ cluster: input.cluster, baseline: input.report.baseline, members_total: input.members.length, members_sample: sample }, null, 2)}\n`;
}

export const CLUSTER_RENDERERS: Record<Exclude<ReportFormat, 'csv'>, ClusterRenderer> = {
  table: renderClusterTable,
  json: renderClusterJson,
  md: renderClusterMarkdown,
  html: renderClusterHtml,
};

/** `context` names the view when it allows fewer formats than the overview (e.g. "with --cluster"). */
export function parseFormat(value: string, allowed: readonly string[] = REPORT_FORMATS, context?: string): ReportFormat {
  if (!allowed.includes(value)) {
    if (context && (REPORT_FORMATS as readonly string[]).includes(value)) {
      throw swarmscopeError('BAD_ARGUMENT', `--format ${value} is not available ${context}; use one of ${allowed.join(', ')} (${value} is for the overview)`);
    }
    throw swarmscopeError('BAD_ARGUMENT', `--format ${value}: unknown format; use one of ${allowed.join(', ')}${context ? ` ${context}` : ''}`);
  }
  return value as ReportFormat;
}

export { renderTable, renderClusterTable, textTable } from './table';
export { renderMarkdown, renderClusterMarkdown } from './markdown';
export { renderHtml, renderClusterHtml } from './html';
export { renderClustersCsv, writeMembersCsv, CLUSTER_COLUMNS, MEMBER_COLUMNS } from './csv';
export { DEFAULT_TOP, type RenderInput, type ClusterDetailInput } from './common';
