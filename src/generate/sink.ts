/**
 * Where generated rows go: the five contract files plus the truth's members file, each written through a
 * buffered file writer (one reusable 1 MiB buffer, synchronous appends) so memory stays flat however many rows stream
 * through. String cells go through the shared CSV writer (src/core/csv) once per distinct value.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { csvRow } from '../core/csv';
import type { ContractFile } from '../core/world';

const CHUNK = 1 << 20;
/** A UTF-8 character takes at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

/**
 * Lines are encoded straight into one reusable 1 MiB buffer that is written out when full: no growing
 * string, no per-chunk garbage (string concatenation here made the garbage collector half the run time).
 * With gzip each full buffer becomes one gzip member (RFC 1952 allows concatenated members; gunzip reads
 * them as one stream); level 1, because writing speed matters more here than the last 20% of size.
 */
export class BufferedCsvFile {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  rows = 0;
  bytes = 0;

  constructor(readonly file: string, header: readonly string[], private readonly gzip = false) {
    this.fd = fs.openSync(file, 'w');
    this.write(csvRow(header));
  }

  /** Append one line that is already CSV (ends with \n). */
  line(text: string): void {
    this.rows++;
    this.write(text);
  }

  private write(text: string): void {
    if (this.used + text.length * MAX_BYTES_PER_UNIT > CHUNK) {
      this.flush();
      if (text.length * MAX_BYTES_PER_UNIT > CHUNK) {
        this.writeOut(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  private flush(): void {
    if (this.used === 0) return;
    this.writeOut(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private writeOut(bytes: Buffer): void {
    const data = this.gzip ? zlib.gzipSync(bytes, { level: 1 }) : bytes;
    let offset = 0;
    while (offset < data.length) offset += fs.writeSync(this.fd, data, offset, data.length - offset);
    this.bytes += data.length;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
    }
  }

  /** Close without writing what is buffered (after a failure; the first error is the one reported). */
  abandon(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // Already failing: nothing more to report.
    }
  }
}

export const HEADERS: Record<ContractFile, readonly string[]> = {
  'accounts.csv': ['account_id', 'created_at', 'email_domain', 'country', 'status'],
  'payment_instruments.csv': ['account_id', 'instrument_id', 'kind', 'first_seen', 'last_seen'],
  'ip_addresses.csv': ['account_id', 'ip', 'first_seen', 'last_seen', 'requests', 'asn', 'is_proxy'],
  'fingerprints.csv': ['account_id', 'fingerprint', 'kind', 'first_seen', 'last_seen'],
  'exchanges.csv': ['account_id', 'timestamp', 'capability', 'count', 'input_tokens', 'output_tokens'],
};
/** exchanges.csv in a behaviour world: two optional columns appended (data contract: template, client). */
export const BEHAVIOUR_EXCHANGES_HEADER: readonly string[] = [...HEADERS['exchanges.csv'], 'template', 'client'];
export const MEMBERS_HEADER = ['account_id', 'group', 'kind'] as const;

export class WorldFiles {
  readonly accounts: BufferedCsvFile;
  readonly instruments: BufferedCsvFile;
  readonly ips: BufferedCsvFile;
  readonly fingerprints: BufferedCsvFile;
  readonly exchanges: BufferedCsvFile;
  readonly members: BufferedCsvFile;

  /**
   * With gzip the contract files are written as `<name>.csv.gz`; the truth stays plain CSV and JSON. With
   * behaviour exchanges.csv carries the template and client columns.
   */
  constructor(readonly dir: string, { gzip = false, behaviour = false }: { gzip?: boolean; behaviour?: boolean } = {}) {
    fs.mkdirSync(path.join(dir, 'truth'), { recursive: true });
    const open = (name: ContractFile): BufferedCsvFile => {
      // The importer reads name.csv before name.csv.gz: a leftover of the other spelling from an earlier
      // run would be read instead of this world, so it goes.
      fs.rmSync(path.join(dir, gzip ? name : `${name}.gz`), { force: true });
      const header = behaviour && name === 'exchanges.csv' ? BEHAVIOUR_EXCHANGES_HEADER : HEADERS[name];
      return new BufferedCsvFile(path.join(dir, gzip ? `${name}.gz` : name), header, gzip);
    };
    this.accounts = open('accounts.csv');
    this.instruments = open('payment_instruments.csv');
    this.ips = open('ip_addresses.csv');
    this.fingerprints = open('fingerprints.csv');
    this.exchanges = open('exchanges.csv');
    this.members = new BufferedCsvFile(path.join(dir, 'truth', 'members.csv'), MEMBERS_HEADER);
  }

  contractFiles(): Array<[ContractFile, BufferedCsvFile]> {
    return [
      ['accounts.csv', this.accounts],
      ['payment_instruments.csv', this.instruments],
      ['ip_addresses.csv', this.ips],
      ['fingerprints.csv', this.fingerprints],
      ['exchanges.csv', this.exchanges],
    ];
  }

  close(): void {
    for (const [, file] of this.contractFiles()) file.close();
    this.members.close();
  }

  abandon(): void {
    for (const [, file] of this.contractFiles()) file.abandon();
    this.members.abandon();
  }
}
