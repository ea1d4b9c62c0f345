/**
 * The Neo4j password is never printed or written (issue 15), through the spawned CLI:
 * - a server that echoes the password it received in its failure message — as typed, JSON-escaped, JSON inside
 *   JSON, URL-encoded, form-encoded, base64 / base64url, inside a base64 Basic auth header or JSON body, hex —
 *   at login and in the middle of an export;
 * - a password in the URI's user info (`bolt://neo4j:se/cret@host`, also percent-encoded, also `--uri=…`): refused
 *   before connecting, the URI printed without it;
 * - a misspelt or forbidden password option (`--pasword=…`, `--password=…`, `-p…`): commander's unknown-option
 *   error no longer echoes the value;
 * - successful runs (export neo4j, sweep --engine neo4j-gds): no form of the password in any file written.
 * Every check covers stdout, stderr, and every file under the test's folder (sweep, kit, checkpoint, outputs).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, ROOT, runCli, tempDir } from '../sweep/support';
import { spawnCli, type SpawnResult } from '../neo4j/hostileServers';
import { BoltTestServer, type BoltServerOptions } from '../neo4j/bolt/server';
import { ModelGraph } from '../neo4j/bolt/modelGraph';

const FIXTURE = path.join(ROOT, 'fixtures/small-world');
const BOUND = 30;
const PASSWORD = 'hunter2"se/cret pa+ss\\wörd=';

/** The encodings a hostile or careless server might echo the password in, computed here independently. */
const ENCODINGS: Record<string, (password: string) => string> = {
  'as typed': (p) => p,
  'JSON-escaped': (p) => JSON.stringify(p).slice(1, -1),
  'JSON inside JSON': (p) => JSON.stringify(JSON.stringify({ credentials: p })),
  'URL-encoded': (p) => encodeURIComponent(p),
  'form-encoded': (p) => new URLSearchParams({ password: p }).toString(),
  base64: (p) => Buffer.from(p).toString('base64'),
  base64url: (p) => Buffer.from(p).toString('base64url'),
  'a Basic auth header': (p) => `Basic ${Buffer.from(`neo4j:${p}`).toString('base64')}`,
  'a base64 JSON body': (p) => Buffer.from(JSON.stringify({ scheme: 'basic', principal: 'neo4j', credentials: p })).toString('base64'),
  hex: (p) => Buffer.from(p).toString('hex'),
};

let root: string;
let sweepDir: string;

beforeAll(() => {
  ensureBuilt();
  root = tempDir('swarmscope-hostile-secrets-');
  sweepDir = path.join(root, 'sweep');
  expect(runCli(['sweep', FIXTURE, '--out', sweepDir, '--quiet']).status).toBe(0);
}, 180_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((name) => path.join(dir, name)).filter((file) => fs.statSync(file).isFile());
}

/** The part of an encoded form that comes from the secret: the whole form, minus a fixed prefix we added. */
function leaks(text: string, secret: string): string[] {
  const found: string[] = [];
  for (const [name, encode] of Object.entries(ENCODINGS)) {
    const form = encode(secret).replace(/^Basic /, '');
    if (text.includes(form)) found.push(name);
  }
  return found;
}

function expectNoLeak(result: SpawnResult, secret: string): void {
  expect(leaks(result.stdout, secret)).toEqual([]);
  expect(leaks(result.stderr, secret)).toEqual([]);
  for (const file of filesUnder(root)) expect([file, leaks(fs.readFileSync(file, 'latin1') + fs.readFileSync(file, 'utf8'), secret)]).toEqual([file, []]);
}

async function withServer<T>(options: BoltServerOptions, work: (server: BoltTestServer) => Promise<T>): Promise<T> {
  const server = await new BoltTestServer(options).start();
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}

const COMMANDS: Record<string, (uri: string) => string[]> = {
  'export neo4j': (uri) => ['export', 'neo4j', sweepDir, '--uri', uri, '--neo4j-timeout', '5'],
  'sweep --engine neo4j-gds': (uri) => ['sweep', FIXTURE, '--out', path.join(root, 'gds-out'), '--quiet', '--engine', 'neo4j-gds', '--uri', uri, '--neo4j-timeout', '5'],
};

