/**
 * `swarmscope detect <graph-file>` streams its input (issue 15): a graph file is read in chunks and parsed line by
 * line or token by token, never as one string. In process: the reader gives the same graph however the bytes are
 * cut (a CRLF, a multibyte UTF-8 character, a quoted record or a GML string split between chunks). Through the
 * spawned CLI: a file larger than one read chunk with a character across the chunk boundary; a weight that
 * overflows to Infinity and weights that sum past what modularity can square are refused with file, line and
 * reason (exit 2); /dev/zero, a FIFO and a directory are refused at once (exit 2, one line) instead of hanging.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { isSwarmscopeError } from '../../src/core/errors';
import { CHUNK_BYTES, GraphFileReader, MAX_RECORD_CHARS, parseEdgeList, parseGml, type NamedGraph } from '../../src/graph/graph-file';
import { CLI, ROOT, ensureBuilt, tempDir } from '../sweep/support';

let root: string;
beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-graph-');
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The spawned CLI with a deadline: a command that hangs fails the test instead of the run. */
function detect(args: string[], timeout = 20_000): { status: number | null; stdout: string; stderr: string; signal: NodeJS.Signals | null } {
  const result = spawnSync(process.execPath, [CLI, 'detect', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, SWARMSCOPE_DEBUG: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}

function expectRefused(result: ReturnType<typeof detect>, pattern: RegExp): void {
  expect(result.signal).toBeNull();
  expect(result.status).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr.trim()).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
}

/** What a test compares: names, edges read and the summed weights per node. */
function shape(graph: NamedGraph): unknown {
  return { names: graph.names, edgesRead: graph.edgesRead, strength: Array.from(graph.graph.strength), total: graph.graph.totalWeight, format: graph.format };
}

function readInPieces(bytes: Buffer, cuts: number[], file: string): NamedGraph {
  const reader = new GraphFileReader(file);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    reader.push(bytes.subarray(from, cut));
    from = cut;
  }
  return reader.end();
}

describe('the streaming reader gives the same graph however the bytes are cut', () => {
  const edgeList = Buffer.from(
    '\ufeffsource,target,weight\r\n' +
      'zoë,Åsa,1.5\r\n' +
      '"名前, with comma","multi\r\nline 😀",2\r\n' +
      '# a comment with é\r\n' +
      '😀,zoë,0.25\r\n' +
      'Åsa,"say ""hi""",3',
    'utf8',
  );
  const gml = Buffer.from('Creator "x"\ngraph [\n  node [ id 1 label "café 😀" ]\n  node [ id 2 label "two\nlines" ]\n  # comment\n  edge [ source 1 target 2 value 2.5 ]\n]\n', 'utf8');

  it.each([
    ['an edge list with CRLF, quotes, a BOM and 2-, 3- and 4-byte characters', edgeList, 'g.csv'],
    ['a GML file with strings, a comment and 4-byte characters', gml, 'g.gml'],
  ])('%s, split at every byte and into single bytes', (_name, bytes, file) => {
    const whole = shape(readInPieces(bytes, [], file));
    for (let cut = 1; cut < bytes.length; cut++) expect([cut, shape(readInPieces(bytes, [cut], file))]).toEqual([cut, whole]);
    expect(shape(readInPieces(bytes, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1), file))).toEqual(whole);
  });

  it('reads the names, CRLF line ends and the record with a line break inside quotes right', () => {
    const graph = readInPieces(edgeList, [], 'g.csv');
    expect(graph.names).toEqual(['zoë', 'Åsa', '名前, with comma', 'multi\r\nline 😀', '😀', 'say "hi"']);
    expect(graph.graph.totalWeight).toBe(6.75);
    expect(shape(readInPieces(edgeList, [], 'g.csv'))).toEqual(shape(parseEdgeList(edgeList.toString('utf8'), 'g.csv')));
    expect(readInPieces(gml, [], 'g.gml').names).toEqual(['café 😀', 'two\nlines']);
    expect(shape(readInPieces(gml, [], 'g.gml'))).toEqual(shape(parseGml(gml.toString('utf8'), 'g.gml')));
  });

  it('names the right line and byte of a bad byte, however the bytes are cut', () => {
    const bytes = Buffer.concat([Buffer.from('a,b\nc,d\ne'), Buffer.from([0xc3]), Buffer.from(',f\n')]);
    for (let cut = 1; cut < bytes.length; cut++) {
      let message = '';
      try {
        readInPieces(bytes, [cut], 'g.csv');
      } catch (error) {
        if (!isSwarmscopeError(error)) throw error;
        message = error.message;
      }
      expect([cut, message]).toEqual([cut, expect.stringContaining('g.csv: line 3: not UTF-8 (invalid byte 0xc3 at byte 9)')]);
    }
  });
});

