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
 * The file must be UTF-8 (a byte-order mark is fine) and is gunzipped first when it is gzip (by content, so
 * `edges.csv.gz` and `karate.gml.gz` work); a directory, another compression format, invalid UTF-8 or binary
 * data is BAD_GRAPH_FILE naming the file (and the line and byte where it can).
 *
 * GML (Himsworth's Graph Modelling Language): `graph [ node [ id … label … ] edge [ source … target … value … ] ]`.
 * Node names are their `label` when present, else their `id`; an edge's weight is its `weight` or `value`
 * attribute, else 1. Other attributes (e.g. `gt` ground truth) are ignored.
 *
 * Parallel edges are summed (see csr.ts). A malformed line is a BAD_GRAPH_FILE error naming the file and line.
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

export function readGraphFile(file: string): NamedGraph {
  const text = decodeGraphFile(readBytes(file), file);
  return /\.gml(\.gz)?$/i.test(file) || /^\s*(Creator[^\n]*\n\s*)?graph\s*\[/.test(text.slice(0, 4096))
    ? parseGml(text, file)
    : parseEdgeList(text, file);
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

/** The file's bytes, gunzipped when they are gzip (by content, not by name). */
function readBytes(file: string): Buffer {
  let bytes: Buffer;
  try {
    if (fs.statSync(file).isDirectory()) {
      throw swarmscopeError('BAD_GRAPH_FILE', `${file} is a directory, expected an edge list or GML file`, { file });
    }
    bytes = fs.readFileSync(file);
  } catch (error) {
    if (isSwarmscopeError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw swarmscopeError('INPUT_NOT_FOUND', `${file}: no such file`, { file });
    const reason = code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw swarmscopeError('BAD_GRAPH_FILE', `${file}: cannot read (${reason})`, { file });
  }
  if (startsWith(bytes, GZIP_MAGIC)) {
    try {
      return zlib.gunzipSync(bytes);
    } catch (error) {
      throw swarmscopeError(
        'BAD_GRAPH_FILE',
        `${file}: unreadable gzip (${(error as Error).message}); check the download, or gunzip it and pass the uncompressed file`,
        { file },
      );
    }
  }
  for (const { bytes: magic, name } of OTHER_MAGIC) {
    if (startsWith(bytes, magic)) {
      throw swarmscopeError('BAD_GRAPH_FILE', `${file} is ${name}, expected an edge list or GML file; decompress it first (gzip is read directly)`, { file });
    }
  }
  return bytes;
}

/** UTF-8 text of the bytes (a UTF-8 byte-order mark is dropped); anything else is BAD_GRAPH_FILE with the byte and line. */
export function decodeGraphFile(bytes: Buffer, file: string): string {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) bytes = bytes.subarray(3);
  else if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    throw swarmscopeError(
      'BAD_GRAPH_FILE',
      `${file}: line 1: not UTF-8 (starts with a UTF-16 byte-order mark, bytes 0x${bytes[0].toString(16)} 0x${bytes[1].toString(16)} at byte 0); save it as UTF-8`,
      { file, line: 1, byte: 0 },
    );
  }
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    const line = lineOfByte(bytes, at);
    throw swarmscopeError(
      'BAD_GRAPH_FILE',
      `${file}: line ${line}: not UTF-8 (invalid byte 0x${bytes[at].toString(16).padStart(2, '0')} at byte ${at}); re-export it as UTF-8 (e.g. iconv -f latin1 -t utf-8)`,
      { file, line, byte: at },
    );
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const line = lineOfByte(bytes, nul);
    throw swarmscopeError(
      'BAD_GRAPH_FILE',
      `${file}: line ${line}: binary data (NUL byte at byte ${nul}), expected a text edge list or GML file`,
      { file, line, byte: nul },
    );
  }
  return bytes.toString('utf8');
}

function lineOfByte(bytes: Buffer, at: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < at; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
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
      this.index.set(name, id);
      this.names.push(name);
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

function badLine(file: string, line: number, reason: string): Error {
  return swarmscopeError('BAD_GRAPH_FILE', `${file}: line ${line}: ${reason}`, { file, line, reason });
}

function parseWeight(field: string, file: string, line: number): number {
  const weight = Number(field);
  if (field.trim() === '' || !Number.isFinite(weight)) throw badLine(file, line, `weight '${field}' is not a number`);
  if (weight < 0) throw badLine(file, line, `weight ${field} is negative; modularity needs non-negative weights`);
  return weight;
}

type Separator = 'tab' | 'comma' | 'space';

export function parseEdgeList(text: string, file: string): NamedGraph {
  const nodes = new NodeNames();
  const edges = new GrowableEdges();
  let separator: Separator | null = null;
  /** The header's fields when the file has one: every data row must then have as many. */
  let header: string[] | null = null;
  let headerLine = 0;
  let lineNumber = 0;
  let firstData = true;
  let position = 0;
  if (text.charCodeAt(0) === 0xfeff) position = 1;
  while (position < text.length) {
    let end = text.indexOf('\n', position);
    if (end === -1) end = text.length;
    let line = text.slice(position, end);
    const lineStart = position;
    position = end + 1;
    const recordLine = ++lineNumber;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('%')) continue;
    if (separator === null) separator = detectSeparator(text, lineStart);
    let fields: string[];
    if (line.includes('"')) {
      // Quoted fields (RFC 4180): separators and line breaks inside quotes, "" for a quote.
      const record = parseQuotedRecord(text, lineStart, separator, file, recordLine);
      fields = record.fields;
      position = record.next;
      lineNumber = recordLine + record.lineBreaks;
    } else {
      fields = separator === 'tab' ? line.split('\t') : separator === 'comma' ? line.split(',') : trimmed.split(/\s+/);
      for (let f = 0; f < fields.length; f++) fields[f] = fields[f].trim();
    }
    if (fields.length < 2 || fields.length > 3) {
      throw badLine(file, recordLine, `expected source${sepName(separator)}target[${sepName(separator)}weight], found ${fields.length} field(s)`);
    }
    const [source, target] = fields;
    if (firstData) {
      firstData = false;
      const weightIsText = fields.length === 3 && !Number.isFinite(Number(fields[2]));
      if (weightIsText || (HEADER_FIRST.test(source) && HEADER_SECOND.test(target))) {
        header = fields;
        headerLine = recordLine;
        continue;
      }
    }
    if (header && fields.length !== header.length) {
      const fix = header.length === 2 ? 'name the weight column in the header' : 'give every row a weight';
      throw badLine(
        file,
        recordLine,
        `found ${fields.length} fields, but the header (line ${headerLine}: ${header.join(sepName(separator))}) names ${header.length} columns; ${fix}`,
      );
    }
    if (source === '' || target === '') throw badLine(file, recordLine, 'empty node name');
    const weight = fields.length === 3 ? parseWeight(fields[2], file, recordLine) : 1;
    edges.push(nodes.intern(source), nodes.intern(target), weight);
  }
  if (edges.size === 0) throw swarmscopeError('BAD_GRAPH_FILE', `${file}: no edges found`, { file });
  const graph = csrFromEdges(nodes.names.length, edges);
  return { graph, names: nodes.names, edgesRead: edges.size, format: 'edgelist' };
}

/** Tab, else comma, else spaces: what the record starting at `start` holds outside quoted fields. */
function detectSeparator(text: string, start: number): Separator {
  let quoted = false;
  let comma = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '\n') break;
    else if (c === '\t') return 'tab';
    else if (c === ',') comma = true;
  }
  return comma ? 'comma' : 'space';
}

