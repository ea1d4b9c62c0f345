/**
 * Reading a graph a data scientist hands to `swarmscope detect`: an edge list or GML.
 *
 * Edge list: one edge per line, `source<sep>target[<sep>weight]`, the separator being a tab, a comma or runs of
 * spaces (decided by the first data line). Node names are strings. Blank lines and lines starting with `#` or
 * `%` are skipped. The first line is a header, and skipped, when its weight field is not a number, or when
 * its first two fields are column names: source/target, src/dst, from/to, node1/node2 (so `a,b` is data); after a
 * header every row has the header's number of fields. Fields may be quoted as in RFC 4180 (`"name, with comma"`,
 * `""` for a quote, line breaks inside quotes); an unclosed quote is an error.
 *
 * The file must be a regular file (a directory, a device such as /dev/zero, a named pipe or a socket is refused
 * before a byte is read: they may never end), UTF-8 (a byte-order mark is fine) and is gunzipped first when it is
 * gzip (by content, so `edges.csv.gz` and `karate.gml.gz` work); another compression format, invalid UTF-8 or
 * binary data is BAD_GRAPH_FILE naming the file (and the line and byte where it can).
 *
 * GML (Himsworth's Graph Modelling Language): `graph [ node [ id … label … ] edge [ source … target … value … ] ]`.
 * Node names are their `label` when present, else their `id`; an edge's weight is its `weight` or `value`
 * attribute, else 1. Other attributes (e.g. `gt` ground truth) are ignored.
 *
 * Weights are finite non-negative numbers: `1e400` (which overflows to Infinity) is an error with its line, and
 * so is a graph whose weights sum past MAX_TOTAL_WEIGHT (modularity squares the total; Infinity would make it NaN).
 * Parallel edges are summed (see csr.ts). A malformed line is a BAD_GRAPH_FILE error naming the file and line.
 *
 * Streaming: the file is read in CHUNK_BYTES pieces and parsed line by line (edge list) or token by token (GML)
 * as they arrive — never held whole, never one string — so memory grows with nodes and edges, not file bytes.
 * `readGraphFileStreaming` (what `swarmscope detect` uses) also gunzips as a stream; the synchronous
 * `readGraphFile` gunzips a .gz whole (zlib has no synchronous stream) and streams everything else. Both feed the
 * same GraphFileReader; a line (or GML token) longer than MAX_RECORD_CHARS, or a quoted field spanning more than
 * MAX_QUOTED_LINES lines, is refused rather than accumulated.
 */
import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import * as zlib from 'zlib';
import { isSwarmscopeError, swarmscopeError } from '../core/errors';
import { csrFromEdges, type CsrGraph } from './csr';

export interface NamedGraph {
  graph: CsrGraph;
  /** Node name per node number. */
  names: string[];
  /** Edge lines or GML edge blocks read (before summing parallel edges). */
  edgesRead: number;
  format: 'edgelist' | 'gml';
}

const HEADER_FIRST = /^(source|src|from|node1|node_1|source_id|from_id)$/i;
const HEADER_SECOND = /^(target|dst|to|node2|node_2|target_id|to_id)$/i;

/** Bytes read (or gunzipped) per step. */
export const CHUNK_BYTES = 1 << 20;
/** The longest line (edge list), quoted record or GML token held while waiting for its end: 16 Mi characters. */
export const MAX_RECORD_CHARS = 1 << 24;
/**
 * The most lines one quoted record may span. A record is re-parsed from its start when a line with a quote is added
 * (only a quote can close it), so this also bounds that work; a node name with 100 line breaks is not a name.
 */
export const MAX_QUOTED_LINES = 100;
/**
 * The largest total edge weight m accepted. Modularity divides by (2m)²; above ~1.3e154 that square is Infinity
 * and the score NaN, so anything near it is refused with a reason rather than scored as nonsense.
 */
