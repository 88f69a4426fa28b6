/**
 * The server side of a ClientHello peek, platform-neutral: a client's first flight fed chunk by
 * chunk (any number of TCP segments and records), the ClientHello parsed once it is whole, and
 * every fault a hostile or confused client can make named by a {@link ReadClientHelloError}.
 * hellokit/node's `readClientHello` feeds it from a socket and puts the bytes back.
 */
import { DecodeError } from '../bytes/errors.ts';
import { concatBytes, latin1 } from '../bytes/hex.ts';
import { sslv2ClientHelloLine } from '../fingerprint/sslv2.ts';
import { parseClientHello } from '../handshake/client-hello.ts';
import { HANDSHAKE_TYPES } from '../handshake/header.ts';
import { helloServerName } from '../handshake/hello-fields.ts';
import { HandshakeReassembler } from '../handshake/reassembler.ts';
import {
  isSslv2ClientHello,
  parseSslv2ClientHello,
  type Sslv2ClientHello,
} from '../handshake/sslv2-client-hello.ts';
import type { ClientHello } from '../handshake/types.ts';
import { RecordDeframer } from '../records/deframer.ts';
import { CONTENT_TYPES, RECORD_HEADER_LENGTH } from '../records/record.ts';

/** What a peek read. */
export interface PeekedClientHello {
  /** The parsed ClientHello (lenient unless `strict`). */
  readonly hello: ClientHello;
  /** The records that carry the ClientHello, exactly as received. */
  readonly helloBytes: Uint8Array;
  /** Every byte read (the hello's records and anything after). */
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

/** Options of {@link ClientHelloPeek}. */
export interface ClientHelloPeekOptions {
  /** Most bytes read before giving up (default 65 536; a hello with post-quantum shares is ~1.8 KB). */
  readonly maxBytes?: number;
  /** Parse strictly (default false: odd hellos are still shown, their faults in `hello.problems`). */
  readonly strict?: boolean;
}

/**
 * A client's first flight, read chunk by chunk until its ClientHello is whole. A client that
 * sends something other than a ClientHello, or more than `maxBytes`, gets a
 * {@link ReadClientHelloError}; an SSLv2-compatible CLIENT-HELLO is `not-tls`, its whole record
 * read and carried decoded in `sslv2Hello`.
 * @example
 * const peek = new ClientHelloPeek({ maxBytes: 16_384 });
 * for await (const chunk of stream) { const done = peek.push(chunk); if (done) return done.hello; }
 * throw peek.closed();
 * @throws {RangeError} when `maxBytes` is too small to hold a record header and a handshake header
 */
export class ClientHelloPeek {
  private readonly chunks: Uint8Array[] = [];
  private readonly maxBytes: number;
  private readonly strict: boolean;
  private readonly deframer: RecordDeframer;
  private readonly reassembler: HandshakeReassembler;
  private total = 0;
  private reads = 0;
  private records = 0;
  /** What an SSLv2 CLIENT-HELLO whose record has not all arrived has sent so far, in words. */
  private sslv2Pending: string | null = null;

  constructor(options: ClientHelloPeekOptions = {}) {
    this.maxBytes = options.maxBytes ?? 65_536;
    this.strict = options.strict ?? false;
    if (!Number.isInteger(this.maxBytes) || this.maxBytes < RECORD_HEADER_LENGTH + 4) {
      throw new RangeError(
        `"maxBytes" expected an integer ≥ ${RECORD_HEADER_LENGTH + 4}, got ${this.maxBytes}`,
      );
    }
    this.deframer = new RecordDeframer({
      strict: false,
      maxBufferedBytes: Math.max(this.maxBytes, RECORD_HEADER_LENGTH + 1),
    });
    this.reassembler = new HandshakeReassembler({ maxMessageSize: this.maxBytes });
  }

  /** A copy of every byte received so far. */
  received(): Uint8Array {
    return concatBytes(...this.chunks);
  }

  /**
   * Takes the next chunk: the hello once it is whole, null while more bytes are needed.
   * @throws {ReadClientHelloError} when the client sent no readable ClientHello
   */
  push(chunk: Uint8Array): PeekedClientHello | null {
    this.reads++;
    // A plain view, whatever Uint8Array subclass the platform reads into (Node's Buffer).
    this.chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.total += chunk.length;
    // The first 3 bytes tell an SSLv2 hello (2-byte header, msg_type 1); they are usually all
    // in the first chunk, so the received bytes are only joined when they are not.
    if (
      this.records === 0 &&
      this.total >= 3 &&
      isSslv2ClientHello(this.chunks[0].length >= 3 ? this.chunks[0] : this.received())
    ) {
      this.sslv2(this.received());
      return null;
    }
    const helloLength = this.helloLength(chunk);
    if (helloLength === null) {
      if (this.total > this.maxBytes)
        throw this.error(
          'too-large',
          `the client sent ${this.total} bytes without completing a ClientHello (limit ${this.maxBytes})`,
        );
      return null;
    }
    // One read can carry many records: a hello cut into tiny records can complete inside a
    // single chunk while spanning more than maxBytes, so the limit is checked on the hello too.
    if (helloLength > this.maxBytes) {
      throw this.error(
        'too-large',
        `the client's hello spans ${helloLength} bytes of records (limit ${this.maxBytes})`,
      );
    }
    const bytes = this.received();
    const helloBytes = bytes.subarray(0, helloLength);
    let hello: ClientHello;
    try {
      hello = parseClientHello(helloBytes, { strict: this.strict });
    } catch (e) {
      throw this.error(
        'malformed',
        `the ClientHello does not parse: ${e instanceof Error ? e.message : String(e)}`,
        e,
      );
    }
    return { hello, helloBytes: helloBytes.slice(), bytes, records: this.records, reads: this.reads };
  }

