/**
 * `swarmscope export neo4j` (driver export into a running Neo4j, or --dry-run) and
 * `swarmscope export neo4j-admin` (bulk-import bundle). Both write the Neo4j Browser kit.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { swarmscopeError } from '../../src/core/errors';
import { writeAdminBundle } from '../../src/neo4j/admin';
import { writeBrowserKit } from '../../src/neo4j/browser';
import { checkNeo4jUri, displayUri, NEO4J_TIMEOUT_DEFAULT_SECONDS } from '../../src/neo4j/connect';
import { exportToNeo4j, writeDryRun, type ExportProgress } from '../../src/neo4j/export';
import { DEFAULT_BATCH_SIZE } from '../../src/neo4j/plan';
import { readSweepForExport } from '../../src/neo4j/sweepInput';
import { action } from '../run';
import { printOut } from '../print';
import { terminalText } from '../../src/core/terminal';
import { integerOption, numberOption, RANGES } from '../options';

interface Neo4jFlags {
  uri?: string;
  user: string;
  database?: string;
  batchSize: string;
  dryRun?: boolean;
  cypherOut?: string;
  checkpoint?: string;
  restart?: boolean;
  kitDir?: string;
  neo4jTimeout?: string;
}

function parseBatchSize(text: string): number {
  return integerOption('--batch-size', text, RANGES.batchSize)!;
}

/** A one-line progress bar on stderr, redrawn in place; only on a terminal. */
function progressBar(): ((p: ExportProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100 && p.rowsDone < p.rowsTotal) return;
    last = now;
    const share = p.rowsTotal === 0 ? 1 : p.rowsDone / p.rowsTotal;
    const width = 30;
    const filled = Math.round(share * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${p.step.padEnd(22)} ` +
        `${p.rowsDone.toLocaleString('en-US')}/${p.rowsTotal.toLocaleString('en-US')} rows, ${p.transactions} tx`,
    );
    if (p.rowsDone >= p.rowsTotal) process.stderr.write('\n');
  };
}

/**
 * --cypher-out is checked before the sweep is loaded (a large sweep takes a while to read): its folder is created
 * when missing, and a path that is a folder, or whose folder cannot be created, is bad input.
 */
function prepareCypherOut(file: string): void {
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw swarmscopeError('BAD_ARGUMENT', `--cypher-out ${file} is a folder; give a file name, e.g. ${path.join(file, 'statements.jsonl')}`);
  }
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  } catch (error) {
    throw swarmscopeError('BAD_ARGUMENT', `cannot create the folder of --cypher-out ${file}: ${(error as Error).message}`);
  }
}

async function exportNeo4j(sweepDir: string, flags: Neo4jFlags): Promise<number> {
  const batchSize = parseBatchSize(flags.batchSize);
  numberOption('--neo4j-timeout', flags.neo4jTimeout, RANGES.neo4jTimeout);
  if (flags.dryRun) {
    if (!flags.cypherOut) throw swarmscopeError('BAD_ARGUMENT', '--dry-run needs --cypher-out FILE (where to write the statements)');
    // A dry run leaves the saved sweep as it is: the kit goes next to the statements file unless --kit-dir says otherwise.
    const kitDir = flags.kitDir ?? path.dirname(flags.cypherOut);
    prepareCypherOut(flags.cypherOut);
    const sweep = readSweepForExport(sweepDir);
    const result = writeDryRun(sweep, flags.cypherOut, { batchSize });
    writeBrowserKit(kitDir, sweep);
    printOut(
      `dry run: sweep ${terminalText(result.sweepId)}: ${result.statements} distinct statements written to ${terminalText(flags.cypherOut)}; ` +
        `${result.rows.toLocaleString('en-US')} rows in batches of ${batchSize.toLocaleString('en-US')} would take ` +
        `${result.transactions.toLocaleString('en-US')} transactions; Browser kit in ${terminalText(path.join(kitDir, 'browser'))}\n`,
    );
    return 0;
  }
  if (flags.cypherOut) throw swarmscopeError('BAD_ARGUMENT', '--cypher-out is only used with --dry-run');
  if (!flags.uri) throw swarmscopeError('BAD_ARGUMENT', 'export neo4j needs --uri bolt://host:7687 (or --dry-run --cypher-out FILE)');
  checkNeo4jUri(flags.uri);
  const timeoutSeconds = numberOption('--neo4j-timeout', flags.neo4jTimeout, RANGES.neo4jTimeout);
  const password = process.env.NEO4J_PASSWORD;
  if (password === undefined || password === '') {
    throw swarmscopeError('BAD_ARGUMENT', 'set the Neo4j password in the environment variable NEO4J_PASSWORD (it is never read from the command line)');
  }
  const kitDir = flags.kitDir ?? path.join(sweepDir, 'neo4j');
  const sweep = readSweepForExport(sweepDir);
  const result = await exportToNeo4j({
    sweep,
    connection: { uri: flags.uri, user: flags.user, password, database: flags.database, timeoutSeconds },
    batchSize,
    checkpointFile: flags.checkpoint ?? path.join(sweepDir, 'neo4j-export.checkpoint.json'),
    restart: flags.restart,
    onProgress: progressBar(),
  });
  writeBrowserKit(kitDir, sweep);
  printOut(
    `exported sweep ${terminalText(result.sweepId)} to ${terminalText(displayUri(flags.uri))}${flags.database ? ` (database ${terminalText(flags.database)})` : ''}: ` +
      `${result.rows.toLocaleString('en-US')} rows in ${result.transactions} transactions of up to ${batchSize.toLocaleString('en-US')} rows` +
      `${result.resumedBatches ? `, ${result.resumedBatches} batches already committed by an earlier run` : ''}` +
      `; from this sweep's earlier export: ${result.stale.clusters} clusters removed, ${result.stale.accounts} accounts' memberships updated; ` +
      `${result.seconds.toFixed(1)} s; ` +
      `Browser kit in ${terminalText(path.join(kitDir, 'browser'))}\n`,
  );
  return 0;
}

export function register(program: Command): void {
  const exportCommand = program
    .command('export')
    .description('export a saved sweep to Neo4j (driver export or bulk-import bundle)')
    .addHelpText(
      'after',
      `
Examples:
  NEO4J_PASSWORD=… swarmscope export neo4j sweeps/2026-W47 --uri bolt://localhost:7687 --user neo4j
  swarmscope export neo4j sweeps/2026-W47 --dry-run --cypher-out statements.jsonl
  swarmscope export neo4j-admin sweeps/2026-W47 --out neo4j-bundle

See \`swarmscope export neo4j --help\` and \`swarmscope export neo4j-admin --help\` for the options.`,
    );

  exportCommand
    .command('neo4j')
    .description('load a saved sweep into a running Neo4j in batched, idempotent MERGE transactions (password from NEO4J_PASSWORD)')
    .argument('<sweep-dir>', 'a saved sweep folder (the --out of `swarmscope sweep`)')
    .option('--uri <uri>', 'Neo4j URI, e.g. bolt://localhost:7687 or neo4j+s://host')
    .option('--user <user>', 'Neo4j user', 'neo4j')
    .option('--database <name>', 'target database (default: the server default)')
    .option('--batch-size <n>', 'rows per transaction', String(DEFAULT_BATCH_SIZE))
    .option('--dry-run', 'do not connect: write the statements and one sample batch each to --cypher-out')
    .option('--cypher-out <file>', 'with --dry-run: JSON lines {"query", "parameters"}, one per distinct statement')
    .option('--checkpoint <file>', 'resume file (default <sweep-dir>/neo4j-export.checkpoint.json; removed when the export completes)')
    .option('--restart', 'ignore an existing checkpoint and send every batch again')
    .option('--neo4j-timeout <seconds>', `give up connecting (TCP, Bolt handshake, login) after this long (default ${NEO4J_TIMEOUT_DEFAULT_SECONDS})`)
    .option('--kit-dir <dir>', 'where to write browser/ (default <sweep-dir>/neo4j; with --dry-run, the folder of the --cypher-out file)')
    .addHelpText(
      'after',
      `
Examples:
  NEO4J_PASSWORD=… swarmscope export neo4j sweeps/2026-W47 --uri bolt://localhost:7687 --user neo4j
  swarmscope export neo4j sweeps/2026-W47 --dry-run --cypher-out statements.jsonl

Re-running is safe: nodes and relationships are MERGEd, so the same sweep changes nothing, and a sweep's
clusters replace only that sweep's earlier export. After a failure, re-run the same command to resume.
Exit codes: 0 ok, 2 bad input or Neo4j unreachable / credentials refused, 3 Neo4j failed mid-way (re-run).`,
    )
    .action(action((sweepDir: string, flags: Neo4jFlags) => exportNeo4j(sweepDir, flags)));

  exportCommand
    .command('neo4j-admin')
    .description('write node/relationship CSVs for `neo4j-admin database import full`, plus README.md and the Browser kit')
    .argument('<sweep-dir>', 'a saved sweep folder')
    .requiredOption('--out <dir>', 'bundle folder to write')
    .option('--database <name>', 'database name used in the printed import command (neo4j: the one database Community Edition serves)', 'neo4j')
    .addHelpText(
      'after',
      `
Example:
  swarmscope export neo4j-admin sweeps/2026-W47 --out neo4j-bundle
  # then, on the Neo4j server: see neo4j-bundle/README.md for the exact neo4j-admin command`,
    )
    .action(
      action(async (sweepDir: string, flags: { out: string; database: string }) => {
        const sweep = readSweepForExport(sweepDir);
        const result = await writeAdminBundle(sweep, flags.out, { database: flags.database });
        writeBrowserKit(flags.out, sweep);
        const rows = result.files.reduce((sum, f) => sum + f.rows, 0);
        printOut(
          `wrote ${result.files.length} CSV files (${rows.toLocaleString('en-US')} rows) to ${terminalText(flags.out)} in ${result.seconds.toFixed(1)} s; ` +
            `import command in ${terminalText(path.join(flags.out, 'README.md'))}\n`,
        );
        return 0;
      }),
    );
}
