/**
 * Every socket neo4j-driver opens on our behalf, so that closing a connection can close them all.
 *
 * Why this exists: neo4j-driver 6.3 bounds the TCP connect (connectionTimeout) and the wait for a connection
 * (connectionAcquisitionTimeout), but not the Bolt handshake. Against a port that accepts TCP and never answers
 * the handshake, the acquisition times out, driver.close() resolves — and the half-open socket stays in the
 * driver's pool forever, holding the process open: `export neo4j` printed its error and never exited.
 *
 * A socket is attributed to the work that caused it by AsyncLocalStorage: plain sockets through Node's
 * documented `net.client.socket` diagnostics channel, TLS sockets (bolt+s, neo4j+s) by wrapping tls.connect,
 * which does not publish on that channel. Two exports in one process each close only their own sockets.
 */
import { AsyncLocalStorage } from 'async_hooks';
import * as diagnosticsChannel from 'diagnostics_channel';
import type * as net from 'net';
// `import =` binds the module object itself (import * would copy it), so the wrapper is what the driver calls.
import tls = require('tls');

const scope = new AsyncLocalStorage<Set<net.Socket>>();
let installed = false;

function record(socket: net.Socket): void {
  scope.getStore()?.add(socket);
}

function install(): void {
  if (installed) return;
  installed = true;
  diagnosticsChannel.subscribe('net.client.socket', (message) => record((message as { socket: net.Socket }).socket));
  const connect = tls.connect;
  tls.connect = function trackedConnect(this: unknown, ...args: unknown[]): tls.TLSSocket {
    const socket = (connect as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
    record(socket);
    return socket;
  } as typeof tls.connect;
}

/**
 * Runs work with every client socket it opens (directly or through promises it starts) recorded; returns the
 * work's result and a function that destroys those of them still open.
 */
export function withTrackedSockets<T>(work: (destroySockets: () => number) => Promise<T>): Promise<T> {
  install();
  const sockets = new Set<net.Socket>();
  const destroySockets = (): number => {
    let destroyed = 0;
    for (const socket of sockets) {
      if (!socket.destroyed) {
        socket.destroy();
        destroyed++;
      }
    }
    sockets.clear();
    return destroyed;
  };
  return scope.run(sockets, () => work(destroySockets));
}
