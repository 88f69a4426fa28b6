/**
 * `hellokit serve`: a TLS server that answers every client with its own ClientHello,
 * decoded, with JA3/JA4, so a user can see what their client really sends. The hello is
 * read with {@link readClientHello} before Node's TLS (OpenSSL) takes the connection over.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import { type KnownClient, presetsWithJa4 } from '../builder/presets/index.ts';
import { clientHelloSummary } from '../fingerprint/hello-summary.ts';
import { sslv2ClientHelloSummary } from '../fingerprint/sslv2.ts';
import type { ClientHello } from '../handshake/types.ts';
import {
  cipherSuiteName,
  extensionTypeName,
  groupName,
  signatureSchemeName,
  versionName,
} from '../iana/lookup.ts';
import {
  clientHelloServerName,
  type PeekedClientHello,
  ReadClientHelloError,
  type ReadClientHelloErrorCode,
  readClientHello,
} from './read-client-hello.ts';
import { selfSignedCertificate } from './self-signed.ts';

/** Options for {@link startServe}. */
export interface ServeOptions {
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 0: any free port). */
  readonly port?: number;
  /** PEM certificate and key; default a fresh self-signed ECDSA P-256 one for localhost. */
  readonly cert?: string;
  readonly key?: string;
  /** Answer with JSON instead of text. */
  readonly json?: boolean;
  /** Per-connection limit: hello, handshake and request each within this many ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Largest hello read (default 65 536 bytes). */
  readonly maxHelloBytes?: number;
  /** Most connections at once (default 100). */
  readonly maxConnections?: number;
  /** The JSON view of a hello (default {@link helloView}). */
  readonly view?: (hello: ClientHello) => Record<string, unknown>;
  /** Called once per connection, with one line for the console. */
  readonly onConnection?: (line: string, event: ServeEvent) => void;
}

/** What happened on one connection. */
export interface ServeEvent {
  readonly remote: string;
  readonly serverName: string | null;
  readonly ja3?: string;
  readonly ja4?: string;
  readonly helloLength?: number;
  /** The presets whose captured hellos share this JA4 (which known client this looks like). */
  readonly knownClients?: readonly KnownClient[];
  /** Why the connection ended early (a client that sent no hello, a failed handshake). */
  readonly error?: string;
  /** With `error`, when reading the hello failed: the {@link ReadClientHelloError} code. */
  readonly errorCode?: ReadClientHelloErrorCode;
  /**
   * With `errorCode: 'not-tls'`, when the client sent an SSLv2-compatible CLIENT-HELLO: the
   * hello decoded, in the `decode --json` view (`type: 'sslv2_client_hello'`).
   */
  readonly sslv2Hello?: Record<string, unknown>;
}

