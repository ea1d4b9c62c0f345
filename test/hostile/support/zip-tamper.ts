/**
 * Builds hostile zips for the `evidence verify` tests: reads a genuine pack into plain entries, lets a test change
 * exactly one thing (an entry's bytes, a header field, bytes before/between/after the entries, which entries the
 * central directory lists, where it points), and writes the archive with every other field correct — CRC-32s of
 * the bytes actually stored, sizes, offsets — so each attack is only the attack. Independent of src/evidence/zip.ts
 * (which is under test): its own parser and writer, straight from PKWARE's APPNOTE.TXT.
 */
import * as crypto from 'crypto';
import { once } from 'events';
import * as zlib from 'zlib';

export interface TamperEntry {
  name: string;
  /** Uncompressed bytes. */
  data: Buffer;
  /** 0 stored, 8 deflated (default: 8). */
  method?: number;
  /** The bytes stored in the archive; default deflateRaw(data) or data. */
  body?: Buffer;
  /** Header overrides; default computed from data/body. */
  crc32?: number;
  size?: number;
  compressedSize?: number;
  flags?: number;
  versionMadeBy?: number;
  versionNeeded?: number;
  externalAttributes?: number;
  diskStart?: number;
  localExtra?: Buffer;
  centralExtra?: Buffer;
  fileComment?: Buffer;
  /** The name written in the local header when it should differ from the central directory's. */
  localName?: string;
  /** Fields of the local header only (CRC, sizes), to make it disagree with the central directory. */
  localCrc32?: number;
  localSize?: number;
}

export interface TamperLayout {
  entries: TamperEntry[];
  /** Which entries (indices) the central directory lists, in its order; default all, in order. */
  central?: number[];
  /** Point a central record (by position in `central`) at another entry's local header: [record, entry index]. */
  centralPointsAt?: Array<[number, number]>;
  /** Bytes before the first local header (offsets still point at the real headers). */
  before?: Buffer;
  /** Bytes inserted just before the local header of entry i. */
  between?: Map<number, Buffer>;
  /** Bytes between the last entry and the central directory. */
  afterEntries?: Buffer;
  /** Bytes after the end-of-central-directory record. */
  after?: Buffer;
  /** The archive comment (declared in the end record). */
  comment?: Buffer;
  /** Disk fields of the end record. */
  disk?: number;
  centralDisk?: number;
}

const FLAG_UTF8 = 0x0800;

export function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    crc ^= data[i];
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** `total` bytes of zeros as raw deflate (about 1/1000 of the size), made in 1 MiB steps so the zeros never sit in memory: a bomb's body. */
export async function deflatedZeros(total: number): Promise<Buffer> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let done = 0; done < total; done += zeros.length) if (!deflate.write(zeros)) await once(deflate, 'drain');
  deflate.end();
  await once(deflate, 'end');
  return Buffer.concat(chunks);
}

