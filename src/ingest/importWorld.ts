/**
 * importWorld: reads an input folder (the five contract files, plain or .gz, optionally renamed by a mapping
 * file) into a World. Files are read one after another in contract order (accounts first, so registered
 * accounts are numbered in file order and duplicates are decided by the first row); each file is cut into
 * record-aligned chunks that are parsed in worker threads while the main thread builds the World from the
 * results, in chunk order, so the outcome does not depend on thread timing.
 *
 * Every data row is loaded or rejected: rows_read = rows_loaded + rows_rejected for every file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { swarmscopeError } from '../core/errors';
import {
  CONTRACT_FILES,
  type ContractFile,
  type FileSummary,
  type IdentifierKind,
  type ImportSummary,
  type World,
  TIME_RESOLUTIONS,
  type TimeResolution,
} from '../core/world';
import { FILE_CONTRACTS, IMPORT_ORDER } from '../contract/columns';
import { REJECT_REASONS } from '../contract/cells';
import { EMPTY_MAPPING, loadMapping, type Mapping } from '../contract/mapping';
import { parseHeader, planColumns } from './header';
import { appendArrivals, measureArrivals, type ArrivalOptions } from '../graph/arrival';
import { measureSynchrony, type SynchronyOptions } from '../graph/synchrony';
import { TextLines } from './lines';
import { Progress } from './progress';
import { RejectsWriter, defaultRejectsPath } from './rejects';
import { createRunner, defaultWorkerCount, type ChunkRunner } from './runner';
import { FileReader, locateFile, type LocatedFile, type SourceChunk } from './source';
import { closeInput } from './open-input';
import type { ChunkResult, ColumnPlan, RefusedRow } from './types';
import { AccountsBuilder, ExchangesBuilder, LinksBuilder, emptyIdentifierKinds } from './worldBuilder';

export interface ImportOptions {
  inputDir: string;
  /** A mapping file (docs/data-contract.md "Mapping file"). */
  mapPath?: string;
  /** Rejects CSV path; undefined = defaultRejectsPath(inputDir); null = count rejects but write no file. */
  rejectsPath?: string | null;
  /** Rejected rows written per file and reason (all are counted); default DEFAULT_REJECTS_PER_REASON (1000). */
  rejectsPerReason?: number;
  /** Progress bar on stderr (only drawn when stderr is a TTY). */
  progress?: boolean;
  /** Parse worker threads; default one per core (max 4); 0 = parse in the main thread. */
  workers?: number;
  /** How synchrony is measured on minute-level activity (SYNCHRONY_DEFAULTS). */
  synchrony?: SynchronyOptions;
  /** How co-arrival cohorts are found (ARRIVAL_DEFAULTS). */
  arrival?: ArrivalOptions;
}

/** Inputs smaller than this are parsed in the main thread: starting workers would cost more than it saves. */
const WORKER_THRESHOLD_BYTES = 8 << 20;

function emptyFileSummary(file: ContractFile): FileSummary {
  return {
    file,
    present: false,
    path: null,
    bytes: 0,
    sha256: null,
    rows_read: 0,
    rows_loaded: 0,
    rows_rejected: 0,
    unknown_columns: [],
  };
}

interface Builders {
  accounts: AccountsBuilder;
  links: Record<IdentifierKind, LinksBuilder>;
  exchanges: ExchangesBuilder;
}

/**
 * Adds one parsed chunk to the World. Chunks are parsed with line numbers counted from 1; `firstLine` is the
 * chunk's real first line, known here because chunks are merged in file order. Rejects that only the
 * global state can decide (duplicate account ids) are added here.
 */
function mergeChunk(
  result: ChunkResult,
  chunk: SourceChunk,
  firstLine: number,
  plan: ColumnPlan,
  builders: Builders,
  summary: FileSummary,
  rejects: RejectsWriter,
  located: LocatedFile,
): void {
  const offset = firstLine - 1;
  if (result.fatal) {
    throw swarmscopeError(
      'BAD_CSV',
      `${located.path} line ${result.fatal.line + offset}: ${result.fatal.message}; ` +
        (result.fatal.fix ?? 'fix the quoting (RFC 4180: quote the whole field and double any quote inside it)'),
      { file: located.path, line: result.fatal.line + offset },
    );
  }
  const records = result.rejects.map((reject) => ({ ...reject, line: reject.line + offset }));
  const batch = result.batch;
  let loaded = 0;
  // Rows only the main thread can refuse (known globally): rejected with their line and text, in line order.
  const refuse = (refused: RefusedRow[], line: Int32Array, span: Int32Array) => {
    if (refused.length === 0) return;
    const lines = new TextLines(chunk.bytes.toString('utf8'), 1);
    for (const { row, column, reason } of refused) {
      records.push({ line: line[row] + offset, column: plan.headers[column], reason, row: lines.slice(line[row], span[row]) });
    }
    records.sort((a, b) => a.line - b.line);
  };
  const columnOf = (name: string) => FILE_CONTRACTS[plan.file].columns.findIndex((column) => column.name === name);
  if (batch.kind === 'accounts') {
    const duplicates = builders.accounts.addBatch(batch);
    loaded = batch.ids.length - duplicates.length;
    refuse(
      duplicates.map((row) => ({ row, column: 0, reason: `${REJECT_REASONS.duplicateAccount}: "${batch.ids[row]}"` })),
      batch.line,
      batch.span,
    );
  } else if (batch.kind === 'links') {
    const refused = builders.links[FILE_CONTRACTS[plan.file].identifierKind as IdentifierKind].addBatch(batch, columnOf('requests'));
    loaded = batch.account.length - refused.length;
    refuse(refused, batch.line, batch.span);
  } else {
    // Rare: rows past the 65,535th distinct capability tag, rows that would make a total inexact.
    const refused = builders.exchanges.addBatch(batch, {
      capability: columnOf('capability'),
      count: columnOf('count'),
      inputTokens: columnOf('input_tokens'),
      outputTokens: columnOf('output_tokens'),
    });
    loaded = batch.account.length - refused.length;
    refuse(refused, batch.line, batch.span);
  }
  for (const record of records) rejects.add(located.displayName, record);
  summary.rows_read += result.rowsRead;
  summary.rows_loaded += loaded;
  summary.rows_rejected += records.length;
}

