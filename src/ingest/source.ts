/**
 * Reading one input file as a stream of record-aligned chunks: SHA-256 and byte size of the bytes on disk,
 * gunzip for .gz, UTF-8 validation (a BOM is skipped), the header record, then slices of about
 * CHUNK_BYTES that end at a record boundary so each can be parsed on its own (in a worker).
 *
 * A record boundary is a line feed outside quotes. In RFC 4180 a quote opens or closes a quoted field, or
 * is doubled inside one, so "outside quotes" is "after an even number of quote bytes". A stray quote in an
 * unquoted field breaks that count, but csv-parse rejects such a file as a whole (BAD_CSV) anyway.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { isUtf8 } from 'buffer';
import { Transform, pipeline } from 'stream';
import * as zlib from 'zlib';
import { swarmscopeError } from '../core/errors';
import type { ContractFile } from '../core/world';
import { fileNameFor, type Mapping } from '../contract/mapping';

export const CHUNK_BYTES = 2 << 20;
/** A record longer than this is almost certainly an unclosed quote; refuse rather than buffer the whole file. */
export const MAX_RECORD_BYTES = 64 << 20;

export interface LocatedFile {
  file: ContractFile;
  path: string;
  /** Name relative to the input folder, as it appears in messages and the rejects file. */
  displayName: string;
  gzip: boolean;
  size: number;
}

/** Finds the file standing for a contract file: the mapped name (or the contract name), else the same with .gz. */
export function locateFile(inputDir: string, file: ContractFile, mapping: Mapping): LocatedFile | null {
  const name = fileNameFor(mapping, file);
  const candidates = name.endsWith('.gz') ? [name] : [name, `${name}.gz`];
  const found = candidates.filter((candidate) => {
    try {
      return fs.statSync(path.join(inputDir, candidate)).isFile();
    } catch {
      return false;
    }
  });
  if (found.length > 1) {
    throw swarmscopeError('BAD_ARGUMENT', `${path.join(inputDir, found[0])}: both ${found.join(' and ')} exist; keep only one`, {
      file: found[0],
    });
  }
  if (found.length === 0) return null;
  const filePath = path.join(inputDir, found[0]);
  return { file, path: filePath, displayName: found[0], gzip: found[0].endsWith('.gz'), size: fs.statSync(filePath).size };
}

/** A slice of the decompressed file. Line numbers are counted by the parser, not here (it already scans the text). */
export interface SourceChunk {
  bytes: Buffer;
  /**
   * Where this chunk ends in the file on disk, in bytes: exact for a plain file (BOM included), estimated from
   * the compression ratio so far for .gz (the file's size for the last chunk). Progress is measured with this
   * once the chunk is parsed, not with `diskBytes`, which runs ahead of parsing by the chunks read but not yet parsed.
   */
  end: number;
}

function countLineFeeds(bytes: Buffer, from = 0, to = bytes.length): number {
  let count = 0;
  for (let at = bytes.indexOf(10, from); at !== -1 && at < to; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

/** Index of the first (or last) line feed outside quotes, or -1. The slice starts outside quotes. */
function recordBoundary(bytes: Buffer, which: 'first' | 'last'): number {
  let inQuotes = false;
  let position = 0;
  let boundary = -1;
  for (;;) {
    const quote = bytes.indexOf(34, position);
    const segmentEnd = quote === -1 ? bytes.length : quote;
    if (!inQuotes) {
      if (which === 'first') {
        const feed = bytes.indexOf(10, position);
        if (feed !== -1 && feed < segmentEnd) return feed;
      } else if (segmentEnd > position) {
        const feed = bytes.lastIndexOf(10, segmentEnd - 1);
        if (feed >= position) boundary = feed;
      }
    }
    if (quote === -1) return boundary;
    inQuotes = !inQuotes;
    position = quote + 1;
  }
}

/** Length of an incomplete UTF-8 sequence at the end of `bytes` (0–3), to carry over to the next buffer. */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (only called once isUtf8 said no). */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let at = 0; at < bytes.length; ) {
    const lead = bytes[at];
    if (lead < 0x80) {
      at++;
      continue;
    }
    let continuation: number;
    if (lead >= 0xc2 && lead <= 0xdf) continuation = 1;
    else if (lead >= 0xe0 && lead <= 0xef) continuation = 2;
    else if (lead >= 0xf0 && lead <= 0xf4) continuation = 3;
    else return at;
    for (let k = 1; k <= continuation; k++) {
      if (at + k >= bytes.length || (bytes[at + k] & 0xc0) !== 0x80) return at;
    }
    const second = bytes[at + 1];
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF.
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second >= 0xa0)) return at;
    if ((lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second >= 0x90)) return at;
    at += continuation + 1;
  }
  return bytes.length;
}

export class FileReader {
  readonly sha256 = createHash('sha256');
  /** Bytes read from disk so far (compressed bytes for .gz). */
  diskBytes = 0;
  /** Decompressed bytes handed on by buffers() so far (BOM excluded), and the BOM's length (0 or 3). */
  private decodedBytes = 0;
  private bomBytes = 0;
  /** For .gz: the decompressor, whose bytesWritten is the compressed bytes it has consumed so far. */
  private gunzip: zlib.Gunzip | null = null;
  private digestHex: string | null = null;

  constructor(readonly located: LocatedFile) {}

  digest(): string {
    if (this.digestHex === null) this.digestHex = this.sha256.digest('hex');
    return this.digestHex;
  }

  private fatal(code: 'NOT_UTF8' | 'BAD_GZIP' | 'BAD_CSV', what: string, fix: string) {
    return swarmscopeError(code, `${this.located.path}: ${what}; ${fix}`, { file: this.located.path });
  }

