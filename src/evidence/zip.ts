/**
 * A small, deterministic ZIP writer and a reader for what it (and ordinary zip tools) write.
 *
 * Format: PKWARE APPNOTE.TXT 6.3.x — local file header (sig 0x04034b50), file data, central directory
 * (sig 0x02014b50), end of central directory (sig 0x06054b50). No ZIP64, no encryption, no data descriptors.
 *
 * Why our own: an evidence pack must be byte-identical for the same sweep and cluster. General zip libraries
 * stamp the wall clock and file modes into every entry; here every entry gets the fixed DOS timestamp
 * 1980-01-01 00:00, no extra fields, no attributes, entries in the order given (the caller sorts), and
 * raw deflate at a fixed level (zlib's output is a pure function of input, level, window and memLevel for
 * one zlib version; a different zlib could deflate differently, but the bag's checksums are over the
 * uncompressed files and stay valid either way).
 *
 * Level 3: on a 146 MB exchanges table it deflates ~2.2× faster than the default level 6 for a zip ~11%
 * larger (29.6 vs 26.7 MB); compression runs on libuv's thread pool (compressEntry) so a caller can overlap
 * it with other work, and the output does not depend on which thread ran it.
 */
import * as zlib from 'zlib';
import { swarmscopeError } from '../core/errors';

export interface ZipEntryInput {
  /** Path inside the archive, '/'-separated, no leading slash. */
  name: string;
  data: Buffer;
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_HEADER_BYTES = 46;
const END_OF_CENTRAL_DIRECTORY_BYTES = 22;
/** General-purpose flag bit 11: file names are UTF-8. */
const FLAG_UTF8 = 0x0800;
const VERSION_NEEDED_DEFLATE = 20;
/** DOS date for 1980-01-01: ((1980 - 1980) << 9) | (1 << 5) | 1; DOS time 00:00:00 is 0. */
const FIXED_DOS_DATE = 0x0021;
const FIXED_DOS_TIME = 0;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
const MAX_ZIP32 = 0xffffffff;
const DEFLATE_OPTIONS: zlib.ZlibOptions = { level: 3, windowBits: 15, memLevel: 8, strategy: zlib.constants.Z_DEFAULT_STRATEGY };

const crc32: (data: Buffer) => number =
  typeof (zlib as { crc32?: (data: Buffer) => number }).crc32 === 'function'
    ? (data) => (zlib as unknown as { crc32: (data: Buffer) => number }).crc32(data)
    : crc32Table;

let CRC_TABLE: Uint32Array | null = null;
/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), for Node versions without zlib.crc32. */
function crc32Table(data: Buffer): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export { crc32 };

/** An entry's bytes with their CRC-32 and the body to store: deflated, or the data itself when deflate does not help. */
export interface CompressedEntry {
  data: Buffer;
  crc32: number;
  method: number;
  body: Buffer;
}

/** Compresses one entry on the thread pool. */
export async function compressEntry(data: Buffer): Promise<CompressedEntry> {
  const deflated = await new Promise<Buffer>((resolve, reject) =>
    zlib.deflateRaw(data, DEFLATE_OPTIONS, (error, result) => (error ? reject(error) : resolve(result))),
  );
  const useDeflate = deflated.length < data.length;
  return { data, crc32: crc32(data), method: useDeflate ? METHOD_DEFLATED : METHOD_STORED, body: useDeflate ? deflated : data };
}

/** Builds a ZIP archive from entries in the given order. Same entries in, same bytes out. */
export async function writeZip(entries: readonly ZipEntryInput[]): Promise<Buffer> {
  const compressed = await Promise.all(entries.map((entry) => compressEntry(entry.data)));
  return assembleZip(entries.map((entry, i) => ({ name: entry.name, compressed: compressed[i] })));
}

