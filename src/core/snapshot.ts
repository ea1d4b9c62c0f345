/**
 * A World saved to one binary file, so a saved sweep can be re-rendered, exported to Neo4j or packed as
 * evidence without re-reading the input CSVs.
 *
 * Layout: "SWSNAP1\n", a uint32 (LE) header length, a JSON header, then the raw bytes of every typed array,
 * each starting at an 8-byte-aligned offset. The header is the World with each typed array replaced by
 * {"$typed": "Float64Array", "offset": N, "length": N}; strings, numbers and string arrays stay JSON.
 *
 * saveWorld returns the file's SHA-256 (hashed as it is written); a sweep lists it in checksums.sha256 and
 * loadWorld({sha256}) refuses a file whose bytes differ before it parses anything. A snapshot whose header or
 * array table is inconsistent is BAD_SWEEP (exit 2), never an internal error.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { isSwarmscopeError, swarmscopeError } from './errors';
import type { World } from './world';

const MAGIC = Buffer.from('SWSNAP1\n', 'latin1');
const TYPED = {
  Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

interface TypedRef { $typed: TypedName; offset: number; length: number }

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Writes the snapshot and returns its SHA-256 (hex), computed over the bytes as written, padding included. */
export function saveWorld(world: World, file: string): string {
  const blobs: Typed[] = [];
  let offset = 0;
  const header = JSON.stringify(world, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const typed = value as Typed;
      const ref: TypedRef = { $typed: typed.constructor.name as TypedName, offset, length: typed.length };
      blobs.push(typed);
      offset = align8(offset + typed.byteLength);
      return ref;
    }
    return value;
  });
  const headerBytes = Buffer.from(header, 'utf8');
  const headerLength = Buffer.alloc(4);
  headerLength.writeUInt32LE(headerBytes.length);
  const dataStart = align8(MAGIC.length + 4 + headerBytes.length);
  const hash = createHash('sha256');
  const zeros = Buffer.alloc(8);
  const fd = fs.openSync(file, 'w');
  try {
    for (const part of [MAGIC, headerLength, headerBytes]) {
      fs.writeSync(fd, part);
      hash.update(part);
    }
    hash.update(zeros.subarray(0, dataStart - (MAGIC.length + 4 + headerBytes.length)));
    let position = dataStart;
    for (const typed of blobs) {
      const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
      fs.writeSync(fd, bytes, 0, typed.byteLength, position);
      hash.update(bytes);
      const next = align8(position + typed.byteLength);
      hash.update(zeros.subarray(0, next - (position + typed.byteLength)));
      position = next;
    }
    // Pad so the last aligned slot exists even for an empty trailing array.
    fs.ftruncateSync(fd, Math.max(position, dataStart));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

export interface LoadWorldOptions {
  /** The SHA-256 the file must have (from the sweep's checksums.sha256); checked before anything is parsed. */
  sha256?: string;
  /** Where `sha256` comes from, for the error message. */
  listedIn?: string;
}

export function loadWorld(file: string, options: LoadWorldOptions = {}): World {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw swarmscopeError('BAD_SWEEP', `${file}: cannot read the world snapshot; re-run the sweep`);
  }
  if (options.sha256 !== undefined) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== options.sha256) {
      throw swarmscopeError(
        'BAD_SWEEP',
        `${file}: damaged or edited after the sweep wrote it (SHA-256 ${actual.slice(0, 12)}…, ${options.listedIn ?? 'the checksum list'} says ${options.sha256.slice(0, 12)}…); re-run the sweep or restore the folder from a backup`,
        { file, expected: options.sha256, actual },
      );
    }
  }
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw swarmscopeError('BAD_SWEEP', `${file}: not a swarmscope world snapshot (bad magic); re-run the sweep`);
  }
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  const dataStart = align8(headerEnd);
  if (headerEnd > bytes.length) {
    throw swarmscopeError('BAD_SWEEP', `${file}: world snapshot is truncated; re-run the sweep`);
  }
  const header = bytes.subarray(MAGIC.length + 4, headerEnd).toString('utf8');
  try {
    return parseHeader(header, bytes, dataStart, file);
  } catch (error) {
    if (isSwarmscopeError(error)) throw error;
    throw swarmscopeError('BAD_SWEEP', `${file}: world snapshot is damaged (${(error as Error).message}); re-run the sweep`);
  }
}

function parseHeader(header: string, bytes: Buffer, dataStart: number, file: string): World {
  return JSON.parse(header, (_key, value: unknown) => {
    if (value && typeof value === 'object' && '$typed' in value) {
      const ref = value as TypedRef;
      const Ctor = Object.prototype.hasOwnProperty.call(TYPED, ref.$typed) ? TYPED[ref.$typed] : undefined;
      if (!Ctor || !Number.isInteger(ref.offset) || !Number.isInteger(ref.length) || ref.offset < 0 || ref.length < 0) {
        throw swarmscopeError('BAD_SWEEP', `${file}: world snapshot is damaged (bad array entry in its header); re-run the sweep`);
      }
      const start = dataStart + ref.offset;
      const byteLength = ref.length * Ctor.BYTES_PER_ELEMENT;
      if (start + byteLength > bytes.length) {
        throw swarmscopeError('BAD_SWEEP', `${file}: world snapshot is truncated; re-run the sweep`);
      }
      // Arrays start 8-aligned in the file; when the file buffer is aligned too, view it in place (no second
      // copy of a ~500 MB world). Otherwise copy into a fresh, aligned buffer.
      const absolute = bytes.byteOffset + start;
      if (absolute % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(bytes.buffer as ArrayBuffer, absolute, ref.length);
      const copy = new Uint8Array(byteLength);
      copy.set(bytes.subarray(start, start + byteLength));
      return new Ctor(copy.buffer, 0, ref.length);
    }
    return value;
  }) as World;
}
