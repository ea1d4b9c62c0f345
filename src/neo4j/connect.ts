/**
 * Talking to Neo4j safely: one function, useNeo4j(), opens the driver and a session, runs the work, and closes
 * everything on every path; driver failures become one clear line with the documented exit code.
 *
 * Promises kept here (tests: test/hostile/neo4j-server.test.ts, test/hostile/neo4j-secrets.test.ts):
 * - Never hang on a bad server. Connecting (TCP connect, Bolt handshake, authentication) is bounded by
 *   `timeoutSeconds` (CLI: --neo4j-timeout, default 30 s) through the driver's connectionTimeout and
 *   connectionAcquisitionTimeout; on every path the session and driver are closed within that bound and any
 *   socket the driver left open is destroyed (src/neo4j/sockets.ts explains the half-open handshake socket
 *   that used to keep the process alive forever). Queries themselves are not bounded: a GDS run can take hours.
 * - A server that cannot be reached, closes the connection, or does not speak Bolt (silence, random bytes, a
 *   handshake followed by garbage) is NEO4J_CONNECTION (exit 2), never an internal error.
 * - The password is never printed: it is handed to neo4j.auth.basic only, every message built from a driver or
 *   server error goes through redact() (src/core/redact.ts: the password in any common encoding), and a URI
 *   with user info (`bolt://user:password@host`) is refused before anything else happens — a password typed on
 *   the command line is visible to every user of the machine in the process list — and printed without it.
 */
import type { Driver, Session } from 'neo4j-driver';
import { neo4jDriver } from './driver';
import { withTrackedSockets } from './sockets';
import { swarmscopeError, isSwarmscopeError, type SwarmscopeError } from '../core/errors';
import { addSecret, redact } from '../core/redact';
import { SOFTWARE } from '../core/version';

export interface Neo4jConnection {
  /** bolt://host:7687, neo4j://…, neo4j+s://… (no user info: see checkNeo4jUri) */
  uri: string;
  user: string;
  /** Read by the CLI from NEO4J_PASSWORD only. */
  password: string;
  /** Target database (default: the server's default database). */
  database?: string;
  /** Bound on connecting (TCP, Bolt handshake, authentication) and on closing, in seconds (default 30). */
  timeoutSeconds?: number;
  /** Extra neo4j-driver configuration (tests shorten retry times). */
  driverConfig?: Record<string, unknown>;
}

export const NEO4J_TIMEOUT_DEFAULT_SECONDS = 30;

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Splits user info off a URI. Anything before the last `@` counts as user info: a password may hold `/`, `?`
 * or `#` unencoded (`bolt://neo4j:se/cret@host`), and a host never holds `@`.
 */
function splitUserInfo(uri: string): { scheme: string; userInfo: string | undefined; rest: string } {
  const scheme = SCHEME.exec(uri)?.[0] ?? '';
  const afterScheme = uri.slice(scheme.length);
  const at = afterScheme.lastIndexOf('@');
  if (at < 0) return { scheme, userInfo: undefined, rest: afterScheme };
  return { scheme, userInfo: afterScheme.slice(0, at), rest: afterScheme.slice(at + 1) };
}

/** The URI as safe to print: user info removed. */
export function displayUri(uri: string): string {
  const { scheme, rest } = splitUserInfo(uri);
  return `${scheme}${rest}`;
}

/** The password (as typed and percent-decoded) a URI's user info carries, for redaction; [] when none. */
function userInfoSecrets(uri: string): string[] {
  const { userInfo } = splitUserInfo(uri);
  if (userInfo === undefined) return [];
  const colon = userInfo.indexOf(':');
  if (colon < 0) return []; // a user name alone
  const password = userInfo.slice(colon + 1);
  const out = [userInfo, password];
  try {
    out.push(decodeURIComponent(password));
  } catch {
    // not percent-encoded: the typed form is already listed
  }
  return out.filter((s) => s !== '');
}

/** Refuses a URI with user info (see the file comment); the refusal names the URI without it. */
export function checkNeo4jUri(uri: string): void {
  for (const secret of userInfoSecrets(uri)) addSecret(secret);
  if (splitUserInfo(uri).userInfo !== undefined) {
    throw swarmscopeError(
      'BAD_ARGUMENT',
      `--uri ${displayUri(uri)}: remove the user info (user:password@) from the URI; give the user with --user and the ` +
        'password in NEO4J_PASSWORD (a password on the command line is visible to every user of this machine)',
    );
  }
}

/**
 * Secrets a command line may carry, to register with addSecret() before anything is parsed or printed: the
 * password in any URI's user info, and the value of any option whose name looks like a password (`--password=…`,
 * also misspelt: `--pasword=…`, `--passwd …`). NEO4J_PASSWORD is not among them: it is registered when a command
 * reads it (useNeo4j), so that other commands' output is never masked for a password they do not use.
 */
export function commandLineSecrets(argv: readonly string[]): string[] {
  const found: string[] = [];
  const secretName = /^-{1,2}[^=]*(p[a-z]*s[a-z]*w|pwd|secret|token|cred)/i;
  argv.forEach((token, i) => {
    const value = token.replace(/^-{1,2}[^=]*=/, '');
    if (SCHEME.test(value)) found.push(...userInfoSecrets(value));
    if (!secretName.test(token)) return;
    const eq = token.indexOf('=');
    if (eq >= 0) found.push(token.slice(eq + 1));
    else if (i + 1 < argv.length) found.push(argv[i + 1]);
  });
  return found.filter((s) => s !== '');
}