export const MAX_TOTAL_WEIGHT = 1e150;
/** Characters of the start of the file looked at to tell GML from an edge list. */
const SNIFF_CHARS = 4096;
const GML_START = /^\s*(Creator[^\n]*\n\s*)?graph\s*\[/;

/** Reads a graph file synchronously (a .gz is gunzipped whole first; anything else is streamed). */
export function readGraphFile(file: string): NamedGraph {
  const { fd, gzip } = openGraphFile(file);
  const reader = new GraphFileReader(file);
  try {
    if (gzip) {
      const bytes = gunzipWhole(fs.readFileSync(fd), file);
      for (let at = 0; at < bytes.length; at += CHUNK_BYTES) reader.push(bytes.subarray(at, at + CHUNK_BYTES));
    } else {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      for (;;) {
        let read: number;
        try {
          read = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null);
        } catch (error) {
          throw cannotRead(file, error);
        }
        if (read === 0) break;
        reader.push(buffer.subarray(0, read));
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return reader.end();
}

/** Reads a graph file as a stream, gunzipping on the fly: what `swarmscope detect` uses. */
export async function readGraphFileStreaming(file: string): Promise<NamedGraph> {
  const { fd, gzip } = openGraphFile(file);
  const reader = new GraphFileReader(file);
  const raw = fs.createReadStream(file, { fd, highWaterMark: CHUNK_BYTES, autoClose: true });
  try {
    if (!gzip) {
      try {
        for await (const chunk of raw) reader.push(chunk as Buffer);
      } catch (error) {
        if (isSwarmscopeError(error)) throw error;
        throw cannotRead(file, error);
      }
      return reader.end();
    }
    const gunzip = zlib.createGunzip({ chunkSize: 64 * 1024 });
    let readFailure: unknown = null;
    raw.on('error', (error) => {
      readFailure = error;
      gunzip.destroy(error);
    });
    raw.pipe(gunzip);
    try {
      for await (const chunk of gunzip) reader.push(chunk as Buffer);
    } catch (error) {
      if (isSwarmscopeError(error)) throw error;
      if (readFailure !== null) throw cannotRead(file, readFailure);
      throw badGzip(file, error);
    } finally {
      gunzip.destroy();
    }
    return reader.end();
  } finally {
    raw.destroy();
  }
}

/**
 * Opens a graph file for reading after checking it is a regular file: stat first (opening a FIFO would block until
 * a writer comes), then open without blocking and check the descriptor again, so a path swapped in between is
 * caught too. Also tells gzip (read directly) from other compression formats (refused by name).
 */
function openGraphFile(file: string): { fd: number; gzip: boolean } {
  let fd: number;
  try {
    refuseIrregular(fs.statSync(file), file);
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    if (isSwarmscopeError(error)) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw swarmscopeError('INPUT_NOT_FOUND', `${file}: no such file`, { file });
    throw cannotRead(file, error);
  }
  try {
    refuseIrregular(fs.fstatSync(fd), file);
    const magic = Buffer.alloc(6);
    const length = fs.readSync(fd, magic, 0, magic.length, 0);
    const head = magic.subarray(0, length);
    for (const { bytes, name } of OTHER_MAGIC) {
      if (startsWith(head, bytes)) {
        throw swarmscopeError('BAD_GRAPH_FILE', `${file} is ${name}, expected an edge list or GML file; decompress it first (gzip is read directly)`, { file });
      }
    }
    return { fd, gzip: startsWith(head, GZIP_MAGIC) };
  } catch (error) {
    fs.closeSync(fd);
    if (isSwarmscopeError(error)) throw error;
    throw cannotRead(file, error);
  }
}

function refuseIrregular(stat: fs.Stats, file: string): void {
  if (stat.isFile()) return;
  if (stat.isDirectory()) throw swarmscopeError('BAD_GRAPH_FILE', `${file} is a directory, expected an edge list or GML file`, { file });
  const kind = stat.isFIFO()
    ? 'a named pipe (FIFO)'
    : stat.isCharacterDevice()
      ? 'a character device'
      : stat.isBlockDevice()
        ? 'a block device'
        : stat.isSocket()
          ? 'a socket'
          : 'not a regular file';
  throw swarmscopeError('BAD_GRAPH_FILE', `${file} is ${kind}, expected a regular file (an edge list or GML file); save the graph to a file first`, {
    file,
  });
}

function cannotRead(file: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'EACCES' ? 'permission denied' : (error as Error).message;
  return swarmscopeError('BAD_GRAPH_FILE', `${file}: cannot read (${reason})`, { file });
}

function badGzip(file: string, error: unknown): Error {
  return swarmscopeError(
    'BAD_GRAPH_FILE',
    `${file}: unreadable gzip (${(error as Error).message}); check the download, or gunzip it and pass the uncompressed file`,
    { file },
  );
}

function gunzipWhole(bytes: Buffer, file: string): Buffer {
  try {
    return zlib.gunzipSync(bytes);
  } catch (error) {
    throw badGzip(file, error);
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];
/** Other compressed or archive formats: said by name rather than read as text. */
const OTHER_MAGIC: { bytes: number[]; name: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], name: 'a zip archive' },
  { bytes: [0x42, 0x5a, 0x68], name: 'bzip2-compressed' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz-compressed' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], name: 'zstd-compressed' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], name: 'a 7-zip archive' },
];

function startsWith(bytes: Buffer, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** Where decoded text goes: a parser, or a collector. `newlines` counts the line breaks it has been given. */
interface TextSink {
  push(text: string): void;
  newlines(): number;
}

/**
 * Bytes in any pieces → checked UTF-8 text out. A multibyte character split across two pieces is held until its
 * last byte comes; a UTF-8 byte-order mark is dropped; a UTF-16 one, an invalid sequence or a NUL byte is
 * BAD_GRAPH_FILE with the line and the byte offset in the (decompressed) file.
 */
class Utf8Decoder {
  /** Bytes waiting for the rest of their character (at most 3), or the first bytes while the BOM is undecided. */
  private held: Buffer | null = null;
  private started = false;
  /** Bytes of the file before the next byte pushed. */
  private offset = 0;

  constructor(
    private readonly file: string,
    private readonly sink: TextSink,
  ) {}

  push(bytes: Buffer): void {
    if (this.held !== null) {
      bytes = Buffer.concat([this.held, bytes]);
      this.held = null;
    }
    if (!this.started) {
      if (bytes.length < 3) {
        this.held = Buffer.from(bytes);
        return;
      }
      bytes = this.dropBom(bytes);
    }
    const complete = completeUtf8Length(bytes);
    if (complete < bytes.length) this.held = Buffer.from(bytes.subarray(complete));
    this.decode(bytes.subarray(0, complete));
  }

  end(): void {
    let rest = this.held ?? Buffer.alloc(0);
    this.held = null;
    if (!this.started) rest = this.dropBom(rest);
    // Whatever is still held is a character cut off by the end of the file: decode() reports it.
    if (rest.length > 0) this.decode(rest);
  }

  private dropBom(bytes: Buffer): Buffer {
    this.started = true;
    if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
      this.offset = 3;
      return bytes.subarray(3);
    }
    if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
      throw swarmscopeError(
        'BAD_GRAPH_FILE',
        `${this.file}: line 1: not UTF-8 (starts with a UTF-16 byte-order mark, bytes 0x${bytes[0].toString(16)} 0x${bytes[1].toString(16)} at byte 0); save it as UTF-8`,
        { file: this.file, line: 1, byte: 0 },
      );
    }
    return bytes;
  }

  private decode(bytes: Buffer): void {
    if (!isUtf8(bytes)) {
      const at = firstInvalidUtf8(bytes);
      const line = this.lineOf(bytes, at);
      const byte = this.offset + at;
      throw swarmscopeError(
        'BAD_GRAPH_FILE',
        `${this.file}: line ${line}: not UTF-8 (invalid byte 0x${bytes[at].toString(16).padStart(2, '0')} at byte ${byte}); re-export it as UTF-8 (e.g. iconv -f latin1 -t utf-8)`,
        { file: this.file, line, byte },
      );
    }
    const nul = bytes.indexOf(0);
    if (nul !== -1) {
      const line = this.lineOf(bytes, nul);
      const byte = this.offset + nul;
      throw swarmscopeError('BAD_GRAPH_FILE', `${this.file}: line ${line}: binary data (NUL byte at byte ${byte}), expected a text edge list or GML file`, {
        file: this.file,
        line,
        byte,
      });
    }
    this.offset += bytes.length;
    if (bytes.length > 0) this.sink.push(bytes.toString('utf8'));
  }

  private lineOf(bytes: Buffer, at: number): number {
    let line = this.sink.newlines() + 1;
    for (let i = bytes.indexOf(0x0a); i !== -1 && i < at; i = bytes.indexOf(0x0a, i + 1)) line++;
    return line;
  }
}

/** Length of the longest prefix that does not end inside a multibyte UTF-8 sequence. */
function completeUtf8Length(bytes: Buffer): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return back < need ? n - back : n;
  }
  return n;
}

