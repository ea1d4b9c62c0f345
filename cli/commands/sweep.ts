import type { Command } from 'commander';
import { swarmscopeError } from '../../src/core/errors';
import { action } from '../run';

// Placeholder until the issue that owns `sweep` lands; replaced wholesale by that work.
export function register(program: Command): void {
  program
    .command('sweep')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(
      action(() => {
        throw swarmscopeError('BAD_ARGUMENT', 'sweep is not available in this build yet');
      }),
    );
}
