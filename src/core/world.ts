/**
 * The World: everything the importer loaded, as typed arrays and string tables.
 * It is plain data shared by every later stage (graph, detect, score, report, sweep, neo4j, evidence);
 * nothing here does I/O. Per-node and per-link values live in typed arrays indexed by integer ids,
 * never in one JS object per account or link (a 1M-account world must fit in a few hundred MB).
 *
 * Time values are milliseconds since the Unix epoch (UTC) in Float64Arrays, NaN when unknown.
 * Exchange days are whole UTC days since the epoch (Math.floor(ms / 86_400_000)).
 */

export const IDENTIFIER_KINDS = ['instrument', 'ip', 'fingerprint'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export const INSTRUMENT_KINDS = ['card', 'prepaid_card', 'virtual_card', 'bank', 'wallet', 'other'] as const;
export type InstrumentKind = (typeof INSTRUMENT_KINDS)[number];
export const FINGERPRINT_KINDS = ['proxy', 'tls', 'device', 'browser', 'other'] as const;
export type FingerprintKind = (typeof FINGERPRINT_KINDS)[number];
export const IP_VERSIONS = ['ipv4', 'ipv6'] as const;
export const ACCOUNT_STATUSES = ['active', 'suspended', 'terminated'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Names of each identifier kind's sub-kinds: IdentifierTable.subkind indexes into these. */
export const SUBKINDS: Record<IdentifierKind, readonly string[]> = {
  instrument: INSTRUMENT_KINDS,
  ip: IP_VERSIONS,
  fingerprint: FINGERPRINT_KINDS,
};

export const MS_PER_DAY = 86_400_000;

export interface Accounts {
  size: number;
  /** External account_id; the array index is the internal account number. */
  ids: string[];
  /** 1 when the account is in accounts.csv, 0 when it only appears in links or exchanges ("unregistered"). */
  registered: Uint8Array;
  createdAt: Float64Array;
  /** Index into emailDomains, -1 when empty. */
  emailDomain: Int32Array;
  emailDomains: string[];
  /** Index into countries, -1 when empty. */
  country: Int32Array;
  countries: string[];
  /** Index into ACCOUNT_STATUSES. */
  status: Uint8Array;
}

export interface IdentifierTable {
  kind: IdentifierKind;
  size: number;
  /** External identifier (instrument_id, ip, fingerprint); array index is the identifier number within its kind. */
  ids: string[];
  /** Index into SUBKINDS[kind] (instrument kind, ip version, fingerprint kind). */
  subkind: Uint8Array;
  /** ip only (length 0 otherwise): index into asns, -1 unknown. */
  asn: Int32Array;
  asns: string[];
  /** ip only (length 0 otherwise): 1 flagged proxy, 0 flagged not proxy, -1 unknown. */
  proxy: Int8Array;
}

/**
 * Account–identifier links of one kind. One entry per distinct (account, identifier) pair:
 * repeated input rows are merged (counts add, first/last seen widen). Sorted by account, then identifier.
 */
export interface LinkTable {
  kind: IdentifierKind;
  size: number;
  account: Int32Array;
  identifier: Int32Array;
  firstSeen: Float64Array;
  lastSeen: Float64Array;
  /** ip: sum of `requests`; other kinds: number of input rows merged into this link. */
  count: Float64Array;
  /** Number of input rows merged into this link. */
  rows: Int32Array;
}

/**
 * Exchanges aggregated to one cell per distinct (account, day, capability), sorted by account, day, capability.
 * accountOffsets is a CSR index: account a's cells are [accountOffsets[a], accountOffsets[a + 1]).
 */
export interface Exchanges {
  capabilities: string[];
  cells: number;
  account: Int32Array;
  day: Int32Array;
  capability: Uint16Array;
  count: Float64Array;
  inputTokens: Float64Array;
  outputTokens: Float64Array;
  accountOffsets: Int32Array;
  totals: { rows: number; exchanges: number; inputTokens: number; outputTokens: number };
}

export const CONTRACT_FILES = [
  'accounts.csv',
  'payment_instruments.csv',
  'ip_addresses.csv',
  'fingerprints.csv',
  'exchanges.csv',
] as const;
export type ContractFile = (typeof CONTRACT_FILES)[number];

export interface FileSummary {
  /** Contract name, e.g. "accounts.csv", whatever the file is called on disk. */
  file: ContractFile;
  present: boolean;
  /** Path read (possibly .csv.gz or a mapped name); null when absent. */
  path: string | null;
  bytes: number;
  /** SHA-256 of the bytes on disk (compressed bytes for .gz); null when absent. */
  sha256: string | null;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  /** Header columns that the contract (after mapping) does not know; ignored. */
  unknown_columns: string[];
}

export interface ImportSummary {
  input_dir: string;
  files: Record<ContractFile, FileSummary>;
  accounts: number;
  registered_accounts: number;
  unregistered_accounts: number;
  identifiers: Record<IdentifierKind, number>;
  links: Record<IdentifierKind, number>;
  exchanges: { rows: number; exchanges: number; input_tokens: number; output_tokens: number; capabilities: string[] };
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rejects_path: string | null;
  seconds: number;
}

export interface World {
  accounts: Accounts;
  identifiers: Record<IdentifierKind, IdentifierTable>;
  links: Record<IdentifierKind, LinkTable>;
  exchanges: Exchanges;
  summary: ImportSummary;
}
