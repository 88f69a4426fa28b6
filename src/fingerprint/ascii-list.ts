/**
 * The text of a fingerprint, written as bytes: JA3 and JA4 hash ASCII lists of numbers
 * (`002f,0035,...`, `771,4865-4866,...`), so they are written straight into one reused byte
 * buffer and hashed from there, with no intermediate strings or arrays of strings. A string
 * is made only when the caller asks for the text itself (`ja4_r`, `ja3Full`).
 */
import { isGrease } from './grease.ts';

const HEX = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

/** An ASCII text under construction; `reset()` before each use (one user at a time). */
export class AsciiText {
  bytes: Uint8Array = new Uint8Array(1024);
  length: number = 0;

  /** Empties the text and makes room for at least `capacity` bytes. */
  reset(capacity: number): void {
    if (this.bytes.length < capacity) this.bytes = new Uint8Array(Math.max(capacity, this.bytes.length * 2));
    this.length = 0;
  }

  byte(b: number): void {
    this.bytes[this.length++] = b;
  }

  /** Four lower-case hex digits of a u16. */
  hex4(v: number): void {
    const o = this.bytes;
    const p = this.length;
    o[p] = HEX[v >> 12];
    o[p + 1] = HEX[(v >> 8) & 15];
    o[p + 2] = HEX[(v >> 4) & 15];
    o[p + 3] = HEX[v & 15];
    this.length = p + 4;
  }

  /** Decimal digits of a non-negative integer below 2^31. */
  decimal(v: number): void {
    if (v >= 10) this.decimal((v / 10) | 0);
    this.bytes[this.length++] = 48 + (v % 10);
  }

  /** `values[0..count)` as hex4, separated by `separator`. */
  hexList(values: Uint16Array, count: number, separator: number): void {
    for (let i = 0; i < count; i++) {
      if (i > 0) this.byte(separator);
      this.hex4(values[i]);
    }
  }

  /** The bytes `[from, to)` of the text (a view: valid until the next reset). */
  view(from: number = 0, to: number = this.length): Uint8Array {
    return this.bytes.subarray(from, to);
  }

  /** The bytes `[from, to)` as a string. */
  text(from: number = 0, to: number = this.length): string {
    // The text is ASCII, which is UTF-8: the decoder is several times faster than
    // String.fromCharCode over the bytes (the WHATWG TextDecoder runs everywhere the core does).
    return ASCII.decode(this.bytes.subarray(from, to));
  }
}

const ASCII = new TextDecoder();

/** Longest list sorted by insertion (quadratic: a hostile hello's 30,000 ciphers are not). */
const INSERTION_SORT_MAX = 64;

/** A growable list of u16 values, reused across calls. */
export class U16List {
  values: Uint16Array = new Uint16Array(256);
  length: number = 0;

  reset(capacity: number): void {
    this.ensure(capacity);
    this.length = 0;
  }

  /** Makes room for `capacity` values, keeping those already there. */
  ensure(capacity: number): void {
    if (this.values.length >= capacity) return;
    const grown = new Uint16Array(Math.max(capacity, this.values.length * 2));
    grown.set(this.values.subarray(0, this.length));
    this.values = grown;
  }

  push(v: number): void {
    this.values[this.length++] = v;
  }

  /** The big-endian u16 values of `bytes[from, to)` that are not GREASE (an odd last byte ignored). */
  pushU16sWithoutGrease(bytes: Uint8Array, from: number, to: number): void {
    this.ensure(this.length + ((to - from) >> 1));
    for (let i = from; i + 1 < to; i += 2) {
      const v = (bytes[i] << 8) | bytes[i + 1];
      if (!isGrease(v)) this.values[this.length++] = v;
    }
  }

  /** Sorts a copy into `into` (numeric order of u16 is the order of their four hex digits). */
  sortedInto(into: U16List): void {
    const n = this.length;
    into.reset(n);
    const from = this.values;
    const to = into.values;
    into.length = n;
    if (n > INSERTION_SORT_MAX) {
      to.set(from.subarray(0, n));
      to.subarray(0, n).sort();
      return;
    }
    // A hello's lists hold a few dozen values: an insertion sort while copying beats the
    // engine's TypedArray sort, which sets up a general sort for every call.
    for (let i = 0; i < n; i++) {
      const v = from[i];
      let j = i;
      for (; j > 0 && to[j - 1] > v; j--) to[j] = to[j - 1];
      to[j] = v;
    }
  }
}
