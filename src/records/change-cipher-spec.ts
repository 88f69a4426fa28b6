/**
 * change_cipher_spec (RFC 5246 §7.1): one byte, 1. In TLS 1.3 it survives only as the
 * middlebox-compatibility record (RFC 8446 §5, Appendix D.4).
 */
import { Reader, type ReaderOptions } from '../bytes/reader.ts';
import { CONTENT_TYPES, type TLSPlaintext } from './record.ts';

/**
 * Checks a change_cipher_spec fragment: exactly the byte 0x01 (else `unexpected_message`,
 * as RFC 8446 §5 requires of a TLS 1.3 peer). Lenient mode records a wrong value.
 * @throws {DecodeError}
 */
export function decodeChangeCipherSpec(
  bytes: Uint8Array,
  options: ReaderOptions = {},
): { readonly value: number } {
  const r = new Reader(bytes, { path: ['change_cipher_spec'], ...options });
  const at = r.pos;
  const value = r.u8('type');
  if (value !== 1) {
    r.problem('illegal-value', `change_cipher_spec value ${value}, expected 1`, {
      at,
      field: 'type',
      alert: 'unexpected_message',
    });
  }
  r.done();
  return { value };
}

/** The change_cipher_spec fragment, `01`. */
export function encodeChangeCipherSpec(): Uint8Array {
  return new Uint8Array([1]);
}

/** A change_cipher_spec record. @example changeCipherSpecRecord() // 14 03 03 00 01 01 */
export function changeCipherSpecRecord(version = 0x0303): TLSPlaintext {
  return { contentType: CONTENT_TYPES.change_cipher_spec, version, fragment: encodeChangeCipherSpec() };
}