/**
 * One graph file's bytes, pushed in pieces of any size, → a NamedGraph. The first SNIFF_CHARS characters (and the
 * file name) decide GML or edge list; the text then streams into that parser.
 */
export class GraphFileReader {
  private readonly decoder: Utf8Decoder;
  private parser: (TextSink & { end(): NamedGraph }) | null = null;
  private sniffed = '';

  constructor(private readonly file: string) {
    this.decoder = new Utf8Decoder(file, { push: (text) => this.pushText(text), newlines: () => this.newlines() });
  }

  /** The bytes are not kept after this returns: the caller may reuse its buffer. */
  push(bytes: Buffer): void {
    this.decoder.push(bytes);
  }

  end(): NamedGraph {
    this.decoder.end();
    return this.choose().end();
  }

  private pushText(text: string): void {
    if (this.parser !== null) return this.parser.push(text);
    this.sniffed += text;
    if (this.sniffed.length >= SNIFF_CHARS) this.choose();
  }

  private newlines(): number {
    if (this.parser !== null) return this.parser.newlines();
    let count = 0;
    for (let i = this.sniffed.indexOf('\n'); i !== -1; i = this.sniffed.indexOf('\n', i + 1)) count++;
    return count;
  }

  private choose(): TextSink & { end(): NamedGraph } {
    if (this.parser === null) {
      const gml = /\.gml(\.gz)?$/i.test(this.file) || GML_START.test(this.sniffed.slice(0, SNIFF_CHARS));
      this.parser = gml ? new GmlParser(this.file) : new EdgeListParser(this.file);
      const text = this.sniffed;
      this.sniffed = '';
      if (text !== '') this.parser.push(text);
    }
    return this.parser;
  }
}

