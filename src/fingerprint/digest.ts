/**
 * SHA-256 and MD5 of the short texts a fingerprint hashes, as lower-case hex (hex-digests.ts
 * hashes a range of bytes: noble in the library, OpenSSL in the bin), and a bounded memo of
 * the digests of those texts ({@link memoSha256Hex}, {@link memoMd5Hex}): the texts repeat
 * heavily in real traffic (a capture holds a few client builds, each sending the same lists on
 * every connection), and a hit costs a map lookup instead of a hash.
 */
import { md5HexOf, sha256HexOf, type ViewedBytes } from './hex-digests.ts';

export { md5HexOf, sha256HexOf, type ViewedBytes };

/** `bytes` with a DataView made for them (for callers that keep none). */
function viewed(bytes: Uint8Array): ViewedBytes {
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** SHA-256 of `bytes` as hex, cut to its first `hexDigits` digits. */
export function sha256Hex(bytes: Uint8Array, hexDigits: number = 64): string {
  return sha256HexOf(viewed(bytes), 0, bytes.length, hexDigits);
}

/** MD5 of `bytes` as hex (JA3S). */
export function md5Hex(bytes: Uint8Array): string {
  return md5HexOf(viewed(bytes), 0, bytes.length);
}

/** Most texts each memo keeps; when full, the oldest entry goes (first in, first out). */
export const MEMO_ENTRIES = 2048;
/**
 * Lookups a memo counts its hits over. A memo that found fewer than one text in
 * {@link MEMO_SPARSE} of a window stops looking up and keeping texts for
 * {@link MEMO_PAUSE} lookups (it hashes them), then tries again: the texts of a browser that
 * shuffles its extensions (JA3, JA4_o's part c) never repeat, and a miss costs a copy of the
 * text and a map entry on top of the hash.
 */
export const MEMO_WINDOW: number = 1024;
/** A window with fewer hits than one lookup in this many pauses the memo. */
export const MEMO_SPARSE: number = 16;
/** Lookups a paused memo leaves to the hash. */
export const MEMO_PAUSE: number = 16 * MEMO_WINDOW;
/**
 * Longest text a memo keeps (bytes). Real hellos' JA4 lists and JA3 strings are 80–400
 * bytes; a hostile hello with thousands of ciphers is hashed every time rather than held.
 * With {@link MEMO_ENTRIES}, a memo holds at most about 2 MiB of texts.
 */
export const MEMO_TEXT_LIMIT = 1024;

/** Most texts sharing one bucket (see {@link DigestMemo}). */
const MEMO_CHAIN = 4;

/** A text the memo holds, what it stands for, and the next text of its bucket. */
interface MemoEntry<V> {
  readonly hash: number;
  /** The text (a copy, a buffer of its own), read four bytes at a time. */
  readonly text: DataView;
  readonly value: V;
  next: MemoEntry<V> | undefined;
}

/**
 * Values memoised by the exact bytes of a text, bounded in entries and text length: a digest
 * by the text hashed ({@link DigestMemo}), or every fingerprint of a hello by the lists they
 * are made of (client-fingerprints.ts). Keyed by a 30-bit index of the bytes
 * ({@link memoIndex}) and then compared byte for byte, so no string is made of the text to
 * look it up (a string key cost as much as the lookup saved). A bucket holds at most
 * {@link MEMO_CHAIN} texts: texts made to collide are computed every time instead of making
 * every lookup of their bucket long. {@link find} a value; on a miss, compute it and
 * {@link keep} it.
 */
export class TextMemo<V> {
  private readonly buckets = new Map<number, MemoEntry<V>>();
  /** Every entry in insertion order, a ring once full: `order[oldest]` goes next. */
  private readonly order: MemoEntry<V>[] = [];
  private oldest = 0;
  private readonly entries: number;
  private readonly sparse: number;
  /** Lookups so far, hits in the current window, and the last lookup of a pause. */
  private lookups = 0;
  private hits = 0;
  private pausedUntil = 0;
  /** Set by a miss that may keep its text: the text's index (see {@link keep}). */
  private missed = -1;

  /**
   * `entries`: most texts kept. `sparse`: a window with fewer hits than one lookup in this many
   * pauses the memo (see {@link MEMO_SPARSE}).
   */
  constructor(entries: number = MEMO_ENTRIES, sparse: number = MEMO_SPARSE) {
    this.entries = entries;
    this.sparse = sparse;
    memos.push(this);
  }

  /**
   * The value kept for `text.bytes[from, to)`, or undefined: then, unless the memo is off,
   * paused, or the text too long, {@link keep} keeps the value the caller computes for it.
   */
  find(text: ViewedBytes, from: number, to: number): V | undefined {
    this.missed = -1;
    if (!memoEnabled || to - from > MEMO_TEXT_LIMIT) return undefined;
    const lookup = ++this.lookups;
    if (lookup <= this.pausedUntil) return undefined;
    if (lookup % MEMO_WINDOW === 0) {
      // Fewer hits than that over the window: texts here do not repeat, so stop looking for a while.
      if (this.hits * this.sparse < MEMO_WINDOW) this.pausedUntil = lookup + MEMO_PAUSE;
      this.hits = 0;
    }
    const hash = indexOf(text.view, from, to);
    let chain = 0;
    for (let e = this.buckets.get(hash); e !== undefined; e = e.next, chain++) {
      if (sameText(e.text, text.view, from, to)) {
        this.hits++;
        return e.value;
      }
    }
    if (chain < MEMO_CHAIN) this.missed = hash;
    return undefined;
  }

  /**
   * Counts a lookup that would find nothing (the memo is off or pausing) and returns true; false
   * when {@link find} should be asked. A caller whose text costs something to make asks this first.
   */
  skips(): boolean {
    if (memoEnabled && this.lookups >= this.pausedUntil) return false;
    this.lookups++;
    this.missed = -1;
    return true;
  }

  /** True when the last {@link find} missed a text that {@link keep} would keep. */
  get keeping(): boolean {
    return this.missed >= 0;
  }

  /** Keeps `value` for the text the last {@link find} missed (the same `text`, `from` and `to`). */
  keep(text: ViewedBytes, from: number, to: number, value: V): void {
    const hash = this.missed;
    if (hash < 0) return;
    this.missed = -1;
    const kept = text.bytes.slice(from, to);
    this.add({ hash, text: new DataView(kept.buffer), value, next: this.buckets.get(hash) });
  }

  private add(entry: MemoEntry<V>): void {
    if (this.order.length < this.entries) {
      this.order.push(entry);
    } else {
      this.remove(this.order[this.oldest]);
      this.order[this.oldest] = entry;
      this.oldest = this.oldest + 1 === this.entries ? 0 : this.oldest + 1;
    }
    this.buckets.set(entry.hash, entry);
  }

  private remove(entry: MemoEntry<V>): void {
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

  /** Texts held. */
  get size(): number {
    return this.order.length;
  }

  clear(): void {
    this.buckets.clear();
    this.order.length = 0;
    this.oldest = 0;
    this.lookups = 0;
    this.hits = 0;
    this.pausedUntil = 0;
    this.missed = -1;
  }
}

/** A digest function memoised by the exact bytes hashed. */
class DigestMemo {
  readonly memo: TextMemo<string> = new TextMemo<string>();
  private readonly digest: (text: ViewedBytes, from: number, to: number) => string;

  constructor(digest: (text: ViewedBytes, from: number, to: number) => string) {
    this.digest = digest;
  }

  /** The digest of `text.bytes[from, to)`. */
  get(text: ViewedBytes, from: number, to: number): string {
    const memo = this.memo;
    const found = memo.find(text, from, to);
    if (found !== undefined) return found;
    const digest = this.digest(text, from, to);
    memo.keep(text, from, to, digest);
    return digest;
  }
}

/** True when `kept` holds the bytes of `view[from, to)`: four bytes a comparison. */
function sameText(kept: DataView, view: DataView, from: number, to: number): boolean {
  const n = to - from;
  if (kept.byteLength !== n) return false;
  let i = 0;
  for (; i + 4 <= n; i += 4) if (kept.getInt32(i) !== view.getInt32(from + i)) return false;
  for (; i < n; i++) if (kept.getUint8(i) !== view.getUint8(from + i)) return false;
  return true;
}

/**
 * A 30-bit index of `bytes[from, to)` into the memo, not a digest (the texts are compared in
 * full): four bytes a step, each step a multiply and a shift that brings the high bits down,
 * so a 300-byte text is 75 steps rather than 300 of byte-at-a-time FNV-1a.
 */
export function memoIndex(bytes: Uint8Array, from: number = 0, to: number = bytes.length): number {
  return indexOf(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), from, to);
}

/** {@link memoIndex} of `view[from, to)`, the four bytes of a step read at once (little-endian). */
function indexOf(view: DataView, from: number, to: number): number {
  const n = to - from;
  let h = 0x811c9dc5 ^ n;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    h = Math.imul(h ^ view.getInt32(i, true), 0x9e3779b1);
    h ^= h >>> 15;
  }
  for (; i < to; i++) h = Math.imul(h ^ view.getUint8(i), 0x01000193);
  // 30 bits: a small integer to the engine (V8's Smi), so the map neither boxes nor hashes it.
  return (h ^ (h >>> 16)) & 0x3fffffff;
}

