/**
 * A Bolt server for tests: enough of Bolt 5.x (and 4.4) for the real neo4j-driver to connect, authenticate,
 * run explicit and auto-commit transactions and pull results. It records every query with its decoded
 * parameters (integers as bigint, floats as number, so a test can tell a Neo4j integer from a float), answers
 * through a handler, and can fail a chosen RUN with any Neo4j error code (e.g. a transient deadlock, which the
 * driver's executeWrite retries).
 *
 * Protocol: https://neo4j.com/docs/bolt/current/bolt/ — handshake (magic 0x6060B017 + four version proposals,
 * answered with one version), messages as PackStream structures split into chunks (u16 size, 0x0000 ends a message).
 */
import * as net from 'net';
import { Packer, Structure, Unpacker } from './packstream';

const MESSAGE = {
  HELLO: 0x01, GOODBYE: 0x02, RESET: 0x0f, RUN: 0x10, BEGIN: 0x11, COMMIT: 0x12, ROLLBACK: 0x13,
  DISCARD: 0x2f, PULL: 0x3f, TELEMETRY: 0x54, ROUTE: 0x66, LOGON: 0x6a, LOGOFF: 0x6b,
} as const;
const SUCCESS = 0x70;
const RECORD = 0x71;
const IGNORED = 0x7e;
const FAILURE = 0x7f;

export interface RecordedRun {
  query: string;
  parameters: Record<string, unknown>;
  /** Transaction number on this server (auto-commit RUNs get their own). */
  transaction: number;
}

export interface RecordedTransaction {
  id: number;
  runs: RecordedRun[];
  outcome: 'open' | 'committed' | 'rolled back' | 'failed';
  database: string | null;
}

export interface QueryAnswer {
  fields: string[];
  records: unknown[][];
}

export interface InjectedFailure {
  code: string;
  message: string;
}

export interface BoltServerOptions {
  user?: string;
  password?: string;
  /** Bolt version to accept, [major, minor]; default 5.4 (HELLO + LOGON). 5.0 and 4.4 put auth in HELLO. */
  version?: [number, number];
  /** Answer a query (default: no fields, no records). Runs after a commit or in order of RUN. */
  answer?: (run: RecordedRun) => QueryAnswer | undefined;
  /** Return a failure to fail this RUN (the transaction then fails). */
  fail?: (run: RecordedRun, runIndex: number) => InjectedFailure | undefined;
  /** Called when a transaction commits, in commit order (tests apply the writes to a model graph here). */
  onCommit?: (transaction: RecordedTransaction) => void;
  /** Return a failure to refuse a HELLO/LOGON with it (e.g. one that echoes the credentials, as a hostile server may). */
  authFailure?: (auth: Record<string, unknown>) => InjectedFailure | undefined;
}

export class BoltTestServer {
  readonly transactions: RecordedTransaction[] = [];
  /** Every HELLO/LOGON auth map received, and every raw byte received, for password-leak checks. */
  readonly authAttempts: Record<string, unknown>[] = [];
  readonly pullSizes: number[] = [];
  private server = net.createServer((socket) => this.serve(socket));
  private sockets = new Set<net.Socket>();
  private runCount = 0;
  port = 0;

  constructor(private readonly options: BoltServerOptions = {}) {}

  get uri(): string {
    return `bolt://127.0.0.1:${this.port}`;
  }

  get committed(): RecordedTransaction[] {
    return this.transactions.filter((t) => t.outcome === 'committed');
  }

  get committedRuns(): RecordedRun[] {
    return this.committed.flatMap((t) => t.runs);
  }

