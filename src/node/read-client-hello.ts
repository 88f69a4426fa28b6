/**
 * The server-side ClientHello peek: read a client's first flight off a socket, parse the
 * ClientHello, and put every byte back so the connection can still be handed to
 * `tls.TLSSocket`, a `tls.Server` or a proxy.
 */
import type { Socket } from 'node:net';
import { DecodeError } from '../bytes/errors.ts';
import { latin1 } from '../bytes/hex.ts';
import { sslv2ClientHelloLine } from '../fingerprint/sslv2.ts';
import { parseClientHello } from '../handshake/client-hello.ts';
import { HANDSHAKE_TYPES } from '../handshake/header.ts';
import { firstExtensionBody, serverName } from '../handshake/hello-fields.ts';
import { HandshakeReassembler } from '../handshake/reassembler.ts';
import {
  isSslv2ClientHello,
  parseSslv2ClientHello,
  type Sslv2ClientHello,
} from '../handshake/sslv2-client-hello.ts';
import type { ClientHello } from '../handshake/types.ts';
import { RecordDeframer } from '../records/deframer.ts';
import { CONTENT_TYPES, RECORD_HEADER_LENGTH } from '../records/record.ts';

/** Options for {@link readClientHello}. */
export interface ReadClientHelloOptions {
  /** Give up when the whole hello has not arrived within this many ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Most bytes read before giving up (default 65 536; a hello with post-quantum shares is ~1.8 KB). */
  readonly maxBytes?: number;
  /** Parse strictly (default false: odd hellos are still shown, their faults in `hello.problems`). */
  readonly strict?: boolean;
  /** Destroy the socket when reading fails (default true). */
  readonly destroyOnError?: boolean;
}

/** What {@link readClientHello} read. */
export interface PeekedClientHello {
  /** The parsed ClientHello (lenient unless `strict`). */
  readonly hello: ClientHello;
  /** The records that carry the ClientHello, exactly as received. */
  readonly helloBytes: Uint8Array;
  /** Every byte read from the socket (the hello's records and anything after), now unshifted back. */
  readonly bytes: Uint8Array;
  /** How many records carried the hello. */
  readonly records: number;
  /** How many reads (TCP segments, roughly) it took. */
  readonly reads: number;
}

/** Why reading a ClientHello failed. */
export type ReadClientHelloErrorCode =
  | 'timeout'
  | 'too-large'
  | 'not-tls'
  | 'not-client-hello'
  | 'closed'
  | 'malformed';

/** A client that did not send a readable ClientHello; `bytes` is what it did send. */
export class ReadClientHelloError extends Error {
  override readonly name: 'ReadClientHelloError' = 'ReadClientHelloError';
  readonly code: ReadClientHelloErrorCode;
  readonly bytes: Uint8Array;
  /**
   * With code `not-tls`, when the client sent an SSLv2-compatible CLIENT-HELLO that decodes
   * (leniently unless `strict`): the hello. Its record is `bytes.subarray(0, 2 + length)`.
   */
  readonly sslv2Hello?: Sslv2ClientHello;
  constructor(
    code: ReadClientHelloErrorCode,
    message: string,
    bytes: Uint8Array,
    options?: { cause?: unknown; sslv2Hello?: Sslv2ClientHello },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.bytes = bytes;
    if (options?.sslv2Hello) this.sslv2Hello = options.sslv2Hello;
  }
}

/**
 * Reads a ClientHello that may arrive in any number of TCP segments and records, parses
 * it, and unshifts every byte read back into `socket` (left paused), so the stream is
 * intact for `new tls.TLSSocket(socket, { isServer: true, … })` or a proxy.
 *
 * A client that sends something other than a ClientHello, more than `maxBytes`, or too
 * slowly, or closes early, gets a {@link ReadClientHelloError} and its socket is destroyed
 * (unless `destroyOnError: false`). An SSLv2-compatible CLIENT-HELLO is still `not-tls`,
 * but its whole record is read and the error carries it decoded in `sslv2Hello`.
 *
 * @example
 * net.createServer(async (socket) => {
 *   const { hello } = await readClientHello(socket, { timeoutMs: 5000 });
 *   console.log(clientHelloServerName(hello));
 *   tlsServer.emit('connection', socket);
 * });
 */
