/** Plain data passed between the file reader, the chunk parser (possibly in a worker thread) and the World builder. */
import type { ContractFile } from '../core/world';

/** Where each contract column sits in a file's header. */
export interface ColumnPlan {
  file: ContractFile;
  /** Name of the file as read, relative to the input folder (for rejects and messages). */
  displayName: string;
  /** Number of header cells; a row with another count is rejected. */
  width: number;
  /** Per contract column (FILE_CONTRACTS[file].columns order): index in the header, -1 when absent. */
  index: number[];
  /** Per contract column: the header text the file uses (the mapped name), for the rejects `column` cell. */
  headers: string[];
  /** Header cells the contract does not know (ignored). */
  unknown: string[];
}

/** One slice of a file's data rows, cut at a record boundary. */
export interface ChunkJob {
  plan: ColumnPlan;
  bytes: Uint8Array;
  /** 1-based physical line of the first byte of `bytes` (the header is line 1). */
  startLine: number;
}

export interface RejectRecord {
  line: number;
  /** Header text of the offending column; empty for row-level reasons (column count). */
  column: string;
  reason: string;
  /** The raw text of the input record (all its physical lines, without the final line break). */
  row: string;
}

/** Interned strings of one chunk: each batch carries its own small dictionary, mapped to global ids once. */
export interface AccountsBatch {
  kind: 'accounts';
  ids: string[];
  createdAt: Float64Array;
  emailDomains: string[];
  emailDomain: Int32Array;
  countries: string[];
  country: Int32Array;
  status: Uint8Array;
  /** Start line and number of physical lines of each loaded row: duplicate ids are only known globally. */
  line: Int32Array;
  span: Int32Array;
}

export interface LinksBatch {
  kind: 'links';
  accounts: string[];
  account: Int32Array;
  identifiers: string[];
  identifier: Int32Array;
  subkind: Uint8Array;
  firstSeen: Float64Array;
  lastSeen: Float64Array;
  count: Float64Array;
  asns: string[];
  asn: Int32Array;
  proxy: Int8Array;
  /** Start line and number of physical lines of each loaded row: a row whose count would make the file's total
   * inexact is only known globally. */
  line: Int32Array;
  span: Int32Array;
}

export interface ExchangesBatch {
  kind: 'exchanges';
  accounts: string[];
  account: Int32Array;
  capabilities: string[];
  capability: Int32Array;
  day: Int32Array;
  /** The row's time (ms UTC) and what it stands for: index into TIME_RESOLUTIONS (minute, hour, day). */
  at: Float64Array;
  resolution: Uint8Array;
  /** Optional template and client cells (-1 empty), as per-chunk dictionaries. */
  templates: string[];
  template: Int32Array;
  clients: string[];
  client: Int32Array;
  count: Float64Array;
  inputTokens: Float64Array;
  outputTokens: Float64Array;
  /** Start line and number of physical lines of each loaded row: a row refused for its capability tag (the
   * 65,536th distinct one) is only known globally. */
  line: Int32Array;
  span: Int32Array;
}

/** A loaded row the main thread refuses (known only globally): its batch row, contract column index and reason. */
export interface RefusedRow {
  row: number;
  column: number;
  reason: string;
}

export type Batch = AccountsBatch | LinksBatch | ExchangesBatch;

export interface ChunkResult {
  rowsRead: number;
  /** Physical lines the chunk spans (its line feeds), so the caller can number the next chunk. */
  lines: number;
  batch: Batch;
  rejects: RejectRecord[];
  /** A structural CSV error (bad quoting, a record over MAX_RECORD_CHARS): the import stops with BAD_CSV. `fix`: how to
   * fix it, when it is not the quoting. */
  fatal: { line: number; message: string; fix?: string } | null;
}
