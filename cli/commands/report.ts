/**
 * `swarmscope report <sweep-dir>`: re-renders a saved sweep without recomputing (from report.json and
 * members.csv), as a table, JSON, CSV, Markdown or HTML; `--cluster ID` shows one cluster in depth.
 */
import type { Command } from 'commander';
import { swarmscopeError } from '../../src/core/errors';
import { CLUSTER_RENDERERS, parseFormat, RENDERERS, REPORT_FORMATS } from '../../src/report';
import { loadSweep } from '../../src/sweep/load';
import { action } from '../run';
import { printOut } from '../print';
import { topFlag } from './sweep';
import { integerOption, RANGES } from '../options';

interface ReportFlags {
  cluster?: string;
  format: string;
  top?: string;
  members?: string;
}

export function register(program: Command): void {
  program
    .command('report')
    .description('print a saved sweep again (no recomputation): top clusters, or one cluster in depth')
    .argument('<sweep-dir>', 'a directory written by `swarmscope sweep --out`')
    .option('--cluster <id>', 'one cluster in depth: reasons, numbers, capability mix, identifiers, timeline, members sample')
    .option('--format <format>', `${REPORT_FORMATS.join('|')} (csv = clusters.csv; not with --cluster)`, 'table')
    .option('--top <n>', 'how many clusters to list (default 20; json: all)')
    .option('--members <n>', 'with --cluster: how many members to show', '20')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  swarmscope report sweeps/2026-w47                       # top clusters by risk\n' +
        '  swarmscope report sweeps/2026-w47 --cluster C0001        # one cluster in depth\n' +
        '  swarmscope report sweeps/2026-w47 --format html > r.html # the HTML report again\n' +
        '  swarmscope report sweeps/2026-w47 --format json --top 5',
    )
    .action(
      action((sweepDir: string, flags: ReportFlags) => {
        const top = topFlag(flags.top);
        const sample = integerOption('--members', flags.members, RANGES.members);
        const sweep = loadSweep(sweepDir);
        if (flags.cluster === undefined) {
          const format = parseFormat(flags.format);
          printOut(RENDERERS[format]({ report: sweep.report, top, dir: format === 'table' ? sweep.dir : undefined }));
          return;
        }
        const format = parseFormat(flags.format, Object.keys(CLUSTER_RENDERERS), 'with --cluster') as keyof typeof CLUSTER_RENDERERS;
        const cluster = sweep.report.clusters.find((c) => c.cluster_id === flags.cluster);
        if (!cluster) {
          const known = sweep.report.clusters.slice(0, 5).map((c) => c.cluster_id).join(', ');
          throw swarmscopeError('UNKNOWN_CLUSTER', `no cluster ${flags.cluster} in ${sweepDir}${known ? ` (highest risk: ${known})` : ' (it has no clusters)'}`);
        }
        printOut(CLUSTER_RENDERERS[format]({ report: sweep.report, cluster, members: sweep.members(cluster.cluster_id), sample }));
      }),
    );
}