export function readClientHello(
  socket: Socket,
  options: ReadClientHelloOptions = {},
): Promise<PeekedClientHello> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 65_536;
  const strict = options.strict ?? false;
  const destroyOnError = options.destroyOnError ?? true;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new RangeError(`"timeoutMs" expected a positive number, got ${timeoutMs}`);
  if (!Number.isInteger(maxBytes) || maxBytes < RECORD_HEADER_LENGTH + 4) {
    throw new RangeError(`"maxBytes" expected an integer ≥ ${RECORD_HEADER_LENGTH + 4}, got ${maxBytes}`);
  }

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let reads = 0;
    let records = 0;
    let settled = false;
    const deframer = new RecordDeframer({
      strict: false,
      maxBufferedBytes: Math.max(maxBytes, RECORD_HEADER_LENGTH + 1),
    });
    const reassembler = new HandshakeReassembler({ maxMessageSize: maxBytes });

    const received = (): Uint8Array => {
      const all = Buffer.concat(chunks);
      return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
    };
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
    };
    const fail = (
      code: ReadClientHelloErrorCode,
      message: string,
      cause?: unknown,
      sslv2Hello?: Sslv2ClientHello,
    ) => {
      if (settled) return;
      settled = true;
      cleanup();
      if (destroyOnError) socket.destroy();
      reject(new ReadClientHelloError(code, message, received(), { cause, sslv2Hello }));
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      reads++;
      chunks.push(chunk);
      total += chunk.length;
      // The first 3 bytes tell an SSLv2 hello (2-byte header, msg_type 1); they are usually all
      // in the first chunk, so the received bytes are only joined when they are not.
      if (records === 0 && total >= 3 && isSslv2ClientHello(chunks[0].length >= 3 ? chunks[0] : received())) {
        return sslv2(received());
      }
      let done: { helloLength: number } | null = null;
      try {
        for (const record of deframer.push(chunk)) {
          if (record.contentType !== CONTENT_TYPES.handshake) {
            return fail(
              'not-client-hello',
              `expected a handshake record (22) carrying a ClientHello, got content type ${record.contentType}`,
            );
          }
          records++;
          const messages = reassembler.push(record.fragment, record.offset + RECORD_HEADER_LENGTH);
          if (records === 1 && record.fragment[0] !== HANDSHAKE_TYPES.client_hello) {
            return fail(
              'not-client-hello',
              `expected a ClientHello (handshake type 1), got handshake type ${record.fragment[0]}`,
            );
          }
          if (messages.length > 0) {
            done = { helloLength: record.offset + RECORD_HEADER_LENGTH + record.fragment.length };
            break;
          }
        }
      } catch (e) {
        if (e instanceof DecodeError) {
          if (e.code === 'not-tls') return fail('not-tls', `the client did not speak TLS: ${e.detail}`, e);
          if (e.code === 'too-large')
            return fail('too-large', `the client's hello is larger than ${maxBytes} bytes`, e);
          return fail('malformed', `the client's records do not decode: ${e.message}`, e);
        }
        return fail('malformed', `reading the hello failed: ${String(e)}`, e);
      }
      if (done === null) {
        if (total > maxBytes)
          fail(
            'too-large',
            `the client sent ${total} bytes without completing a ClientHello (limit ${maxBytes})`,
          );
        return;
      }
      // One read can carry many records: a hello cut into tiny records can complete inside a
      // single chunk while spanning more than maxBytes, so the limit is checked on the hello too.
      if (done.helloLength > maxBytes) {
        return fail(
          'too-large',
          `the client's hello spans ${done.helloLength} bytes of records (limit ${maxBytes})`,
        );
      }
      const bytes = received();
      const helloBytes = bytes.subarray(0, done.helloLength);
      let hello: ClientHello;
      try {
        hello = parseClientHello(helloBytes, { strict });
      } catch (e) {
        return fail(
          'malformed',
          `the ClientHello does not parse: ${e instanceof Error ? e.message : String(e)}`,
          e,
        );
      }
      settled = true;
      cleanup();
      socket.pause();
      socket.unshift(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      resolve({ hello, helloBytes: helloBytes.slice(), bytes: bytes.slice(), records, reads });
    };
    // An SSLv2 CLIENT-HELLO is not-tls, as it always was here; its record is read (within
    // maxBytes and the timeout) so that the error carries it decoded.
    let sslv2Pending: string | null = null;
    const notTls = (detail: string, cause?: unknown, hello?: Sslv2ClientHello) =>
      fail('not-tls', `the client did not speak TLS: ${detail}`, cause, hello);
    const sslv2 = (bytes: Uint8Array) => {
      const recordLength = 2 + (((bytes[0] & 0x7f) << 8) | bytes[1]);
      if (recordLength > maxBytes) {
        return notTls(
          `an SSLv2-compatible ClientHello of ${recordLength} bytes, more than the ${maxBytes}-byte limit`,
        );
      }
      if (bytes.length < recordLength) {
        sslv2Pending = `the start of an SSLv2-compatible ClientHello (${bytes.length} of ${recordLength} bytes)`;
        return;
      }
      try {
        const hello = parseSslv2ClientHello(bytes.subarray(0, recordLength), { strict });
        notTls(`it sent an ${sslv2ClientHelloLine(hello)}`, undefined, hello);
      } catch (e) {
        const detail = e instanceof Error ? e.message : String(e);
        notTls(`an SSLv2-compatible ClientHello that does not decode: ${detail}`, e);
      }
    };
    const onEnd = () => {
      if (sslv2Pending) return notTls(`it sent ${sslv2Pending}, then closed the connection`);
      fail(
        'closed',
        total === 0
          ? 'the client closed the connection before sending anything'
          : `the client closed the connection after ${total} bytes, before its ClientHello was complete`,
      );
    };
    const onError = (e: Error) =>
      fail('closed', `the connection failed while reading the hello: ${e.message}`, e);
    const timer = setTimeout(() => {
      if (sslv2Pending) return notTls(`it sent ${sslv2Pending}, then nothing more within ${timeoutMs} ms`);
      const what =
        total === 0
          ? 'nothing'
          : `${total} bytes${looksPrintable(received()) ? ` (${JSON.stringify(preview(received()))})` : ''}`;
      fail('timeout', `no complete ClientHello within ${timeoutMs} ms (got ${what})`);
    }, timeoutMs);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
    socket.resume();
  });
}

function looksPrintable(bytes: Uint8Array): boolean {
  return bytes.length > 0 && /^[\x20-\x7e\r\n\t]+$/.test(latin1(bytes.subarray(0, 40)));
}

function preview(bytes: Uint8Array): string {
  return latin1(bytes.subarray(0, 40));
}

/**
 * The host_name of a ClientHello's server_name extension (RFC 6066 §3), or null when there
 * is none. Read straight from the extension body, so it works on any hello.
 * @example clientHelloServerName(parseClientHello(bytes)) // 'example.com'
 */
export function clientHelloServerName(hello: Pick<ClientHello, 'extensions'>): string | null {
  const body = firstExtensionBody(hello, 0);
  return body === undefined ? null : serverName(body);
}