/** A promise settled within ms (a hung close must not hold the process); the timer never keeps it alive. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}

function timeoutMs(connection: Neo4jConnection): number {
  return Math.round((connection.timeoutSeconds ?? NEO4J_TIMEOUT_DEFAULT_SECONDS) * 1000);
}

/** What a piece of work gets: the open session, and a bounded runner for best-effort cleanup statements. */
export interface Neo4jContext {
  driver: Driver;
  session: Session;
  /** Awaits a cleanup promise for at most the connection timeout, ignoring its failure. */
  bounded: (promise: Promise<unknown>) => Promise<void>;
}

/**
 * Opens the driver (checking the server answers and accepts the credentials), runs work with a write session,
 * and closes the session, the driver and every socket they opened — on success, on failure, always. Errors from
 * connecting are mapped by neo4jError; errors from work are passed on as they are (the caller knows the step).
 */
export async function useNeo4j<T>(connection: Neo4jConnection, work: (context: Neo4jContext) => Promise<T>): Promise<T> {
  checkNeo4jUri(connection.uri);
  addSecret(connection.password);
  const ms = timeoutMs(connection);
  const bounded = (promise: Promise<unknown>) => within(promise, ms);
  return withTrackedSockets(async (destroySockets) => {
    let driver: Driver | undefined;
    let session: Session | undefined;
    try {
      driver = await openDriver(connection);
      session = driver.session({ database: connection.database, defaultAccessMode: neo4jDriver().session.WRITE });
      return await work({ driver, session, bounded });
    } finally {
      if (session) await bounded(session.close());
      if (driver) await bounded(driver.close());
      destroySockets();
    }
  });
}

async function openDriver(connection: Neo4jConnection): Promise<Driver> {
  const ms = timeoutMs(connection);
  let driver: Driver;
  try {
    driver = neo4jDriver().driver(connection.uri, neo4jDriver().auth.basic(connection.user, connection.password), {
      userAgent: `${SOFTWARE.name}/${SOFTWARE.version}`,
      connectionTimeout: ms,
      connectionAcquisitionTimeout: ms,
      maxTransactionRetryTime: 30_000,
      ...connection.driverConfig,
    });
  } catch (error) {
    throw swarmscopeError('NEO4J_CONNECTION', `cannot use Neo4j URI ${displayUri(connection.uri)}: ${oneLine(error, connection)}`);
  }
  try {
    // getServerInfo opens a connection and authenticates (HELLO/LOGON) on every Bolt version; verifyAuthentication
    // would need Bolt 5.1+ (re-authentication) and fail against Neo4j 4.4 and 5.0 servers.
    await driver.getServerInfo({ database: connection.database });
  } catch (error) {
    await within(driver.close(), ms);
    const mapped = neo4jError(error, connection, 'connecting');
    // Whatever goes wrong before the server has accepted us is a connection problem the user can look into.
    if (mapped.code === 'NEO4J_FAILED') throw swarmscopeError('NEO4J_CONNECTION', mapped.message.replace(/ failed while connecting: /, ' could not be connected to: '), mapped.details);
    throw mapped;
  }
  return driver;
}

/** A driver or server message as one printable line: secrets masked, control characters replaced, length capped. */
function oneLine(error: unknown, connection: Neo4jConnection): string {
  const raw = error instanceof Error ? error.message : String(error);
  // eslint-disable-next-line no-control-regex
  const line = redact(raw, [connection.password]).replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * Maps a driver error to a SwarmscopeError: unreachable server, a server that does not speak Bolt, and bad
 * credentials are user-fixable (exit 2); a failure of a statement on a working server is NEO4J_FAILED (exit 3).
 */
export function neo4jError(error: unknown, connection: Neo4jConnection, doing: string): SwarmscopeError {
  if (isSwarmscopeError(error)) return error;
  const code = String((error as { code?: unknown })?.code ?? '');
  const message = oneLine(error, connection);
  const where = displayUri(connection.uri);
  if (code.includes('Security.Unauthorized') || code.includes('Security.AuthenticationRateLimit') || /authentication failure|unauthorized/i.test(message)) {
    return swarmscopeError('NEO4J_AUTH', `Neo4j at ${where} refused the credentials for user ${connection.user} (${redact(code, [connection.password]) || 'unauthorized'}); check --user and NEO4J_PASSWORD`);
  }
  if (/acquisition timed out|Failed to establish connection in/i.test(message)) {
    const seconds = (connection.timeoutSeconds ?? NEO4J_TIMEOUT_DEFAULT_SECONDS);
    return swarmscopeError('NEO4J_CONNECTION', `Neo4j at ${where} did not answer within ${seconds} s while ${doing} (TCP connect, Bolt handshake and login; see --neo4j-timeout)`);
  }
  if (code === 'ProtocolError') {
    return swarmscopeError('NEO4J_CONNECTION', `the server at ${where} does not speak Bolt as expected (while ${doing}): ${message}`);
  }
  if (
    code === 'ServiceUnavailable' || code === 'SessionExpired' ||
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|EPIPE|Could not perform discovery|Connection was closed|connect|acquisition timed out|protocol|handshake|Server responded HTTP/i.test(message)
  ) {
    return swarmscopeError('NEO4J_CONNECTION', `cannot reach Neo4j at ${where} while ${doing}: ${message}`);
  }
  if (code.includes('Database.DatabaseNotFound')) {
    return swarmscopeError('NEO4J_CONNECTION', `Neo4j at ${where} has no database ${connection.database ?? '(default)'}; check --database`);
  }
  const shownCode = redact(code, [connection.password]).replace(/[^\w.-]/g, '');
  return swarmscopeError('NEO4J_FAILED', `Neo4j at ${where} failed while ${doing}: ${shownCode ? `${shownCode}: ` : ''}${message}`);
}
