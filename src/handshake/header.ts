/**
 * The handshake message header (RFC 8446 §4): `HandshakeType msg_type; uint24 length`.
 */
import type { Reader } from '../bytes/reader.ts';
import { Writer } from '../bytes/writer.ts';
import { HANDSHAKE_TYPE } from '../iana/handshake-types.ts';
import { handshakeTypeRegistry } from '../iana/lookup.ts';

/** HandshakeType codes by name, from the IANA layer. */
export const HANDSHAKE_TYPES: typeof HANDSHAKE_TYPE = HANDSHAKE_TYPE;

/**
 * The name of a handshake type code, or `unknown(0x…)`.
 * @example handshakeTypeName(2) // 'server_hello'
 */
export function handshakeTypeName(code: number): string {
  return handshakeTypeRegistry.name(code);
}

/** Size of the handshake header. */
export const HANDSHAKE_HEADER_LENGTH = 4;

/** A handshake header. */
export interface HandshakeHeader {
  readonly msgType: number;
  /** Body length as written in the header. */
  readonly length: number;
}

/**
 * Reads a header and returns it with a reader bounded to the body (`truncated` when the
 * body is cut short).
 */
export function readHandshakeHeader(r: Reader): { header: HandshakeHeader; body: Reader } {
  const msgType = r.u8('msg_type');
  const body = r.vector(3, 'length');
  return { header: { msgType, length: body.remaining }, body };
}

/**
 * A whole handshake message: header and body. `lengthOverride` forges the u24 length.
 * @example encodeHandshake(14, new Uint8Array(0)) // ServerHelloDone: 0e 00 00 00
 */
export function encodeHandshake(msgType: number, body: Uint8Array, lengthOverride?: number): Uint8Array {
  const w = new Writer(body.length + HANDSHAKE_HEADER_LENGTH);
  w.u8(msgType, 'msg_type');
  w.vector(3, handshakeTypeName(msgType), body, lengthOverride);
  return w.finish();
}

/** Writes a handshake message whose body `fn` writes into `w`. */
export function writeHandshake(
  w: Writer,
  msgType: number,
  fn: (w: Writer) => void,
  lengthOverride?: number,
): void {
  w.u8(msgType, 'msg_type');
  w.prefixed(3, handshakeTypeName(msgType), fn, lengthOverride);
}
