#!/usr/bin/env node
/**
 * swarmscope command line: commander parses argv into an options object, the command calls into src/,
 * a reporter renders the result, and process.exitCode follows the documented contract
 * (0 ok, 1 findings/rejected rows, 2 bad input, 3 internal error).
 */
import { Command, CommanderError } from 'commander';
import { EXIT } from '../src/core/errors';
import { SOFTWARE } from '../src/core/version';
import { reportError } from './run';
import { COMMANDS } from './commands';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('swarmscope')
    .description('Find coordinated fake-account swarms in the graph of what accounts share.')
    .version(SOFTWARE.version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors are bad input (2), not 1.
      process.exitCode = error.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
      return;
    }
    process.exitCode = reportError(error);
  }
}

if (require.main === module) {
  void main(process.argv);
}
