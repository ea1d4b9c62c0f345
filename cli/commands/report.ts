import type { Command } from 'commander';
import { swarmscopeError } from '../../src/core/errors';
import { action } from '../run';

// Placeholder until the issue that owns `report` lands; replaced wholesale by that work.
export function register(program: Command): void {
  program
    .command('report')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(
      action(() => {
        throw swarmscopeError('BAD_ARGUMENT', 'report is not available in this build yet');
      }),
    );
}
