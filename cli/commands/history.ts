/** `swarmscope history undo --state DIR --yes`: take the newest sweep back out of a state dir's history. */
import type { Command } from 'commander';
import { swarmscopeError } from '../../src/core/errors';
import { undoLastSweep } from '../../src/sweep/history';
import { action } from '../run';
import { printOut } from '../print';
import { terminalText } from '../../src/core/terminal';
import { numberOption, RANGES } from '../options';

export function register(program: Command): void {
  const history = program.command('history').description('the sweep history of a state dir');
  history
    .command('undo')
    .description('remove the most recent sweep from the history (the case book keeps every entry)')
    .option('--state <state-dir>', 'the state dir of the weekly sweeps')
    .option('--yes', 'confirm: the sweep is taken out of the history for good (its sweep folder, if you kept it, is untouched)')
    .option('--wait <seconds>', 'wait this long for a running sweep to release the state dir', '30')
    .addHelpText(
      'after',
      `
The next sweep traces its lineage against the sweep that is then the newest. The case book is append-only:
decisions made on the removed sweep's clusters stay. Cluster ids it handed out are never reused.

Example (week 1's export was swept again after week 2 with --allow-older, by mistake):
  $ swarmscope history undo --state ./state --yes`,
    )
    .action(
      action((flags: { state?: string; yes?: boolean; wait: string }) => {
        if (!flags.state) throw swarmscope('--state <state-dir> is required (the state dir your weekly sweeps use)');
        if (!flags.yes) throw swarmscope(`history undo removes the newest sweep of ${flags.state} from its history; pass --yes to confirm`);
        const waitSeconds = numberOption('--wait', flags.wait, RANGES.waitSeconds)!;
        const undone = undoLastSweep(flags.state, { waitSeconds });
        printOut(
          `removed sweep ${terminalText(undone.sweep_id)} from the history of ${terminalText(flags.state)}; ` +
            (undone.newest ? `the newest is now ${terminalText(undone.newest)} (${undone.remaining} sweep${undone.remaining === 1 ? '' : 's'} left)` : 'the history is now empty') +
            '; the case book is unchanged\n',
        );
      }),
    );
}

function swarmscope(message: string) {
  return swarmscopeError('BAD_ARGUMENT', message);
}
