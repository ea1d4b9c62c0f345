import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isSwarmscopeError } from '../../src/core/errors';
import { parseEdgeList, parseGml, readGraphFile } from '../../src/graph/graph-file';
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
