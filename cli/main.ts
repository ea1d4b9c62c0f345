#!/usr/bin/env node
/**
 * swarmscope command line: commander parses argv into an options object, the command calls into src/,
 * a reporter renders the result, and process.exitCode follows the documented contract
 * (0 ok, 1 findings/rejected rows, 2 bad input, 3 internal error).
 */
import { Command, CommanderError } from 'commander';
import { EXIT } from '../src/core/errors';
import { addSecret, clearSecrets, redactingOutput, withoutOptionValues } from '../src/core/redact';
import { commandLineSecrets } from '../src/neo4j/connect';
import { writeErrorCause } from '../src/core/output-file';
import { SOFTWARE } from '../src/core/version';
import { reportError } from './run';
import { terminalText } from '../src/core/terminal';
import { COMMANDS } from './commands';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('swarmscope')
    .description('Find coordinated fake-account swarms in the graph of what accounts share.')
    .version(SOFTWARE.version)
    .configureOutput({
      // One line for usage errors, in the same voice as every other swarmscope error.
      outputError: (text, write) => write(`swarmscope: ${terminalText(withoutOptionValues(text.trim().replace(/^error: /, '')))} (see --help)\n`),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ swarmscope demo                                      # generate a small world, sweep it, print the report
  $ swarmscope validate exports/2026-w47                 # import check: rows loaded/rejected per file
  $ swarmscope sweep exports/2026-w47 --out sweeps/w47 --state state
  $ swarmscope report sweeps/w47 --cluster C0001
  $ swarmscope evidence sweeps/w47 --cluster C0001 --out C0001.zip

Exit codes: 0 ok, 1 findings (rejected rows, a pack that fails verify), 2 bad input, 3 internal error.`,
    );
  for (const register of COMMANDS) register(program);
  return program;
}

/**
 * Standard output failing under us is the user's environment, not a bug:
 * - `swarmscope report … | head` closes stdout early (EPIPE): that is the reader's choice; exit quietly with the
 *   exit code so far, as Unix tools do;
 * - `swarmscope validate … > /dev/full` (ENOSPC), or any other write error: one line naming standard output and
 *   the cause, exit 2;
 * - standard error itself failing (`2> /dev/full`): nothing can be said; exit 2.
 */
let standardStreamsGuarded = false;
function guardStandardStreams(): void {
  // Once per process: tests call main() many times in one process.
  if (standardStreamsGuarded) return;
  standardStreamsGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK);
    process.stderr.write(`swarmscope: cannot write to standard output: ${writeErrorCause(error)}\n`, () => process.exit(EXIT.BAD_INPUT));
  });
  process.stderr.on('error', () => process.exit(EXIT.BAD_INPUT));
}

export async function main(argv: string[]): Promise<void> {
  guardStandardStreams();
  const program = buildProgram();
  // A password on the command line (a URI's user info, a misspelt --password=…), and NEO4J_PASSWORD once a
  // command reads it, is masked in everything printed from here on, whichever call site prints it (src/core/redact.ts).
  for (const secret of commandLineSecrets(argv)) addSecret(secret);
  const restoreOutput = redactingOutput();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors are bad input (2), not 1.
      process.exitCode = error.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
      return;
    }
    process.exitCode = reportError(error);
  } finally {
    restoreOutput();
    clearSecrets();
  }
}

if (require.main === module) {
  void main(process.argv);
}
