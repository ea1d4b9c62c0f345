import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { isSwarmscopeError } from '../../src/core/errors';
import { decodeGraphFile, parseEdgeList, parseGml, readGraphFile } from '../../src/graph/graph-file';
import { REFERENCE } from '../detect/reference-graphs';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isSwarmscopeError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an error');
}

describe('edge lists', () => {
  it('reads CSV with a header, TSV without, and space-separated, with string node names', () => {
    const csv = parseEdgeList('source,target,weight\nalice,bob,2\nbob,carol,1.5\n', 'g.csv');
    expect(csv.names).toEqual(['alice', 'bob', 'carol']);
    expect(csv.graph.totalWeight).toBe(3.5);
    const tsv = parseEdgeList('alice\tbob\nbob\tcarol\r\n', 'g.tsv');
    expect(tsv.graph.totalWeight).toBe(2);
    const spaced = parseEdgeList('# comment\na1 a2\n a2   a3 \n', 'g.txt');
    expect(spaced.names).toEqual(['a1', 'a2', 'a3']);
    expect(parseEdgeList('from,to\nx,y\n', 'g.csv').names).toEqual(['x', 'y']);
  });

  it('treats a first line whose weight is text as a header, and 1,2 as data', () => {
    expect(parseEdgeList('a,b,w\nx,y,3\n', 'g.csv').graph.totalWeight).toBe(3);
    expect(parseEdgeList('1,2\n2,3\n', 'g.csv').names).toEqual(['1', '2', '3']);
  });

  it('names the file and line of a malformed row (BAD_GRAPH_FILE)', () => {
    expect(errorOf(() => parseEdgeList('a,b,1\nb,c,1\n' + 'c,d,1\n'.repeat(14) + 'd,e,x\n', 'g.csv'))).toEqual({
      code: 'BAD_GRAPH_FILE',
      message: "g.csv: line 17: weight 'x' is not a number",
    });
    expect(errorOf(() => parseEdgeList('a,b\nc\n', 'g.csv')).message).toBe('g.csv: line 2: expected source,target[,weight], found 1 field(s)');
    expect(errorOf(() => parseEdgeList('a,b,-2\n', 'g.csv')).message).toContain('line 1: weight -2 is negative');
    expect(errorOf(() => parseEdgeList('\n# nothing\n', 'g.csv')).message).toBe('g.csv: no edges found');
  });
});