describe('what the reader holds while waiting for a line end is bounded', () => {
  function errorOf(pieces: Buffer[], file: string): string {
    const reader = new GraphFileReader(file);
    try {
      for (const piece of pieces) reader.push(piece);
      reader.end();
    } catch (error) {
      if (isSwarmscopeError(error)) return error.message;
      throw error;
    }
    return 'no error';
  }
  const run = Buffer.alloc(CHUNK_BYTES, 'b');
  const pieces = (prefix: string) => [Buffer.from(prefix), ...Array.from({ length: MAX_RECORD_CHARS / CHUNK_BYTES + 1 }, () => run)];

  it('a line longer than MAX_RECORD_CHARS is refused with its number, before the file ends', () => {
    expect(errorOf(pieces('x,y\na,'), 'g.csv')).toBe('g.csv: line 2: longer than 16,777,216 characters without a line break; expected one edge per line');
  });

  it('a quoted field that never closes is refused once it passes MAX_RECORD_CHARS', () => {
    const lines = Buffer.from(`${'b'.repeat(CHUNK_BYTES - 1)}\n`);
    const many = [Buffer.from('x,y\na,"'), ...Array.from({ length: MAX_RECORD_CHARS / CHUNK_BYTES + 1 }, () => lines)];
    expect(errorOf(many, 'g.csv')).toBe('g.csv: line 2: a quoted field runs on for more than 16,777,216 characters; check for an unclosed quote');
  });

  it('and one that runs on for more than MAX_QUOTED_LINES lines', () => {
    expect(errorOf([Buffer.from(`x,y\na,"b\n${'c\n'.repeat(200)}`)], 'g.csv')).toBe(
      'g.csv: line 2: a quoted field runs on for more than 100 lines; check for an unclosed quote',
    );
  });

  it('so is a GML token or string that never ends', () => {
    expect(errorOf(pieces('graph [ node [ id "'), 'g.gml')).toBe('g.gml: line 1: a token, string or comment runs on for more than 16,777,216 characters');
  });
});

describe('swarmscope detect on hostile graph files (spawned)', () => {
  it('reads a file larger than one chunk with a character and a CRLF across the chunk boundary', () => {
    const file = path.join(root, 'big.csv');
    // Everything is ASCII but 'é' (2 bytes), so offsets are lengths: 'é' starts at the last byte of the first chunk
    // and the '\r' of a CRLF is the last byte of the second.
    const head = 'source,target\r\n';
    const line = 'n0000001,n0000002\r\n';
    const lines = Math.floor((CHUNK_BYTES - 1000) / line.length);
    const pad = CHUNK_BYTES - 1 - (head.length + lines * line.length);
    const zStart = CHUNK_BYTES + 5 + lines * line.length;
    const zPad = 2 * CHUNK_BYTES - 3 - zStart;
    const text = [head, line.repeat(lines), 'x'.repeat(pad), 'é,b\r\n', line.repeat(lines), 'z'.repeat(zPad), ',y\r\nlast,edge\r\n'].join('');
    const bytes = Buffer.from(text);
    expect(bytes.subarray(CHUNK_BYTES - 1, CHUNK_BYTES + 1).toString('utf8')).toBe('é');
    expect(bytes.subarray(2 * CHUNK_BYTES - 1, 2 * CHUNK_BYTES + 1).toString('latin1')).toBe('\r\n');
    fs.writeFileSync(file, text);
    const out = path.join(root, 'big-membership.csv');
    const result = detect([file, '--json', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const names = fs.readFileSync(out, 'utf8').split('\n').slice(1, -1).map((row) => row.split(',')[0]);
    expect(names.sort()).toEqual(['b', 'edge', 'last', 'n0000001', 'n0000002', `${'x'.repeat(pad)}é`, 'y', 'z'.repeat(zPad)]);
    expect(names.filter((name) => /\r|\ufffd/.test(name))).toEqual([]);
  });

  it.each([
    ['on a data line', 'a,b,1\nb,c,1e400\n', /: line 2: weight 1e400 is too large \(it overflows to Infinity\); weights must be finite$/],
    ['on the first line (not a header)', 'a,b,1e400\nb,c,1\n', /: line 1: weight 1e400 is too large/],
    ['as -1e400', 'a,b,1\nb,c,-1e400\n', /: line 2: weight -1e400 is too large/],
    ['in GML', 'graph [\n node [ id 1 ]\n node [ id 2 ]\n edge [ source 1 target 2 value 1e400 ]\n]\n', /: line 4: weight 1e400 is too large/],
  ])('a weight that overflows to Infinity %s is refused with its line (exit 2)', (_name, content, pattern) => {
    const file = path.join(root, content.startsWith('graph') ? 'inf.gml' : 'inf.csv');
    fs.writeFileSync(file, content);
    expectRefused(detect([file]), pattern);
  });

  it.each([
    ['sum to Infinity', 'a,b,1e308\nb,c,1e308\nc,a,1e308\n', /total edge weight \(overflows to Infinity\) is above 1e\+150/],
    ['sum past what modularity can square', 'a,b,1e200\nb,c,1\n', /total edge weight \(1\.000e\+200\) is above 1e\+150, where modularity's \(2m\)² overflows; scale the weights down$/],
  ])('weights that %s are refused, not scored as NaN (exit 2)', (_name, content, pattern) => {
    const file = path.join(root, 'huge.csv');
    fs.writeFileSync(file, content);
    expectRefused(detect([file, '--json']), pattern);
  });

  it('/dev/zero is refused at once as a character device', () => {
    expectRefused(detect(['/dev/zero']), /^swarmscope: \/dev\/zero is a character device, expected a regular file/);
  });

  it('a FIFO with no writer is refused at once, not waited on', () => {
    const fifo = path.join(root, 'edges.fifo');
    const made = spawnSync('mkfifo', [fifo]);
    if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
    expectRefused(detect([fifo]), /is a named pipe \(FIFO\), expected a regular file/);
  });

  it('a directory, also one named .gml, is refused', () => {
    const dir = path.join(root, 'graph.gml');
    fs.mkdirSync(dir);
    expectRefused(detect([dir]), /graph\.gml is a directory, expected an edge list or GML file$/);
  });

  it('a line longer than a chunk is read as one line', () => {
    const file = path.join(root, 'one-line.csv');
    fs.writeFileSync(file, `a,${"b".repeat(3 * CHUNK_BYTES)},x,y\n`);
    expectRefused(detect([file]), /: line 1: expected source,target\[,weight\], found 4 field\(s\)$/);
  });
});
