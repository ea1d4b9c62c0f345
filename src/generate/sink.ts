/**
 * Where generated rows go: the five contract files plus the truth's members file, each written through a
 * buffered file writer (one reusable 1 MiB buffer, synchronous appends) so memory stays flat however many rows stream
 * through. String cells go through the shared CSV writer (src/core/csv) once per distinct value.
 */
import * as fs from 'fs';
import * as path from 'path';
import { csvRow } from '../core/csv';
import type { ContractFile } from '../core/world';

const CHUNK = 1 << 20;
/** A UTF-8 character takes at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

/**
 * Lines are encoded straight into one reusable 1 MiB buffer that is written out when full: no growing
 * string, no per-chunk garbage (string concatenation here made the garbage collector half the run time).
 */
export class BufferedCsvFile {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  rows = 0;
  bytes = 0;

  constructor(readonly file: string, header: readonly string[]) {
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
        const encoded = Buffer.from(text, 'utf8');
        fs.writeSync(this.fd, encoded);
        this.bytes += encoded.length;
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  private flush(): void {
    let offset = 0;
    while (offset < this.used) offset += fs.writeSync(this.fd, this.buffer, offset, this.used - offset);
    this.bytes += this.used;
    this.used = 0;
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
export const MEMBERS_HEADER = ['account_id', 'group', 'kind'] as const;

export class WorldFiles {
  readonly accounts: BufferedCsvFile;
  readonly instruments: BufferedCsvFile;
  readonly ips: BufferedCsvFile;
  readonly fingerprints: BufferedCsvFile;
  readonly exchanges: BufferedCsvFile;
  readonly members: BufferedCsvFile;

  constructor(readonly dir: string) {
    fs.mkdirSync(path.join(dir, 'truth'), { recursive: true });
    this.accounts = new BufferedCsvFile(path.join(dir, 'accounts.csv'), HEADERS['accounts.csv']);
    this.instruments = new BufferedCsvFile(path.join(dir, 'payment_instruments.csv'), HEADERS['payment_instruments.csv']);
    this.ips = new BufferedCsvFile(path.join(dir, 'ip_addresses.csv'), HEADERS['ip_addresses.csv']);
    this.fingerprints = new BufferedCsvFile(path.join(dir, 'fingerprints.csv'), HEADERS['fingerprints.csv']);
    this.exchanges = new BufferedCsvFile(path.join(dir, 'exchanges.csv'), HEADERS['exchanges.csv']);
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