/** UTF-8 text of the bytes (a UTF-8 byte-order mark is dropped); anything else is BAD_GRAPH_FILE with the byte and line. */
export function decodeGraphFile(bytes: Buffer, file: string): string {
  const pieces: string[] = [];
  let newlines = 0;
  const decoder = new Utf8Decoder(file, {
    push: (text) => {
      pieces.push(text);
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) newlines++;
    },
    newlines: () => newlines,
  });
  decoder.push(bytes);
  decoder.end();
  return pieces.join('');
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (bytes.length when none). */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

class GrowableEdges {
  sources = new Int32Array(1024);
  targets = new Int32Array(1024);
  weights = new Float64Array(1024);
  size = 0;
  push(source: number, target: number, weight: number): void {
    if (this.size === this.sources.length) {
      const capacity = this.size * 2;
      this.sources = grow(this.sources, new Int32Array(capacity));
      this.targets = grow(this.targets, new Int32Array(capacity));
      this.weights = grow(this.weights, new Float64Array(capacity));
    }
    this.sources[this.size] = source;
    this.targets[this.size] = target;
    this.weights[this.size++] = weight;
  }
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Node name → node number. Names that are canonical non-negative integers below 2^27 (most machine-written
 * edge lists) are looked up in a dense Int32Array instead of the Map: interning millions of strings was most of
 * the time spent reading a large edge list.
 */
class NodeNames {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  private numeric = new Int32Array(1024).fill(-1);
  intern(name: string): number {
    const number = canonicalInteger(name);
    if (number >= 0) {
      if (number >= this.numeric.length) {
        let size = this.numeric.length;
        while (size <= number) size *= 2;
        const grown = new Int32Array(size).fill(-1);
        grown.set(this.numeric);
        this.numeric = grown;
      }
      let id = this.numeric[number];
      if (id === -1) {
        id = this.names.length;
        this.numeric[number] = id;
        this.names.push(name);
      }
      return id;
    }
    let id = this.index.get(name);
    if (id === undefined) {
      id = this.names.length;
      const own = ownCopy(name);
      this.index.set(own, id);
      this.names.push(own);
    }
    return id;
  }
  has(name: string): boolean {
    const number = canonicalInteger(name);
    if (number >= 0) return number < this.numeric.length && this.numeric[number] !== -1;
    return this.index.has(name);
  }
}

const MAX_DENSE_NAME = 1 << 27;

/** The value of a name written as a canonical integer ("0", "17", not "017" or "+1"), or -1. */
function canonicalInteger(name: string): number {
  const length = name.length;
  if (length === 0 || length > 9 || (length > 1 && name.charCodeAt(0) === 48)) return -1;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = name.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value < MAX_DENSE_NAME ? value : -1;
}

/**
 * A copy of a name that does not point into the piece of text it was cut from: V8 may keep a substring as a
 * view of its parent, which would keep every 1 MiB piece a long name came from alive for the whole read.
 */
function ownCopy(name: string): string {
  return name.length < 13 ? name : Buffer.from(name, 'utf8').toString('utf8');
}

function badLine(file: string, line: number, reason: string): Error {
  return swarmscopeError('BAD_GRAPH_FILE', `${file}: line ${line}: ${reason}`, { file, line, reason });
}

/** A finite, non-negative weight; `1e400` (Infinity once read) is refused as too large, not taken as a header. */
function parseWeight(field: string, file: string, line: number): number {
  const weight = Number(field);
  if (field.trim() === '' || Number.isNaN(weight)) throw badLine(file, line, `weight '${field}' is not a number`);
  if (!Number.isFinite(weight)) throw badLine(file, line, `weight ${field} is too large (it overflows to Infinity); weights must be finite`);
  if (weight < 0) throw badLine(file, line, `weight ${field} is negative; modularity needs non-negative weights`);
  return weight;
}

/** The CSR graph of what was read, refusing a total weight modularity cannot score (see MAX_TOTAL_WEIGHT). */
function finishGraph(file: string, nodes: NodeNames, edges: GrowableEdges, format: NamedGraph['format']): NamedGraph {
  const graph = csrFromEdges(nodes.names.length, edges);
  if (!(graph.totalWeight <= MAX_TOTAL_WEIGHT)) {
    const total = Number.isFinite(graph.totalWeight) ? graph.totalWeight.toExponential(3) : 'overflows to Infinity';
    throw swarmscopeError(
      'BAD_GRAPH_FILE',
      `${file}: the total edge weight (${total}) is above ${MAX_TOTAL_WEIGHT.toExponential(0)}, where modularity's (2m)² overflows; scale the weights down`,
      { file, totalWeight: graph.totalWeight },
    );
  }
  return { graph, names: nodes.names, edgesRead: edges.size, format };
}

type Separator = 'tab' | 'comma' | 'space';

/** An edge list, from the whole text at once (tests, small inputs). */
export function parseEdgeList(text: string, file: string): NamedGraph {
  const parser = new EdgeListParser(file);
  parser.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  return parser.end();
}

/**
 * Edge-list text pushed in pieces of any size: split into lines (a line cut between two pieces is carried over,
 * a CRLF cut between its CR and LF included); a record with a quote is gathered line by line until its quotes close.
 */
class EdgeListParser implements TextSink {
  private readonly nodes = new NodeNames();
  private readonly edges = new GrowableEdges();
  private separator: Separator | null = null;
  /** The header's fields when the file has one: every data row must then have as many. */
  private header: string[] | null = null;
  private headerLine = 0;
  private firstData = true;
  /** Lines started so far: the number of the line being read. */
  private lineNumber = 0;
  private newlineCount = 0;
  /** The start of a line whose end has not arrived yet. */
  private carry = '';
  /** A record with a quote still open: its text so far (whole lines with their line breaks) and first line. */
  private pending: { text: string; line: number; lines: number } | null = null;

