/**
 * `hellokit serve`: a TLS server that answers every client with its own ClientHello,
 * decoded, with JA3/JA4 (and over HTTP/2 the Akamai fingerprint), so a user can see what
 * their client really sends: HTML to a browser, text to curl, JSON on `/json`, `/api/all`
 * and `/api/clean`. The hello is read with {@link readClientHello} before Node's TLS
 * (OpenSSL) takes the connection over.
 *
 * Fair under exhaustion: when every slot is taken, the oldest connection that has not yet
 * sent a whole hello makes room for the new one, and a connection must send its first byte
 * and its whole hello within short deadlines, so idle or trickling connections cannot lock
 * real clients out.
 */
import {
  createServer as createHttp2Server,
  type Http2Session,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import { createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { createSecureContext, type TLSSocket } from 'node:tls';
import { type KnownClient, presetsWithJa4 } from '../builder/presets/index.ts';
import { type ClientHelloSummary, clientHelloSummary } from '../fingerprint/hello-summary.ts';
import { akamaiFingerprint, Http2PrefaceReader } from '../fingerprint/http2.ts';
import { sslv2ClientHelloSummary } from '../fingerprint/sslv2.ts';
import type { ClientHello } from '../handshake/types.ts';
import {
  type ServedClient,
  type ServedHttp,
  servedCleanJson,
  servedHtml,
  servedJson,
  servedText,
} from '../inspect/serve-pages.ts';
import { inspectAnswer, readBrowserBundle } from './inspect-page.ts';
import {
  clientHelloServerName,
  type PeekedClientHello,
  ReadClientHelloError,
  type ReadClientHelloErrorCode,
  readClientHello,
} from './read-client-hello.ts';
import { selfSignedCertificate } from './self-signed.ts';
import { acceptTls, listenOn } from './tls-listener.ts';

/** Options for {@link startServe}. */
export interface ServeOptions {
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 0: any free port). */
  readonly port?: number;
  /** PEM certificate and key; default a fresh self-signed ECDSA P-256 one for localhost. */
  readonly cert?: string;
  readonly key?: string;
  /** Answer `/` and a client that sends no request with JSON instead of text. */
  readonly json?: boolean;
  /** Idle limit of a connection after its hello, ms (default 10 000). */
  readonly timeoutMs?: number;
  /** The first byte must come within this many ms (default 2 000, at most `timeoutMs`). */
  readonly firstByteTimeoutMs?: number;
  /** The whole hello must come within this many ms (default 5 000, at most `timeoutMs`). */
  readonly helloTimeoutMs?: number;
  /** Largest hello read (default 65 536 bytes). */
  readonly maxHelloBytes?: number;
  /**
   * Most connections at once (default 100). When all are taken, the oldest connection that has
   * not sent a whole hello is closed for the new one; only when every connection has sent its
   * hello is the new one refused.
   */
  readonly maxConnections?: number;
  /** The JSON view of a hello (default {@link clientHelloSummary}); may add keys to the summary. */
  readonly view?: (hello: ClientHello) => ClientHelloSummary;
  /**
   * The browser bundle `/inspect` runs (default dist/browser/hellokit.js of this package, as
   * `npm run build` writes it); without it `/inspect` answers 503 saying so.
   */
  readonly browserBundle?: string;
  /** Called once per connection, with one line for the console. */
  readonly onConnection?: (line: string, event: ServeEvent) => void;
  /** Called for each HTTP request answered, with one line for the console. */
  readonly onRequest?: (line: string, event: ServeRequestEvent) => void;
}

/** One HTTP request answered. */
export interface ServeRequestEvent {
  readonly remote: string;
  readonly version: 'h2' | 'http/1.1';
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** HTTP/2: the Akamai fingerprint of the connection. */
  readonly akamai?: string;
  readonly akamaiHash?: string;
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
  /** Connections closed to make room for a new one, and new ones refused, since the start. */
  readonly dropped: { readonly evicted: number; readonly refused: number };
  close(): Promise<void>;
}

/**
 * The ClientHello in the `decode --json` shape (wire-order lists, GREASE kept, JA3/JA4),
 * as `serve` shows it.
 * @deprecated the same as `clientHelloSummary` from `hellokit`; use that.
 * @example helloView(parseClientHello(bytes)).ja4
 */
export function helloView(hello: ClientHello): ClientHelloSummary {
  return clientHelloSummary(hello);
}

const HTTP_REQUEST = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE) /;
const HTTP_METHOD_START = /^[A-Z]{3,7} /;

