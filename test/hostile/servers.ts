/**
 * Misbehaving servers on loopback: plain node:net servers that answer a ClientHello the
 * way broken, hostile or non-TLS peers do. Each listens on 127.0.0.1 port 0; `closeAll()`
 * destroys every connection and closes every server (call it in `afterAll`).
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { encodeServerHello } from '../../src/handshake/server-hello.ts';

/** A running hostile server. */
export interface HostileServer {
  readonly name: HostileKind;
  readonly host: string;
  readonly port: number;
  /** `host:port`, what probe() takes. */
  readonly target: string;
  /** Bytes the server has written so far (the endless stream counts here). */
  bytesWritten(): number;
}

/** The misbehaviours, one per server. */
export const HOSTILE_KINDS = [
  'garbage',
  'http',
  'huge-record-then-silence',
  'endless-stream',
  'one-byte-per-second',
  'reset-mid-record',
  'accept-then-reset',
  'close-before-anything',
  'server-hello-one-byte-records',
  'server-hello-then-silence',
  'unknown-alert',
  'warning-then-server-hello',
] as const;

export type HostileKind = (typeof HOSTILE_KINDS)[number];

const servers = new Set<Server>();
const sockets = new Set<Socket>();
const timers = new Set<NodeJS.Timeout>();

/** A TLS 1.2 ServerHello (ECDHE-RSA-AES128-GCM-SHA256, renegotiation_info), as a handshake message. */
export function serverHelloMessage(): Uint8Array {
  return encodeServerHello({
    type: 'server_hello',
    legacyVersion: 0x0303,
    random: Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i),
    legacySessionIdEcho: new Uint8Array(0),
    cipherSuite: 0xc02f,
    legacyCompressionMethod: 0,
    extensions: [{ type: 0xff01, body: Uint8Array.of(0) }],
    helloRetryRequest: false,
    downgrade: null,
    version: 0x0303,
  });
}

/** One TLS record around `fragment`. */
export function record(contentType: number, fragment: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + fragment.length);
  out.set([contentType, 3, 3, fragment.length >> 8, fragment.length & 0xff]);
  out.set(fragment, 5);
  return out;
}

function after(ms: number, fn: () => void): void {
  const t = setTimeout(() => {
    timers.delete(t);
    fn();
  }, ms);
  timers.add(t);
}

/** What each server does once the client's first bytes arrive (or at once). */
const BEHAVIOUR: Record<HostileKind, (socket: Socket, count: (n: number) => void) => void> = {
  // bytes that start no TLS record and no known text protocol
  garbage: (s, count) =>
    s.once('data', () => {
      const junk = Uint8Array.from({ length: 256 }, (_, i) => (i * 97 + 13) & 0xff);
      junk[0] = 0x9e;
      count(junk.length);
      s.end(junk);
    }),
  http: (s, count) =>
    s.once('data', () => {
      const text =
        'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nBad Request';
      count(text.length);
      s.end(text);
    }),
  // a handshake record header claiming 2^16-1 bytes, then nothing more
  'huge-record-then-silence': (s, count) =>
    s.once('data', () => {
      count(5);
      s.write(Uint8Array.of(22, 3, 3, 0xff, 0xff));
    }),
  // valid change_cipher_spec records for ever: nothing but the byte cap stops them
  'endless-stream': (s, count) =>
    s.once('data', () => {
      const chunk = Buffer.alloc(6 * 2048);
      for (let i = 0; i < chunk.length; i += 6) chunk.set([20, 3, 3, 0, 1, 1], i);
      const pump = () => {
        while (!s.destroyed && s.writable) {
          count(chunk.length);
          if (!s.write(chunk)) {
            s.once('drain', pump);
            return;
          }
        }
      };
      pump();
    }),
  // a valid ServerHello record, one byte a second
  'one-byte-per-second': (s, count) =>
    s.once('data', () => {
      const bytes = record(22, serverHelloMessage());
      let at = 0;
      const drip = () => {
        if (s.destroyed || at >= bytes.length) return;
        count(1);
        s.write(bytes.subarray(at, at + 1));
        at++;
        after(1000, drip);
      };
      drip();
    }),
  // half a ServerHello record, then a TCP RST
  'reset-mid-record': (s, count) =>
    s.once('data', () => {
      const bytes = record(22, serverHelloMessage()).subarray(0, 20);
      count(bytes.length);
      s.write(bytes, () => after(20, () => s.resetAndDestroy()));
    }),
  // a TCP RST as soon as the connection is accepted: the connection was established, then reset
  'accept-then-reset': (s) => s.resetAndDestroy(),
  // FIN as soon as the connection is accepted, before the hello is read
  'close-before-anything': (s) => s.end(),
  // the ServerHello message spread over records of one byte each, then a FIN
  'server-hello-one-byte-records': (s, count) =>
    s.once('data', () => {
      const message = serverHelloMessage();
      const parts: Uint8Array[] = [];
      for (const b of message) parts.push(record(22, Uint8Array.of(b)));
      const bytes = Buffer.concat(parts);
      count(bytes.length);
      s.end(bytes);
    }),
  // a whole valid ServerHello, then nothing (no Certificate, no ServerHelloDone, no FIN)
  'server-hello-then-silence': (s, count) =>
    s.once('data', () => {
      const bytes = record(22, serverHelloMessage());
      count(bytes.length);
      s.write(bytes);
    }),
  // a fatal alert whose description (200) is in no registry
  'unknown-alert': (s, count) =>
    s.once('data', () => {
      count(7);
      s.end(record(21, Uint8Array.of(2, 200)));
    }),
  // a warning unrecognized_name (112), as s_server sends in TLS 1.2, then the ServerHello
  'warning-then-server-hello': (s, count) =>
    s.once('data', () => {
      const bytes = Buffer.concat([record(21, Uint8Array.of(1, 112)), record(22, serverHelloMessage())]);
      count(bytes.length);
      s.end(bytes);
    }),
};

/** Starts the server for `kind` on 127.0.0.1 (a free port). */
export async function startHostile(kind: HostileKind): Promise<HostileServer> {
  let written = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    BEHAVIOUR[kind](socket, (n) => {
      written += n;
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.add(server);
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('hostile server has no port');
  return {
    name: kind,
    host: '127.0.0.1',
    port: address.port,
    target: `127.0.0.1:${address.port}`,
    bytesWritten: () => written,
  };
}

/** Destroys every connection and closes every hostile server. */
export async function closeAll(): Promise<void> {
  for (const t of timers) clearTimeout(t);
  timers.clear();
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all([...servers].map((s) => new Promise((r) => s.close(r))));
  servers.clear();
}