  /** Decompressed, UTF-8-checked buffers. */
  private async *buffers(): AsyncGenerator<Buffer> {
    const raw = fs.createReadStream(this.located.path, { highWaterMark: 1 << 20 });
    const hashing = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.sha256.update(chunk);
        this.diskBytes += chunk.length;
        done(null, chunk);
      },
    });
    const output = this.located.gzip
      ? pipeline(raw, hashing, (this.gunzip = zlib.createGunzip({ chunkSize: 1 << 18 })), () => undefined)
      : pipeline(raw, hashing, () => undefined);
    let carry: Buffer | null = null;
    let offset = 0;
    let first = true;
    try {
      for await (const received of output as AsyncIterable<Buffer>) {
        let bytes: Buffer = carry ? Buffer.concat([carry, received]) : received;
        if (first && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
          bytes = bytes.subarray(3);
          this.bomBytes = 3;
        }
        if (first && bytes.length >= 3) first = false;
        const tail = incompleteTail(bytes);
        const complete = tail ? bytes.subarray(0, bytes.length - tail) : bytes;
        if (!isUtf8(complete)) {
          const at = firstInvalidUtf8(complete);
          const line = (await this.lineFeedsBefore(offset + at)) + 1;
          throw this.fatal(
            'NOT_UTF8',
            `not UTF-8 (invalid byte 0x${complete[at].toString(16)} at byte ${offset + at}, line ${line})`,
            're-export the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)',
          );
        }
        carry = tail ? Buffer.from(bytes.subarray(bytes.length - tail)) : null;
        offset += complete.length;
        this.decodedBytes = offset;
        if (complete.length) yield complete;
      }
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('Z_') || (error as { errno?: number }).errno === -5) {
        throw this.fatal('BAD_GZIP', `unreadable gzip (${(error as Error).message})`, 'check the download or gunzip it and pass the .csv');
      }
      if ((error as NodeJS.ErrnoException).syscall) {
        throw this.fatal('BAD_CSV', `cannot read (${(error as Error).message})`, 'check the file permissions');
      }
      throw error;
    }
    if (carry) {
      throw this.fatal('NOT_UTF8', `not UTF-8 (truncated multi-byte sequence at the end, byte ${offset})`, 're-export the file as UTF-8');
    }
  }

  /** Line feeds in the first `limit` decompressed bytes (BOM excluded), re-reading the file: only for error messages. */
  private async lineFeedsBefore(limit: number): Promise<number> {
    const raw = fs.createReadStream(this.located.path, { highWaterMark: 1 << 20 });
    const stream = this.located.gzip ? pipeline(raw, zlib.createGunzip(), () => undefined) : raw;
    let seen = 0;
    let feeds = 0;
    let skipBom = true;
    for await (const received of stream as AsyncIterable<Buffer>) {
      let bytes = received;
      if (skipBom && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      skipBom = false;
      const take = Math.min(bytes.length, limit - seen);
      feeds += countLineFeeds(bytes, 0, take);
      seen += take;
      if (seen >= limit) break;
    }
    raw.destroy();
    return feeds;
  }

  /**
   * The position on disk of decompressed offset `decoded` (BOM excluded); see SourceChunk.end. For .gz, scaled
   * by the compression ratio so far: compressed bytes the decompressor consumed per decompressed byte received
   * (not diskBytes, which the file stream reads well ahead of the decompressor).
   */
  private diskPosition(decoded: number): number {
    const end = decoded + this.bomBytes;
    if (!this.gunzip) return end;
    const produced = this.decodedBytes + this.bomBytes;
    const consumed = Math.min(this.gunzip.bytesWritten, this.diskBytes);
    return produced > 0 ? Math.min(consumed, Math.floor((end * consumed) / produced)) : 0;
  }

  /**
   * The header bytes (first record, without its line end; empty Buffer for an empty file), then data chunks
   * cut at record boundaries.
   */
  async *chunks(): AsyncGenerator<SourceChunk> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let headerDone = false;
    let consumed = 0;
    const take = (): Buffer => {
      const joined = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      return joined;
    };
    const putBack = (rest: Buffer) => {
      if (rest.length) {
        pending = [rest];
        pendingBytes = rest.length;
      }
    };
    for await (const bytes of this.buffers()) {
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (!headerDone) {
        const data = take();
        const end = recordBoundary(data, 'first');
        if (end === -1) {
          putBack(data);
          if (pendingBytes > MAX_RECORD_BYTES) throw this.unclosed(0);
          continue;
        }
        headerDone = true;
        consumed = end + 1;
        yield { bytes: data.subarray(0, end), end: this.diskPosition(consumed) };
        putBack(data.subarray(end + 1));
      }
      if (pendingBytes < CHUNK_BYTES) continue;
      const data = take();
      const end = recordBoundary(data, 'last');
      if (end === -1) {
        putBack(data);
        if (pendingBytes > MAX_RECORD_BYTES) throw this.unclosed(consumed);
        continue;
      }
      consumed += end + 1;
      yield { bytes: data.subarray(0, end + 1), end: this.diskPosition(consumed) };
      putBack(data.subarray(end + 1));
    }
    const rest = pendingBytes ? take() : Buffer.alloc(0);
    // Everything is read now: the last chunk ends at the end of the file.
    if (!headerDone) {
      yield { bytes: rest, end: this.diskBytes };
      return;
    }
    if (rest.length) yield { bytes: rest, end: this.diskBytes };
  }

  private unclosed(offset: number) {
    return this.fatal(
      'BAD_CSV',
      `a record starting at or after byte ${offset} is longer than ${MAX_RECORD_BYTES >> 20} MB, probably an unclosed quote`,
      'fix the quoting (RFC 4180: quote the whole field and double any quote inside it)',
    );
  }
}