describe('edge lists: quoting and column counts', () => {
  it('parses RFC 4180 quoted fields: separators, doubled quotes and line breaks inside quotes', () => {
    const parsed = parseEdgeList('"node, with comma",b\nb,"say ""hi"""\n"x\ny" , b ,2\nc,d\n', 'g.csv');
    expect(parsed.names).toEqual(['node, with comma', 'b', 'say "hi"', 'x\ny', 'c', 'd']);
    expect(parsed.graph.totalWeight).toBe(5);
    expect(parseEdgeList('"a b" c\n"d" "e"\n', 'g.txt').names).toEqual(['a b', 'c', 'd', 'e']);
    expect(parseEdgeList('"a\tb",c\n', 'g.csv').names).toEqual(['a\tb', 'c']);
    expect(parseEdgeList('"source","target","weight"\n"a",b,2\n', 'g.csv').graph.totalWeight).toBe(2);
  });

  it('an unclosed or misplaced quote is an error with the line where the field starts', () => {
    expect(errorOf(() => parseEdgeList('"a,b\n', 'g.csv'))).toEqual({
      code: 'BAD_GRAPH_FILE',
      message: 'g.csv: line 1: unclosed quote in field 1 ("a,b); close it with " or double a quote inside a quoted field ("")',
    });
    expect(errorOf(() => parseEdgeList('x,y\n\nb,"c\nd,e\n', 'g.csv')).message).toMatch(/^g\.csv: line 3: unclosed quote in field 2 \("c\)/);
    expect(errorOf(() => parseEdgeList('a,"b"c\n', 'g.csv')).message).toBe(
      'g.csv: line 1: unexpected "c" after the closing quote of field 2; double a quote inside a quoted field ("")',
    );
    // Line numbers after a record with a line break inside quotes stay right.
    expect(errorOf(() => parseEdgeList('"a\nb",c\nd,e,x\n', 'g.csv')).message).toBe("g.csv: line 3: weight 'x' is not a number");
  });

  it('after a header every row has its number of fields', () => {
    expect(errorOf(() => parseEdgeList('source,target\na,b\na,b,3\n', 'g.csv'))).toEqual({
      code: 'BAD_GRAPH_FILE',
      message: 'g.csv: line 3: found 3 fields, but the header (line 1: source,target) names 2 columns; name the weight column in the header',
    });
    expect(errorOf(() => parseEdgeList('# c\nsrc,dst,w\na,b,1\nb,c\n', 'g.csv')).message).toBe(
      'g.csv: line 4: found 2 fields, but the header (line 2: src,dst,w) names 3 columns; give every row a weight',
    );
    expect(parseEdgeList('source,target,weight\na,b,3\n', 'g.csv').graph.totalWeight).toBe(3);
    expect(parseEdgeList('a,b\nb,c,3\n', 'g.csv').graph.totalWeight).toBe(4);
  });
});

describe('graph file bytes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-bytes-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer | string): string => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, bytes);
    return target;
  };

  it('refuses bytes that are not UTF-8 with the line and byte; a UTF-8 BOM is fine', () => {
    expect(errorOf(() => decodeGraphFile(Buffer.from('a,b\nc\xe9,d\n', 'latin1'), 'g.csv'))).toEqual({
      code: 'BAD_GRAPH_FILE',
      message: 'g.csv: line 2: not UTF-8 (invalid byte 0xe9 at byte 5); re-export it as UTF-8 (e.g. iconv -f latin1 -t utf-8)',
    });
    expect(errorOf(() => decodeGraphFile(Buffer.from([0xff, 0xfe, 0x2c, 0x62, 0x0a]), 'n.csv')).message).toBe(
      'n.csv: line 1: not UTF-8 (starts with a UTF-16 byte-order mark, bytes 0xff 0xfe at byte 0); save it as UTF-8',
    );
    expect(errorOf(() => decodeGraphFile(Buffer.from([0x61, 0x2c, 0xe2, 0x82]), 'g.csv')).message).toContain('line 1: not UTF-8 (invalid byte 0xe2 at byte 2)');
    expect(errorOf(() => decodeGraphFile(Buffer.from([0x61, 0x2c, 0xc0, 0xaf]), 'g.csv')).message).toContain('invalid byte 0xc0 at byte 2');
    expect(errorOf(() => decodeGraphFile(Buffer.from('a,b\n\0c,d\n'), 'g.csv')).message).toBe(
      'g.csv: line 2: binary data (NUL byte at byte 4), expected a text edge list or GML file',
    );
    expect(readGraphFile(file('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('source,target\nä,b\n')]))).names).toEqual(['ä', 'b']);
    expect(errorOf(() => readGraphFile(file('n.csv', Buffer.from([0xff, 0xfe, 0x2c, 0x62, 0x0a, 0x63, 0x2c, 0x64, 0x0a])))).code).toBe('BAD_GRAPH_FILE');
  });

  it('reads gzip by content (edge list and GML), and says when gzip is damaged or another compression is used', () => {
    const gz = readGraphFile(file('edges.csv.gz', zlib.gzipSync('source,target,weight\na,b,2\nb,c,1\n')));
    expect(gz.names).toEqual(['a', 'b', 'c']);
    expect(gz.graph.totalWeight).toBe(3);
    const karate = fs.readFileSync(path.join(REFERENCE, 'community-graphs', 'karate.gml'));
    const gml = readGraphFile(file('karate.gml.gz', zlib.gzipSync(karate)));
    expect(gml.format).toBe('gml');
    expect(gml.graph.nodeCount).toBe(34);
    const damaged = file('damaged.csv.gz', zlib.gzipSync('a,b\n'.repeat(100)).subarray(0, 20));
    expect(errorOf(() => readGraphFile(damaged))).toEqual({
      code: 'BAD_GRAPH_FILE',
      message: `${damaged}: unreadable gzip (unexpected end of file); check the download, or gunzip it and pass the uncompressed file`,
    });
    const zip = file('edges.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
    expect(errorOf(() => readGraphFile(zip)).message).toBe(`${zip} is a zip archive, expected an edge list or GML file; decompress it first (gzip is read directly)`);
  });

  it('says a directory is a directory', () => {
    expect(errorOf(() => readGraphFile(dir))).toEqual({ code: 'BAD_GRAPH_FILE', message: `${dir} is a directory, expected an edge list or GML file` });
  });
});

describe('GML', () => {
  it('reads the reference karate.gml (labels as names, gt ignored)', () => {
    const karate = readGraphFile(path.join(REFERENCE, 'community-graphs', 'karate.gml'));
    expect(karate.format).toBe('gml');
    expect(karate.graph.nodeCount).toBe(34);
    expect(karate.graph.totalWeight).toBe(78);
  });

  it('reads weights from value/weight and nested lists, and reports bad references with the line', () => {
    const gml = 'graph [\n directed 0\n node [ id 1 label "x" graphics [ w 3 ] ]\n node [ id 2 ]\n edge [ source 1 target 2 value 2.5 ]\n]\n';
    const parsed = parseGml(gml, 'g.gml');
    expect(parsed.names).toEqual(['x', '2']);
    expect(parsed.graph.totalWeight).toBe(2.5);
    expect(errorOf(() => parseGml('graph [\n node [ id 1 ]\n edge [ source 1 target 9 ]\n]', 'g.gml')).message).toBe(
      'g.gml: line 3: edge target 9 is not a node id',
    );
    expect(errorOf(() => parseGml('graph [\n node [ id 1 ]\n', 'g.gml')).code).toBe('BAD_GRAPH_FILE');
  });

  it('says when the file does not exist', () => {
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'graph-')), 'none.csv');
    expect(errorOf(() => readGraphFile(missing))).toEqual({ code: 'INPUT_NOT_FOUND', message: `${missing}: no such file` });
  });
});
