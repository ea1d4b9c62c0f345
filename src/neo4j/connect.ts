/**
 * Opening a neo4j-driver connection, and turning driver failures into one clear line with the documented
 * exit code. The password is only ever handed to neo4jDriver().auth.basic: it is never part of a message, and a URI
 * with user:password@ in it is printed without them.
 */
import type { Driver, Session } from 'neo4j-driver';
import { neo4jDriver } from './driver';
import { swarmscopeError, isSwarmscopeError, type SwarmscopeError } from '../core/errors';
import { SOFTWARE } from '../core/version';

export interface Neo4jConnection {
  /** bolt://host:7687, neo4j://…, neo4j+s://… */
  uri: string;
  user: string;
  /** Read by the CLI from NEO4J_PASSWORD only. */
  password: string;
  /** Target database (default: the server's default database). */
  database?: string;
  /** Extra neo4j-driver configuration (tests shorten retry times). */
  driverConfig?: Record<string, unknown>;
}

/** The URI as safe to print: user info removed. */
export function displayUri(uri: string): string {
  return uri.replace(/^([a-z0-9+.-]+:\/\/)[^@/]*@/i, '$1');
}

export async function openDriver(connection: Neo4jConnection): Promise<Driver> {
  let driver: Driver;
  try {
    driver = neo4jDriver().driver(connection.uri, neo4jDriver().auth.basic(connection.user, connection.password), {
      userAgent: `${SOFTWARE.name}/${SOFTWARE.version}`,
      connectionTimeout: 10_000,
      maxTransactionRetryTime: 30_000,
      ...connection.driverConfig,
    });
  } catch (error) {
    throw swarmscopeError('NEO4J_CONNECTION', `cannot use Neo4j URI ${displayUri(connection.uri)}: ${(error as Error).message}`);
  }
  try {
    // getServerInfo opens a connection and authenticates (HELLO/LOGON) on every Bolt version; verifyAuthentication
    // would need Bolt 5.1+ (re-authentication) and fail against Neo4j 4.4 and 5.0 servers.
    await driver.getServerInfo({ database: connection.database });
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw neo4jError(error, connection, 'connecting');
  }
  return driver;
}

export function openSession(driver: Driver, connection: Neo4jConnection): Session {
  return driver.session({ database: connection.database, defaultAccessMode: neo4jDriver().session.WRITE });
}

/** Maps a driver error to a SwarmscopeError: unreachable server and bad credentials are user-fixable (exit 2). */
export function neo4jError(error: unknown, connection: Neo4jConnection, doing: string): SwarmscopeError {
  if (isSwarmscopeError(error)) return error;
  const code = String((error as { code?: unknown })?.code ?? '');
  const raw = error instanceof Error ? error.message : String(error);
  // Defence in depth: a message must never carry the password, whatever the server or driver put in it.
  const message = connection.password ? raw.split(connection.password).join('***') : raw;
  const where = displayUri(connection.uri);
  if (code.includes('Security.Unauthorized') || code.includes('Security.AuthenticationRateLimit') || /authentication failure|unauthorized/i.test(message)) {
    return swarmscopeError('NEO4J_AUTH', `Neo4j at ${where} refused the credentials for user ${connection.user} (${code || 'unauthorized'}); check --user and NEO4J_PASSWORD`);
  }
  if (code === 'ServiceUnavailable' || code === 'SessionExpired' || /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|Could not perform discovery|Connection was closed|connect/i.test(message)) {
    return swarmscopeError('NEO4J_CONNECTION', `cannot reach Neo4j at ${where} while ${doing}: ${message.split('\n')[0]}`);
  }
  if (code.includes('Database.DatabaseNotFound')) {
    return swarmscopeError('NEO4J_CONNECTION', `Neo4j at ${where} has no database ${connection.database ?? '(default)'}; check --database`);
  }
  return swarmscopeError('NEO4J_FAILED', `Neo4j at ${where} failed while ${doing}: ${code ? `${code}: ` : ''}${message.split('\n')[0]}`);
}