  /** Listens on 127.0.0.1 (port 0: any free port; pass a port to stand in for a restarted server). */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const [major, minor] = this.options.version ?? [5, 4];
    let buffer = Buffer.alloc(0);
    let handshaken = false;
    let message: Buffer[] = [];
    const session = new ConnectionState();
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      if (!handshaken) {
        if (buffer.length < 20) return;
        if (buffer.readUInt32BE(0) !== 0x6060b017) {
          socket.destroy();
          return;
        }
        buffer = buffer.subarray(20);
        socket.write(Buffer.from([0, 0, minor, major]));
        handshaken = true;
      }
      for (;;) {
        if (buffer.length < 2) return;
        const size = buffer.readUInt16BE(0);
        if (size === 0) {
          buffer = buffer.subarray(2);
          if (message.length === 0) continue; // NOOP keep-alive chunk
          const body = Buffer.concat(message);
          message = [];
          const structure = new Unpacker(body).unpack() as Structure;
          this.handle(socket, session, structure, major);
          continue;
        }
        if (buffer.length < 2 + size) return;
        message.push(buffer.subarray(2, 2 + size));
        buffer = buffer.subarray(2 + size);
      }
    });
  }

  private send(socket: net.Socket, tag: number, ...fields: unknown[]): void {
    const body = new Packer().pack(new Structure(tag, fields)).bytes();
    const parts: Buffer[] = [];
    for (let offset = 0; offset < body.length; offset += 0xffff) {
      const chunk = body.subarray(offset, Math.min(body.length, offset + 0xffff));
      const header = Buffer.alloc(2);
      header.writeUInt16BE(chunk.length);
      parts.push(header, chunk);
    }
    parts.push(Buffer.from([0, 0]));
    socket.write(Buffer.concat(parts));
  }

  private checkAuth(socket: net.Socket, session: ConnectionState, auth: Record<string, unknown>): boolean {
    this.authAttempts.push(auth);
    const refusal = this.options.authFailure?.(auth);
    if (refusal) {
      session.failed = true;
      this.send(socket, FAILURE, refusal);
      return false;
    }
    const expectedUser = this.options.user ?? 'neo4j';
    const expectedPassword = this.options.password ?? 'secret';
    if (auth.principal !== expectedUser || auth.credentials !== expectedPassword) {
      session.failed = true;
      this.send(socket, FAILURE, { code: 'Neo.ClientError.Security.Unauthorized', message: 'The client is unauthorized due to authentication failure.' });
      return false;
    }
    return true;
  }

  private handle(socket: net.Socket, session: ConnectionState, msg: Structure, major: number): void {
    const ok = (meta: Record<string, unknown> = {}) => this.send(socket, SUCCESS, meta);
    if (msg.tag === MESSAGE.GOODBYE) {
      socket.end();
      return;
    }
    if (msg.tag === MESSAGE.RESET) {
      if (session.transaction && session.transaction.outcome === 'open') session.transaction.outcome = 'rolled back';
      session.reset();
      ok();
      return;
    }
    if (session.failed) {
      this.send(socket, IGNORED);
      return;
    }
    switch (msg.tag) {
      case MESSAGE.HELLO: {
        const extra = msg.fields[0] as Record<string, unknown>;
        const helloHasAuth = major < 5 || (this.options.version?.[0] === 5 && this.options.version?.[1] === 0);
        if (helloHasAuth && !this.checkAuth(socket, session, extra)) return;
        ok({ server: 'Neo4j/5.26.0', connection_id: `bolt-${this.sockets.size}`, hints: {} });
        return;
      }
      case MESSAGE.LOGON:
        if (this.checkAuth(socket, session, msg.fields[0] as Record<string, unknown>)) ok();
        return;
      case MESSAGE.LOGOFF:
      case MESSAGE.TELEMETRY:
        ok();
        return;
      case MESSAGE.BEGIN: {
        const extra = (msg.fields[0] ?? {}) as Record<string, unknown>;
        session.transaction = this.open(typeof extra.db === 'string' ? extra.db : null);
        session.explicit = true;
        ok();
        return;
      }
      case MESSAGE.RUN: {
        const [query, parameters, extra] = msg.fields as [string, Record<string, unknown>, Record<string, unknown> | undefined];
        if (!session.explicit) session.transaction = this.open(typeof extra?.db === 'string' ? extra.db : null);
        const transaction = session.transaction!;
        const run: RecordedRun = { query, parameters, transaction: transaction.id };
        transaction.runs.push(run);
        const failure = this.options.fail?.(run, this.runCount++);
        if (failure) {
          transaction.outcome = 'failed';
          session.failed = true;
          this.send(socket, FAILURE, failure);
          return;
        }
        const answer = this.options.answer?.(run) ?? { fields: [], records: [] };
        session.pending = answer.records.slice();
        ok({ fields: answer.fields, t_first: 0n, ...(session.explicit ? { qid: 0n } : {}) });
        return;
      }
      case MESSAGE.PULL:
      case MESSAGE.DISCARD: {
        const extra = (msg.fields[0] ?? {}) as Record<string, unknown>;
        const n = typeof extra.n === 'bigint' ? Number(extra.n) : -1;
        if (msg.tag === MESSAGE.PULL) {
          this.pullSizes.push(n);
          const take = n < 0 ? session.pending.length : Math.min(n, session.pending.length);
          for (const record of session.pending.splice(0, take)) this.send(socket, RECORD, record);
        } else {
          session.pending = [];
        }
        if (session.pending.length > 0) {
          ok({ has_more: true });
          return;
        }
        if (!session.explicit && session.transaction) {
          this.commit(session.transaction);
          ok({ type: 'w', t_last: 0n, db: session.transaction.database ?? 'neo4j', bookmark: `bm:${session.transaction.id}` });
          session.transaction = null;
          return;
        }
        ok({ type: 'w', t_last: 0n, db: session.transaction?.database ?? 'neo4j' });
        return;
      }
      case MESSAGE.COMMIT:
        if (session.transaction) this.commit(session.transaction);
        ok({ bookmark: `bm:${session.transaction?.id ?? 0}` });
        session.reset();
        return;
      case MESSAGE.ROLLBACK:
        if (session.transaction) session.transaction.outcome = 'rolled back';
        session.reset();
        ok();
        return;
      default:
        session.failed = true;
        this.send(socket, FAILURE, { code: 'Neo.ClientError.Request.Invalid', message: `test server does not support message 0x${msg.tag.toString(16)}` });
    }
  }

  private open(database: string | null): RecordedTransaction {
    const transaction: RecordedTransaction = { id: this.transactions.length + 1, runs: [], outcome: 'open', database };
    this.transactions.push(transaction);
    return transaction;
  }

  private commit(transaction: RecordedTransaction): void {
    transaction.outcome = 'committed';
    this.options.onCommit?.(transaction);
  }
}

class ConnectionState {
  transaction: RecordedTransaction | null = null;
  explicit = false;
  failed = false;
  pending: unknown[][] = [];

  reset(): void {
    this.transaction = null;
    this.explicit = false;
    this.failed = false;
    this.pending = [];
  }
}
