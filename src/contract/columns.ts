/**
 * The data contract: the five input files, their columns, types, defaults and enumerations.
 * This is the only module that knows column names; everything else asks it. docs/data-contract.md is the
 * human-readable form of the same table (keep them in step).
 */
import {
  ACCOUNT_STATUSES,
  CONTRACT_FILES,
  FINGERPRINT_KINDS,
  INSTRUMENT_KINDS,
  type ContractFile,
  type IdentifierKind,
} from '../core/world';

/** How a cell is read; each type has one parser in ./cells. */
export const CELL_TYPES = [
  'id', // opaque text, trimmed, non-empty when required
  'text', // free text, trimmed
  'timestamp', // ISO 8601 date or date-time → ms UTC
  'ip', // IPv4 or IPv6 → canonical text
  'count', // integer ≥ 1
  'non_negative_integer', // integer ≥ 0
  'boolean', // true|false|1|0
  'country', // ISO 3166-1 alpha-2
  'enum', // one of `values`
] as const;
export type CellType = (typeof CELL_TYPES)[number];

export interface ColumnContract {
  name: string;
  type: CellType;
  /** A required column must be in the header (fatal otherwise) and its cells must be non-empty (reject otherwise). */
  required: boolean;
  /** Value used for an empty cell or an absent optional column, as written in the contract (docs). */
  default: string | null;
  /** For enum columns: the accepted values (compared case-insensitively). */
  values?: readonly string[];
  description: string;
}

export interface FileContract {
  file: ContractFile;
  /** Only accounts.csv must exist; the others may be absent. */
  required: boolean;
  /** For link files: which identifier kind the file links accounts to. */
  identifierKind: IdentifierKind | null;
  /** For link files: the column holding the identifier. */
  identifierColumn: string | null;
  columns: readonly ColumnContract[];
}

const accountId = (description: string): ColumnContract => ({
  name: 'account_id', type: 'id', required: true, default: null, description,
});
const seen = (name: 'first_seen' | 'last_seen'): ColumnContract => ({
  name,
  type: 'timestamp',
  required: false,
  default: null,
  description: `${name === 'first_seen' ? 'earliest' : 'latest'} time the link was observed; merged links widen it`,
});

export const FILE_CONTRACTS: Record<ContractFile, FileContract> = {
  'accounts.csv': {
    file: 'accounts.csv',
    required: true,
    identifierKind: null,
    identifierColumn: null,
    columns: [
      accountId('the account, unique within the file'),
      { name: 'created_at', type: 'timestamp', required: true, default: null, description: 'account creation time' },
      { name: 'email_domain', type: 'text', required: false, default: null, description: 'domain of the sign-up email (lowercased)' },
      { name: 'country', type: 'country', required: false, default: null, description: 'ISO 3166-1 alpha-2 billing or sign-up country' },
      { name: 'status', type: 'enum', required: false, default: 'active', values: ACCOUNT_STATUSES, description: 'account status' },
    ],
  },
  'payment_instruments.csv': {
    file: 'payment_instruments.csv',
    required: false,
    identifierKind: 'instrument',
    identifierColumn: 'instrument_id',
    columns: [
      accountId('the account that used the instrument'),
      { name: 'instrument_id', type: 'id', required: true, default: null, description: 'opaque payment token (never a card number)' },
      { name: 'kind', type: 'enum', required: false, default: 'other', values: INSTRUMENT_KINDS, description: 'payment instrument kind' },
      seen('first_seen'),
      seen('last_seen'),
    ],
  },
  'ip_addresses.csv': {
    file: 'ip_addresses.csv',
    required: false,
    identifierKind: 'ip',
    identifierColumn: 'ip',
    columns: [
      accountId('the account seen on the address'),
      { name: 'ip', type: 'ip', required: true, default: null, description: 'IPv4 or IPv6 address (IPv6 stored in RFC 5952 canonical form)' },
      seen('first_seen'),
      seen('last_seen'),
      { name: 'requests', type: 'non_negative_integer', required: false, default: '1', description: 'requests from the account on the address; merged links add' },
      { name: 'asn', type: 'text', required: false, default: null, description: 'autonomous system number or name of the address' },
      { name: 'is_proxy', type: 'boolean', required: false, default: null, description: 'IP-intelligence proxy flag; empty = unknown' },
    ],
  },
  'fingerprints.csv': {
    file: 'fingerprints.csv',
    required: false,
    identifierKind: 'fingerprint',
    identifierColumn: 'fingerprint',
    columns: [
      accountId('the account that presented the fingerprint'),
      { name: 'fingerprint', type: 'id', required: true, default: null, description: 'opaque fingerprint hash' },
      { name: 'kind', type: 'enum', required: false, default: 'other', values: FINGERPRINT_KINDS, description: 'fingerprint kind' },
      seen('first_seen'),
      seen('last_seen'),
    ],
  },
  'exchanges.csv': {
    file: 'exchanges.csv',
    required: false,
    identifierKind: null,
    identifierColumn: null,
    columns: [
      accountId('the account that made the exchanges'),
      { name: 'timestamp', type: 'timestamp', required: true, default: null, description: 'time of the exchange, or of the aggregated bucket (a minute, an hour or a day); the UTC day feeds volume, the minute feeds synchrony' },
      { name: 'capability', type: 'id', required: false, default: 'unspecified', description: 'capability tag, e.g. software_engineering, agentic_reasoning, writing' },
      { name: 'count', type: 'count', required: false, default: '1', description: 'exchanges the row stands for (raw logs: 1; pre-aggregated rows: N)' },
      { name: 'input_tokens', type: 'non_negative_integer', required: false, default: '0', description: 'input tokens of those exchanges' },
      { name: 'output_tokens', type: 'non_negative_integer', required: false, default: '0', description: 'output tokens of those exchanges' },
      { name: 'template', type: 'id', required: false, default: null, description: 'opaque hash of the request scaffold (system prompt, tool schema, prompt with variable spans masked), computed by the platform; never prompt text' },
      { name: 'client', type: 'id', required: false, default: null, description: 'SDK / user-agent family and version, e.g. python-sdk/1.42.0' },
    ],
  },
};

/** The contract files in import order: accounts first, so registered accounts are numbered in file order. */
export const IMPORT_ORDER: readonly ContractFile[] = CONTRACT_FILES;

/** The file each identifier kind's links come from (templates, clients and synchrony: exchanges.csv). */
export const LINK_FILES: Record<IdentifierKind, ContractFile> = {
  instrument: 'payment_instruments.csv',
  ip: 'ip_addresses.csv',
  fingerprint: 'fingerprints.csv',
  template: 'exchanges.csv',
  client: 'exchanges.csv',
  synchrony: 'exchanges.csv',
};

export function columnNames(file: ContractFile): string[] {
  return FILE_CONTRACTS[file].columns.map((column) => column.name);
}

/** Largest number of distinct capability tags (World.exchanges.capability is a Uint16Array). */
export const MAX_CAPABILITIES = 65_535;