  constructor(private readonly file: string) {}

  newlines(): number {
    return this.newlineCount;
  }

  push(piece: string): void {
    const text = this.carry === '' ? piece : this.carry + piece;
    let position = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', position)) {
      this.newlineCount++;
      this.line(text.slice(position, end), true);
      position = end + 1;
    }
    this.carry = position === 0 ? text : text.slice(position);
    if (this.carry.length > MAX_RECORD_CHARS) {
      throw badLine(this.file, this.lineNumber + 1, `longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters without a line break; expected one edge per line`);
    }
  }

  end(): NamedGraph {
    if (this.carry !== '') this.line(this.carry, false);
    this.carry = '';
    if (this.pending !== null) this.quotedRecord(true);
    if (this.edges.size === 0) throw swarmscopeError('BAD_GRAPH_FILE', `${this.file}: no edges found`, { file: this.file });
    return finishGraph(this.file, this.nodes, this.edges, 'edgelist');
  }

  /** One line without its '\n' (`broken`: it had one). */
  private line(raw: string, broken: boolean): void {
    const recordLine = ++this.lineNumber;
    const pending = this.pending;
    if (pending !== null) {
      pending.text += broken ? `${raw}\n` : raw;
      if (++pending.lines > MAX_QUOTED_LINES) {
        throw badLine(this.file, pending.line, `a quoted field runs on for more than ${MAX_QUOTED_LINES} lines; check for an unclosed quote`);
      }
      // Only a quote can close the open quoted field: a line without one leaves it open.
      if (!broken || raw.includes('"')) this.quotedRecord(!broken);
      else this.checkPendingLength();
      return;
    }
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('%')) return;
    if (line.includes('"')) {
      // Quoted fields (RFC 4180): separators and line breaks inside quotes, "" for a quote.
      this.pending = { text: broken ? `${raw}\n` : raw, line: recordLine, lines: 1 };
      this.quotedRecord(!broken);
      return;
    }
    if (this.separator === null) this.separator = detectSeparator(line, true) as Separator;
    const separator = this.separator;
    const fields = separator === 'tab' ? line.split('\t') : separator === 'comma' ? line.split(',') : trimmed.split(/\s+/);
    for (let f = 0; f < fields.length; f++) fields[f] = fields[f].trim();
    this.record(fields, recordLine);
  }

  /** Parses the pending quoted record once its quotes close (or reports the unclosed quote at the end of the file). */
  private quotedRecord(final: boolean): void {
    const pending = this.pending!;
    if (this.separator === null) {
      const separator = detectSeparator(pending.text, final);
      if (separator === null) return this.checkPendingLength();
      this.separator = separator;
    }
    const record = parseQuotedRecord(pending.text, 0, this.separator, this.file, pending.line, final);
    if (record === null) return this.checkPendingLength();
    this.pending = null;
    this.record(record.fields, pending.line);
  }

  private checkPendingLength(): void {
    const pending = this.pending!;
    if (pending.text.length > MAX_RECORD_CHARS) {
      throw badLine(
        this.file,
        pending.line,
        `a quoted field runs on for more than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters; check for an unclosed quote`,
      );
    }
  }

  private record(fields: string[], recordLine: number): void {
    const { file } = this;
    const separator = this.separator!;
    if (fields.length < 2 || fields.length > 3) {
      throw badLine(file, recordLine, `expected source${sepName(separator)}target[${sepName(separator)}weight], found ${fields.length} field(s)`);
    }
    const [source, target] = fields;
    if (this.firstData) {
      this.firstData = false;
      // A weight field that is not numeric at all names a column; one that overflows (1e400) is data, and refused.
      const weightIsText = fields.length === 3 && (fields[2].trim() === '' || Number.isNaN(Number(fields[2])));
      if (weightIsText || (HEADER_FIRST.test(source) && HEADER_SECOND.test(target))) {
        this.header = fields;
        this.headerLine = recordLine;
        return;
      }
    }
    const header = this.header;
    if (header && fields.length !== header.length) {
      const fix = header.length === 2 ? 'name the weight column in the header' : 'give every row a weight';
      throw badLine(
        file,
        recordLine,
        `found ${fields.length} fields, but the header (line ${this.headerLine}: ${header.join(sepName(separator))}) names ${header.length} columns; ${fix}`,
      );
    }
    if (source === '' || target === '') throw badLine(file, recordLine, 'empty node name');
    const weight = fields.length === 3 ? parseWeight(fields[2], file, recordLine) : 1;
    this.edges.push(this.nodes.intern(source), this.nodes.intern(target), weight);
  }
}