describe.each(Object.keys(COMMANDS))('%s', (command) => {
  test.each(Object.keys(ENCODINGS))('a server that echoes the password %s at login: exit 2, no trace of it', async (encoding) => {
    const echo = (auth: Record<string, unknown>) => ({ code: 'Neo.ClientError.Request.Invalid', message: `bad login for ${ENCODINGS[encoding](String(auth.credentials))}` });
    await withServer({ password: PASSWORD, authFailure: echo }, async (server) => {
      const result = await spawnCli(COMMANDS[command](server.uri), { NEO4J_PASSWORD: PASSWORD }, BOUND);
      expect(server.authAttempts.length).toBeGreaterThan(0);
      expect(result.stderr).toMatch(/bad login for/); // the message is shown — with the password masked
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.status).toBe(2);
      expectNoLeak(result, PASSWORD);
    });
  }, 60_000);

  test('a password in the URI\'s user info is refused before connecting and never printed', async () => {
    await withServer({ password: PASSWORD }, async (server) => {
      for (const uri of [`bolt://neo4j:se/cret-77@127.0.0.1:${server.port}`, `bolt://neo4j:se%2Fcret-77@127.0.0.1:${server.port}`]) {
        const args = COMMANDS[command](uri);
        for (const variant of [args, args.map((a, i) => (args[i - 1] === '--uri' ? null : a === '--uri' ? `--uri=${uri}` : a)).filter((a): a is string => a !== null)]) {
          const result = await spawnCli(variant, { NEO4J_PASSWORD: PASSWORD }, BOUND);
          expect(result.status).toBe(2);
          expect(result.stderr.trim().split('\n')).toHaveLength(1);
          expect(result.stderr).toContain(`bolt://127.0.0.1:${server.port}: remove the user info`);
          expect(result.stderr + result.stdout).not.toMatch(/cret-77|se%2F/);
          expectNoLeak(result, 'se/cret-77');
        }
      }
      expect(server.authAttempts).toHaveLength(0);
    });
  }, 60_000);

  test.each([['--pasword=hunter2-x9'], ['--password=hunter2-x9'], ['--neo4j-password=hunter2-x9'], ['-phunter2-x9']])(
    'a misspelt or forbidden password option %s: exit 2, one line, the value not echoed',
    async (option) => {
      const result = await spawnCli([...COMMANDS[command]('bolt://127.0.0.1:1'), option], { NEO4J_PASSWORD: undefined }, BOUND);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/unknown option/);
      expect(result.stderr).toContain(option.slice(0, 2)); // the option is still named
      expect(result.stderr + result.stdout).not.toContain('hunter2');
    },
    60_000,
  );
});

test('a server that echoes the password mid-export: the error, the checkpoint and the sweep folder hold no trace of it', async () => {
  const echo: BoltServerOptions['fail'] = (_run, index) =>
    index === 14 ? { code: 'Neo.ClientError.Statement.SyntaxError', message: Object.values(ENCODINGS).map((encode) => encode(PASSWORD)).join(' | ') } : undefined;
  const model = new ModelGraph();
  await withServer({ password: PASSWORD, fail: echo, answer: (r) => model.answer(r), onCommit: (t) => model.apply(t) }, async (server) => {
    const checkpoint = path.join(root, 'echo.checkpoint.json');
    const result = await spawnCli(['export', 'neo4j', sweepDir, '--uri', server.uri, '--batch-size', '5', '--checkpoint', checkpoint], { NEO4J_PASSWORD: PASSWORD }, BOUND);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/stopped at/);
    expect(result.status).not.toBe(0);
    expect(fs.existsSync(checkpoint)).toBe(true);
    expectNoLeak(result, PASSWORD);
  });
}, 60_000);

test('successful export neo4j and sweep --engine neo4j-gds write no trace of the password', async () => {
  const model = new ModelGraph();
  await withServer({ password: PASSWORD, answer: (r) => model.answer(r), onCommit: (t) => model.apply(t) }, async (server) => {
    const kit = path.join(root, 'kit');
    const exported = await spawnCli(['export', 'neo4j', sweepDir, '--uri', server.uri, '--kit-dir', kit], { NEO4J_PASSWORD: PASSWORD }, BOUND);
    expect(exported.stderr).toBe('');
    expect(exported.status).toBe(0);
    expect(fs.existsSync(path.join(kit, 'browser'))).toBe(true);
    expectNoLeak(exported, PASSWORD);
  });
  await withServer({ password: PASSWORD }, async (server) => {
    const out = path.join(root, 'gds-ok');
    const swept = await spawnCli(['sweep', FIXTURE, '--out', out, '--engine', 'neo4j-gds', '--uri', server.uri], { NEO4J_PASSWORD: PASSWORD }, BOUND);
    expect(swept.stderr).toBe('');
    expect([0, 1]).toContain(swept.status);
    expect(fs.existsSync(path.join(out, 'report.json'))).toBe(true);
    expectNoLeak(swept, PASSWORD);
  });
}, 120_000);
