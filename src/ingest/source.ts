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
import { Readable, Transform, pipeline } from 'stream';
import * as zlib from 'zlib';
import { swarmscopeError } from '../core/errors';
import type { ContractFile } from '../core/world';
import { fileNameFor, type Mapping } from '../contract/mapping';
import { describeIoError, openInput, type InputFile } from './open-input';
import { MAX_RECORD_CHARS } from './chunkParser';

export const CHUNK_BYTES = 2 << 20;
/**
 * The longest header row: a header names a few dozen columns. A first "line" longer than this is not a CSV
 * header (a binary file, one huge record), refused before more of it is buffered.
 */
export const MAX_HEADER_BYTES = 64 << 10;
/**
 * The chunk parser refuses a record over MAX_RECORD_CHARS with its line; the reader refuses MAX_RECORD_CHARS × 4
 * bytes (a character is at most 4 bytes in UTF-8) with no record end, so it never buffers more than that.
 */
const MAX_UNENDED_BYTES = MAX_RECORD_CHARS * 4;

export interface LocatedFile {
  file: ContractFile;
  path: string;
  /** Name relative to the input folder, as it appears in messages and the rejects file. */
  displayName: string;
  gzip: boolean;
  size: number;
  /** The file, opened through openInput; the importer closes it. */
  input: InputFile;
}

/**
 * Finds and opens the file standing for a contract file: the mapped name (or the contract name), else the same
 * with .gz. Any directory entry of that name counts as found (a directory or a FIFO named exchanges.csv is not
 * "absent"): it is then opened through openInput, which refuses anything but a regular file inside the folder.
 */
export function locateFile(inputDir: string, file: ContractFile, mapping: Mapping): LocatedFile | null {
  const name = fileNameFor(mapping, file);
  const candidates = name.endsWith('.gz') ? [name] : [name, `${name}.gz`];
  const found = candidates.filter((candidate) => {
    try {
      fs.lstatSync(path.join(inputDir, candidate));
      return true;
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
  const input = openInput(filePath, { folder: inputDir, fix: `${file} must be a regular file inside the input folder` });
  return { file, path: filePath, displayName: found[0], gzip: found[0].endsWith('.gz'), size: input.size, input };
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

/** Quote bytes in `bytes`. */
function countQuotes(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(34); at !== -1; at = bytes.indexOf(34, at + 1)) count++;
  return count;
}

/**
 * Index of the first line feed outside quotes, or -1, and whether the end of `bytes` is inside quotes. Walks the
 * quotes and line feeds in one merged forward pass (each indexOf continues where the last one stopped), so it is
 * linear in the bytes scanned whatever their mix.
 */
function firstBoundary(bytes: Buffer, startsInQuotes: boolean): { at: number; endsInQuotes: boolean } {
  let inQuotes = startsInQuotes;
  let quote = bytes.indexOf(34);
  let feed = bytes.indexOf(10);
  while (feed !== -1) {
    if (quote !== -1 && quote < feed) {
      inQuotes = !inQuotes;
      quote = bytes.indexOf(34, quote + 1);
      continue;
    }
    if (!inQuotes) return { at: feed, endsInQuotes: false };
    feed = bytes.indexOf(10, feed + 1);
  }
  for (; quote !== -1; quote = bytes.indexOf(34, quote + 1)) inQuotes = !inQuotes;
  return { at: -1, endsInQuotes: inQuotes };
}

/**
 * Index of the last line feed outside quotes, or -1, given whether `bytes` ends inside quotes. Walks backward from
 * the end, flipping the state at each quote passed: it stops at the first boundary from the end (usually a few
 * bytes back), and never visits a byte twice.
 */
function lastBoundary(bytes: Buffer, endsInQuotes: boolean): number {
  if (bytes.length === 0) return -1;
  let inQuotes = endsInQuotes;
  let quote = bytes.lastIndexOf(34, bytes.length - 1);
  let feed = bytes.lastIndexOf(10, bytes.length - 1);
  while (feed !== -1) {
    while (quote > feed) {
      inQuotes = !inQuotes;
      quote = quote > 0 ? bytes.lastIndexOf(34, quote - 1) : -1;
    }
    if (!inQuotes) return feed;
    feed = feed > 0 ? bytes.lastIndexOf(10, feed - 1) : -1;
  }
  return -1;
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

function readAt(fd: number, buffer: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buffer, 0, buffer.length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))));
}