let memoEnabled = true;
/** Every memo made, for {@link setDigestMemo}. */
const memos: TextMemo<unknown>[] = [];
const sha256Hex12: (text: ViewedBytes, from: number, to: number) => string = (text, from, to) =>
  sha256HexOf(text, from, to, 12);
/**
 * The SHA-256 memos: one per JA4 text ({@link Ja4Text}: parts b and c, sorted and in wire
 * order), whose texts repeat (or not) each in their own way, and one for any other text.
 */
const sha256Memos = Array.from({ length: 5 }, () => new DigestMemo(sha256Hex12));
/** The MD5 memos: JA3's strings, and any other text (JA3S). */
const md5Memos = [new DigestMemo(md5HexOf), new DigestMemo(md5HexOf)];

/** Which JA4 text is hashed: part b or c of JA4 (sorted lists) or of JA4_o (wire order). */
export const JA4_TEXT = { b: 0, c: 1, originalB: 2, originalC: 3 } as const;
export type Ja4Text = (typeof JA4_TEXT)[keyof typeof JA4_TEXT];
const OTHER_SHA256 = 4;

/** {@link sha256HexOf} to 12 digits (JA4's parts b and c), memoised by the exact text (in the memo of `part`). */
export function memoSha256Hex12Of(
  text: ViewedBytes,
  from: number,
  to: number,
  part: Ja4Text | typeof OTHER_SHA256 = OTHER_SHA256,
): string {
  return sha256Memos[part].get(text, from, to);
}

/** {@link md5HexOf} of a JA3 string, memoised by the exact text. */
export function memoMd5HexOf(text: ViewedBytes, from: number, to: number): string {
  return md5Memos[0].get(text, from, to);
}

/** {@link sha256Hex} to 12 digits, memoised by the exact text. */
export function memoSha256Hex12(bytes: Uint8Array): string {
  return memoSha256Hex12Of(viewed(bytes), 0, bytes.length);
}

/** {@link md5Hex} (JA3S), memoised by the exact text. */
export function memoMd5Hex(bytes: Uint8Array): string {
  return md5Memos[1].get(viewed(bytes), 0, bytes.length);
}

/**
 * Internal switch for the bench and the tests: with `false` every text is hashed (what the
 * figures "without the memo" measure). Either way the memos are emptied.
 */
export function setDigestMemo(enabled: boolean): void {
  memoEnabled = enabled;
  for (const memo of memos) memo.clear();
}

/** How many texts the memos hold now, by algorithm (the tests check they stay bounded). */
export function digestMemoSizes(): { sha256: number; md5: number } {
  const total = (list: readonly DigestMemo[]) => list.reduce((n, m) => n + m.memo.size, 0);
  return { sha256: total(sha256Memos), md5: total(md5Memos) };
}