/**
 * One record that contains a quote, read from `start` (a line start): fields are unquoted when they begin with
 * `"` (surrounding spaces allowed), may then hold separators, line breaks and `""`; a quote inside an unquoted
 * field is kept as it is. Returns the fields, where the next line starts and how many line breaks were inside quotes.
 */
function parseQuotedRecord(
  text: string,
  start: number,
  separator: Separator,
  file: string,
  line: number,
): { fields: string[]; next: number; lineBreaks: number } {
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

function tokenizeGml(text: string, file: string): GmlToken[] {
  const tokens: GmlToken[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') {
      line++;
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '[' || ch === ']') {
      tokens.push({ text: ch, line, quoted: false });
      i++;
    } else if (ch === '"') {
      const startLine = line;
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\n') line++;
        j++;
      }
      if (j >= text.length) throw badLine(file, startLine, 'unterminated string');
      tokens.push({ text: text.slice(i + 1, j), line: startLine, quoted: true });
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s[\]"]/.test(text[j])) j++;
      tokens.push({ text: text.slice(i, j), line, quoted: false });
      i = j;
    }
  }
  return tokens;
}

export function parseGml(text: string, file: string): NamedGraph {
  const tokens = tokenizeGml(text, file);
  let at = 0;
  const expect = (what: string): GmlToken => {
    const token = tokens[at++];
    if (!token) throw swarmscopeError('BAD_GRAPH_FILE', `${file}: ended early, expected ${what}`, { file });
    return token;
  };
  /** Reads `key value` pairs up to the matching `]`; nested lists are returned as null values. */
  const readList = (): Map<string, GmlToken | null> => {
    const entries = new Map<string, GmlToken | null>();
    for (;;) {
      const key = expect("a key or ']'");
      if (key.text === ']' && !key.quoted) return entries;
      const value = expect(`a value for '${key.text}'`);
      if (value.text === '[' && !value.quoted) {
        skipList();
        entries.set(key.text, null);
      } else if (value.text === ']' && !value.quoted) {
        throw badLine(file, value.line, `key '${key.text}' has no value`);
      } else if (!entries.has(key.text)) {
        entries.set(key.text, value);
      }
    }
  };
  const skipList = (): void => {
    let depth = 1;
    while (depth > 0) {
      const token = expect("']'");
      if (!token.quoted && token.text === '[') depth++;
      else if (!token.quoted && token.text === ']') depth--;
    }
  };
  while (at < tokens.length && tokens[at].text !== 'graph') at++;
  if (at >= tokens.length) throw swarmscopeError('BAD_GRAPH_FILE', `${file}: no 'graph [' block`, { file });
  at++;
  const open = expect("'['");
  if (open.text !== '[') throw badLine(file, open.line, `expected '[' after 'graph', found '${open.text}'`);

  const nodes = new NodeNames();
  const idToNode = new Map<string, number>();
  const pendingEdges: { source: GmlToken; target: GmlToken; weight: number }[] = [];
  for (;;) {
    const key = expect("a key or ']'");
    if (key.text === ']' && !key.quoted) break;
    const value = expect(`a value for '${key.text}'`);
    if (value.text !== '[' || value.quoted) continue;
    if (key.text === 'node') {
      const entries = readList();
      const id = entries.get('id');
      if (!id) throw badLine(file, key.line, 'node without id');
      if (idToNode.has(id.text)) throw badLine(file, id.line, `node id ${id.text} appears twice`);
      const label = entries.get('label');
      const name = label ? label.text : id.text;
      if (nodes.has(name)) throw badLine(file, key.line, `node name '${name}' appears twice`);
      idToNode.set(id.text, nodes.intern(name));
    } else if (key.text === 'edge') {
      const entries = readList();
      const source = entries.get('source');
      const target = entries.get('target');
      if (!source || !target) throw badLine(file, key.line, 'edge without source or target');
      const weightToken = entries.get('weight') ?? entries.get('value');
      const weight = weightToken ? parseWeight(weightToken.text, file, weightToken.line) : 1;
      pendingEdges.push({ source, target, weight });
    } else {
      skipList();
    }
  }
  const edges = new GrowableEdges();
  for (const { source, target, weight } of pendingEdges) {
    const s = idToNode.get(source.text);
    const t = idToNode.get(target.text);
    if (s === undefined) throw badLine(file, source.line, `edge source ${source.text} is not a node id`);
    if (t === undefined) throw badLine(file, target.line, `edge target ${target.text} is not a node id`);
    edges.push(s, t, weight);
  }
  const graph = csrFromEdges(nodes.names.length, edges);
  return { graph, names: nodes.names, edgesRead: edges.size, format: 'gml' };
}
