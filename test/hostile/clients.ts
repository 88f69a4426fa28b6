/**
 * Misbehaving clients against hellokit's server side, on loopback: the two servers under
 * test (a plain node:net server around readClientHello, and `hellokit serve`) behind one
 * interface that says, per client port, how the server ended that connection; and raw
 * clients that send too much, too slowly, half, or nothing TLS at all.
 */

import { connect, createServer, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { clientHello } from '../../src/builder/client-hello.ts';
import { encodeClientHello } from '../../src/handshake/client-hello.ts';
import {
  ReadClientHelloError,
  type ReadClientHelloErrorCode,
  readClientHello,
} from '../../src/node/read-client-hello.ts';
import { startServe } from '../../src/node/serve.ts';

/** How the server ended one connection: an error code, or `ok` (a hello was read). */
export type Outcome = ReadClientHelloErrorCode | 'ok';

/** What the server recorded for one connection. */
export interface Recorded {
  readonly outcome: Outcome;
  readonly message: string;
  /** Bytes the server had read when it decided (peek server only). */
  readonly bytes?: number;
  /** Reads it took (peek server only, on success). */
  readonly reads?: number;
  /** ms from the server accepting the connection to its decision (peek server only). */
  readonly elapsedMs?: number;
}

/** A server under test. */
export interface Target {
  readonly name: string;
  readonly port: number;
  /** The server's record for the client on `clientPort`, once there is one (polls up to `waitMs`). */
  recorded(clientPort: number, waitMs?: number): Promise<Recorded | undefined>;
  /** Forget every record (between batches, when client ports may be reused). */
  forget(): void;
  /** Records for connections whose client port the server could not read (reset before accept). */
  unattributed(): readonly Recorded[];
  /** How many connections the server has recorded since the last `forget`. */
  count(): number;
  /** The server's `getConnections`. */
  connections(): Promise<number>;
  close(): Promise<void>;
}

/** Limits both servers get in these tests: short, so the suite stays fast. */
export interface Limits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

class Records {
  private readonly byPort = new Map<number, Recorded>();
  private readonly orphans: Recorded[] = [];
  add(port: number | undefined, r: Recorded) {
    if (port === undefined || !Number.isInteger(port)) this.orphans.push(r);
    else this.byPort.set(port, r);
  }
  async get(port: number, waitMs: number): Promise<Recorded | undefined> {
    const deadline = Date.now() + waitMs;
    while (!this.byPort.has(port) && Date.now() < deadline) await sleep(5);
    return this.byPort.get(port);
  }
  clear() {
    this.byPort.clear();
    this.orphans.length = 0;
  }
  get unattributed(): readonly Recorded[] {
    return this.orphans;
  }
  get count(): number {
    return this.byPort.size + this.orphans.length;
  }
}

/** A node:net server that peeks each hello with readClientHello, records what happened, and hangs up. */
export async function startPeekTarget(limits: Limits): Promise<Target> {
  const records = new Records();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const started = Date.now();
    const port = socket.remotePort;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    readClientHello(socket, { timeoutMs: limits.timeoutMs, maxBytes: limits.maxBytes }).then(
      (peeked) => {
        records.add(port, {
          outcome: 'ok',
          message: 'read a ClientHello',
          bytes: peeked.bytes.length,
          reads: peeked.reads,
          elapsedMs: Date.now() - started,
        });
        socket.destroy();
      },
      (e: unknown) => {
        const err = e as ReadClientHelloError;
        records.add(port, {
          outcome: err instanceof ReadClientHelloError ? err.code : ('unexpected' as Outcome),
          message: String(err.message),
          bytes: err.bytes?.length,
          elapsedMs: Date.now() - started,
        });
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    name: 'readClientHello server',
    port: (server.address() as { port: number }).port,
    recorded: (port, waitMs = 2000) => records.get(port, waitMs),
    forget: () => records.clear(),
    unattributed: () => records.unattributed,
    count: () => records.count,
    connections: () =>
      new Promise((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n)))),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** `hellokit serve` (startServe), its per-connection reports turned into records. */
export async function startServeTarget(limits: Limits, maxConnections = 1000): Promise<Target> {
  const records = new Records();
  const serve = await startServe({
    timeoutMs: limits.timeoutMs,
    maxHelloBytes: limits.maxBytes,
    maxConnections,
    onConnection: (_line, event) => {
      const port = Number(event.remote.slice(event.remote.lastIndexOf(':') + 1));
      records.add(Number.isInteger(port) && port > 0 ? port : undefined, {
        outcome: event.error ? (event.errorCode ?? ('unexpected' as Outcome)) : 'ok',
        message: event.error ?? `ja4=${event.ja4}`,
      });
    },
  });
  return {
    name: 'hellokit serve',
    port: serve.port,
    recorded: (port, waitMs = 2000) => records.get(port, waitMs),
    forget: () => records.clear(),
    unattributed: () => records.unattributed,
    count: () => records.count,
    connections: () => serve.connections(),
    close: () => serve.close(),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `target.connections()` until it is 0 or `waitMs` passes; returns the last count. */
export async function drained(target: Target, waitMs = 2000): Promise<number> {
  const deadline = Date.now() + waitMs;
  let n = await target.connections();
  while (n > 0 && Date.now() < deadline) {
    await sleep(10);
    n = await target.connections();
  }
  return n;
}

/** A connected raw client (Nagle off, errors swallowed: the server is meant to hang up on it). */
export function openClient(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.off('error', reject);
      s.on('error', () => {});
      s.setNoDelay(true);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/**
 * Resolves true when the socket closes (the server hung up, or we did), false when it is
 * still open after `waitMs` (then it is destroyed, so nothing leaks from a failing test).
 */
export function closedWithin(s: Socket, waitMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (s.destroyed) return resolve(true);
    const timer = setTimeout(() => {
      s.destroy();
      resolve(false);
    }, waitMs);
    s.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    s.resume();
  });
}

/** A default hellokit ClientHello, as records. */
export function helloBytes(options: Parameters<typeof clientHello>[0] = {}): Uint8Array {
  return encodeClientHello(clientHello({ serverName: 'hostile.hellokit.test', seed: 7, ...options }));
}

/** One TLS record around `fragment`. */
export function tlsRecord(contentType: number, fragment: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + fragment.length);
  out.set([contentType, 3, 1, fragment.length >> 8, fragment.length & 0xff]);
  out.set(fragment, 5);
  return out;
}

/** Deterministic bytes (xorshift32) for the random-bytes clients. */
export function seededBytes(seed: number, length: number): Uint8Array {
  let x = seed | 0 || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * A stream over `socket` that writes its first `dribbleBytes` one byte per write (one TCP
 * segment each, Nagle being off), for a real TLS client whose hello arrives in pieces.
 */
export function dribbling(socket: Socket, dribbleBytes: number): Duplex {
  let left = dribbleBytes;
  const duplex = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      const writeOne = (i: number) => {
        if (i >= chunk.length) return callback();
        if (left <= 0) {
          socket.write(chunk.subarray(i), () => callback());
          return;
        }
        left--;
        socket.write(chunk.subarray(i, i + 1));
        setImmediate(() => writeOne(i + 1));
      };
      writeOne(0);
    },
    read() {
      socket.resume();
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(err, callback) {
      socket.destroy();
      callback(err);
    },
  });
  socket.on('data', (d) => {
    if (!duplex.push(d)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}

let gcFunction: (() => void) | undefined;

/**
 * A full garbage collection. vitest gives no per-file node flags, so `--expose-gc` is set
 * at run time and `gc` fetched from a fresh context (the flag only shows in new contexts).
 */
export function fullGc(): void {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  gcFunction();
  gcFunction();
}

/** Handles the process holds, by type (sockets, servers, timers), without this call's own. */
export function activeResources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}
