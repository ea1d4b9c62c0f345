/**
 * Reading a graph a data scientist hands to `swarmscope detect`: an edge list or GML.
 *
 * Edge list: one edge per line, `source<sep>target[<sep>weight]`, the separator being a tab, a comma or runs of
 * spaces (decided by the first data line). Node names are strings. Blank lines and lines starting with `#` or
 * `%` are skipped. The first line is a header, and skipped, when its weight field is not a number, or when
 * its first two fields are column names: source/target, src/dst, from/to, node1/node2 (so `a,b` is data).
 *
 * GML (Himsworth's Graph Modelling Language): `graph [ node [ id … label … ] edge [ source … target … value … ] ]`.
 * Node names are their `label` when present, else their `id`; an edge's weight is its `weight` or `value`
 * attribute, else 1. Other attributes (e.g. `gt` ground truth) are ignored.
 *
 * Parallel edges are summed (see csr.ts). A malformed line is a BAD_GRAPH_FILE error naming the file and line.
 */
import * as fs from 'fs';
import { swarmscopeError } from '../core/errors';
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
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw swarmscopeError('INPUT_NOT_FOUND', `${file}: ${reason}`, { file });
  }
  return /\.gml$/i.test(file) || /^\s*(Creator[^\n]*\n\s*)?graph\s*\[/.test(text.slice(0, 4096))
    ? parseGml(text, file)
    : parseEdgeList(text, file);
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

export function parseEdgeList(text: string, file: string): NamedGraph {
  const nodes = new NodeNames();
  const edges = new GrowableEdges();
  let separator: 'tab' | 'comma' | 'space' | null = null;
  let lineNumber = 0;
  let firstData = true;
  let position = 0;
  if (text.charCodeAt(0) === 0xfeff) position = 1;
  while (position < text.length) {
    let end = text.indexOf('\n', position);
    if (end === -1) end = text.length;
    let line = text.slice(position, end);
    position = end + 1;
    lineNumber++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('%')) continue;
    if (separator === null) separator = line.includes('\t') ? 'tab' : line.includes(',') ? 'comma' : 'space';
    const fields =
      separator === 'tab' ? line.split('\t') : separator === 'comma' ? line.split(',') : trimmed.split(/\s+/);
    if (fields.length < 2 || fields.length > 3) {
      throw badLine(file, lineNumber, `expected source${sepName(separator)}target[${sepName(separator)}weight], found ${fields.length} field(s)`);
    }
    const source = unquote(fields[0].trim());
    const target = unquote(fields[1].trim());
    if (firstData) {
      firstData = false;
      const weightIsText = fields.length === 3 && !Number.isFinite(Number(fields[2]));
      if (weightIsText || (HEADER_FIRST.test(source) && HEADER_SECOND.test(target))) continue;
    }
    if (source === '' || target === '') throw badLine(file, lineNumber, 'empty node name');
    const weight = fields.length === 3 ? parseWeight(fields[2].trim(), file, lineNumber) : 1;
    edges.push(nodes.intern(source), nodes.intern(target), weight);
  }
  if (edges.size === 0) throw swarmscopeError('BAD_GRAPH_FILE', `${file}: no edges found`, { file });
  const graph = csrFromEdges(nodes.names.length, edges);
  return { graph, names: nodes.names, edgesRead: edges.size, format: 'edgelist' };
}

function sepName(separator: 'tab' | 'comma' | 'space'): string {
  return separator === 'tab' ? '<TAB>' : separator === 'comma' ? ',' : ' ';
}

function unquote(field: string): string {
  return field.length >= 2 && field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
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