/** Bytes [0, size) of an open file, in 1 MiB reads at explicit positions. */
async function* readRange(fd: number, size: number): AsyncGenerator<Buffer> {
  for (let position = 0; position < size; ) {
    const buffer = Buffer.allocUnsafe(Math.min(1 << 20, size - position));
    const bytesRead = await readAt(fd, buffer, position);
    if (bytesRead === 0) return; // truncated while being read: what was there is what is read
    position += bytesRead;
    yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
  }
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

  private fatal(code: 'NOT_UTF8' | 'BAD_GZIP' | 'BAD_CSV' | 'READ_FAILED', what: string, fix: string) {
    return swarmscopeError(code, `${this.located.path}: ${what}; ${fix}`, { file: this.located.path });
  }

  /**
   * The file's bytes on disk: exactly the size it had when openInput opened it, read from its descriptor (so what
   * is read is what was checked, and a file growing meanwhile does not make the read endless).
   */
  private raw(): NodeJS.ReadableStream {
    // Not fs.createReadStream({ fd }): destroying it (an error midway) closes the descriptor, which openInput's
    // caller owns and closes.
    const { fd, size } = this.located.input;
    return Readable.from(readRange(fd, size), { objectMode: false });
  }

  /** Decompressed, UTF-8-checked buffers. */
  private async *buffers(): AsyncGenerator<Buffer> {
    const raw = this.raw();
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
      // zlib's errors carry a Z_ code (Z_DATA_ERROR, Z_BUF_ERROR for a truncated stream); a failed read carries a
      // system code (EIO, EACCES…) and is reported as what it is, never as a bad gzip.
      const code = (error as { code?: unknown }).code;
      if (this.located.gzip && typeof code === 'string' && code.startsWith('Z_')) {
        throw this.fatal('BAD_GZIP', `unreadable gzip (${(error as Error).message})`, 'check the download or gunzip it and pass the .csv');
      }
      if (typeof code === 'string' && (error as NodeJS.ErrnoException).syscall) {
        throw this.fatal('READ_FAILED', `cannot read: ${describeIoError(error)}`, 'check the disk and the file');
      }
      throw error;
    }
    if (carry) {
      throw this.fatal('NOT_UTF8', `not UTF-8 (truncated multi-byte sequence at the end, byte ${offset})`, 're-export the file as UTF-8');
    }
  }

  /** Line feeds in the first `limit` decompressed bytes (BOM excluded), re-reading the file: only for error messages. */
  private async lineFeedsBefore(limit: number): Promise<number> {
    const raw = this.raw();
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
    (raw as Readable).destroy();
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
   * cut at record boundaries. Each received buffer is scanned once (firstBoundary while the header is sought,
   * then lastBoundary), with the quote state carried from one buffer to the next, so the reader is linear in the
   * file's size however its quotes and line feeds are laid out; pending bytes are joined only when a chunk is cut.
   */
  async *chunks(): AsyncGenerator<SourceChunk> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let headerDone = false;
    let consumed = 0;
    // Quote state at the end of the pending bytes, and the last record boundary in them (-1: none yet).
    let inQuotes = false;
    let boundary = -1;
    const take = (): Buffer => {
      const joined = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      return joined;
    };
    /** Appends data bytes, noting the last boundary in them and refusing a record that never ends. */
    const append = (bytes: Buffer) => {
      if (bytes.length === 0) return;
      const endsInQuotes = (countQuotes(bytes) % 2 === 1) !== inQuotes;
      const last = lastBoundary(bytes, endsInQuotes);
      if (last !== -1) boundary = pendingBytes + last;
      inQuotes = endsInQuotes;
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes - (boundary + 1) > MAX_UNENDED_BYTES) throw this.unended(consumed + boundary + 1, inQuotes);
    };
    for await (const bytes of this.buffers()) {
      if (!headerDone) {
        const found = firstBoundary(bytes, inQuotes);
        const at = found.at === -1 ? -1 : pendingBytes + found.at;
        if (at > MAX_HEADER_BYTES || (at === -1 && pendingBytes + bytes.length > MAX_HEADER_BYTES)) throw this.longHeader();
        pending.push(bytes);
        pendingBytes += bytes.length;
        if (at === -1) {
          inQuotes = found.endsInQuotes;
          continue;
        }
        headerDone = true;
        inQuotes = false;
        const data = take();
        consumed = at + 1;
        yield { bytes: data.subarray(0, at), end: this.diskPosition(consumed) };
        append(data.subarray(at + 1));
      } else {
        append(bytes);
      }
      if (pendingBytes < CHUNK_BYTES || boundary === -1) continue;
      const data = take();
      const cut = boundary + 1;
      boundary = -1;
      consumed += cut;
      yield { bytes: data.subarray(0, cut), end: this.diskPosition(consumed) };
      if (cut < data.length) {
        pending = [data.subarray(cut)];
        pendingBytes = data.length - cut;
      }
    }
    const rest = pendingBytes ? take() : Buffer.alloc(0);
    // Everything is read now: the last chunk ends at the end of the file.
    if (!headerDone) {
      if (rest.length > MAX_HEADER_BYTES) throw this.longHeader();
      yield { bytes: rest, end: this.diskBytes };
      return;
    }
    if (rest.length) yield { bytes: rest, end: this.diskBytes };
  }

  private longHeader() {
    return this.fatal(
      'BAD_CSV',
      `the header row (line 1) is longer than ${MAX_HEADER_BYTES >> 10} KiB without a line end outside quotes, so it is not a CSV header`,
      'pass the CSV export (a header row naming the columns, then one row per line; see docs/data-contract.md)',
    );
  }

  private unended(offset: number, inQuotes: boolean) {
    const record = `the record starting at byte ${offset} runs over ${MAX_UNENDED_BYTES >> 20} MiB`;
    return inQuotes
      ? this.fatal('BAD_CSV', `${record} inside a quoted field, probably an unclosed quote`, 'fix the quoting (RFC 4180: quote the whole field and double any quote inside it)')
      : this.fatal('BAD_CSV', `${record} without a line end`, 'pass a CSV export with one record per line (no contract cell is longer than a few hundred characters)');
  }
}
