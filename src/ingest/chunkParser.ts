/**
 * Parses and validates one chunk of a contract file (csv-parse on a slice cut at a record boundary) into a
 * compact batch: typed arrays plus per-chunk string dictionaries, and the rejected rows with their line and
 * raw text. Pure function of its job, so it runs unchanged in a worker thread or in the main thread.
 */
import { parse, type Options } from 'csv-parse/sync';
import { FILE_CONTRACTS } from '../contract/columns';
import {
  PLAUSIBLE_TIME_MS,
  REJECT_REASONS,
  parseBoolean,
  parseCountry,
  parseEnum,
  parseIp,
  parseNonNegativeInteger,
  parseTimestamp,
  utcDay,
} from '../contract/cells';
import { ACCOUNT_STATUSES, FINGERPRINT_KINDS, INSTRUMENT_KINDS, TIME_RESOLUTIONS } from '../core/world';
import { TextLines, lineBreaks } from './lines';
import type { ChunkJob, ChunkResult, RejectRecord } from './types';

/**
 * The longest data record, in characters (a contract row is a few hundred at most). A longer one stops the import
 * with its line (BAD_CSV): checked per line here and by csv-parse's max_record_size in quoted runs, so the check
 * costs one comparison per line. The reader (src/ingest/source.ts) never buffers more than 4× this in bytes.
 */
export const MAX_RECORD_CHARS = 1 << 20;

/** csv-parse options shared by the header and the chunks: strict RFC 4180 quoting, LF or CRLF line ends. */
export const CSV_OPTIONS: Options = {
  relax_column_count: true,
  skip_empty_lines: false,
  record_delimiter: ['\r\n', '\n'],
  max_record_size: MAX_RECORD_CHARS,
};

const TOO_LONG = `the record is longer than ${(MAX_RECORD_CHARS >> 10).toLocaleString('en-US')} Ki characters`;
const TOO_LONG_FIX = 'split the file into one record per line (no contract cell is longer than a few hundred characters)';

/** Thrown by splitQuoteFree for a line over MAX_RECORD_CHARS; becomes the chunk's fatal error. */
class RecordTooLong {
  constructor(readonly line: number) {}
}

/**
 * Interns a chunk's strings. Rows usually repeat the previous value (files sorted by account) or draw from a
 * handful (capabilities, kinds): a last-value check and a short linear scan avoid hashing most strings.
 * When nearly every value is new (identifiers in link files), hashing them here saves nothing — the main
 * thread interns each value globally anyway — so after a sample the dictionary stops deduplicating and
 * just lists values (repeats then appear more than once, which the main thread's interning absorbs).
 */
class Dictionary {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  private last = '';
  private lastId = -1;
  private lookups = 0;
  private deduplicate = true;
  id(value: string): number {
    if (value === this.last) return this.lastId;
    const values = this.values;
    let id = -1;
    if (!this.deduplicate) {
      id = values.length;
      values.push(value);
    } else if (values.length <= 8) {
      for (let i = 0; i < values.length; i++) {
        if (values[i] === value) {
          id = i;
          break;
        }
      }
    } else {
      id = this.ids.get(value) ?? -1;
    }
    if (id === -1) {
      id = values.length;
      this.ids.set(value, id);
      values.push(value);
    }
    if (this.deduplicate && ++this.lookups === 1024 && values.length > 900) {
      this.deduplicate = false;
      this.ids.clear();
    }
    this.last = value;
    this.lastId = id;
    return id;
  }
}