/**
 * Tab, else comma, else spaces: what the record at the start of `text` holds outside quoted fields; null when the
 * text ends inside a quote and more may follow (`final` false).
 */
function detectSeparator(text: string, final: boolean): Separator | null {
  let quoted = false;
  let comma = false;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '\n') break;
    else if (c === '\t') return 'tab';
    else if (c === ',') comma = true;
  }
  if (quoted && i === text.length && !final) return null;
  return comma ? 'comma' : 'space';
}

/**
 * One record that contains a quote, read from `start` (a line start): fields are unquoted when they begin with
 * `"` (surrounding spaces allowed), may then hold separators, line breaks and `""`; a quote inside an unquoted
 * field is kept as it is. Returns the fields, where the next line starts and how many line breaks were inside quotes;
 * null when the text ends inside a quoted field and more may follow (`final` false): the caller adds a line and retries.
 */
function parseQuotedRecord(
  text: string,
  start: number,
  separator: Separator,
  file: string,
  line: number,
  final: boolean,
): { fields: string[]; next: number; lineBreaks: number } | null {
  const fields: string[] = [];
  const n = text.length;
  const isBlank = (c: string) => c === ' ' || c === '\r' || (c === '\t' && separator !== 'tab');
  const isSep = (c: string) => (separator === 'tab' ? c === '\t' : separator === 'comma' ? c === ',' : c === ' ' || c === '\t');
  let lineBreaks = 0;
  let i = start;
  while (i < n && isBlank(text[i])) i++;
  for (;;) {
    let field: string;
    if (text[i] === '"') {
      const openedAt = line + lineBreaks;
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) {
          if (!final) return null;
          const shown = text.slice(i, Math.min(text.indexOf('\n', i) === -1 ? n : text.indexOf('\n', i), i + 40)).replace(/\r$/, '');
          throw badLine(file, openedAt, `unclosed quote in field ${fields.length + 1} (${shown}); close it with " or double a quote inside a quoted field ("")`);
        }
        value += text.slice(from, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          from = quote + 2;
          continue;
        }
        for (let k = i; k < quote; k++) if (text.charCodeAt(k) === 10) lineBreaks++;
        i = quote + 1;
        break;
      }
      field = value;
      let skipped = false;
      while (i < n && isBlank(text[i])) {
        i++;
        skipped = true;
      }
      if (i < n && text[i] !== '\n' && !isSep(text[i]) && !(separator === 'space' && skipped)) {
        const opened = line + lineBreaks > openedAt ? ` (the quote opened on line ${openedAt})` : '';
        throw badLine(
          file,
          line + lineBreaks,
          `unexpected ${JSON.stringify(text[i])} after the closing quote of field ${fields.length + 1}${opened}; double a quote inside a quoted field ("")`,
        );
      }
    } else {
      let j = i;
      while (j < n && text[j] !== '\n' && !isSep(text[j])) j++;
      field = text.slice(i, j).trim();
      i = j;
    }
    fields.push(field);
    // Separator (a run of blanks when space separated), or the end of the record.
    while (i < n && text[i] !== '\n' && isBlank(text[i]) && separator !== 'space') i++;
    if (i >= n || text[i] === '\n') return { fields, next: i + 1, lineBreaks };
    if (separator === 'space') {
      while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
      if (i >= n || text[i] === '\n') return { fields, next: i + 1, lineBreaks };
    } else {
      i++; // the separator
      while (i < n && isBlank(text[i])) i++;
    }
  }
}

