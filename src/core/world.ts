/**
 * The World: everything the importer loaded, as typed arrays and string tables.
 * It is plain data shared by every later stage (graph, detect, score, report, sweep, neo4j, evidence);
 * nothing here does I/O. Per-node and per-link values live in typed arrays indexed by integer ids,
 * never in one JS object per account or link (a 1M-account world must fit in a few hundred MB).
 *
 * Time values are milliseconds since the Unix epoch (UTC) in Float64Arrays, NaN when unknown.
 * Exchange days are whole UTC days since the epoch (Math.floor(ms / 86_400_000)).
 */

/**
 * instrument, ip and fingerprint come from their own link files; template and client come from exchanges.csv's
 * optional `template` and `client` columns (a request scaffold's hash, an SDK / user-agent family and version);
 * synchrony is derived from minute-level activity (src/graph/synchrony.ts: accounts in step on one template).
 * New kinds are appended, so graph node numbers of the first three never move.
 */
export const IDENTIFIER_KINDS = ['instrument', 'ip', 'fingerprint', 'template', 'client', 'synchrony'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];
/** Kinds that only exports with exchanges.csv's optional columns (and minute-level timestamps) have. */
export const BEHAVIOUR_KINDS: readonly IdentifierKind[] = ['template', 'client', 'synchrony'];

/**
 * The kinds a World speaks of: the three identity kinds always (none is a finding: "0 shared cards"), templates
 * and clients only when the export had them — an older export's outputs do not grow empty sections.
 */
export function kindsOf(world: World): IdentifierKind[] {
  return IDENTIFIER_KINDS.filter((kind) => !BEHAVIOUR_KINDS.includes(kind) || world.identifiers[kind].size > 0);
}

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
  template: ['template'],
  client: ['client'],
  // window: in step on one template (synchrony.ts); arrival_<kind>: arrived on one card, IP or fingerprint
  // together (arrival.ts).
  synchrony: ['window', 'arrival_instrument', 'arrival_ip', 'arrival_fingerprint'],
};

export const MS_PER_DAY = 86_400_000;
export const MS_PER_MINUTE = 60_000;

/** What one exchanges.csv row stands for: a timed row (to the minute), a time on the hour (an hourly bucket), a date. */
export const TIME_RESOLUTIONS = ['minute', 'hour', 'day'] as const;
export type TimeResolution = (typeof TIME_RESOLUTIONS)[number];

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
  /** Number of input rows merged into this link (synchrony, a derived kind: distinct days the account was in step). */
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

/**
 * Minute-level activity, the input of behavioural signals (synchrony, regularity): one cell per distinct
 * (account, minute, template) from exchanges.csv rows timed to the minute. Rows that stand for an hour or a day
 * count in Exchanges but not here. Sorted by account, minute, template; accountOffsets is a CSR index.
 */
export interface Activity {
  cells: number;
  account: Int32Array;
  /** Minutes since the Unix epoch (UTC). */
  minute: Int32Array;
  /** Template number (World.identifiers.template), −1 for rows without one. */
  template: Int32Array;
  /** Exchanges in the cell. */
  count: Float32Array;
  accountOffsets: Int32Array;
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
  exchanges: {
    rows: number;
    exchanges: number;
    input_tokens: number;
    output_tokens: number;
    capabilities: string[];
    /** Rows by what they stand for (TIME_RESOLUTIONS): timed to the minute, on the hour (hourly buckets), dates. */
    rows_by_resolution: Record<TimeResolution, number>;
    /** Distinct (account, minute, template) cells of rows timed to the minute: what behaviour is measured on. */
    activity_cells: number;
    /** (template, window) runs with activity, spikes among them, synchrony groups and accounts in step (links). */
    synchrony: { windows: number; spikes: number; groups: number; accounts_in_step: number };
  };
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  /** Co-arrival cohorts (src/graph/arrival.ts) per kind: cohorts found, accounts in them. Absent in older snapshots. */
  arrivals?: Record<string, { cohorts: number; accounts: number }>;
  rejects_path: string | null;
  /** Rejected rows written to the rejects file (rows_rejected counts them all; see RejectsWriter's cap). */
  rejects_written?: number;
  /** Reasons whose rejects went over the cap per file and reason: how many there were and how many were written. */
  rejects_capped?: Array<{ file: string; reason: string; rows: number; written: number }>;
  seconds: number;
}

export interface World {
  accounts: Accounts;
  identifiers: Record<IdentifierKind, IdentifierTable>;
  links: Record<IdentifierKind, LinkTable>;
  exchanges: Exchanges;
  activity: Activity;
  summary: ImportSummary;
}

export function emptyIdentifierTable(kind: IdentifierKind): IdentifierTable {
  return { kind, size: 0, ids: [], subkind: new Uint8Array(0), asn: new Int32Array(0), asns: [], proxy: new Int8Array(0) };
}

export function emptyLinkTable(kind: IdentifierKind): LinkTable {
  return {
    kind, size: 0, account: new Int32Array(0), identifier: new Int32Array(0), firstSeen: new Float64Array(0),
    lastSeen: new Float64Array(0), count: new Float64Array(0), rows: new Int32Array(0),
  };
}

/** No minute-level activity: an export whose exchanges rows are all dates or hourly buckets. */
export function emptyActivity(accountCount: number): Activity {
  return {
    cells: 0, account: new Int32Array(0), minute: new Int32Array(0), template: new Int32Array(0), count: new Float32Array(0),
    accountOffsets: new Int32Array(accountCount + 1),
  };
}

/**
 * A World saved before a kind or table existed (snapshots from earlier versions) gains the missing parts, empty:
 * no template or client links, no minute-level activity — what an export without those columns gives.
 */
export function completeWorld(world: World): World {
  for (const kind of IDENTIFIER_KINDS) {
    world.identifiers[kind] ??= emptyIdentifierTable(kind);
    world.links[kind] ??= emptyLinkTable(kind);
    world.summary.identifiers[kind] ??= 0;
    world.summary.links[kind] ??= 0;
  }
  world.activity ??= emptyActivity(world.accounts.size);
  const exchanges = world.summary.exchanges;
  exchanges.rows_by_resolution ??= { minute: 0, hour: 0, day: exchanges.rows };
  exchanges.activity_cells ??= 0;
  exchanges.synchrony ??= { windows: 0, spikes: 0, groups: 0, accounts_in_step: 0 };
  return world;
}
