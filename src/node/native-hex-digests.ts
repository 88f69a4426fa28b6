/**
 * SHA-256 and MD5 of a range of bytes as lower-case hex by Node's crypto (OpenSSL): what
 * src/fingerprint/hex-digests.ts does with noble, for the bin (scripts/build/bundle.mjs gives
 * digest.ts this module instead). A JA3 or JA4 text of a few hundred bytes is hashed several
 * times faster so; `hellokit pcap` hashes up to five per handshake when its memo misses (a
 * browser that shuffles its extensions makes a new JA3 and JA4_o text every connection). The
 * library keeps noble, which runs everywhere.
 */
import * as crypto from 'node:crypto';
import type { ViewedBytes } from '../fingerprint/hex-digests.ts';

export type { ViewedBytes };

/** `crypto.hash` (one call, no Hash object): Node 20.12 and later. */
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'hex') => string }).hash;

function hexOf(algorithm: 'sha256' | 'md5', data: Uint8Array): string {
  return oneShot ? oneShot(algorithm, data, 'hex') : crypto.createHash(algorithm).update(data).digest('hex');
}

/** SHA-256 of `text.bytes[from, to)` as hex, cut to its first `hexDigits` digits (JA4 keeps 12). */
export function sha256HexOf(text: ViewedBytes, from: number, to: number, hexDigits: number = 64): string {
  const hex = hexOf('sha256', text.bytes.subarray(from, to));
  return hexDigits >= 64 ? hex : hex.slice(0, Math.max(0, hexDigits));
}

/** MD5 of `text.bytes[from, to)` as hex (JA3). */
export function md5HexOf(text: ViewedBytes, from: number, to: number): string {
  return hexOf('md5', text.bytes.subarray(from, to));
}
