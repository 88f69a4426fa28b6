/**
 * The built-in demo server: a loopback TLS server that behaves like the CDN in hellokit's
 * story. It requires SNI (a hello without one, or with a name it does not serve, gets a
 * fatal internal_error alert, as Caddy sends) and it has only an ECDSA P-256 certificate
 * (so a TLS 1.2 hello offering only RSA suites gets handshake_failure from OpenSSL).
 *
 * It is Node's own TLS (OpenSSL) behind hellokit's ClientHello peek: the peek decides, then
 * the socket, with the peeked bytes put back, goes to a `tls.TLSSocket`.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import { clientHelloServerName, readClientHello } from './read-client-hello.ts';
import { selfSignedCertificate } from './self-signed.ts';
import { acceptTls, listenOn } from './tls-listener.ts';

/** Options for {@link startDemoServer}. */
export interface DemoServerOptions {
  /** Loopback address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 0: any free port). */
  readonly port?: number;
  /** The one name it serves (default `demo.hellokit.test`). */
  readonly name?: string;
  /** Time a client has to send its hello, and to finish the handshake (default 5 000 ms). */
  readonly timeoutMs?: number;
  /** Most connections at once (default 64); more are closed at once. */
  readonly maxConnections?: number;
}

/** A running demo server. */
export interface DemoServer {
  readonly host: string;
  readonly port: number;
  /** The name it serves. */
  readonly name: string;
  /** Its certificate, PEM. */
  readonly certificate: string;
  /** How it answers, in one line. */
  readonly description: string;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

/** internal_error (80), fatal, in a TLS 1.2-versioned record: what Caddy sends for a hello without SNI. */
const INTERNAL_ERROR_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50]);

/**
 * Starts the demo server on loopback.
 * @example
 * const demo = await startDemoServer();
 * // probe(`${demo.host}:${demo.port}`, { serverName: demo.name }) completes;
 * // without serverName it gets alert 80.
 * await demo.close();
 */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const name = options.name ?? 'demo.hellokit.test';
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxConnections = options.maxConnections ?? 64;
  const { cert, key } = await selfSignedCertificate([name]);
  const context: SecureContext = createSecureContext({ cert, key, minVersion: 'TLSv1.2' });
  const sockets = new Set<Socket>();

  const onConnection = async (socket: Socket) => {
    if (sockets.size >= maxConnections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let serverName: string | null;
    try {
      serverName = clientHelloServerName(
        (await readClientHello(socket, { timeoutMs, maxBytes: 32 * 1024 })).hello,
      );
    } catch {
      return; // readClientHello destroyed the socket
    }
    if (serverName === null || serverName.toLowerCase() !== name.toLowerCase()) {
      socket.end(INTERNAL_ERROR_ALERT);
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    const tls = acceptTls(socket, context, ['http/1.1'], timeoutMs);
    tls.on('secure', () => {
      tls.setTimeout(timeoutMs, () => tls.end());
      const body = `hello from the hellokit demo server (${name})\n`;
      tls.once('data', () => {
        tls.end(
          `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      });
    });
  };

  const server: Server = createServer((socket) => {
    void onConnection(socket);
  });
  const port = await listenOn(server, host, options.port ?? 0);
  return {
    host,
    port,
    name,
    certificate: cert,
    description: `a server that needs SNI ${name} (fatal internal_error otherwise) and has only an ECDSA P-256 certificate`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
