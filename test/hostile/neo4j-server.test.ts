/**
 * A Neo4j URI that points at something that is not (quite) Neo4j never hangs swarmscope and is never an internal
 * error (issue 15): a port that accepts TCP and stays silent (this used to print an error after 60 s and then keep
 * the process alive forever), one that answers random bytes, one that closes at once, and one that answers the Bolt
 * handshake and then sends garbage or nothing. For `export neo4j` and `sweep --engine neo4j-gds`, through the
 * spawned CLI with --neo4j-timeout 1: exit 2 (NEO4J_CONNECTION), one stderr line naming the URI, no stack trace,
 * and the process has exited well within the bound (a run still alive after BOUND seconds is killed and fails).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, ROOT, runCli, tempDir } from '../sweep/support';
import { HostileServer, spawnCli, type Misbehaviour } from '../neo4j/hostileServers';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
/** Seconds a run may take at most: a 1 s connection timeout, process start, and a loaded machine's slack. */
const BOUND = 20;
const BEHAVIOURS: Misbehaviour[] = ['silent', 'random bytes', 'closes at once', 'handshake then garbage', 'handshake then silent'];

let root: string;
let sweepDir: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-neo4j-');
  sweepDir = path.join(root, 'sweep');
  expect(runCli(['sweep', FIXTURE, '--out', sweepDir, '--quiet']).status).toBe(0);
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function against(behaviour: Misbehaviour, args: (uri: string) => string[]): Promise<void> {
  const server = await new HostileServer(behaviour).start();
  try {
    const result = await spawnCli([...args(server.uri), '--neo4j-timeout', '1'], { NEO4J_PASSWORD: 'not-the-point-7' }, BOUND);
    expect(result.killed).toBe(false);
    expect(result.seconds).toBeLessThan(BOUND);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^swarmscope: .*bolt://127\\.0\\.0\\.1:${server.port}`));
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.status).toBe(2);
    expect(server.connections).toBeGreaterThan(0);
  } finally {
    await server.stop();
  }
}

describe.each(BEHAVIOURS)('a server that %s', (behaviour) => {
  test('export neo4j: exit 2, one line, and the process exits', async () => {
    await against(behaviour, (uri) => ['export', 'neo4j', sweepDir, '--uri', uri]);
    expect(fs.existsSync(path.join(sweepDir, 'neo4j-export.checkpoint.json'))).toBe(false);
  }, 60_000);

  test('sweep --engine neo4j-gds: exit 2, one line, the process exits, no sweep written', async () => {
    const out = path.join(root, `gds-${behaviour.replace(/\W+/g, '-')}`);
    await against(behaviour, (uri) => ['sweep', FIXTURE, '--out', out, '--quiet', '--engine', 'neo4j-gds', '--uri', uri]);
    expect(fs.existsSync(path.join(out, 'report.json'))).toBe(false);
  }, 60_000);
});

test('the silent server is reported as a timeout naming the option that sets it', async () => {
  const server = await new HostileServer('silent').start();
  try {
    const result = await spawnCli(['export', 'neo4j', sweepDir, '--uri', server.uri, '--neo4j-timeout', '1'], { NEO4J_PASSWORD: 'x-123456' }, BOUND);
    expect(result.stderr).toMatch(/did not answer within 1 s while connecting .*--neo4j-timeout/);
    expect(result.status).toBe(2);
  } finally {
    await server.stop();
  }
}, 60_000);

test.each([['0'], ['-1'], ['abc'], ['1e9']])('--neo4j-timeout %s is refused (exit 2, one line)', async (value) => {
  const result = await spawnCli(['export', 'neo4j', sweepDir, '--uri', 'bolt://127.0.0.1:1', '--neo4j-timeout', value], { NEO4J_PASSWORD: 'x-123456' }, BOUND);
  expect(result.status).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/--neo4j-timeout/);
}, 60_000);

test.each([['bolt+s'], ['neo4j+s'], ['bolt+ssc'], ['neo4j']])('a silent server behind %s:// (TLS sockets, routing) also ends in exit 2 and an exited process', async (scheme) => {
  const server = await new HostileServer('silent').start();
  try {
    const uri = `${scheme}://127.0.0.1:${server.port}`;
    const result = await spawnCli(['export', 'neo4j', sweepDir, '--uri', uri, '--neo4j-timeout', '1'], { NEO4J_PASSWORD: 'x-123456' }, BOUND);
    expect(result.killed).toBe(false);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(uri);
    expect(result.status).toBe(2);
  } finally {
    await server.stop();
  }
}, 60_000);
