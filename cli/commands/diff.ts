/** `swarmscope diff <sweep-dir-A> <sweep-dir-B>`: what changed between two saved sweeps (lineage events). */
import type { Command } from 'commander';
import { swarmscopeError } from '../../src/core/errors';
import { diffSweepDirs, renderDiffText } from '../../src/sweep/history';
import { LINEAGE_DEFAULTS, validateLineageOptions, type LineageOptions } from '../../src/sweep/history/lineage';
import { action } from '../run';
import { printOut } from '../print';
import { integerOption, numberOption, RANGES } from '../options';

interface DiffFlags {
  json?: boolean;
  linkThreshold?: string;
  minOverlap?: string;
  growthRatio?: string;
  growthMin?: string;
  dormantSweeps?: string;
}


/** The lineage flags shared by `diff` and `sweep --state`. */
export function lineageOptionsFromFlags(flags: DiffFlags): LineageOptions {
  const options: LineageOptions = {
    linkThreshold: numberOption('--link-threshold', flags.linkThreshold, RANGES.linkThreshold) ?? LINEAGE_DEFAULTS.linkThreshold,
    minOverlap: integerOption('--min-overlap', flags.minOverlap, RANGES.minOverlap) ?? LINEAGE_DEFAULTS.minOverlap,
    growthRatio: numberOption('--growth-ratio', flags.growthRatio, RANGES.growthRatio) ?? LINEAGE_DEFAULTS.growthRatio,
    growthMinAccounts: integerOption('--growth-min', flags.growthMin, RANGES.growthMin) ?? LINEAGE_DEFAULTS.growthMinAccounts,
    dormantSweeps: integerOption('--dormant-sweeps', flags.dormantSweeps, RANGES.dormantSweeps) ?? LINEAGE_DEFAULTS.dormantSweeps,
    minSharedIdentifiers: LINEAGE_DEFAULTS.minSharedIdentifiers,
  };
  const problem = validateLineageOptions(options);
  if (problem) throw swarmscopeError('BAD_ARGUMENT', problem);
  return options;
}

export function register(program: Command): void {
  program
    .command('diff')
    .description('compare two saved sweeps: which clusters are new, grew, shrank, merged, split, stayed, or went dormant')
    .argument('<sweep-dir-a>', 'the earlier sweep (a sweep --out dir, or <state-dir>/history/<sweep-id>)')
    .argument('<sweep-dir-b>', 'the later sweep')
    .option('--json', 'print {"from", "to", "parameters", "counts", "events": [...], "retired"} as JSON')
    .option('--link-threshold <share>', `shared share of the smaller cluster that links two clusters (default ${LINEAGE_DEFAULTS.linkThreshold})`)
    .option('--min-overlap <accounts>', `shared accounts needed for a link (default ${LINEAGE_DEFAULTS.minOverlap})`)
    .option('--growth-ratio <ratio>', `relative size change that counts as grown/shrunk (default ${LINEAGE_DEFAULTS.growthRatio})`)
    .option('--growth-min <accounts>', `absolute size change below which a cluster is unchanged (default ${LINEAGE_DEFAULTS.growthMinAccounts})`)
    .addHelpText(
      'after',
      `
Events (rule in docs/state-dir.md): new, grown, shrunk, merged, split, unchanged; dormant for clusters of A
absent from B. Each event names B's cluster id and, in previous_id, the A cluster it continues.

Examples:
  $ swarmscope diff sweeps/2026-11-16 sweeps/2026-11-23
  $ swarmscope diff state/history/S1 state/history/S2 --json | jq '.events[] | select(.event == "grown")'`,
    )
    .action(
      action((dirA: string, dirB: string, flags: DiffFlags) => {
        const diff = diffSweepDirs(dirA, dirB, lineageOptionsFromFlags(flags));
        printOut(flags.json ? `${JSON.stringify(diff, null, 2)}\n` : renderDiffText(diff));
      }),
    );
}