class Column<T extends Float64Array | Int32Array | Uint8Array | Int8Array> {
  length = 0;
  constructor(public data: T) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new (this.data.constructor as new (n: number) => T)(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}
const f64 = () => new Column(new Float64Array(1024));
const i32 = () => new Column(new Int32Array(1024));
const u8 = () => new Column(new Uint8Array(1024));
const i8 = () => new Column(new Int8Array(1024));

/** Thrown inside a row handler to reject the row; caught per row. */
class RowRejection {
  constructor(
    readonly column: number,
    readonly reason: string,
  ) {}
}

/** The current row: `read(at)` gives the text of header position `at`; `index` maps contract columns to positions. */
interface RowContext {
  index: number[];
  read(at: number): string;
}

function cell(context: RowContext, column: number): string {
  const at = context.index[column];
  return at < 0 ? '' : context.read(at).trim();
}

/** Cells of a csv-parse record. */
class ParsedRow implements RowContext {
  cells: string[] = [];
  constructor(readonly index: number[]) {}
  read(at: number): string {
    return this.cells[at];
  }
}

/**
 * Cells of one line of a quote-free chunk, read lazily: only the cells the contract uses become strings.
 * `starts[k]` is where cell k begins; cell k ends one before `starts[k + 1]` (its comma) or at `end`.
 */
class SplitLine implements RowContext {
  text = '';
  end = 0;
  cells = 0;
  readonly starts: Int32Array;
  constructor(
    readonly index: number[],
    width: number,
  ) {
    this.starts = new Int32Array(width + 1);
  }
  read(at: number): string {
    return this.text.substring(this.starts[at], at + 1 < this.cells ? this.starts[at + 1] - 1 : this.end);
  }
}

function required(context: RowContext, column: number): string {
  const text = cell(context, column);
  if (text === '') throw new RowRejection(column, REJECT_REASONS.missingCell);
  return text;
}

/** Last timestamp text parsed and its value: exchange rows of one account often repeat a day. */
let lastTimestampText = '';
let lastTimestampMs = NaN;

function timestamp(context: RowContext, column: number, isRequired: boolean): number {
  const text = isRequired ? required(context, column) : cell(context, column);
  if (text === '') return NaN;
  if (text === lastTimestampText) return lastTimestampMs;
  const ms = parseTimestamp(text);
  if (Number.isNaN(ms)) throw new RowRejection(column, `${REJECT_REASONS.badDate}: "${text}"`);
  if (ms < PLAUSIBLE_TIME_MS.from || ms >= PLAUSIBLE_TIME_MS.to) throw new RowRejection(column, `${REJECT_REASONS.implausibleDate}: "${text}"`);
  lastTimestampText = text;
  lastTimestampMs = ms;
  return ms;
}

function integer(context: RowContext, column: number, fallback: number, minimum: 0 | 1): number {
  const text = cell(context, column);
  if (text === '') return fallback;
  const value = parseNonNegativeInteger(text);
  if (value < minimum) {
    throw new RowRejection(column, `${minimum === 1 ? REJECT_REASONS.badCount : REJECT_REASONS.badInteger}: "${text}"`);
  }
  return value;
}

function enumeration(context: RowContext, column: number, values: readonly string[], fallback: string): number {
  const text = cell(context, column);
  if (text === '') return values.indexOf(fallback);
  const index = parseEnum(text, values);
  if (index < 0) throw new RowRejection(column, `${REJECT_REASONS.badEnum}: "${text}" (expected ${values.join('|')})`);
  return index;
}

type RowHandler = (context: RowContext) => void;

interface Handler {
  row: RowHandler;
  finish(): ChunkResult['batch'];
}

// Column positions follow FILE_CONTRACTS order (asserted by the contract tests).
function accountsHandler(lines: { current: number; span: number }): Handler {
  const ids: string[] = [];
  const createdAt = f64();
  const emailDomains = new Dictionary();
  const emailDomain = i32();
  const countries = new Dictionary();
  const country = i32();
  const status = u8();
  const line = i32();
  const span = i32();
  return {
    row(context) {
      const id = required(context, 0);
      const created = timestamp(context, 1, true);
      const domain = cell(context, 2).toLowerCase();
      const countryText = cell(context, 3);
      let countryCode: string | null = null;
      if (countryText !== '') {
        countryCode = parseCountry(countryText);
        if (countryCode === null) throw new RowRejection(3, `${REJECT_REASONS.badCountry}: "${countryText}"`);
      }
      const statusIndex = enumeration(context, 4, ACCOUNT_STATUSES, 'active');
      ids.push(id);
      createdAt.push(created);
      emailDomain.push(domain === '' ? -1 : emailDomains.id(domain));
      country.push(countryCode === null ? -1 : countries.id(countryCode));
      status.push(statusIndex);
      line.push(lines.current);
      span.push(lines.span);
    },
    finish: () => ({
      kind: 'accounts',
      ids,
      createdAt: createdAt.done(),
      emailDomains: emailDomains.values,
      emailDomain: emailDomain.done(),
      countries: countries.values,
      country: country.done(),
      status: status.done(),
      line: line.done(),
      span: span.done(),
    }),
  };
}

function linksHandler(file: 'payment_instruments.csv' | 'ip_addresses.csv' | 'fingerprints.csv', lines: { current: number; span: number }): Handler {
  const line = i32();
  const span = i32();
  const accounts = new Dictionary();
  const account = i32();
  const identifiers = new Dictionary();
  const identifier = i32();
  const subkind = u8();
  const firstSeen = f64();
  const lastSeen = f64();
  const count = f64();
  const asns = new Dictionary();
  const asn = i32();
  const proxy = i8();
  const isIp = file === 'ip_addresses.csv';
  const kinds = file === 'payment_instruments.csv' ? INSTRUMENT_KINDS : FINGERPRINT_KINDS;
  return {
    row(context) {
      const accountId = required(context, 0);
      let identifierText = required(context, 1);
      let sub: number;
      let first: number;
      let last: number;
      let rowCount = 1;
      let asnText = '';
      let proxyFlag = -1;
      if (isIp) {
        const ip = parseIp(identifierText);
        if (!ip) throw new RowRejection(1, `${REJECT_REASONS.badIp}: "${identifierText}"`);
        identifierText = ip.text;
        sub = ip.version === 4 ? 0 : 1;
        first = timestamp(context, 2, false);
        last = timestamp(context, 3, false);
        rowCount = integer(context, 4, 1, 0);
        asnText = cell(context, 5);
        const proxyText = cell(context, 6);
        if (proxyText !== '') {
          proxyFlag = parseBoolean(proxyText);
          if (proxyFlag < 0) throw new RowRejection(6, `${REJECT_REASONS.badBoolean}: "${proxyText}"`);
        }
      } else {
        sub = enumeration(context, 2, kinds, 'other');
        first = timestamp(context, 3, false);
        last = timestamp(context, 4, false);
      }
      if (first > last) throw new RowRejection(isIp ? 2 : 3, REJECT_REASONS.seenOrder);
      account.push(accounts.id(accountId));
      identifier.push(identifiers.id(identifierText));
      subkind.push(sub);
      firstSeen.push(first);
      lastSeen.push(last);
      count.push(rowCount);
      asn.push(asnText === '' ? -1 : asns.id(asnText));
      proxy.push(proxyFlag);
      line.push(lines.current);
      span.push(lines.span);
    },
    finish: () => ({
      kind: 'links',
      accounts: accounts.values,
      account: account.done(),
      identifiers: identifiers.values,
      identifier: identifier.done(),
      subkind: subkind.done(),
      firstSeen: firstSeen.done(),
      lastSeen: lastSeen.done(),
      count: count.done(),
      asns: asns.values,
      asn: asn.done(),
      proxy: proxy.done(),
      line: line.done(),
      span: span.done(),
    }),
  };
}

const MS_PER_HOUR = 3_600_000;
/** Longest template or client cell: a hash or an SDK name, never prompt text. */
const MAX_TOKEN_CELL = 128;

function exchangesHandler(lines: { current: number; span: number }): Handler {
  const accounts = new Dictionary();
  const account = i32();
  const capabilities = new Dictionary();
  const capability = i32();
  const day = i32();
  const at = f64();
  const resolution = u8();
  const templates = new Dictionary();
  const template = i32();
  const clients = new Dictionary();
  const client = i32();
  const count = f64();
  const inputTokens = f64();
  const outputTokens = f64();
  const line = i32();
  const span = i32();
  return {
    row(context) {
      const accountId = required(context, 0);
      const ms = timestamp(context, 1, true);
      const capabilityText = cell(context, 2) || 'unspecified';
      const exchanges = integer(context, 3, 1, 1);
      const input = integer(context, 4, 0, 0);
      const output = integer(context, 5, 0, 0);
      const templateText = cell(context, 6);
      const clientText = cell(context, 7);
      if (templateText.length > MAX_TOKEN_CELL) throw new RowRejection(6, `${REJECT_REASONS.tooLong}: ${templateText.length} characters`);
      if (clientText.length > MAX_TOKEN_CELL) throw new RowRejection(7, `${REJECT_REASONS.tooLong}: ${clientText.length} characters`);
      account.push(accounts.id(accountId));
      day.push(utcDay(ms));
      at.push(ms);
      // A date alone stands for a day; a time on the hour for an hour (a pre-aggregated bucket); else a minute.
      // lastTimestampText is the cell timestamp() just read (no second substring per row).
      resolution.push(lastTimestampText.length <= 10 ? TIME_RESOLUTIONS.indexOf('day') : ms % MS_PER_HOUR === 0 ? TIME_RESOLUTIONS.indexOf('hour') : TIME_RESOLUTIONS.indexOf('minute'));
      template.push(templateText === '' ? -1 : templates.id(templateText));
      client.push(clientText === '' ? -1 : clients.id(clientText));
      capability.push(capabilities.id(capabilityText));
      count.push(exchanges);
      inputTokens.push(input);
      outputTokens.push(output);
      line.push(lines.current);
      span.push(lines.span);
    },
    finish: () => ({
      kind: 'exchanges',
      accounts: accounts.values,
      account: account.done(),
      capabilities: capabilities.values,
      capability: capability.done(),
      day: day.done(),
      at: at.done(),
      resolution: resolution.done(),
      templates: templates.values,
      template: template.done(),
      clients: clients.values,
      client: client.done(),
      count: count.done(),
      inputTokens: inputTokens.done(),
      outputTokens: outputTokens.done(),
      line: line.done(),
      span: span.done(),
    }),
  };
}

function describeCsvError(error: { code?: string; message: string }): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field opens here and is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return TOO_LONG;
    case 'INVALID_OPENING_QUOTE':
      return 'a quote (") inside an unquoted field';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'characters after the closing quote of a quoted field';
    default:
      return error.message.replace(/ at line \d+.*$/, '').replace(/ on line \d+.*$/, '');
  }
}