function countLineFeeds(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

function expectRows(builders: Builders, file: ContractFile, rows: number): void {
  const kind = FILE_CONTRACTS[file].identifierKind;
  if (kind) builders.links[kind].expect(rows);
  else if (file === 'exchanges.csv') builders.exchanges.expect(rows);
}

async function importFile(
  located: LocatedFile,
  mapping: Mapping,
  runner: ChunkRunner,
  builders: Builders,
  rejects: RejectsWriter,
  progress: Progress,
): Promise<FileSummary> {
  const reader = new FileReader(located);
  const summary: FileSummary = { ...emptyFileSummary(located.file), present: true, path: located.path };
  const chunks = reader.chunks();
  const first = await chunks.next();
  const header = first.done ? { bytes: Buffer.alloc(0) } : first.value;
  const plan = planColumns(parseHeader(header.bytes, located), located, mapping);
  summary.unknown_columns = plan.unknown;
  progress.start(located.displayName, located.size);
  // Chunks in flight, oldest first: results are merged in file order, and the reader waits when the queue is full.
  const queue: Array<{ chunk: SourceChunk; result: Promise<ChunkResult> }> = [];
  const limit = Math.max(2, runner.workers * 2 + 1);
  let sized = false;
  let nextLine = 2 + countLineFeeds(header.bytes);
  const mergeOldest = async () => {
    const oldest = queue.shift() as { chunk: SourceChunk; result: Promise<ChunkResult> };
    const result = await oldest.result;
    mergeChunk(result, oldest.chunk, nextLine, plan, builders, summary, rejects, located);
    nextLine += result.lines;
    // The bytes parsed (this chunk's end in the file), not reader.diskBytes: the reader runs ahead by the queue.
    progress.update(oldest.chunk.end, summary.rows_read);
    if (!sized && summary.rows_read > 0) {
      // Size the hash tables once from the first chunk's rows per byte read, instead of doubling repeatedly.
      sized = true;
      const estimate = Math.ceil((summary.rows_read * located.size) / Math.max(1, reader.diskBytes));
      expectRows(builders, located.file, estimate);
    }
  };
  try {
    for await (const chunk of chunks) {
      const result = runner.run({ plan, bytes: chunk.bytes, startLine: 1 });
      result.catch(() => undefined); // awaited in order below; avoid an unhandled-rejection warning meanwhile
      queue.push({ chunk, result });
      if (queue.length >= limit) await mergeOldest();
    }
    while (queue.length) await mergeOldest();
  } finally {
    queue.length = 0;
  }
  progress.finish(reader.diskBytes, summary.rows_read);
  summary.bytes = reader.diskBytes;
  summary.sha256 = reader.digest();
  return summary;
}

function totalInputBytes(located: Array<LocatedFile | null>): number {
  return located.reduce((sum, file) => sum + (file ? file.size * (file.gzip ? 5 : 1) : 0), 0);
}

export async function importWorld(options: ImportOptions): Promise<World> {
  const started = process.hrtime.bigint();
  const inputDir = options.inputDir;
  let stats: fs.Stats;
  try {
    stats = fs.statSync(inputDir);
  } catch {
    throw swarmscopeError('INPUT_NOT_FOUND', `${inputDir}: input folder not found; pass the folder holding accounts.csv and the other exports`, {
      file: inputDir,
    });
  }
  if (!stats.isDirectory()) {
    throw swarmscopeError('INPUT_NOT_FOUND', `${inputDir}: not a folder; pass the folder holding accounts.csv and the other exports`, {
      file: inputDir,
    });
  }
  const mapping = options.mapPath ? loadMapping(options.mapPath) : EMPTY_MAPPING;
  // Every file is located and opened (openInput's checks) before anything is read or written.
  const located: Array<LocatedFile | null> = [];
  try {
    for (const file of IMPORT_ORDER) located.push(locateFile(inputDir, file, mapping));
  } catch (error) {
    closeAll(located);
    throw error;
  }
  try {
    return await importLocated(options, inputDir, mapping, located, started);
  } finally {
    closeAll(located);
  }
}

function closeAll(located: Array<LocatedFile | null>): void {
  for (const file of located) if (file) closeInput(file.input);
}

async function importLocated(
  options: ImportOptions,
  inputDir: string,
  mapping: Mapping,
  located: Array<LocatedFile | null>,
  started: bigint,
): Promise<World> {
  if (!located[0]) {
    const expected = mapping.files['accounts.csv']?.file ?? 'accounts.csv';
    throw swarmscopeError(
      'MISSING_FILE',
      `${path.join(inputDir, expected)}: accounts.csv is missing (also looked for ${expected}.gz); it is the one required file — export it or map its name with --map`,
      { file: path.join(inputDir, expected) },
    );
  }
  const rejects = new RejectsWriter(options.rejectsPath === undefined ? defaultRejectsPath(inputDir) : options.rejectsPath, options.rejectsPerReason);
  const wantedWorkers = options.workers ?? defaultWorkerCount();
  const runner = createRunner(totalInputBytes(located) >= WORKER_THRESHOLD_BYTES || options.workers !== undefined ? wantedWorkers : 0);
  const progress = Progress.forStderr(options.progress ?? false);
  const accounts = new AccountsBuilder(runner.workers === 0);
  const links = emptyIdentifierKinds((kind) => new LinksBuilder(kind, accounts));
  const builders: Builders = { accounts, links, exchanges: new ExchangesBuilder(accounts, links.template, links.client) };
  const files = Object.fromEntries(CONTRACT_FILES.map((file) => [file, emptyFileSummary(file)])) as Record<ContractFile, FileSummary>;
  let rejectsPath: string | null;
  try {
    for (let f = 0; f < IMPORT_ORDER.length; f++) {
      const file = located[f];
      if (file) files[file.file] = await importFile(file, mapping, runner, builders, rejects, progress);
    }
  } finally {
    await runner.close();
    // Also on a fatal error: the rejects found so far are flushed and the file closed.
    rejectsPath = rejects.close();
  }

  const accountTable = accounts.finish();
  const identifiers = emptyIdentifierKinds((kind) => builders.links[kind].finishIdentifiers());
  const linkTables = emptyIdentifierKinds((kind) => builders.links[kind].finishLinks(accountTable.size));
  const exchanges = builders.exchanges.finish(accountTable.size);
  const activity = builders.exchanges.finishActivity(accountTable.size, identifiers.template.size);
  // Synchrony is derived, not read: accounts in step on one template (src/graph/synchrony.ts).
  const synchrony = measureSynchrony(activity, identifiers.template.ids, options.synchrony);
  // So are co-arrival cohorts: accounts that came to one card, exit or device together (src/graph/arrival.ts).
  const arrivals = measureArrivals(identifiers, linkTables, options.arrival);
  const inStep = appendArrivals(synchrony, arrivals, accountTable.size);
  identifiers.synchrony = inStep.identifiers;
  linkTables.synchrony = inStep.links;
  const rowsByResolution = builders.exchanges.rowsByResolution();
  let registered = 0;
  for (let a = 0; a < accountTable.size; a++) registered += accountTable.registered[a];
  const fileList = Object.values(files);
  const summary: ImportSummary = {
    input_dir: inputDir,
    files,
    accounts: accountTable.size,
    registered_accounts: registered,
    unregistered_accounts: accountTable.size - registered,
    identifiers: emptyIdentifierKinds((kind) => identifiers[kind].size),
    links: emptyIdentifierKinds((kind) => linkTables[kind].size),
    exchanges: {
      rows: exchanges.totals.rows,
      exchanges: exchanges.totals.exchanges,
      input_tokens: exchanges.totals.inputTokens,
      output_tokens: exchanges.totals.outputTokens,
      capabilities: exchanges.capabilities,
      rows_by_resolution: rowsByResolution,
      activity_cells: activity.cells,
      synchrony: { windows: synchrony.windows, spikes: synchrony.spikes, groups: synchrony.identifiers.size, accounts_in_step: synchrony.links.size },
    },
    rows_read: fileList.reduce((sum, file) => sum + file.rows_read, 0),
    rows_loaded: fileList.reduce((sum, file) => sum + file.rows_loaded, 0),
    rows_rejected: fileList.reduce((sum, file) => sum + file.rows_rejected, 0),
    arrivals: arrivals.byKind,
    rejects_path: rejectsPath,
    rejects_written: rejects.written,
    rejects_capped: rejects.capped(),
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
  return { accounts: accountTable, identifiers, links: linkTables, exchanges, activity, summary };
}
