/**
 * SHA-256 and MD5 of the short texts a fingerprint hashes, as lower-case hex: @noble/hashes
 * does the hashing (the project's hash library; no second implementation of either here).
 *
 * Two things make it cheaper than calling `sha256(bytes)` per text, neither touching the hash:
 * - One hasher per algorithm, reset before each use from a pristine one with noble's own
 *   `_cloneInto` (what its HMAC does), its digest written into the hasher's own block buffer
 *   (see {@link Sha256}). A fresh hasher allocates its state, its block buffer and a DataView
 *   every call, about a third of the cost of hashing a JA4 list. (Fingerprints run
 *   synchronously, one at a time.)
 * - A bounded memo of the digests of the texts fingerprints hash ({@link memoSha256Hex},
 *   {@link memoMd5Hex}): the texts repeat heavily in real traffic (a capture holds a few
 *   client builds, each sending the same lists on every connection), and a hit costs a map
 *   lookup instead of a hash.
 */
import { _MD5 } from '@noble/hashes/legacy.js';
import { _SHA256 } from '@noble/hashes/sha2.js';
import { equalBytes } from '../bytes/hex.ts';

/** `00` to `ff`: a digest's bytes as hex text. */
const BYTE_TO_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * noble's hashers, able to digest into their own block buffer: `digestInto` reuses the
 * DataView it keeps for that buffer, where any other output array costs a new DataView (an
 * engine call, about a fifth of the hashing around the compression function for a JA4 list).
 * The next use starts from a pristine clone, which overwrites the buffer before reading it.
 */
class Sha256 extends _SHA256 {
  /** The digest, in the first 32 bytes of the returned array (valid until the next use). */
  digestHere(): Uint8Array {
    this.digestInto(this.buffer);
    return this.buffer;
  }
}

class Md5 extends _MD5 {
  /** The digest, in the first 16 bytes of the returned array (valid until the next use). */
  digestHere(): Uint8Array {
    this.digestInto(this.buffer);
    return this.buffer;
  }
}

const sha256Pristine = new Sha256();
const sha256Hasher = new Sha256();
const md5Pristine = new Md5();
const md5Hasher = new Md5();

/** The first `digits` lower-case hex digits of `digest`. */
function hexPrefix(digest: Uint8Array, digits: number): string {
  let out = '';
  const bytes = digits >> 1;
  for (let i = 0; i < bytes; i++) out += BYTE_TO_HEX[digest[i]];
  return digits & 1 ? out + BYTE_TO_HEX[digest[bytes]][0] : out;
}

/** SHA-256 of `bytes` as hex, cut to its first `hexDigits` digits (JA4 keeps 12). */
export function sha256Hex(bytes: Uint8Array, hexDigits: number = 64): string {
  sha256Pristine._cloneInto(sha256Hasher);
  return hexPrefix(sha256Hasher.update(bytes).digestHere(), Math.min(hexDigits, 64));
}

/** MD5 of `bytes` as hex (JA3, JA3S). */
export function md5Hex(bytes: Uint8Array): string {
  md5Pristine._cloneInto(md5Hasher);
  return hexPrefix(md5Hasher.update(bytes).digestHere(), 32);
}

/** Most texts each memo keeps; when full, the oldest entry goes (first in, first out). */
export const MEMO_ENTRIES = 4096;
/**
 * Longest text a memo keeps (bytes). Real hellos' JA4 lists and JA3 strings are 80–400
 * bytes; a hostile hello with thousands of ciphers is hashed every time rather than held.
 * With {@link MEMO_ENTRIES}, a memo holds at most about 4 MiB of texts.
 */
export const MEMO_TEXT_LIMIT = 1024;

/** Most texts sharing one bucket (see {@link DigestMemo}). */
const MEMO_CHAIN = 4;

/** A text the memo holds, its digest, and the next text of its bucket. */
interface MemoEntry {
  readonly hash: number;
  readonly text: Uint8Array;
  readonly digest: string;
  next: MemoEntry | undefined;
}

/**
 * A digest function memoised by the exact bytes hashed, bounded in entries and text length.
 * Keyed by a 30-bit index of the bytes ({@link memoIndex}) and then compared byte for byte, so no string is made
 * of the text to look it up (a string key cost as much as the lookup saved). A bucket holds
 * at most {@link MEMO_CHAIN} texts: texts made to collide are hashed every time instead of
 * making every lookup of their bucket long.
 */
class DigestMemo {
  private readonly buckets = new Map<number, MemoEntry>();
  /** Every entry in insertion order, a ring once full: `order[oldest]` goes next. */
  private readonly order: MemoEntry[] = [];
  private oldest = 0;
  private readonly digest: (bytes: Uint8Array) => string;

  constructor(digest: (bytes: Uint8Array) => string) {
    this.digest = digest;
  }

  get(bytes: Uint8Array): string {
    if (!memoEnabled || bytes.length > MEMO_TEXT_LIMIT) return this.digest(bytes);
    const hash = memoIndex(bytes);
    const head = this.buckets.get(hash);
    let chain = 0;
    for (let e = head; e !== undefined; e = e.next, chain++) if (equalBytes(e.text, bytes)) return e.digest;
    const digest = this.digest(bytes);
    if (chain < MEMO_CHAIN) this.add({ hash, text: bytes.slice(), digest, next: head });
    return digest;
  }

  private add(entry: MemoEntry): void {
    if (this.order.length < MEMO_ENTRIES) {
      this.order.push(entry);
    } else {
      this.remove(this.order[this.oldest]);
      this.order[this.oldest] = entry;
      this.oldest = this.oldest + 1 === MEMO_ENTRIES ? 0 : this.oldest + 1;
    }
    this.buckets.set(entry.hash, entry);
  }

  private remove(entry: MemoEntry): void {
    const head = this.buckets.get(entry.hash);
    if (head === entry) {
      if (entry.next === undefined) this.buckets.delete(entry.hash);
      else this.buckets.set(entry.hash, entry.next);
      return;
    }
    for (let e = head; e !== undefined; e = e.next) {
      if (e.next === entry) {
        e.next = entry.next;
        return;
      }
    }
  }

  get size(): number {
    return this.order.length;
  }

  clear(): void {
    this.buckets.clear();
    this.order.length = 0;
    this.oldest = 0;
  }
}

/**
 * A 30-bit index of `bytes` into the memo, not a digest (the texts are compared in full):
 * four bytes a step, each step a multiply and a shift that brings the high bits down, so a
 * 300-byte text is 75 steps rather than 300 of byte-at-a-time FNV-1a.
 */
export function memoIndex(bytes: Uint8Array): number {
  const n = bytes.length;
  let h = 0x811c9dc5 ^ n;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    h = Math.imul(
      h ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)),
      0x9e3779b1,
    );
    h ^= h >>> 15;
  }
  for (; i < n; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  // 30 bits: a small integer to the engine (V8's Smi), so the map neither boxes nor hashes it.
  return (h ^ (h >>> 16)) & 0x3fffffff;
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