/** Counts rows and collects rejects while records of one chunk go through the file's row handler. */
class ChunkRows {
  rowsRead = 0;
  readonly rejects: RejectRecord[] = [];

  constructor(
    private readonly plan: ChunkJob['plan'],
    private readonly handler: Handler,
  ) {}

  /** One record: `cells` cells, its start line and its raw text (computed only when the row is rejected). */
  visit(context: RowContext, cells: number, line: number, rawText: () => string): void {
    this.rowsRead++;
    if (cells !== this.plan.width) {
      this.rejects.push({
        line,
        column: '',
        reason: `${REJECT_REASONS.wrongColumnCount}: ${cells} ${cells === 1 ? 'cell' : 'cells'}, the header has ${this.plan.width}`,
        row: rawText(),
      });
      return;
    }
    try {
      this.handler.row(context);
    } catch (error) {
      if (!(error instanceof RowRejection)) throw error;
      this.rejects.push({
        line,
        column: this.plan.headers[error.column] ?? FILE_CONTRACTS[this.plan.file].columns[error.column].name,
        reason: error.reason,
        row: rawText(),
      });
    }
  }
}

type LineState = { current: number; span: number };

/**
 * Complete lines in [from, to) that hold no quote character: RFC 4180 reduces to splitting lines on LF (a
 * CR before it is part of the line end) and cells on commas. This gives the same records as csv-parse
 * several times faster, so csv-parse only sees the stretches of a chunk that contain quotes.
 */
