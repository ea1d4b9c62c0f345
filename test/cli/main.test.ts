/** The CLI shell's contract: one-line errors with documented exit codes, and quiet exits on a closed pipe. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureBuilt } from '../sweep/support';

const cli = path.resolve(__dirname, '../../dist/cli/main.js');

beforeAll(() => ensureBuilt(), 180000);

function run(args: string[], shell = false) {
  return shell
    ? spawnSync('bash', ['-c', args.join(' ')], { encoding: 'utf8' })
    : spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
}

describe('swarmscope CLI shell', () => {
  it('prints a usage error on one line with exit 2', () => {
    const result = run(['--bogus']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^swarmscope: unknown option '--bogus'/);
  });
  it('starts without loading neo4j-driver or pdfkit (they load when a command needs them)', () => {
    const probe = `require(${JSON.stringify(cli)}); const heavy = Object.keys(require.cache).filter((k) => /node_modules\\/(neo4j-driver|pdfkit)\\//.test(k)); console.log(heavy.length);`;
    const result = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('0');
  });
  it('shows examples and the exit codes in the top-level help', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Examples:[\s\S]*swarmscope demo/);
    expect(result.stdout).toMatch(/Exit codes: 0 ok/);
  });
  it('turns a file-system error on a user path into one line and exit 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-fs-'));
    const edges = path.join(dir, 'edges.csv');
    fs.writeFileSync(edges, 'a,b\nb,c\n');
    const result = run(['detect', edges, '--out', path.join(dir, 'no-such-dir', 'out.csv')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^swarmscope: cannot write .*no-such-dir.*its folder does not exist \(ENOENT\)/);
    expect(result.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
  });
  it('exits quietly when the reader closes the pipe early', () => {
    const result = run([`${process.execPath} ${cli} --help | head -c 5 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], true);
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
    expect(result.stdout).toMatch(/status=0/);
  });
});