/** The entries of a (well-formed) archive, read through its central directory. */
export function readEntries(zip: Buffer): TamperEntry[] {
  const end = zip.length - 22;
  if (zip.readUInt32LE(end) !== 0x06054b50) throw new Error('readEntries: expects an archive without a comment');
  const count = zip.readUInt16LE(end + 10);
  let position = zip.readUInt32LE(end + 16);
  const entries: TamperEntry[] = [];
  for (let n = 0; n < count; n++) {
    const method = zip.readUInt16LE(position + 10);
    const compressedSize = zip.readUInt32LE(position + 20);
    const nameLength = zip.readUInt16LE(position + 28);
    const skip = nameLength + zip.readUInt16LE(position + 30) + zip.readUInt16LE(position + 32);
    const name = zip.subarray(position + 46, position + 46 + nameLength).toString('utf8');
    const local = zip.readUInt32LE(position + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(start, start + compressedSize);
    entries.push({ name, method, data: method === 8 ? zlib.inflateRawSync(body) : Buffer.from(body) });
    position += 46 + skip;
  }
  return entries;
}

interface Laid {
  entry: TamperEntry;
  offset: number;
  nameBytes: Buffer;
  body: Buffer;
  crc: number;
  size: number;
  compressedSize: number;
  method: number;
  flags: number;
  versionNeeded: number;
}

export function buildZip(layout: TamperLayout): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  const push = (buffer: Buffer) => {
    parts.push(buffer);
    offset += buffer.length;
  };
  if (layout.before) push(layout.before);
  const laid: Laid[] = [];
  layout.entries.forEach((entry, i) => {
    const between = layout.between?.get(i);
    if (between) push(between);
    const method = entry.method ?? 8;
    const body = entry.body ?? (method === 8 ? zlib.deflateRawSync(entry.data) : entry.data);
    const nameBytes = Buffer.from(entry.name, 'utf8');
    const localName = Buffer.from(entry.localName ?? entry.name, 'utf8');
    const item: Laid = {
      entry, offset, nameBytes, body, method,
      crc: entry.crc32 ?? crc32(entry.data),
      size: entry.size ?? entry.data.length,
      compressedSize: entry.compressedSize ?? body.length,
      flags: entry.flags ?? FLAG_UTF8,
      versionNeeded: entry.versionNeeded ?? 20,
    };
    const localExtra = entry.localExtra ?? Buffer.alloc(0);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(item.versionNeeded, 4);
    header.writeUInt16LE(item.flags, 6);
    header.writeUInt16LE(method, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt16LE(0x0021, 12);
    header.writeUInt32LE(entry.localCrc32 ?? item.crc, 14);
    header.writeUInt32LE(item.compressedSize, 18);
    header.writeUInt32LE(entry.localSize ?? item.size, 22);
    header.writeUInt16LE(localName.length, 26);
    header.writeUInt16LE(localExtra.length, 28);
    push(Buffer.concat([header, localName, localExtra, body]));
    laid.push(item);
  });
  if (layout.afterEntries) push(layout.afterEntries);
  const centralStart = offset;
  const listed = layout.central ?? layout.entries.map((_, i) => i);
  const pointsAt = new Map(layout.centralPointsAt ?? []);
  for (let record = 0; record < listed.length; record++) {
    const item = laid[listed[record]];
    const { entry } = item;
    const extra = entry.centralExtra ?? Buffer.alloc(0);
    const comment = entry.fileComment ?? Buffer.alloc(0);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(entry.versionMadeBy ?? 20, 4);
    header.writeUInt16LE(item.versionNeeded, 6);
    header.writeUInt16LE(item.flags, 8);
    header.writeUInt16LE(item.method, 10);
    header.writeUInt16LE(0, 12);
    header.writeUInt16LE(0x0021, 14);
    header.writeUInt32LE(item.crc, 16);
    header.writeUInt32LE(item.compressedSize, 20);
    header.writeUInt32LE(item.size, 24);
    header.writeUInt16LE(item.nameBytes.length, 28);
    header.writeUInt16LE(extra.length, 30);
    header.writeUInt16LE(comment.length, 32);
    header.writeUInt16LE(entry.diskStart ?? 0, 34);
    header.writeUInt32LE(entry.externalAttributes ?? 0, 38);
    header.writeUInt32LE(pointsAt.has(record) ? laid[pointsAt.get(record)!].offset : item.offset, 42);
    push(Buffer.concat([header, item.nameBytes, extra, comment]));
  }
  const comment = layout.comment ?? Buffer.alloc(0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(layout.disk ?? 0, 4);
  end.writeUInt16LE(layout.centralDisk ?? 0, 6);
  end.writeUInt16LE(listed.length, 8);
  end.writeUInt16LE(listed.length, 10);
  end.writeUInt32LE(offset - centralStart, 12);
  end.writeUInt32LE(centralStart, 16);
  end.writeUInt16LE(comment.length, 20);
  push(Buffer.concat([end, comment]));
  if (layout.after) push(layout.after);
  return Buffer.concat(parts);
}

/**
 * A self-consistent bag from files (bag-relative path → bytes): payload manifests for `algorithms` over data/,
 * bag-info.txt's Payload-Oxum recomputed, tag manifests over the other tag files; every file under `root/`.
 * Used to forge packs that are valid BagIt but not valid packs (weak hashes only, no payload).
 */
export function rebag(root: string, files: ReadonlyMap<string, Buffer>, algorithms: readonly string[]): TamperEntry[] {
  const digest = (algorithm: string, data: Buffer) => crypto.createHash(algorithm).update(data).digest('hex');
  const payload = [...files].filter(([file]) => file.startsWith('data/')).sort(([a], [b]) => (a < b ? -1 : 1));
  const octets = payload.reduce((sum, [, data]) => sum + data.length, 0);
  const tags = new Map([...files].filter(([file]) => !file.startsWith('data/') && !/^(tag)?manifest-/.test(file)));
  const bagInfo = tags.get('bag-info.txt');
  if (bagInfo) tags.set('bag-info.txt', Buffer.from(bagInfo.toString('utf8').replace(/^Payload-Oxum: .*$/m, `Payload-Oxum: ${octets}.${payload.length}`)));
  for (const algorithm of algorithms) {
    tags.set(`manifest-${algorithm}.txt`, Buffer.from(payload.map(([file, data]) => `${digest(algorithm, data)}  ${file}\n`).join('')));
  }
  const tagList = [...tags].sort(([a], [b]) => (a < b ? -1 : 1));
  const all = new Map([...payload, ...tagList]);
  for (const algorithm of algorithms) {
    all.set(`tagmanifest-${algorithm}.txt`, Buffer.from(tagList.map(([file, data]) => `${digest(algorithm, data)}  ${file}\n`).join('')));
  }
  return [...all].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, data]) => ({ name: `${root}/${file}`, data }));
}