function splitQuoteFree(text: string, from: number, to: number, rows: ChunkRows, lineState: LineState, row: SplitLine, width: number): void {
  row.text = text;
  const starts = row.starts;
  let position = from;
  lineState.span = 1;
  while (position < to) {
    let next = text.indexOf('\n', position);
    if (next === -1 || next > to) next = to;
    let end = next;
    if (end > position && text.charCodeAt(end - 1) === 13) end--;
    if (end - position > MAX_RECORD_CHARS) throw new RecordTooLong(lineState.current);
    // A blank line is not a row (as csv-parse reads it: one empty cell); it still counts as a physical line.
    if (end > position || width <= 1) {
      starts[0] = position;
      let cells = 1;
      for (let comma = text.indexOf(',', position); comma !== -1 && comma < end; comma = text.indexOf(',', comma + 1)) {
        if (cells <= width) starts[cells] = comma + 1;
        cells++;
      }
      row.end = end;
      row.cells = cells;
      const lineStart = position;
      rows.visit(row, cells, lineState.current, () => text.substring(lineStart, end));
    }
    lineState.current++;
    position = next + 1;
  }
}

/**
 * End (index after the line feed, or the text length) of the run of lines starting at `from` that contain
 * quotes: a line feed ends the run when it is outside quotes and the next line has no quote.
 */