/** An answer to one HTTP request. */
interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const CORS = { 'access-control-allow-origin': '*' } as const;

function json(body: Record<string, unknown>): Answer {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', ...CORS },
    body: `${JSON.stringify(body, null, 2)}\n`,
  };
}

/**
 * What to answer `method path` with: `/` by the Accept header (HTML for a browser, text for
 * curl, JSON with `json`), `/json` and `/api/all` the whole view, `/api/clean` the stable
 * fingerprints, `/inspect` the in-browser inspector (with `bundle`, the browser bundle); CORS
 * on the JSON paths and preflights.
 */
export function route(
  client: ServedClient,
  method: string,
  target: string,
  accept: string,
  jsonDefault: boolean,
  bundle: string | null = null,
): Answer {
  const path = target.split('?')[0];
  if (method === 'OPTIONS')
    return {
      status: 204,
      headers: {
        ...CORS,
        'access-control-allow-methods': 'GET, HEAD, OPTIONS',
        'access-control-max-age': '86400',
      },
      body: '',
    };
  if (method !== 'GET' && method !== 'HEAD')
    return {
      status: 405,
      headers: { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD, OPTIONS' },
      body: 'only GET and HEAD\n',
    };
  if (path === '/json' || path === '/api/all') return json(servedJson(client));
  const inspector = inspectAnswer(path, bundle);
  if (inspector) return inspector;
  if (path === '/api/clean') return json(servedCleanJson(client));
  if (path === '/' || path === '') {
    if (accept.includes('text/html'))
      return {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: servedHtml(client),
      };
    if (jsonDefault) return json(servedJson(client));
    return {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: servedText(client),
    };
  }
  return {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `not found: ${path} (try /, /json, /api/all, /api/clean or /inspect)\n`,
  };
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  204: 'No Content',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

/** An HTTP/1.1 response, closing the connection. */
function http1Response(answer: Answer, head: boolean): string {
  const headers = Object.entries({
    ...answer.headers,
    'content-length': String(Buffer.byteLength(answer.body)),
    connection: 'close',
  })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return `HTTP/1.1 ${answer.status} ${STATUS_TEXT[answer.status] ?? ''}\r\n${headers}\r\n${head ? '' : answer.body}`;
}

/** The request line and header names of an HTTP/1.x request head. */
function parseHttp1(head: string): {
  method: string;
  target: string;
  names: string[];
  header: (name: string) => string | null;
} {
  const lines = head.split('\r\n');
  const [method = '', target = '/'] = (lines[0] ?? '').split(' ');
  const fields = lines.slice(1).filter((l) => l.includes(':'));
  const names = fields.map((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase());
  return {
    method,
    target,
    names,
    header: (name) => {
      const i = names.indexOf(name);
      return i < 0 ? null : fields[i].slice(fields[i].indexOf(':') + 1).trim();
    },
  };
}

/** A connection's place in the table serve keeps to stay fair when it is full. */
interface Slot {
  readonly socket: Socket;
  readonly since: number;
  helloRead: boolean;
}

/**
 * Starts the server. Each connection: the hello is peeked, the TLS handshake completes
 * (ALPN h2 or http/1.1), then each HTTP request gets the page its path and Accept header
 * ask for, and a client that sends nothing (openssl s_client) gets the bare page after a
 * short wait. A plain-HTTP request to the port gets a 400 that says to use https.
 * @example
 * const s = await startServe({ onConnection: (line) => console.log(line) });
 * // curl -k https://127.0.0.1:${s.port}/json
 */
export async function startServe(options: ServeOptions = {}): Promise<ServeServer> {
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const firstByteMs = Math.min(options.firstByteTimeoutMs ?? 2_000, timeoutMs);
  const helloMs = Math.min(options.helloTimeoutMs ?? 5_000, timeoutMs);
  const maxHelloBytes = options.maxHelloBytes ?? 65_536;
  const maxConnections = options.maxConnections ?? 100;
  const view = options.view ?? clientHelloSummary;
  const bundle = readBrowserBundle(options.browserBundle);
  const own =
    options.cert && options.key ? null : await selfSignedCertificate(['localhost', '127.0.0.1', '::1']);
  const cert = options.cert ?? own!.cert;
  const key = options.key ?? own!.key;
  const context = createSecureContext({ cert, key });
  const slots = new Set<Slot>();
  const dropped = { evicted: 0, refused: 0 };

  const report = (event: ServeEvent) => {
    if (!options.onConnection) return;
    const line = event.error
      ? `${event.remote} ${event.error}`
      : `${event.remote} sni=${event.serverName ?? '-'} ja4=${event.ja4} ja3=${event.ja3} (${event.helloLength} bytes)${event.knownClients?.length ? ` like ${event.knownClients.map((k) => k.preset).join(', ')}` : ''}`;
    options.onConnection(line, event);
  };
  const reportRequest = (event: ServeRequestEvent) => {
    options.onRequest?.(
      `${event.remote} ${event.version} ${event.method} ${event.path} ${event.status}${event.akamai ? ` akamai=${event.akamai}` : ''}`,
      event,
    );
  };

  /** Answers HTTP/2 streams on one connection, with the client's frames read on the way in. */
  const serveHttp2 = (tls: TLSSocket, client: ServedClient) => {
    const reader = new Http2PrefaceReader();
    const duplex = new Duplex({
      read() {},
      write(chunk, _encoding, callback) {
        if (tls.destroyed) callback();
        else tls.write(chunk, callback);
      },
      final(callback) {
        tls.end();
        callback();
      },
      destroy(error, callback) {
        tls.destroy();
        callback(error);
      },
    });
    tls.on('data', (chunk: Buffer) => {
      if (!reader.done) reader.push(chunk);
      duplex.push(chunk);
    });
    tls.on('end', () => duplex.push(null));
    tls.on('close', () => duplex.destroy());
    const h2 = createHttp2Server();
    h2.on('session', (session: Http2Session) => {
      session.setTimeout(timeoutMs, () => session.destroy());
      session.on('error', () => session.destroy());
    });
    h2.on(
      'stream',
      (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: string[]) => {
        stream.on('error', () => {});
        const names = rawHeaders.filter((_, i) => i % 2 === 0);
        const method = String(headers[':method'] ?? 'GET');
        const path = String(headers[':path'] ?? '/');
        const akamai = akamaiFingerprint(reader.preface, names);
        const http: ServedHttp = {
          version: 'h2',
          method,
          path,
          headerNames: names,
          userAgent: headers['user-agent'] === undefined ? null : String(headers['user-agent']),
          preface: reader.preface,
          akamai,
        };
        const answer = route(
          { ...client, http },
          method,
          path,
          String(headers.accept ?? ''),
          options.json === true,
          bundle,
        );
        stream.respond({ ':status': answer.status, ...answer.headers });
        stream.end(method === 'HEAD' ? undefined : answer.body);
        reportRequest({
          remote: client.remote,
          version: 'h2',
          method,
          path,
          status: answer.status,
          akamai: akamai.text,
          akamaiHash: akamai.hash,
        });
      },
    );
    h2.emit('connection', duplex);
  };

  /** Answers one HTTP/1.1 request (or the bare page to a client that sends none). */
  const serveHttp1 = (tls: TLSSocket, client: ServedClient) => {
    let request = '';
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      clearTimeout(wait);
      if (!HTTP_REQUEST.test(request)) {
        tls.end(options.json ? `${JSON.stringify(servedJson(client), null, 2)}\n` : servedText(client));
        return;
      }
      const head = parseHttp1(request.slice(0, request.indexOf('\r\n\r\n') + 1 || request.length));
      const http: ServedHttp = {
        version: 'http/1.1',
        method: head.method,
        path: head.target,
        headerNames: head.names,
        userAgent: head.header('user-agent'),
      };
      const a = route(
        { ...client, http },
        head.method,
        head.target,
        head.header('accept') ?? '',
        options.json === true,
        bundle,
      );
      tls.end(http1Response(a, head.method === 'HEAD'));
      reportRequest({
        remote: client.remote,
        version: 'http/1.1',
        method: head.method,
        path: head.target,
        status: a.status,
      });
    };
    const wait = setTimeout(answer, 500);
    tls.on('data', (chunk: Buffer) => {
      if (answered) return;
      request += chunk.toString('latin1');
      if (request.length > 16_384 || request.includes('\r\n\r\n')) answer();
    });
  };

  const onConnection = async (socket: Socket, slot: Slot) => {
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.on('error', () => {});
    let peeked: PeekedClientHello;
    try {
      // The first-byte limit is readClientHello's: a silent client is a `timeout`, not a close.
      peeked = await readClientHello(socket, {
        timeoutMs: helloMs,
        firstByteTimeoutMs: firstByteMs,
        maxBytes: maxHelloBytes,
        destroyOnError: false,
      });
    } catch (e) {
      const error = e instanceof ReadClientHelloError ? e : undefined;
      // A plain-HTTP request on the TLS port: say so in HTTP rather than close silently.
      if (
        error?.code === 'not-tls' &&
        HTTP_METHOD_START.test(new TextDecoder('latin1').decode(error.bytes.subarray(0, 8)))
      ) {
        const answer: Answer = {
          status: 400,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: `This port speaks HTTPS: use https://${socket.localAddress?.includes(':') ? `[${socket.localAddress}]` : socket.localAddress}:${socket.localPort}/\n`,
        };
        socket.end(http1Response(answer, false));
      } else socket.destroy();
      report({
        remote,
        serverName: null,
        error: e instanceof Error ? e.message : String(e),
        ...(error ? { errorCode: error.code } : {}),
        ...(error?.sslv2Hello ? { sslv2Hello: sslv2ClientHelloSummary(error.sslv2Hello) } : {}),
      });
      return;
    }
    slot.helloRead = true;
    const helloJson = view(peeked.hello);
    const knownClients = presetsWithJa4(String(helloJson.ja4));
    report({
      remote,
      serverName: clientHelloServerName(peeked.hello),
      ja3: String(helloJson.ja3),
      ja4: String(helloJson.ja4),
      helloLength: peeked.helloBytes.length,
      knownClients,
    });
    const client: ServedClient = {
      remote,
      hello: peeked.hello,
      helloBytes: peeked.helloBytes,
      records: peeked.records,
      view: helloJson,
      knownClients,
      http: null,
    };
    const tls = acceptTls(socket, context, ['h2', 'http/1.1'], timeoutMs);
    tls.on('secure', () => (tls.alpnProtocol === 'h2' ? serveHttp2(tls, client) : serveHttp1(tls, client)));
  };

  const server: Server = createServer((socket) => {
    if (slots.size >= maxConnections) {
      let oldest: Slot | undefined;
      for (const s of slots) if (!s.helloRead && (!oldest || s.since < oldest.since)) oldest = s;
      if (!oldest) {
        dropped.refused++;
        socket.destroy();
        return;
      }
      dropped.evicted++;
      slots.delete(oldest);
      oldest.socket.destroy();
    }
    const slot: Slot = { socket, since: performance.now(), helloRead: false };
    slots.add(slot);
    socket.once('close', () => slots.delete(slot));
    void onConnection(socket, slot);
  });
  const port = await listenOn(server, host, options.port ?? 0);
  return {
    host,
    port,
    certificate: cert,
    dropped,
    connections: () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of slots) s.socket.destroy();
        server.close(() => resolve());
      }),
  };
}
