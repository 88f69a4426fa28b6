/**
 * Fingerprints for a server of your own: `trackClientHellos(server)` makes every TLS
 * connection of a `tls.Server`, `https.Server` or `http2.createSecureServer()` carry the
 * ClientHello it arrived with, with JA3, JA4 (and its forms) and the known-client match,
 * computed once per connection. The hello is read by {@link readClientHello} from the raw
 * TCP socket before the server's TLS takes it over, and every byte is put back, so the
 * handshake is the server's own.
 */
import type { Socket } from 'node:net';
import type { TLSSocket, Server as TlsServer } from 'node:tls';
import { type KnownClient, presetsWithJa4 } from '../builder/presets/index.ts';
import type { HelloFingerprints } from '../fingerprint/hello-summary.ts';
import { ja3, ja3Full } from '../fingerprint/ja3.ts';
import { ja4All } from '../fingerprint/ja4.ts';
import type { ClientHello } from '../handshake/types.ts';
import { clientHelloServerName, ReadClientHelloError, readClientHello } from './read-client-hello.ts';

/** What {@link clientHelloOf} gives for a connection. */
export interface TrackedClientHello extends HelloFingerprints {
  readonly hello: ClientHello;
  /** The records that carried the hello, as received. */
  readonly helloBytes: Uint8Array;
  readonly serverName: string | null;
  /** hellokit presets captured from a real client with the same JA4. */
  readonly knownClients: readonly KnownClient[];
}

/** Options for {@link trackClientHellos}. */
export interface TrackClientHellosOptions {
  /** Give up reading a hello after this many ms and let TLS go on without it (default 10 000). */
  readonly timeoutMs?: number;
  /** Largest hello read (default 65 536 bytes). */
  readonly maxBytes?: number;
}

const TRACKED = Symbol.for('hellokit.trackClientHellos');
/** Where a secure socket keeps its hello: a symbol, so HTTP/2's socket proxies pass it through. */
const HELLO = Symbol.for('hellokit.clientHello');

function fingerprints(hello: ClientHello, helloBytes: Uint8Array): TrackedClientHello {
  const j4 = ja4All(hello);
  return {
    hello,
    helloBytes,
    serverName: clientHelloServerName(hello),
    ja3: ja3(hello),
    ja3Full: ja3Full(hello),
    ja4: j4.ja4,
    ja4_r: j4.ja4_r,
    ja4_o: j4.ja4_o,
    ja4_ro: j4.ja4_ro,
    knownClients: presetsWithJa4(j4.ja4),
  };
}

/**
 * The ClientHello a connection of a tracked server arrived with: pass the `TLSSocket`
 * (`req.socket` of an https request, `stream.session.socket` of an HTTP/2 stream, the socket
 * of `secureConnection`). Undefined when the server is not tracked or the client sent no
 * readable hello.
 * @example server.on('request', (req, res) => res.end(clientHelloOf(req.socket)?.ja4));
 */
export function clientHelloOf(socket: object): TrackedClientHello | undefined {
  return (socket as { [HELLO]?: TrackedClientHello })[HELLO];
}

/**
 * Reads the ClientHello of every connection of `server` (a `tls.Server`, `https.Server` or
 * HTTP/2 secure server) before its TLS starts; each secure socket then carries it
 * ({@link clientHelloOf}). Call it before the server accepts connections; calling it twice
 * does nothing more.
 * @example
 * const server = https.createServer({ key, cert }, (req, res) => res.end(clientHelloOf(req.socket)?.ja4));
 * trackClientHellos(server);
 */
export function trackClientHellos<S extends TlsServer>(server: S, options: TrackClientHellosOptions = {}): S {
  const tagged = server as S & { [TRACKED]?: true };
  if (tagged[TRACKED]) return server;
  tagged[TRACKED] = true;
  // The server's own 'connection' listener wraps the raw socket in TLS at once, after which
  // its bytes never reach JavaScript: it is run only once the hello has been read (and put back).
  const own = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  const pending = new Map<string, TrackedClientHello>();
  server.on('connection', (socket: Socket) => {
    const key = `${socket.remoteAddress}|${socket.remotePort}`;
    const handOver = () => {
      if (socket.destroyed) return;
      for (const listener of own) listener.call(server, socket);
    };
    readClientHello(socket, {
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      destroyOnError: false,
    }).then(
      (peeked) => {
        pending.set(key, fingerprints(peeked.hello, peeked.helloBytes));
        socket.once('close', () => pending.delete(key));
        handOver();
      },
      (error: unknown) => {
        // Not a readable hello: put back what was read and let TLS answer it as it would.
        if (error instanceof ReadClientHelloError && error.bytes.length > 0 && !socket.destroyed) {
          socket.pause();
          socket.unshift(Buffer.from(error.bytes.buffer, error.bytes.byteOffset, error.bytes.byteLength));
        }
        handOver();
      },
    );
  });
  server.prependListener('secureConnection', (tls: TLSSocket) => {
    const key = `${tls.remoteAddress}|${tls.remotePort}`;
    const tracked = pending.get(key);
    if (!tracked) return;
    pending.delete(key);
    (tls as TLSSocket & { [HELLO]?: TrackedClientHello })[HELLO] = tracked;
  });
  return server;
}