  /** The error for a client that closed the connection before its hello was whole. */
  closed(): ReadClientHelloError {
    if (this.sslv2Pending) return this.notTls(`it sent ${this.sslv2Pending}, then closed the connection`);
    return this.error(
      'closed',
      this.total === 0
        ? 'the client closed the connection before sending anything'
        : `the client closed the connection after ${this.total} bytes, before its ClientHello was complete`,
    );
  }

  /** The error for a client whose hello was not whole within `timeoutMs`. */
  timedOut(timeoutMs: number): ReadClientHelloError {
    if (this.sslv2Pending)
      return this.notTls(`it sent ${this.sslv2Pending}, then nothing more within ${timeoutMs} ms`);
    const bytes = this.received();
    const what =
      this.total === 0
        ? 'nothing'
        : `${this.total} bytes${looksPrintable(bytes) ? ` (${JSON.stringify(latin1(bytes.subarray(0, 40)))})` : ''}`;
    return this.error('timeout', `no complete ClientHello within ${timeoutMs} ms (got ${what})`);
  }

  /** The length of the records that complete the hello with `chunk`, or null while it is not whole. */
  private helloLength(chunk: Uint8Array): number | null {
    try {
      for (const record of this.deframer.push(chunk)) {
        if (record.contentType !== CONTENT_TYPES.handshake) {
          throw this.error(
            'not-client-hello',
            `expected a handshake record (22) carrying a ClientHello, got content type ${record.contentType}`,
          );
        }
        this.records++;
        const messages = this.reassembler.push(record.fragment, record.offset + RECORD_HEADER_LENGTH);
        if (this.records === 1 && record.fragment[0] !== HANDSHAKE_TYPES.client_hello) {
          throw this.error(
            'not-client-hello',
            `expected a ClientHello (handshake type 1), got handshake type ${record.fragment[0]}`,
          );
        }
        if (messages.length > 0) return record.offset + RECORD_HEADER_LENGTH + record.fragment.length;
      }
      return null;
    } catch (e) {
      if (e instanceof ReadClientHelloError) throw e;
      if (e instanceof DecodeError) {
        if (e.code === 'not-tls') throw this.error('not-tls', `the client did not speak TLS: ${e.detail}`, e);
        if (e.code === 'too-large')
          throw this.error('too-large', `the client's hello is larger than ${this.maxBytes} bytes`, e);
        throw this.error('malformed', `the client's records do not decode: ${e.message}`, e);
      }
      throw this.error('malformed', `reading the hello failed: ${String(e)}`, e);
    }
  }

  /**
   * An SSLv2 CLIENT-HELLO is not-tls; its record is read (within maxBytes and the time limit)
   * so that the error carries it decoded. Throws once the record is whole.
   */
  private sslv2(bytes: Uint8Array): void {
    const recordLength = 2 + (((bytes[0] & 0x7f) << 8) | bytes[1]);
    if (recordLength > this.maxBytes) {
      throw this.notTls(
        `an SSLv2-compatible ClientHello of ${recordLength} bytes, more than the ${this.maxBytes}-byte limit`,
      );
    }
    if (bytes.length < recordLength) {
      this.sslv2Pending = `the start of an SSLv2-compatible ClientHello (${bytes.length} of ${recordLength} bytes)`;
      return;
    }
    let hello: Sslv2ClientHello;
    try {
      hello = parseSslv2ClientHello(bytes.subarray(0, recordLength), { strict: this.strict });
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      throw this.notTls(`an SSLv2-compatible ClientHello that does not decode: ${detail}`, e);
    }
    throw this.notTls(`it sent an ${sslv2ClientHelloLine(hello)}`, undefined, hello);
  }

  private notTls(detail: string, cause?: unknown, hello?: Sslv2ClientHello): ReadClientHelloError {
    return this.error('not-tls', `the client did not speak TLS: ${detail}`, cause, hello);
  }

  private error(
    code: ReadClientHelloErrorCode,
    message: string,
    cause?: unknown,
    sslv2Hello?: Sslv2ClientHello,
  ): ReadClientHelloError {
    return new ReadClientHelloError(code, message, this.received(), { cause, sslv2Hello });
  }
}

function looksPrintable(bytes: Uint8Array): boolean {
  return bytes.length > 0 && /^[\x20-\x7e\r\n\t]+$/.test(latin1(bytes.subarray(0, 40)));
}

/**
 * The host_name of a ClientHello's server_name extension (RFC 6066 §3), or null when there
 * is none (its typed value when decoded, else its body), so it works on any hello.
 * @example clientHelloServerName(parseClientHello(bytes)) // 'example.com'
 */
export function clientHelloServerName(hello: Pick<ClientHello, 'extensions'>): string | null {
  return helloServerName(hello);
}
