import { DecodeError } from '../../src/bytes/errors.ts';
import { Reader } from '../../src/bytes/reader.ts';
import { Writer } from '../../src/bytes/writer.ts';
import { decodeExtensions, encodeExtensions } from '../../src/extensions/block.ts';
import type { Extension, ExtensionCodec, MessageContext } from '../../src/extensions/types.ts';

/** Decodes one body with a codec as the extensions block does (the body must be used up). */
export function decodeWith<V>(
  codec: ExtensionCodec<V>,
  body: Uint8Array,
  context: MessageContext,
  strict = true,
): { value: V; reader: Reader } {
  const reader = new Reader(body, { strict, path: [codec.name] });
  const value = codec.decode(reader, context);
  reader.done();
  return { value, reader };
}

/** Encodes one body with a codec. */
export function encodeWith<V>(codec: ExtensionCodec<V>, value: V, context: MessageContext): Uint8Array {
  const w = new Writer(16);
  codec.encode(w, value, context);
  return w.finish();
}

/** The DecodeError `fn` throws (fails the test when it throws nothing or something else). */
export function decodeErrorOf(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError, nothing was thrown');
}

/**
 * Walks a ClientHello (one TLSPlaintext record or a bare handshake message) to its
 * extensions block, decodes it, and returns the block's bytes and extensions. Kept here so
 * these tests do not depend on the handshake layer.
 */
export function clientHelloExtensions(
  bytes: Uint8Array,
  strict = true,
): { block: Uint8Array; extensions: Extension[]; reader: Reader } {
  const r = new Reader(bytes, { strict, path: ['client_hello'] });
  if (bytes[0] === 22) r.bytes(5, 'record_header');
  if (r.u8('msg_type') !== 1) throw new Error('not a ClientHello');
  r.u24('length');
  r.u16('legacy_version');
  r.bytes(32, 'random');
  r.vectorBytes(1, 'legacy_session_id');
  r.vectorBytes(2, 'cipher_suites');
  r.vectorBytes(1, 'legacy_compression_methods');
  const start = r.pos;
  const extensions = decodeExtensions(r, 'client_hello');
  return { block: bytes.subarray(start, r.pos), extensions, reader: r };
}

/** Walks a ServerHello/HelloRetryRequest handshake message to its extensions. */
export function serverHelloExtensions(
  bytes: Uint8Array,
  context: MessageContext,
): { block: Uint8Array; extensions: Extension[] } {
  const r = new Reader(bytes, { path: ['server_hello'] });
  r.u8('msg_type');
  r.u24('length');
  r.u16('legacy_version');
  r.bytes(32, 'random');
  r.vectorBytes(1, 'legacy_session_id_echo');
  r.u16('cipher_suite');
  r.u8('legacy_compression_method');
  const start = r.pos;
  const extensions = decodeExtensions(r, context);
  return { block: bytes.subarray(start, r.pos), extensions };
}

/** Re-encodes an extensions block from its parsed extensions. */
export function encodeBlock(extensions: readonly Extension[]): Uint8Array {
  const w = new Writer();
  encodeExtensions(w, extensions);
  return w.finish();
}
