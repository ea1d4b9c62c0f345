/**
 * Tiny TCP servers that misbehave the ways a port that is not (quite) Neo4j does, and an asynchronous spawn of the
 * built CLI (spawnSync would block the event loop these servers answer on) that kills a run exceeding a bound.
 */
import { spawn } from 'child_process';
import * as net from 'net';
import { CLI, ROOT } from '../support/build';

export type Misbehaviour = 'silent' | 'random bytes' | 'closes at once' | 'handshake then garbage' | 'handshake then silent';

/** Bytes no Bolt client can read as a version reply or a message (fixed, so a run is reproducible). */
const GARBAGE = Buffer.from('9f3c7a11e2d4b8069a5bc3f0172e4d88a1b2c3d4e5f60718293a4b5c6d7e8f90', 'hex');

export class HostileServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  connections = 0;
  port = 0;

  constructor(readonly behaviour: Misbehaviour) {
    this.server = net.createServer((socket) => this.serve(socket));
  }

  get uri(): string {
    return `bolt://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: net.Socket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    switch (this.behaviour) {
      case 'silent':
        return;
      case 'closes at once':
        socket.destroy();
        return;
      case 'random bytes':
        socket.on('data', () => socket.write(GARBAGE));
        return;
      case 'handshake then garbage':
      case 'handshake then silent': {
        let handshaken = false;
        socket.on('data', () => {
          if (!handshaken) {
            handshaken = true;
            socket.write(Buffer.from([0, 0, 4, 5])); // "Bolt 5.4"
          } else if (this.behaviour === 'handshake then garbage') {
            socket.write(Buffer.concat([Buffer.from([0, GARBAGE.length]), GARBAGE, Buffer.from([0, 0])]));
          }
        });
      }
    }
  }
}

export interface SpawnResult {
  status: number | null;
  /** Set when the run exceeded the bound and was killed. */
  killed: boolean;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs the built CLI asynchronously; a run still alive after boundSeconds is SIGKILLed and reported as killed. */
export function spawnCli(args: string[], env: Record<string, string | undefined>, boundSeconds: number): Promise<SpawnResult> {
  const started = Date.now();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, SWARMSCOPE_DEBUG: '', ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, boundSeconds * 1000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, killed, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}
