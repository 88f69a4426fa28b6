/**
 * SHA-256 and MD5 of a range of bytes as lower-case hex, by @noble/hashes (the project's hash
 * library; no second implementation of either here), cheaper than `sha256(bytes)` per text:
 * one hasher per algorithm, reset before each use from a pristine one with noble's own
 * `_cloneInto` (what its HMAC does), the text's whole blocks read through the caller's
 * DataView and the digest written into the hasher's own block buffer (see
 * {@link digestRange}). A fresh hasher allocates its state, its block buffer and a DataView
 * every call, about a third of the cost of hashing a JA4 list. (Fingerprints run
 * synchronously, one at a time.)
 *
 * The bin gives digest.ts src/node/native-hex-digests.ts instead (the same two functions by
 * Node's OpenSSL, several times faster on a JA3 or JA4 text); the library keeps noble, which
 * runs everywhere.
 */
import { _MD5 } from '@noble/hashes/legacy.js';
import { _SHA256 } from '@noble/hashes/sha2.js';

/** `00` to `ff`: a digest's bytes as hex text. */
const BYTE_TO_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Bytes to hash with a DataView over the same memory that their owner keeps (`view` reads
 * `bytes[i]` at offset `i`): noble reads whole blocks through a DataView, and making one per
 * text (what `update` does) is an engine call that costs about a fifth of the work around
 * the compression function for a JA4 list. {@link AsciiText} is one.
 */
export interface ViewedBytes {
  readonly bytes: Uint8Array;
  readonly view: DataView;
}

/**
 * The members of noble's `HashMD` (the base of its SHA-256 and MD5) that {@link digestRange}
 * drives: plain fields and methods in its code, `protected` in its types.
 */
interface HashState {
  readonly blockLen: number;
  readonly outputLen: number;
  readonly buffer: Uint8Array;
  pos: number;
  length: number;
  process(view: DataView, offset: number): void;
  digestInto(out: Uint8Array): void;
}

/**
 * The digest of `text.bytes[from, to)` by a fresh hasher (a pristine one `_cloneInto` it:
 * nothing buffered, length 0), in the first `outputLen` bytes of the returned array (the
 * hasher's buffer: valid until its next use). What noble's `update` and `digestInto` do,
 * with whole blocks read through the caller's view instead of a new DataView, the tail
 * copied into the hasher's buffer, and `digestInto` given that buffer, whose DataView noble
 * keeps. The compression function and the padding stay noble's.
 */
function digestRange(hasher: _SHA256 | _MD5, text: ViewedBytes, from: number, to: number): Uint8Array {
  const h = hasher as unknown as HashState;
  const { bytes, view } = text;
  const block = h.blockLen;
  let p = from;
  for (; to - p >= block; p += block) h.process(view, p);
  const buffer = h.buffer;
  for (let i = 0; p + i < to; i++) buffer[i] = bytes[p + i];
  h.pos = to - p;
  h.length = to - from;
  h.digestInto(buffer);
  return buffer;
}

const sha256Pristine = new _SHA256();
const sha256Hasher = new _SHA256();
const md5Pristine = new _MD5();
const md5Hasher = new _MD5();

/** The first `digits` lower-case hex digits of `digest`. */
function hexPrefix(digest: Uint8Array, digits: number): string {
  let out = '';
  const bytes = digits >> 1;
  for (let i = 0; i < bytes; i++) out += BYTE_TO_HEX[digest[i]];
  return digits & 1 ? out + BYTE_TO_HEX[digest[bytes]][0] : out;
}

function sha256Digest(text: ViewedBytes, from: number, to: number): Uint8Array {
  sha256Pristine._cloneInto(sha256Hasher);
  return digestRange(sha256Hasher, text, from, to);
}

function md5Digest(text: ViewedBytes, from: number, to: number): Uint8Array {
  md5Pristine._cloneInto(md5Hasher);
  return digestRange(md5Hasher, text, from, to);
}

/** SHA-256 of `text.bytes[from, to)` as hex, cut to its first `hexDigits` digits (JA4 keeps 12). */
export function sha256HexOf(text: ViewedBytes, from: number, to: number, hexDigits: number = 64): string {
  return hexPrefix(sha256Digest(text, from, to), Math.min(hexDigits, 64));
}

/** MD5 of `text.bytes[from, to)` as hex (JA3). */
export function md5HexOf(text: ViewedBytes, from: number, to: number): string {
  return hexPrefix(md5Digest(text, from, to), 32);
}
