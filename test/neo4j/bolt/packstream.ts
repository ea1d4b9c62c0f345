/**
 * PackStream v1 (the Bolt value encoding), enough for a test server: null, booleans, integers (decoded as
 * bigint so tests can tell a Neo4j integer from a float), floats, strings, bytes, lists, maps and structures.
 * Spec: https://neo4j.com/docs/bolt/current/packstream/
 */

export class Structure {
  constructor(readonly tag: number, readonly fields: unknown[]) {}
}

export class Packer {
  private chunks: Buffer[] = [];

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private push(buffer: Buffer): void {
    this.chunks.push(buffer);
  }

  /** A size-prefixed marker: tiny (high nibble + size) below 16, else an 8/16/32-bit size after its marker byte. */
  private marker(size: number, tiny: number, sizes: [number, number, number]): void {
    if (size < 16) return this.push(Buffer.from([tiny + size]));
    if (size < 0x100) return this.push(Buffer.from([sizes[0], size]));
    if (size < 0x10000) {
      const b = Buffer.alloc(3);
      b[0] = sizes[1];
      b.writeUInt16BE(size, 1);
      return this.push(b);
    }
    const b = Buffer.alloc(5);
    b[0] = sizes[2];
    b.writeUInt32BE(size, 1);
    this.push(b);
  }

  pack(value: unknown): this {
    if (value === null || value === undefined) this.push(Buffer.from([0xc0]));
    else if (value === true) this.push(Buffer.from([0xc3]));
    else if (value === false) this.push(Buffer.from([0xc2]));
    else if (typeof value === 'bigint') this.packInt(value);
    else if (typeof value === 'number') {
      if (Number.isInteger(value)) this.packInt(BigInt(value));
      else {
        const b = Buffer.alloc(9);
        b[0] = 0xc1;
        b.writeDoubleBE(value, 1);
        this.push(b);
      }
    } else if (typeof value === 'string') {
      const utf8 = Buffer.from(value, 'utf8');
      this.marker(utf8.length, 0x80, [0xd0, 0xd1, 0xd2]);
      this.push(utf8);
    } else if (value instanceof Structure) {
      this.push(Buffer.from([0xb0 + value.fields.length, value.tag]));
      for (const field of value.fields) this.pack(field);
    } else if (Array.isArray(value)) {
      this.marker(value.length, 0x90, [0xd4, 0xd5, 0xd6]);
      for (const item of value) this.pack(item);
    } else if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      this.marker(entries.length, 0xa0, [0xd8, 0xd9, 0xda]);
      for (const [k, v] of entries) this.pack(k).pack(v);
    } else throw new Error(`cannot pack ${typeof value}`);
    return this;
  }

  private packInt(value: bigint): void {
    if (value >= -16n && value <= 127n) return this.push(Buffer.from([Number(value) & 0xff]));
    if (value >= -128n && value <= 127n) return this.push(Buffer.from([0xc8, Number(value) & 0xff]));
    if (value >= -32768n && value <= 32767n) {
      const b = Buffer.alloc(3);
      b[0] = 0xc9;
      b.writeInt16BE(Number(value), 1);
      return this.push(b);
    }
    if (value >= -2147483648n && value <= 2147483647n) {
      const b = Buffer.alloc(5);
      b[0] = 0xca;
      b.writeInt32BE(Number(value), 1);
      return this.push(b);
    }
    const b = Buffer.alloc(9);
    b[0] = 0xcb;
    b.writeBigInt64BE(value, 1);
    this.push(b);
  }
}

export class Unpacker {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  unpack(): unknown {
    const marker = this.buffer[this.offset++];
    if (marker < 0x80) return BigInt(marker);
    if (marker >= 0xf0) return BigInt(marker - 0x100);
    const high = marker & 0xf0;
    const low = marker & 0x0f;
    if (high === 0x80) return this.string(low);
    if (high === 0x90) return this.list(low);
    if (high === 0xa0) return this.map(low);
    if (high === 0xb0) return this.structure(low);
    switch (marker) {
      case 0xc0: return null;
      case 0xc1: { const v = this.buffer.readDoubleBE(this.offset); this.offset += 8; return v; }
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc8: { const v = this.buffer.readInt8(this.offset); this.offset += 1; return BigInt(v); }
      case 0xc9: { const v = this.buffer.readInt16BE(this.offset); this.offset += 2; return BigInt(v); }
      case 0xca: { const v = this.buffer.readInt32BE(this.offset); this.offset += 4; return BigInt(v); }
      case 0xcb: { const v = this.buffer.readBigInt64BE(this.offset); this.offset += 8; return v; }
      case 0xcc: return this.bytes(this.u(1));
      case 0xcd: return this.bytes(this.u(2));
      case 0xce: return this.bytes(this.u(4));
      case 0xd0: return this.string(this.u(1));
      case 0xd1: return this.string(this.u(2));
      case 0xd2: return this.string(this.u(4));
      case 0xd4: return this.list(this.u(1));
      case 0xd5: return this.list(this.u(2));
      case 0xd6: return this.list(this.u(4));
      case 0xd8: return this.map(this.u(1));
      case 0xd9: return this.map(this.u(2));
      case 0xda: return this.map(this.u(4));
      default: throw new Error(`unknown PackStream marker 0x${marker.toString(16)}`);
    }
  }

  private u(size: 1 | 2 | 4): number {
    const v = size === 1 ? this.buffer.readUInt8(this.offset) : size === 2 ? this.buffer.readUInt16BE(this.offset) : this.buffer.readUInt32BE(this.offset);
    this.offset += size;
    return v;
  }

  private bytes(size: number): Buffer {
    const v = this.buffer.subarray(this.offset, this.offset + size);
    this.offset += size;
    return Buffer.from(v);
  }

  private string(size: number): string {
    const v = this.buffer.toString('utf8', this.offset, this.offset + size);
    this.offset += size;
    return v;
  }

  private list(size: number): unknown[] {
    const items: unknown[] = new Array(size);
    for (let i = 0; i < size; i++) items[i] = this.unpack();
    return items;
  }

  private map(size: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (let i = 0; i < size; i++) {
      const key = this.unpack() as string;
      map[key] = this.unpack();
    }
    return map;
  }

  private structure(size: number): Structure {
    const tag = this.buffer[this.offset++];
    const fields: unknown[] = [];
    for (let i = 0; i < size; i++) fields.push(this.unpack());
    return new Structure(tag, fields);
  }
}