function quotedRunEnd(text: string, from: number): number {
  let inQuotes = false;
  let position = from;
  for (;;) {
    const quote = text.indexOf('"', position);
    if (inQuotes) {
      if (quote === -1) return text.length;
      inQuotes = false;
      position = quote + 1;
      continue;
    }
    const feed = text.indexOf('\n', position);
    if (feed !== -1 && (quote === -1 || feed < quote)) {
      const nextFeed = text.indexOf('\n', feed + 1);
      const nextLineHasQuote = quote !== -1 && (nextFeed === -1 || quote < nextFeed);
      if (!nextLineHasQuote) return feed + 1;
      position = feed + 1;
      continue;
    }
    if (quote === -1) return text.length;
    inQuotes = true;
    position = quote + 1;
  }
}

/** Line (0-based within `text`) of the quote that opens a field never closed; csv-parse reports the end of input instead. */
function unclosedQuoteLine(text: string): number {
  let inQuotes = false;
  let opened = -1;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) {
    inQuotes = !inQuotes;
    if (inQuotes) opened = at;
  }
  if (!inQuotes) return -1;
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < opened; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

/** Parses a quoted run with csv-parse; returns a fatal error for broken quoting, else null. */
function parseQuotedRun(run: string, rows: ChunkRows, lineState: LineState, context: ParsedRow, width: number): ChunkResult['fatal'] {
  const runLine = lineState.current;
  let records: string[][];
  try {
    records = parse(run, CSV_OPTIONS) as string[][];
  } catch (error) {
    const csvError = error as { code?: string; message: string; lines?: number };
    const opened = csvError.code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuoteLine(run) : -1;
    return {
      line: opened >= 0 ? runLine + opened : runLine + Math.max(0, (csvError.lines ?? 1) - 1),
      message: describeCsvError(csvError),
      ...(csvError.code === 'CSV_MAX_RECORD_SIZE' ? { fix: TOO_LONG_FIX } : {}),
    };
  }
  const lines = new TextLines(run, runLine);
  for (let r = 0; r < records.length; r++) {
    const cells = records[r];
    let span = 1;
    for (let c = 0; c < cells.length; c++) span += lineBreaks(cells[c]);
    lineState.span = span;
    if (!(cells.length === 1 && cells[0] === '' && width > 1)) {
      context.cells = cells;
      const line = lineState.current;
      rows.visit(context, cells.length, line, () => lines.slice(line, span));
    }
    lineState.current += span;
  }
  return null;
}

export function parseChunk(job: ChunkJob): ChunkResult {
  const { plan, startLine } = job;
  const text = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.length).toString('utf8');
  const lineState: LineState = { current: startLine, span: 1 };
  const handler =
    plan.file === 'accounts.csv'
      ? accountsHandler(lineState)
      : plan.file === 'exchanges.csv'
        ? exchangesHandler(lineState)
        : linksHandler(plan.file, lineState);
  const rows = new ChunkRows(plan, handler);
  const split = new SplitLine(plan.index, plan.width);
  const parsed = new ParsedRow(plan.index);
  let position = 0;
  let fatal: ChunkResult['fatal'] = null;
  try {
    while (position < text.length && fatal === null) {
      const quote = text.indexOf('"', position);
      if (quote === -1) {
        splitQuoteFree(text, position, text.length, rows, lineState, split, plan.width);
        break;
      }
      const runStart = Math.max(position, text.lastIndexOf('\n', quote) + 1);
      splitQuoteFree(text, position, runStart, rows, lineState, split, plan.width);
      const runEnd = quotedRunEnd(text, runStart);
      fatal = parseQuotedRun(text.substring(runStart, runEnd), rows, lineState, parsed, plan.width);
      position = runEnd;
    }
  } catch (error) {
    if (!(error instanceof RecordTooLong)) throw error;
    fatal = { line: error.line, message: TOO_LONG, fix: TOO_LONG_FIX };
  }
  const lines = lineState.current - startLine;
  return { rowsRead: fatal ? 0 : rows.rowsRead, lines, batch: handler.finish(), rejects: fatal ? [] : rows.rejects, fatal };
}