function sepName(separator: Separator): string {
  return separator === 'tab' ? '<TAB>' : separator === 'comma' ? ',' : ' ';
}

interface GmlToken {
  text: string;
  line: number;
  quoted: boolean;
}

/** GML from the whole text at once (tests, small inputs). */
export function parseGml(text: string, file: string): NamedGraph {
  const parser = new GmlParser(file);
  parser.push(text);
  return parser.end();
}

/** Where the GML parser is: what the next token must be. */
type GmlState = 'seek' | 'open' | 'key' | 'value' | 'listKey' | 'listValue' | 'skip' | 'done';

/**
 * GML text pushed in pieces of any size. The tokenizer carries a token (or quoted string, or comment) cut between
 * two pieces over to the next; the tokens drive a small state machine over `graph [ … node [ … ] edge [ … ] … ]`
 * that keeps only the node table and the edges, never the token list.
 */
class GmlParser implements TextSink {
  private readonly nodes = new NodeNames();
  private readonly idToNode = new Map<string, number>();
  /** Edges by GML id, resolved at the end (GML allows an edge before its nodes). */
  private readonly edgeSources: string[] = [];
  private readonly edgeTargets: string[] = [];
  private readonly edgeLines: number[] = [];
  private readonly edgeWeights: number[] = [];
  /** Text not tokenized yet (a token cut by the end of a piece) and the line it starts on. */
  private carry = '';
  private carryLine = 1;
  private state: GmlState = 'seek';
  /** The state to go back to when a skipped nested list closes, and its depth. */
  private resume: GmlState = 'key';
  private depth = 0;
  private key: GmlToken | null = null;
  private listKind: GmlToken | null = null;
  private entries = new Map<string, GmlToken | null>();
  private listKey: GmlToken | null = null;

  constructor(private readonly file: string) {}

  newlines(): number {
    let count = this.carryLine - 1;
    for (let i = this.carry.indexOf('\n'); i !== -1; i = this.carry.indexOf('\n', i + 1)) count++;
    return count;
  }

  push(piece: string): void {
    this.tokenize(this.carry === '' ? piece : this.carry + piece, false);
  }

  end(): NamedGraph {
    this.tokenize(this.carry, true);
    const { file } = this;
    if (this.state === 'seek') throw swarmscopeError('BAD_GRAPH_FILE', `${file}: no 'graph [' block`, { file });
    if (this.state !== 'done') throw swarmscopeError('BAD_GRAPH_FILE', `${file}: ended early, expected ${this.expected()}`, { file });
    const edges = new GrowableEdges();
    for (let e = 0; e < this.edgeSources.length; e++) {
      const s = this.idToNode.get(this.edgeSources[e]);
      const t = this.idToNode.get(this.edgeTargets[e]);
      if (s === undefined) throw badLine(file, this.edgeLines[2 * e], `edge source ${this.edgeSources[e]} is not a node id`);
      if (t === undefined) throw badLine(file, this.edgeLines[2 * e + 1], `edge target ${this.edgeTargets[e]} is not a node id`);
      edges.push(s, t, this.edgeWeights[e]);
    }
    return finishGraph(file, this.nodes, edges, 'gml');
  }

  private expected(): string {
    switch (this.state) {
      case 'open':
        return "'['";
      case 'value':
        return `a value for '${this.key!.text}'`;
      case 'listValue':
        return `a value for '${this.listKey!.text}'`;
      case 'skip':
        return "']'";
      default:
        return "a key or ']'";
    }
  }

