/** The spawned CLI: `swarmscope detect` output, --json, --out, and exit codes on bad input. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { REFERENCE } from './reference-graphs';

import { ensureBuilt, runBuiltCli } from '../support/build';

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return runBuiltCli(args);
}

beforeAll(() => ensureBuilt(), 120_000);

describe('swarmscope detect (spawned)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'detect-cli-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints communities, modularity and time for a GML file', () => {
    const result = run(['detect', path.join(REFERENCE, 'community-graphs', 'karate.gml')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/34 nodes, 78 edges \(gml\)/);
    expect(result.stdout).toMatch(/leiden \(resolution 1, seed 42\): 4 communities, modularity 0\.4198, [\d.]+ s/);
  });

  it('--json has the documented fields; --out writes node,community for every node', () => {
    const out = path.join(dir, 'membership.csv');
    const result = run(['detect', path.join(REFERENCE, 'neo4j-gds', 'karate_gds.edges'), '--json', '--out', out, '--seed', '3']);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ communities: expect.any(Number), nodes: 34, edges: 78, algorithm: 'leiden', resolution: 1, seed: 3 });
    // Karate is one component that the exactness bound cannot settle: nothing is set aside.
    expect(summary.solved_components).toBe(0);
    expect(summary.modularity).toBeGreaterThanOrEqual(0.4188);
    expect(summary.seconds).toBeGreaterThan(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('node,community');
    expect(lines).toHaveLength(35);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[1])).size).toBe(summary.communities);
  });

  it("--max-iterations bounds Leiden's iterations (1 gives a valid partition; 0 and Louvain are refused in one line)", () => {
    const football = path.join(REFERENCE, 'community-graphs', 'football.gml');
    const one = JSON.parse(run(['detect', football, '--max-iterations', '1', '--json']).stdout);
    expect(one.iterations).toBe(1);
    expect(one.modularity).toBeGreaterThan(0.55);
    const bad = run(['detect', football, '--max-iterations', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('swarmscope: --max-iterations must be a whole number from 1 to 1,000,000, got "0"\n');
    const louvain = run(['detect', football, '--max-iterations', '2', '--algorithm', 'louvain']);
    expect(louvain.status).toBe(2);
    expect(louvain.stderr).toBe('swarmscope: --max-iterations applies to --algorithm leiden only\n');
  });

  it('runs graphology Louvain with --algorithm louvain', () => {
    const result = run(['detect', path.join(REFERENCE, 'community-graphs', 'football.gml'), '--algorithm', 'louvain', '--json']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ algorithm: 'louvain', nodes: 115, edges: 613 });
  });

  it('exits 2 with one line naming file and line for a malformed edge list, and for bad flags', () => {
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'a,b,1\nb,c,x\n');
    const result = run(['detect', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`swarmscope: ${bad}: line 2: weight 'x' is not a number\n`);
    expect(result.stdout).toBe('');
    const flag = run(['detect', bad, '--resolution', '-1']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toBe('swarmscope: --resolution must be a number above 0 and at most 1,000,000, got "-1"\n');
    expect(run(['detect', bad, '--algorithm', 'kmeans']).status).toBe(2);
  });

  it('refuses a negative or fractional --seed like sweep and generate, and says -2 is not a positive resolution', () => {
    const file = path.join(dir, 'seed.csv');
    fs.writeFileSync(file, 'a,b\nb,c\n');
    for (const seed of ['-1', '1.5', '']) {
      const result = run(['detect', file, '--seed', seed]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`swarmscope: --seed must be a whole number from 0 to 4,294,967,295, got "${seed}"\n`);
      expect(result.stdout).toBe('');
    }
    expect(run(['detect', file, '--seed', '0']).status).toBe(0);
    expect(run(['detect', file, '--resolution', '-2']).stderr).toBe('swarmscope: --resolution must be a number above 0 and at most 1,000,000, got "-2"\n');
  });

  it('says 1 node, 1 edge, 1 community in the singular', () => {
    const file = path.join(dir, 'one.csv');
    fs.writeFileSync(file, 'a,a\n');
    const one = run(['detect', file]);
    expect(one.status).toBe(0);
    expect(one.stdout).toContain(`${file}: 1 node, 1 edge (edgelist)`);
    expect(one.stdout).toMatch(/: 1 community, modularity/);
    expect(one.stdout).toContain('  community 0: 1 node (a)\n');
    fs.writeFileSync(file, 'a,b\nc,d\n');
    const two = run(['detect', file]);
    expect(two.stdout).toContain('2 communities');
    expect(two.stdout).toContain('  community 1: 2 nodes (c, d)\n');
  });

  it('exits 2 with one line for a directory, bytes that are not UTF-8, a column-count mismatch and an unclosed quote', () => {
    const cases: [string, Buffer | null, string][] = [
      [dir, null, `${dir} is a directory, expected an edge list or GML file`],
      ['n.csv', Buffer.from([0xff, 0xfe, 0x2c, 0x62, 0x0a, 0x63, 0x2c, 0x64, 0x0a]), 'line 1: not UTF-8 (starts with a UTF-16 byte-order mark'],
      ['h.csv', Buffer.from('source,target\na,b,3\n'), 'line 2: found 3 fields, but the header (line 1: source,target) names 2 columns'],
      ['q.csv', Buffer.from('"a,b\n'), 'line 1: unclosed quote in field 1'],
    ];
    for (const [name, bytes, message] of cases) {
      const file = bytes ? path.join(dir, name) : name;
      if (bytes) fs.writeFileSync(file, bytes);
      const result = run(['detect', file]);
      expect(result.status).toBe(2);
      expect(result.stderr.startsWith(`swarmscope: ${bytes ? `${file}: ` : ''}${message}`)).toBe(true);
      expect(result.stderr.split('\n')).toHaveLength(2);
      expect(result.stdout).toBe('');
    }
  });

  it('reads a gzip edge list', () => {
    const file = path.join(dir, 'edges.csv.gz');
    fs.writeFileSync(file, zlib.gzipSync(fs.readFileSync(path.join(REFERENCE, 'neo4j-gds', 'karate_gds.edges'))));
    const result = run(['detect', file, '--json']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ nodes: 34, edges: 78 });
  });

  it('has --help with an example', () => {
    const result = run(['detect', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('$ swarmscope detect karate.gml');
  });
});
