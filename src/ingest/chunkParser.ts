/**
 * Parses and validates one chunk of a contract file (csv-parse on a slice cut at a record boundary) into a
 * compact batch: typed arrays plus per-chunk string dictionaries, and the rejected rows with their line and
 * raw text. Pure function of its job, so it runs unchanged in a worker thread or in the main thread.
 */
import { parse, type Options } from 'csv-parse/sync';
import { FILE_CONTRACTS } from '../contract/columns';
import {
  REJECT_REASONS,
  parseBoolean,
  parseCountry,
  parseEnum,
  parseIp,
  parseNonNegativeInteger,
  parseTimestamp,
  utcDay,
} from '../contract/cells';
import { ACCOUNT_STATUSES, FINGERPRINT_KINDS, INSTRUMENT_KINDS } from '../core/world';
import { ChunkLines, lineBreaks } from './lines';
import type { ChunkJob, ChunkResult, RejectRecord } from './types';

/** csv-parse options shared by the header and the chunks: strict RFC 4180 quoting, LF or CRLF line ends. */
export const CSV_OPTIONS: Options = {
  relax_column_count: true,
  skip_empty_lines: false,
  record_delimiter: ['\r\n', '\n'],
};

class Dictionary {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
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

interface RowContext {
  cells: string[];
  index: number[];
}

function cell(context: RowContext, column: number): string {
  const at = context.index[column];
  return at < 0 ? '' : context.cells[at].trim();
}

function required(context: RowContext, column: number): string {
  const text = cell(context, column);
  if (text === '') throw new RowRejection(column, REJECT_REASONS.missingCell);
  return text;
}

function timestamp(context: RowContext, column: number, isRequired: boolean): number {
  const text = isRequired ? required(context, column) : cell(context, column);
  if (text === '') return NaN;
  const ms = parseTimestamp(text);
  if (Number.isNaN(ms)) throw new RowRejection(column, `${REJECT_REASONS.badDate}: "${text}"`);
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

function linksHandler(file: 'payment_instruments.csv' | 'ip_addresses.csv' | 'fingerprints.csv'): Handler {
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
    }),
  };
}

function exchangesHandler(): Handler {
  const accounts = new Dictionary();
  const account = i32();
  const capabilities = new Dictionary();
  const capability = i32();
  const day = i32();
  const count = f64();
  const inputTokens = f64();
  const outputTokens = f64();
  return {
    row(context) {
      const accountId = required(context, 0);
      const ms = timestamp(context, 1, true);
      const capabilityText = cell(context, 2) || 'unspecified';
      const exchanges = integer(context, 3, 1, 1);
      const input = integer(context, 4, 0, 0);
      const output = integer(context, 5, 0, 0);
      account.push(accounts.id(accountId));
      day.push(utcDay(ms));
      capability.push(capabilities.id(capabilityText));
      count.push(exchanges);
      inputTokens.push(input);
      outputTokens.push(output);
    },
    finish: () => ({
      kind: 'exchanges',
      accounts: accounts.values,
      account: account.done(),
      capabilities: capabilities.values,
      capability: capability.done(),
      day: day.done(),
      count: count.done(),
      inputTokens: inputTokens.done(),
      outputTokens: outputTokens.done(),
    }),
  };
}

function describeCsvError(error: { code?: string; message: string }): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field opens here and is never closed';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote (") inside an unquoted field';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'characters after the closing quote of a quoted field';
    default:
      return error.message.replace(/ at line \d+.*$/, '').replace(/ on line \d+.*$/, '');
  }
}

/** Line (0-based within the chunk) of the quote that opens a field never closed; csv-parse reports the end of input instead. */
function unclosedQuoteLine(bytes: Buffer): number {
  let inQuotes = false;
  let opened = -1;
  for (let at = bytes.indexOf(34); at !== -1; at = bytes.indexOf(34, at + 1)) {
    inQuotes = !inQuotes;
    if (inQuotes) opened = at;
  }
  if (!inQuotes) return -1;
  let lines = 0;
  for (let at = bytes.indexOf(10); at !== -1 && at < opened; at = bytes.indexOf(10, at + 1)) lines++;
  return lines;
}

export function parseChunk(job: ChunkJob): ChunkResult {
  const { plan, startLine } = job;
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.length);
  const lineState = { current: startLine, span: 1 };
  const handler =
    plan.file === 'accounts.csv'
      ? accountsHandler(lineState)
      : plan.file === 'exchanges.csv'
        ? exchangesHandler()
        : linksHandler(plan.file);
  const rejects: RejectRecord[] = [];
  let records: string[][];
  try {
    records = parse(bytes, CSV_OPTIONS) as string[][];
  } catch (error) {
    const csvError = error as { code?: string; message: string; lines?: number };
    const opened = csvError.code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuoteLine(bytes) : -1;
    return {
      rowsRead: 0,
      batch: handler.finish(),
      rejects,
      fatal: {
        line: opened >= 0 ? startLine + opened : startLine + Math.max(0, (csvError.lines ?? 1) - 1),
        message: describeCsvError(csvError),
      },
    };
  }
  // A chunk without quotes cannot hold a line break inside a cell, so every record is one line.
  const mayHaveBreaks = bytes.indexOf(34) !== -1;
  const lines = new ChunkLines(job.bytes, startLine);
  const context: RowContext = { cells: [], index: plan.index };
  const contract = FILE_CONTRACTS[plan.file];
  let rowsRead = 0;
  for (let r = 0; r < records.length; r++) {
    const cells = records[r];
    let span = 1;
    if (mayHaveBreaks) for (let c = 0; c < cells.length; c++) span += lineBreaks(cells[c]);
    lineState.span = span;
    // A blank line is not a row (csv-parse gives it as one empty cell); it still counts as a physical line.
    if (!(cells.length === 1 && cells[0] === '' && plan.width > 1)) {
      rowsRead++;
      if (cells.length !== plan.width) {
        rejects.push({
          line: lineState.current,
          column: '',
          reason: `${REJECT_REASONS.wrongColumnCount}: ${cells.length} cells, the header has ${plan.width}`,
          row: lines.text(lineState.current, span),
        });
      } else {
        context.cells = cells;
        try {
          handler.row(context);
        } catch (error) {
          if (!(error instanceof RowRejection)) throw error;
          rejects.push({
            line: lineState.current,
            column: plan.headers[error.column] ?? contract.columns[error.column].name,
            reason: error.reason,
            row: lines.text(lineState.current, span),
          });
        }
      }
    }
    lineState.current += span;
  }
  return { rowsRead, batch: handler.finish(), rejects, fatal: null };
}
