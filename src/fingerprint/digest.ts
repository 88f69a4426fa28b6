/**
 * SHA-256 and MD5 of the short texts a fingerprint hashes, as lower-case hex: @noble/hashes
 * does the hashing (the project's hash library; no second implementation of either here).
 *
 * Two things make it cheaper than calling `sha256(bytes)` per text, neither touching the hash:
 * - One hasher per algorithm, reset before each use from a pristine one with noble's own
 *   `_cloneInto` (what its HMAC does), its digest written into one reused array. A fresh
 *   hasher allocates its state, its block buffer and a DataView every call, about a third of
 *   the cost of hashing a JA4 list. (Fingerprints run synchronously, one at a time.)
 * - A bounded memo of the digests of the texts fingerprints hash ({@link memoSha256Hex},
 *   {@link memoMd5Hex}): the texts repeat heavily in real traffic (a capture holds a few
 *   client builds, each sending the same lists on every connection), and a hit costs a map
 *   lookup instead of a hash.
 */
import { _MD5 } from '@noble/hashes/legacy.js';
import { _SHA256 } from '@noble/hashes/sha2.js';
import { toHex } from '../bytes/hex.ts';

const sha256Pristine = new _SHA256();
const sha256Hasher = new _SHA256();
const sha256Digest = new Uint8Array(32);
const md5Pristine = new _MD5();
const md5Hasher = new _MD5();
const md5Digest = new Uint8Array(16);

/** SHA-256 of `bytes` as hex, cut to its first `hexDigits` digits (JA4 keeps 12). */
export function sha256Hex(bytes: Uint8Array, hexDigits: number = 64): string {
  sha256Pristine._cloneInto(sha256Hasher);
  sha256Hasher.update(bytes).digestInto(sha256Digest);
  if (hexDigits >= 64) return toHex(sha256Digest);
  // Only the bytes the digits come from are written out.
  return toHex(sha256Digest.subarray(0, (hexDigits + 1) >> 1)).slice(0, hexDigits);
}

/** MD5 of `bytes` as hex (JA3, JA3S). */
export function md5Hex(bytes: Uint8Array): string {
  md5Pristine._cloneInto(md5Hasher);
  md5Hasher.update(bytes).digestInto(md5Digest);
  return toHex(md5Digest);
}

/** Most texts each memo keeps; when full, the oldest entry goes (first in, first out). */
export const MEMO_ENTRIES = 4096;
/**
 * Longest text a memo keeps (bytes). Real hellos' JA4 lists and JA3 strings are 80–400
 * bytes; a hostile hello with thousands of ciphers is hashed every time rather than held.
 * With {@link MEMO_ENTRIES}, a memo holds at most about 4 MiB of keys.
 */
export const MEMO_TEXT_LIMIT = 1024;

/**
 * Valid UTF-8 decodes to one string only (no replacement characters: `fatal`; a leading BOM
 * kept: `ignoreBOM`), so the string is an exact key of the bytes. Fingerprint texts are ASCII.
 */
const EXACT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A digest function memoised by the exact bytes hashed, bounded in entries and text length. */
class DigestMemo {
  private readonly map = new Map<string, string>();
  private readonly digest: (bytes: Uint8Array) => string;

  constructor(digest: (bytes: Uint8Array) => string) {
    this.digest = digest;
  }

  get(bytes: Uint8Array): string {
    if (!memoEnabled || bytes.length > MEMO_TEXT_LIMIT) return this.digest(bytes);
    let key: string;
    try {
      key = EXACT.decode(bytes);
    } catch {
      return this.digest(bytes);
    }
    const known = this.map.get(key);
    if (known !== undefined) return known;
    const value = this.digest(bytes);
    if (this.map.size >= MEMO_ENTRIES) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, value);
    return value;
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}

let memoEnabled = true;
const sha256Memo12 = new DigestMemo((bytes) => sha256Hex(bytes, 12));
const md5Memo = new DigestMemo(md5Hex);

/** {@link sha256Hex} to 12 digits (JA4's parts b and c), memoised by the exact text. */
export function memoSha256Hex12(bytes: Uint8Array): string {
  return sha256Memo12.get(bytes);
}

/** {@link md5Hex} (JA3), memoised by the exact text. */
export function memoMd5Hex(bytes: Uint8Array): string {
  return md5Memo.get(bytes);
}

/**
 * Internal switch for the bench and the tests: with `false` every text is hashed (what the
 * figures "without the memo" measure). Either way the memos are emptied.
 */
export function setDigestMemo(enabled: boolean): void {
  memoEnabled = enabled;
  sha256Memo12.clear();
  md5Memo.clear();
}

/** How many texts the memos hold now (the tests check they stay bounded). */
export function digestMemoSizes(): { sha256: number; md5: number } {
  return { sha256: sha256Memo12.size, md5: md5Memo.size };
}
