/**
 * `swarmscope validate <input-dir>`: imports the folder and prints the import summary (a table, or JSON with
 * --json). Exit 0 clean, 1 when rows were rejected (see the rejects file), 2 on a fatal input error.
 */
import type { Command } from 'commander';
import { EXIT } from '../../src/core/errors';
import { BEHAVIOUR_KINDS, CONTRACT_FILES, IDENTIFIER_KINDS, type IdentifierKind, type ImportSummary } from '../../src/core/world';
import { defaultRejectsPath, importWorld } from '../../src/ingest';
import { nameWriteFailure } from '../../src/core/output-file';
import { action } from '../run';
import { printOut } from '../print';
import { terminalText } from '../../src/core/terminal';
import { integerOption, RANGES } from '../options';
import { maxOf } from '../../src/core/max';

interface ValidateFlags {
  map?: string;
  rejects?: string;
  json?: boolean;
  quiet?: boolean;
  workers?: string;
}

const number = (value: number) => value.toLocaleString('en-US');
/** "1 row", "2 rows", "1,000 rows". */
const count = (value: number, word: string) => `${number(value)} ${word}${value === 1 ? '' : 's'}`;

export function renderSummaryTable(summary: ImportSummary): string {
  const rows = CONTRACT_FILES.map((file) => {
    const entry = summary.files[file];
    return [
      file,
      entry.present ? terminalText(entry.path ?? '') : '(absent)',
      entry.present ? number(entry.rows_read) : '-',
      entry.present ? number(entry.rows_loaded) : '-',
      entry.present ? number(entry.rows_rejected) : '-',
      entry.unknown_columns.length ? terminalText(entry.unknown_columns.join(', ')) : '',
    ];
  });
  const header = ['file', 'read from', 'rows read', 'loaded', 'rejected', 'unknown columns (ignored)'];
  const widths = header.map((title, column) => maxOf(rows.map((row) => row[column].length), title.length));
  const numeric = new Set([2, 3, 4]);
  const format = (row: string[]) =>
    row.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  const lines = [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(format)];
  lines.push('');
  lines.push(`accounts        ${number(summary.accounts)} (${number(summary.registered_accounts)} registered, ${number(summary.unregistered_accounts)} unregistered: seen only in links or exchanges)`);
  // Templates, clients and synchrony appear only when the export had them (exchanges.csv's optional columns).
  const label: Record<IdentifierKind, string> = {
    instrument: 'instruments', ip: 'ips', fingerprint: 'fingerprints', template: 'templates', client: 'clients', synchrony: 'synchrony',
  };
  for (const kind of IDENTIFIER_KINDS) {
    if (BEHAVIOUR_KINDS.includes(kind) && summary.identifiers[kind] === 0) continue;
    const what = kind === 'synchrony' ? `${count(summary.identifiers[kind], 'group')} in step, ${count(summary.links[kind], 'account link')}` : `${count(summary.identifiers[kind], 'identifier')}, ${count(summary.links[kind], 'link')}`;
    lines.push(`${label[kind].padEnd(16)}${what}`);
  }
  const exchanges = summary.exchanges;
  lines.push(
    `exchanges       ${number(exchanges.exchanges)} in ${count(exchanges.rows, 'row')}; tokens ${number(exchanges.input_tokens)} in, ${number(exchanges.output_tokens)} out`,
  );
  const resolution = exchanges.rows_by_resolution;
  if (resolution.minute > 0 || resolution.hour > 0) {
    lines.push(
      `time            ${count(resolution.minute, 'row')} to the minute, ${number(resolution.hour)} hourly, ${number(resolution.day)} daily; ` +
        `${count(exchanges.activity_cells, 'activity cell')}, ${count(exchanges.synchrony.spikes, 'spike')} in ${number(exchanges.synchrony.windows)} template windows`,
    );
  }
  lines.push(`capabilities    ${exchanges.capabilities.join(', ') || '(none)'}`);
  lines.push(
    summary.rows_rejected > 0
      ? `rejected rows   ${number(summary.rows_rejected)} of ${number(summary.rows_read)}, written to ${summary.rejects_path ?? '(not written)'}` +
        (summary.rejects_capped && summary.rejects_capped.length > 0
          ? ` (${number(summary.rejects_written ?? 0)} written: at most ${number(maxOf(summary.rejects_capped.map((c) => c.written), 0))} per file and reason, the rest counted)`
          : '')
      : `rejected rows   none (${count(summary.rows_read, 'row')} read)`,
  );
  lines.push(`seconds         ${summary.seconds.toFixed(2)}`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('import an input folder, check every row against the data contract and print what was loaded and rejected')
    .argument('<input-dir>', 'folder holding accounts.csv and the optional payment_instruments.csv, ip_addresses.csv, fingerprints.csv, exchanges.csv (.csv.gz accepted)')
    .option('--map <file>', 'mapping file (JSON) renaming files and columns; see docs/data-contract.md')
    .option('--rejects <file>', 'write rejected rows here (default: <input-dir name>.rejects.csv in the current folder)')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--quiet', 'no progress bar')
    .option('--workers <n>', 'parse worker threads, 0 to 64 (default: one per core, up to 4; 0 = main thread only)')
    .addHelpText(
      'after',
      `
Examples:
  swarmscope validate exports/2026-11-16
  swarmscope validate exports/team-b --map team-b-mapping.json --rejects /tmp/team-b.rejects.csv --json

Exit codes: 0 every row loaded, 1 some rows rejected (listed in the rejects CSV: file,line,column,reason,row),
2 fatal input error (missing folder/accounts.csv/required column, not UTF-8, unreadable gzip, broken CSV quoting).
`,
    )
    .action(
      action(async (inputDir: string, flags: ValidateFlags) => {
        const workers = integerOption('--workers', flags.workers, RANGES.workers);
        // The rejects file is the only file validate writes: a write failing without a path (a full disk) is it.
        const world = await importWorld({
          inputDir,
          mapPath: flags.map,
          rejectsPath: flags.rejects,
          progress: !flags.quiet && !flags.json,
          workers,
        }).catch((error: unknown) => {
          throw nameWriteFailure(flags.rejects ?? defaultRejectsPath(inputDir), error);
        });
        const summary = world.summary;
        printOut(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummaryTable(summary));
        return summary.rows_rejected > 0 ? EXIT.FINDINGS : EXIT.OK;
      }),
    );
}
