/**
 * QUIC variable-length integers (RFC 9000 §16) as plain functions over bytes, for callers
 * without a Reader or Writer at hand. Both go through `Reader.varint` and `Writer.varint`,
 * the one implementation.
 */
import { DecodeError } from '../bytes/errors.ts';
import { Reader } from '../bytes/reader.ts';
import { Writer } from '../bytes/writer.ts';

/**
 * Reads a QUIC variable-length integer at `pos` (RFC 9000 §16); undefined when it runs past `end`.
 * @example readVarint(Uint8Array.of(0x40, 0x25), 0, 2) // { value: 37, next: 2 }
 */
export function readVarint(
  b: Uint8Array,
  pos: number,
  end: number,
): { value: number; next: number } | undefined {
  const r = new Reader(b.subarray(0, end));
  r.pos = pos;
  try {
    return { value: r.varint('varint'), next: r.pos };
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}

/**
 * QUIC variable-length integer (RFC 9000 §16), shortest form.
 * @throws {RangeError} for a value that is not a safe non-negative integer
 * @example encodeVarint(16384) // 80 00 40 00
 */
export function encodeVarint(value: number): Uint8Array {
  return new Writer(8).varint(value, 'varint').finish();
}
