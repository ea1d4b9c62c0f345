/**
 * A World saved to one binary file, so a saved sweep can be re-rendered, exported to Neo4j or packed as
 * evidence without re-reading the input CSVs.
 *
 * Layout: "SWSNAP1\n", a uint32 (LE) header length, a JSON header, then the raw bytes of every typed array,
 * each starting at an 8-byte-aligned offset. The header is the World with each typed array replaced by
 * {"$typed": "Float64Array", "offset": N, "length": N}; strings, numbers and string arrays stay JSON.
 */
import * as fs from 'fs';
import { swarmscopeError } from './errors';
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

export function saveWorld(world: World, file: string): void {
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
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, MAGIC);
    fs.writeSync(fd, headerLength);
    fs.writeSync(fd, headerBytes);
    let position = dataStart;
    for (const typed of blobs) {
      fs.writeSync(fd, new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), 0, typed.byteLength, position);
      position = align8(position + typed.byteLength);
    }
    // Pad so the last aligned slot exists even for an empty trailing array.
    fs.ftruncateSync(fd, Math.max(position, dataStart));
  } finally {
    fs.closeSync(fd);
  }
}

export function loadWorld(file: string): World {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw swarmscopeError('BAD_SWEEP', `${file}: cannot read the world snapshot; re-run the sweep`);
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
    if (error instanceof SyntaxError) {
      throw swarmscopeError('BAD_SWEEP', `${file}: world snapshot is damaged (${error.message}); re-run the sweep`);
    }
    throw error;
  }
}

function parseHeader(header: string, bytes: Buffer, dataStart: number, file: string): World {
  return JSON.parse(header, (_key, value: unknown) => {
    if (value && typeof value === 'object' && '$typed' in value) {
      const ref = value as TypedRef;
      const Ctor = TYPED[ref.$typed];
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
