/**
 * ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3), HelloRetryRequest (a ServerHello whose
 * random is SHA-256("HelloRetryRequest")) and the downgrade sentinels.
 */
import type { Problem } from '../bytes/errors.ts';
import { equalBytes, fromHex } from '../bytes/hex.ts';
import { Reader, type ReaderOptions } from '../bytes/reader.ts';
import { Writer } from '../bytes/writer.ts';
import { decodeExtensions, encodeExtensions } from '../extensions/block.ts';
import type { Extension } from '../extensions/types.ts';
import { HANDSHAKE_TYPES, handshakeTypeName, writeHandshake } from './header.ts';

/** SHA-256("HelloRetryRequest"), the random of every HelloRetryRequest (RFC 8446 §4.1.3). */
export const HELLO_RETRY_REQUEST_RANDOM: Uint8Array = fromHex(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c',
);

/**
 * Last 8 bytes of a TLS 1.3-capable server's random when it negotiates TLS 1.2
 * (`DOWNGRD\x01`) or TLS 1.1 and below (`DOWNGRD\x00`) (RFC 8446 §4.1.3).
 */
export const DOWNGRADE_SENTINELS: { readonly tls12: Uint8Array; readonly tls11: Uint8Array } = {
  tls12: fromHex('444f574e47524401'),
  tls11: fromHex('444f574e47524400'),
};

const SUPPORTED_VERSIONS = 43;

/** Deliberately wrong length fields of a ServerHello. */
export interface ServerHelloLengthOverrides {
  readonly handshake?: number;
  readonly legacySessionIdEcho?: number;
  readonly extensions?: number;
}

/**
 * A ServerHello or HelloRetryRequest. The wire fields are the truth; `helloRetryRequest`,
 * `downgrade` and `version` are derived from them at parse time (edit the wire fields to
 * change them).
 */
export interface ServerHello {
  readonly type: 'server_hello';
  readonly legacyVersion: number;
  /** 32 bytes. */
  readonly random: Uint8Array;
  readonly legacySessionIdEcho: Uint8Array;
  readonly cipherSuite: number;
  readonly legacyCompressionMethod: number;
  /** `null` when the message has no extensions block (TLS 1.2 and older may omit it). */
  readonly extensions: readonly Extension[] | null;
  /** True when `random` is the HelloRetryRequest value. */
  readonly helloRetryRequest: boolean;
  /** The downgrade sentinel found in the last 8 bytes of `random`, if any. */
  readonly downgrade: 'tls12' | 'tls11' | null;
  /** The negotiated version: supported_versions' selected_version when present, else legacy_version. */
  readonly version: number;
  /** Bytes after the extensions (lenient only). */
  readonly trailing?: Uint8Array;
  readonly lengthOverrides?: ServerHelloLengthOverrides;
  readonly problems?: readonly Problem[];
}

/** True when `random` is SHA-256("HelloRetryRequest"). */
export function isHelloRetryRequestRandom(random: Uint8Array): boolean {
  return equalBytes(random, HELLO_RETRY_REQUEST_RANDOM);
}

/** Which downgrade sentinel ends `random`, if any. */
export function downgradeSentinel(random: Uint8Array): 'tls12' | 'tls11' | null {
  if (random.length < 8) return null;
  const tail = random.subarray(random.length - 8);
  if (equalBytes(tail, DOWNGRADE_SENTINELS.tls12)) return 'tls12';
  if (equalBytes(tail, DOWNGRADE_SENTINELS.tls11)) return 'tls11';
  return null;
}

/**
 * Reads a ServerHello body; extensions are decoded in the `hello_retry_request` context when
 * the random says HelloRetryRequest. Leftover bytes are `trailing` (lenient: kept).
 */
export function readServerHelloBody(r: Reader): ServerHello {
  const legacyVersion = r.u16('legacy_version');
  const random = r.bytes(32, 'random');
  const legacySessionIdEcho = r.vectorBytes(1, 'legacy_session_id_echo', { max: 32 });
  const cipherSuite = r.u16('cipher_suite');
  const legacyCompressionMethod = r.u8('legacy_compression_method');
  const helloRetryRequest = isHelloRetryRequestRandom(random);
  const extensions = r.atEnd
    ? null
    : decodeExtensions(r, helloRetryRequest ? 'hello_retry_request' : 'server_hello');
  let trailing: Uint8Array | undefined;
  if (!r.atEnd) {
    const n = r.remaining;
    r.problem('trailing', `${n} unread byte${n === 1 ? '' : 's'} after the extensions`);
    trailing = r.rest();
  }
  return {
    type: 'server_hello',
    legacyVersion,
    random,
    legacySessionIdEcho,
    cipherSuite,
    legacyCompressionMethod,
    extensions,
    helloRetryRequest,
    downgrade: downgradeSentinel(random),
    version: selectedVersion(extensions) ?? legacyVersion,
    ...(trailing ? { trailing } : {}),
  };
}

/** supported_versions' selected_version (2-byte body in ServerHello/HRR), if present and well formed. */
function selectedVersion(extensions: readonly Extension[] | null): number | null {
  const ext = extensions?.find((e) => e.type === SUPPORTED_VERSIONS);
  if (ext?.body.length !== 2) return null;
  return (ext.body[0] << 8) | ext.body[1];
}

/**
 * Parses a bare ServerHello handshake message (header and body). Zero-copy: byte fields
 * (`random`, extension bodies) are views into `bytes`.
 * @example parseServerHello(bytes).helloRetryRequest
 * @throws {DecodeError}
 */
export function parseServerHello(bytes: Uint8Array, options: ReaderOptions = {}): ServerHello {
  const r = new Reader(bytes, { path: ['server_hello'], ...options });
  const typeAt = r.pos;
  const msgType = r.u8('msg_type');
  if (msgType !== HANDSHAKE_TYPES.server_hello) {
    r.fail(
      'unexpected-message',
      `expected server_hello (2), got ${handshakeTypeName(msgType)} (${msgType})`,
      {
        at: typeAt,
        alert: 'unexpected_message',
      },
    );
  }
  const hello = readServerHelloBody(r.vector(3, 'length'));
  r.done();
  return r.strict ? hello : { ...hello, problems: r.problems };
}

/** Writes a ServerHello body. @throws {RangeError} when `random` is not 32 bytes */
export function writeServerHelloBody(w: Writer, hello: ServerHello): void {
  if (hello.random.length !== 32) {
    throw new RangeError(`"random" expected Uint8Array of length 32, got ${hello.random.length}`);
  }
  const o = hello.lengthOverrides ?? {};
  w.u16(hello.legacyVersion, 'legacy_version');
  w.bytes(hello.random);
  w.vector(1, 'legacy_session_id_echo', hello.legacySessionIdEcho, o.legacySessionIdEcho);
  w.u16(hello.cipherSuite, 'cipher_suite');
  w.u8(hello.legacyCompressionMethod, 'legacy_compression_method');
  if (hello.extensions !== null) encodeExtensions(w, hello.extensions, o.extensions);
  if (hello.trailing) w.bytes(hello.trailing);
}

/** The ServerHello handshake message (header and body). */
export function encodeServerHello(hello: ServerHello): Uint8Array {
  const w = new Writer(128);
  writeHandshake(
    w,
    HANDSHAKE_TYPES.server_hello,
    (w) => writeServerHelloBody(w, hello),
    hello.lengthOverrides?.handshake,
  );
  return w.finish();
}