  private tokenize(text: string, final: boolean): void {
    const n = text.length;
    let line = this.carryLine;
    let i = 0;
    /** Where an unfinished token starts when the text runs out (the rest is carried to the next piece). */
    let cut = -1;
    let cutLine = line;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (code === 10) {
        line++;
        i++;
      } else if (code === 32 || code === 9 || code === 13) {
        i++;
      } else if (code === 35 /* # */) {
        const j = text.indexOf('\n', i);
        if (j === -1 && !final) {
          cut = i;
          cutLine = line;
          break;
        }
        i = j === -1 ? n : j;
      } else if (code === 91 /* [ */ || code === 93 /* ] */) {
        this.token({ text: text[i], line, quoted: false });
        i++;
      } else if (code === 34 /* " */) {
        const j = text.indexOf('"', i + 1);
        if (j === -1) {
          if (!final) {
            cut = i;
            cutLine = line;
            break;
          }
          throw badLine(this.file, line, 'unterminated string');
        }
        const value = text.slice(i + 1, j);
        this.token({ text: value, line, quoted: true });
        for (let k = value.indexOf('\n'); k !== -1; k = value.indexOf('\n', k + 1)) line++;
        i = j + 1;
      } else {
        TOKEN_END.lastIndex = i;
        const end = TOKEN_END.exec(text);
        if (end === null && !final) {
          cut = i;
          cutLine = line;
          break;
        }
        const j = end === null ? n : end.index;
        if (j === i) {
          i++; // other white space (a form feed, a no-break space): not a token
          continue;
        }
        this.token({ text: text.slice(i, j), line, quoted: false });
        i = j;
      }
    }
    this.carry = cut === -1 ? '' : text.slice(cut);
    this.carryLine = cut === -1 ? line : cutLine;
    if (this.carry.length > MAX_RECORD_CHARS) {
      throw badLine(this.file, this.carryLine, `a token, string or comment runs on for more than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters`);
    }
  }

  /** One token through the state machine. */
  private token(token: GmlToken): void {
    const bracket = token.quoted ? '' : token.text;
    switch (this.state) {
      case 'seek':
        if (token.text === 'graph') this.state = 'open';
        return;
      case 'open':
        if (bracket !== '[') throw badLine(this.file, token.line, `expected '[' after 'graph', found '${token.text}'`);
        this.state = 'key';
        return;
      case 'key':
        if (bracket === ']') this.state = 'done';
        else {
          this.key = token;
          this.state = 'value';
        }
        return;
      case 'value':
        if (bracket !== '[') this.state = 'key';
        else if (this.key!.text === 'node' || this.key!.text === 'edge') {
          this.listKind = this.key;
          this.entries = new Map();
          this.state = 'listKey';
        } else this.skip('key');
        return;
      case 'listKey':
        if (bracket === ']') {
          this.finishList();
          this.state = 'key';
        } else {
          this.listKey = token;
          this.state = 'listValue';
        }
        return;
      case 'listValue': {
        const key = this.listKey!;
        if (bracket === '[') {
          this.entries.set(key.text, null);
          this.skip('listKey');
          return;
        }
        if (bracket === ']') throw badLine(this.file, token.line, `key '${key.text}' has no value`);
        if (!this.entries.has(key.text)) this.entries.set(key.text, token);
        this.state = 'listKey';
        return;
      }
      case 'skip':
        if (bracket === '[') this.depth++;
        else if (bracket === ']' && --this.depth === 0) this.state = this.resume;
        return;
      case 'done':
        return;
    }
  }

  private skip(resume: GmlState): void {
    this.resume = resume;
    this.depth = 1;
    this.state = 'skip';
  }

  private finishList(): void {
    const { file, entries } = this;
    const kind = this.listKind!;
    if (kind.text === 'node') {
      const id = entries.get('id');
      if (!id) throw badLine(file, kind.line, 'node without id');
      if (this.idToNode.has(id.text)) throw badLine(file, id.line, `node id ${id.text} appears twice`);
      const label = entries.get('label');
      const name = label ? label.text : id.text;
      if (this.nodes.has(name)) throw badLine(file, kind.line, `node name '${name}' appears twice`);
      this.idToNode.set(ownCopy(id.text), this.nodes.intern(name));
    } else {
      const source = entries.get('source');
      const target = entries.get('target');
      if (!source || !target) throw badLine(file, kind.line, 'edge without source or target');
      const weightToken = entries.get('weight') ?? entries.get('value');
      this.edgeWeights.push(weightToken ? parseWeight(weightToken.text, file, weightToken.line) : 1);
      this.edgeSources.push(ownCopy(source.text));
      this.edgeTargets.push(ownCopy(target.text));
      this.edgeLines.push(source.line, target.line);
    }
  }
}

/** The end of an unquoted GML token: white space, a bracket or a quote. */
const TOKEN_END = /[\s[\]"]/g;
