/**
 * SHA-256 and MD5 of the short texts a fingerprint hashes, as lower-case hex: @noble/hashes
 * does the hashing (the project's hash library; no second implementation of either here).
 */
import { md5 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../bytes/hex.ts';

/** SHA-256 of `bytes` as hex, cut to its first `hexDigits` digits (JA4 keeps 12). */
export function sha256Hex(bytes: Uint8Array, hexDigits: number = 64): string {
  const hex = toHex(sha256(bytes));
  return hexDigits >= 64 ? hex : hex.slice(0, hexDigits);
}

/** MD5 of `bytes` as hex (JA3, JA3S). */
export function md5Hex(bytes: Uint8Array): string {
  return toHex(md5(bytes));
}