/** A running serve server. */
export interface ServeServer {
  readonly host: string;
  readonly port: number;
  /** The certificate it presents (PEM). */
  readonly certificate: string;
  /** Connections open right now (the listening server's `getConnections`). */
  connections(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The ClientHello in the `decode --json` shape (wire-order lists, GREASE kept, JA3/JA4),
 * as `serve` shows it.
 * @example helloView(parseClientHello(bytes)).ja4
 */
export function helloView(hello: ClientHello): Record<string, unknown> {
  return clientHelloSummary(hello);
}

/** The hello as a plain-text page. */
export function helloText(peeked: PeekedClientHello, view: Record<string, unknown>): string {
  const hello = peeked.hello;
  const nums = (key: string) => (view[key] as number[] | undefined) ?? [];
  const row = (label: string, value: string) => `  ${label.padEnd(20)} ${value}`;
  const lines = [
    `Your ClientHello: ${peeked.helloBytes.length} bytes in ${peeked.records} record${peeked.records === 1 ? '' : 's'}`,
    '',
    row('server name', String(view.serverName ?? '(none)')),
    row('legacy_version', versionName(hello.legacyVersion)),
    row('supported versions', nums('supportedVersions').map(versionName).join(', ') || '(none)'),
    row('ALPN', ((view.alpn as string[]) ?? []).join(', ') || '(none)'),
    row('groups', nums('supportedGroups').map(groupName).join(', ') || '(none)'),
    row('key shares', nums('keyShareGroups').map(groupName).join(', ') || '(none)'),
    row('signature algorithms', nums('signatureAlgorithms').map(signatureSchemeName).join(', ') || '(none)'),
    `  cipher suites (${hello.cipherSuites.length}):`,
    ...hello.cipherSuites.map((c) => `    0x${c.toString(16).padStart(4, '0')} ${cipherSuiteName(c)}`),
    `  extensions (${(hello.extensions ?? []).length}):`,
    ...(hello.extensions ?? []).map(
      (e) => `    ${String(e.type).padStart(5)} ${extensionTypeName(e.type)} (${e.body.length} bytes)`,
    ),
    '',
    row('JA3', String(view.ja3)),
    row('JA3 (full)', String(view.ja3Full)),
    row('JA4', String(view.ja4)),
    row('JA4_r', String(view.ja4_r)),
    row('JA4_o', String(view.ja4_o)),
    row('JA4_ro', String(view.ja4_ro)),
    ...presetsWithJa4(String(view.ja4)).map((k) =>
      row('looks like', `${k.client} (hellokit's ${k.preset} preset has the same JA4)`),
    ),
    '',
  ];
  return lines.join('\n');
}

const HTTP_REQUEST = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE) /;

/**
 * Starts the server. Each connection: the hello is peeked, the TLS handshake completes,
 * then an HTTP request gets an HTTP response, and a client that sends nothing (openssl
 * s_client) gets the bare page after a short wait.
 * @example
 * const s = await startServe({ onConnection: (line) => console.log(line) });
 * // curl -k https://127.0.0.1:${s.port}/
 */
export async function startServe(options: ServeOptions = {}): Promise<ServeServer> {
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxHelloBytes = options.maxHelloBytes ?? 65_536;
  const view = options.view ?? helloView;
  const own =
    options.cert && options.key ? null : await selfSignedCertificate(['localhost', '127.0.0.1', '::1']);
  const cert = options.cert ?? own!.cert;
  const key = options.key ?? own!.key;
  const context = createSecureContext({ cert, key });
  const sockets = new Set<Socket>();

  const report = (event: ServeEvent) => {
    if (!options.onConnection) return;
    const line = event.error
      ? `${event.remote} ${event.error}`
      : `${event.remote} sni=${event.serverName ?? '-'} ja4=${event.ja4} ja3=${event.ja3} (${event.helloLength} bytes)${event.knownClients?.length ? ` like ${event.knownClients.map((k) => k.preset).join(', ')}` : ''}`;
    options.onConnection(line, event);
  };

  const onConnection = async (socket: Socket) => {
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let peeked: PeekedClientHello;
    try {
      peeked = await readClientHello(socket, { timeoutMs, maxBytes: maxHelloBytes });
    } catch (e) {
      report({
        remote,
        serverName: null,
        error: e instanceof Error ? e.message : String(e),
        ...(e instanceof ReadClientHelloError ? { errorCode: e.code } : {}),
        ...(e instanceof ReadClientHelloError && e.sslv2Hello
          ? { sslv2Hello: sslv2ClientHelloSummary(e.sslv2Hello) }
          : {}),
      });
      return;
    }
    const helloJson = view(peeked.hello);
    const event: ServeEvent = {
      remote,
      serverName: clientHelloServerName(peeked.hello),
      ja3: String(helloJson.ja3),
      ja4: String(helloJson.ja4),
      helloLength: peeked.helloBytes.length,
      knownClients: presetsWithJa4(String(helloJson.ja4)),
    };
    report(event);
    const body = options.json ? `${JSON.stringify(helloJson, null, 2)}\n` : helloText(peeked, helloJson);
    const tls = new TLSSocket(socket, {
      isServer: true,
      secureContext: context,
      ALPNProtocols: ['http/1.1'],
    });
    tls.setTimeout(timeoutMs, () => tls.destroy());
    tls.on('error', () => tls.destroy());
    tls.on('secure', () => {
      let request = '';
      let answered = false;
      const answer = (http: boolean) => {
        if (answered) return;
        answered = true;
        clearTimeout(wait);
        if (!http) {
          tls.end(body);
          return;
        }
        const type = options.json ? 'application/json' : 'text/plain; charset=utf-8';
        tls.end(
          `HTTP/1.1 200 OK\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      };
      const wait = setTimeout(() => answer(HTTP_REQUEST.test(request)), 500);
      tls.on('data', (chunk: Buffer) => {
        if (answered) return;
        request += chunk.toString('latin1');
        if (request.length > 16_384 || request.includes('\r\n\r\n')) answer(HTTP_REQUEST.test(request));
      });
    });
  };

  const server: Server = createServer((socket) => {
    void onConnection(socket);
  });
  server.maxConnections = options.maxConnections ?? 100;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    host,
    port: typeof address === 'object' && address ? address.port : 0,
    certificate: cert,
    connections: () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
