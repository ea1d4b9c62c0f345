/**
 * src/core/redact.ts and the Neo4j secret discovery (src/neo4j/connect.ts), in-process: the encodings are
 * masked wherever the secret sits in a longer encoded text, nothing else is, and the URI helpers never keep
 * user info. The spawned-CLI promises are in test/hostile/neo4j-secrets.test.ts.
 */
import { addSecret, clearSecrets, redact, redactingOutput, withoutOptionValues } from '../../src/core/redact';
import { checkNeo4jUri, commandLineSecrets, displayUri } from '../../src/neo4j/connect';

const SECRET = 'tr0ub4dor&3/x';

afterEach(() => clearSecrets());

test.each(['', 'a', 'ab', 'neo4j', 'a-longer-user-name'])('base64 of "%s:<secret>" (every alignment) is masked', (user) => {
  const header = Buffer.from(`${user}:${SECRET}`).toString('base64');
  const masked = redact(`Authorization: Basic ${header}`, [SECRET]);
  expect(masked).toContain('***');
  // What is left decodes to no more than the user name and a few bits of the secret's edges.
  expect(Buffer.from(masked.replace(/.*Basic /, '').replace(/\*\*\*/g, ''), 'base64').toString('latin1')).not.toContain(SECRET.slice(1, -1));
});

test('the textual forms are masked; text without the secret is unchanged', () => {
  addSecret(SECRET);
  const forms = [SECRET, JSON.stringify(SECRET), encodeURIComponent(SECRET), Buffer.from(SECRET).toString('hex'), Buffer.from(SECRET).toString('base64url')];
  for (const form of forms) expect(redact(`x ${form} y`)).not.toContain(form.replace(/"/g, ''));
  expect(redact('nothing to hide here: bolt://localhost:7687')).toBe('nothing to hide here: bolt://localhost:7687');
});

test('a secret of one character is still masked, and so is its whole base64', () => {
  expect(redact('a1b', ['1'])).toBe('a***b');
  expect(redact('MQ== is base64 of 1', ['1'])).toBe('*** is base64 of ***');
  expect(redact('xyzw', ['b'])).toBe('xyzw'); // no fragment shorter than 4 characters is masked
});

test('redactingOutput masks writes to a stream until restored', () => {
  addSecret(SECRET);
  const written: string[] = [];
  const stream = { write: (chunk: unknown) => (written.push(String(chunk)), true) } as unknown as NodeJS.WriteStream;
  const restore = redactingOutput([stream]);
  stream.write(`password ${SECRET}\n`);
  stream.write(Buffer.from(`bytes ${SECRET}\n`));
  restore();
  stream.write(`after ${SECRET}\n`);
  expect(written).toEqual(['password ***\n', 'bytes ***\n', `after ${SECRET}\n`]);
});

test('usage errors keep the option name, never its value', () => {
  expect(withoutOptionValues("unknown option '--pasword=hunter2'")).toBe("unknown option '--pasword=…'");
  expect(withoutOptionValues("unknown option '-phunter2'")).toBe("unknown option '-p…'");
  expect(withoutOptionValues("unknown option '--frobnicate'")).toBe("unknown option '--frobnicate'");
});

test('commandLineSecrets: URI user info, password-like options; not e-mail addresses', () => {
  const argv = ['node', 'swarmscope', '--uri=bolt://neo4j:p%2Fw@h:7687', '--org', 'ops@example.org', '--passwd', 'x1', '--pasword=x2'];
  const found = commandLineSecrets(argv);
  expect(found).toEqual(expect.arrayContaining(['p%2Fw', 'p/w', 'x1', 'x2']));
  expect(found).not.toContain('ops');
});

test('URIs: user info is refused and never displayed, even with / ? # @ in the password', () => {
  for (const uri of ['bolt://neo4j:se/cret@host:7687', 'neo4j+s://u:p?a#s@s@host:7687']) {
    expect(displayUri(uri)).toMatch(/^[a-z0-9+]+:\/\/host:7687$/);
    expect(() => checkNeo4jUri(uri)).toThrow(/remove the user info/);
  }
  expect(() => checkNeo4jUri('bolt://host:7687')).not.toThrow();
});