/** Lays out local headers, bodies, central directory and end record for already-compressed entries. */
export function assembleZip(entries: ReadonlyArray<{ name: string; compressed: CompressedEntry }>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const { name: entryName, compressed } of entries) {
    if (seen.has(entryName)) throw swarmscopeError('INTERNAL', `zip: duplicate entry ${entryName}`);
    seen.add(entryName);
    const name = Buffer.from(entryName, 'utf8');
    const { data, crc32: checksum, method, body } = compressed;
    if (data.length > MAX_ZIP32 || offset + body.length > MAX_ZIP32) {
      throw swarmscopeError('BAD_ARGUMENT', `zip: ${entryName} makes the pack larger than 4 GiB, which needs ZIP64 (not supported)`);
    }
    const local = Buffer.alloc(LOCAL_HEADER_BYTES);
    local.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
    local.writeUInt16LE(VERSION_NEEDED_DEFLATE, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(FIXED_DOS_TIME, 10);
    local.writeUInt16LE(FIXED_DOS_DATE, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const header = Buffer.alloc(CENTRAL_HEADER_BYTES);
    header.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
    header.writeUInt16LE(VERSION_NEEDED_DEFLATE, 4); // version made by: 2.0, MS-DOS attribute host (no Unix modes to vary)
    header.writeUInt16LE(VERSION_NEEDED_DEFLATE, 6);
    header.writeUInt16LE(FLAG_UTF8, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(FIXED_DOS_TIME, 12);
    header.writeUInt16LE(FIXED_DOS_DATE, 14);
    header.writeUInt32LE(checksum, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal and external attributes: all 0
    header.writeUInt32LE(offset, 42);

    parts.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
  }
  const centralBytes = Buffer.concat(central);
  if (entries.length > 0xffff) throw swarmscopeError('BAD_ARGUMENT', `zip: ${entries.length} entries need ZIP64 (not supported)`);
  const end = Buffer.alloc(END_OF_CENTRAL_DIRECTORY_BYTES);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralBytes, end]);
}

/** A zip entry read back: its bytes, and whether its stored CRC-32 matched them. */
export interface ReadZipEntry {
  name: string;
  data: Buffer;
  crcMatches: boolean;
}

function notAZip(label: string, why: string): Error {
  return swarmscopeError('BAD_ARGUMENT', `${label}: not a readable zip archive (${why}); give a pack .zip or an unzipped pack folder`);
}

/**
 * Reads every entry of a ZIP archive through its central directory. Throws BAD_ARGUMENT (exit 2) when the
 * bytes are not a zip we can read; a damaged entry body that still inflates is reported through crcMatches.
 */
export function readZip(bytes: Buffer, label: string): ReadZipEntry[] {
  const minEnd = Math.max(0, bytes.length - END_OF_CENTRAL_DIRECTORY_BYTES - 0xffff);
  let endOffset = -1;
  for (let i = bytes.length - END_OF_CENTRAL_DIRECTORY_BYTES; i >= minEnd; i--) {
    if (bytes.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY_SIGNATURE) {
      endOffset = i;
      break;
    }
  }
  if (endOffset < 0) throw notAZip(label, 'no end-of-central-directory record');
  const count = bytes.readUInt16LE(endOffset + 10);
  const centralSize = bytes.readUInt32LE(endOffset + 12);
  const centralOffset = bytes.readUInt32LE(endOffset + 16);
  if (centralOffset === MAX_ZIP32 || count === 0xffff) throw notAZip(label, 'ZIP64 archives are not supported');
  if (centralOffset + centralSize > endOffset) throw notAZip(label, 'central directory lies outside the file');
  const entries: ReadZipEntry[] = [];
  let position = centralOffset;
  for (let n = 0; n < count; n++) {
    if (position + CENTRAL_HEADER_BYTES > endOffset || bytes.readUInt32LE(position) !== CENTRAL_HEADER_SIGNATURE) {
      throw notAZip(label, `central directory entry ${n + 1} is damaged`);
    }
    const flags = bytes.readUInt16LE(position + 8);
    const method = bytes.readUInt16LE(position + 10);
    const storedCrc = bytes.readUInt32LE(position + 16);
    const compressedSize = bytes.readUInt32LE(position + 20);
    const size = bytes.readUInt32LE(position + 24);
    const nameLength = bytes.readUInt16LE(position + 28);
    const extraLength = bytes.readUInt16LE(position + 30);
    const commentLength = bytes.readUInt16LE(position + 32);
    const localOffset = bytes.readUInt32LE(position + 42);
    const name = bytes.subarray(position + CENTRAL_HEADER_BYTES, position + CENTRAL_HEADER_BYTES + nameLength).toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1');
    position += CENTRAL_HEADER_BYTES + nameLength + extraLength + commentLength;
    if (flags & 0x0001) throw notAZip(label, `${name} is encrypted`);
    if (localOffset + LOCAL_HEADER_BYTES > bytes.length || bytes.readUInt32LE(localOffset) !== LOCAL_HEADER_SIGNATURE) {
      throw notAZip(label, `local header of ${name} is damaged`);
    }
    const dataStart = localOffset + LOCAL_HEADER_BYTES + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    if (dataStart + compressedSize > bytes.length) throw notAZip(label, `${name} is truncated`);
    const body = bytes.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === METHOD_STORED) data = Buffer.from(body);
    else if (method === METHOD_DEFLATED) {
      try {
        data = zlib.inflateRawSync(body);
      } catch {
        // The compressed bytes themselves were altered; report the entry as altered, not the archive as unreadable.
        entries.push({ name, data: Buffer.alloc(0), crcMatches: false });
        continue;
      }
    } else throw notAZip(label, `${name} uses compression method ${method} (only stored and deflate are supported)`);
    entries.push({ name, data, crcMatches: data.length === size && crc32(data) === storedCrc });
  }
  return entries;
}
