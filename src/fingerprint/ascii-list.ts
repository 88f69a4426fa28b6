/**
 * The text of a fingerprint, written as bytes: JA3 and JA4 hash ASCII lists of numbers
 * (`002f,0035,...`, `771,4865-4866,...`), so they are written straight into one reused byte
 * buffer and hashed from there, with no intermediate strings or arrays of strings. A string
 * is made only when the caller asks for the text itself (`ja4_r`, `ja3Full`).
 */
import { isGreaseU16 } from './grease.ts';

/** The two decimal digits of 0 to 99 as one big-endian u16 (`42` is `'4' << 8 | '2'`). */
const DIGIT_PAIRS = Uint16Array.from(
  { length: 100 },
  (_, i) => ((48 + ((i / 10) | 0)) << 8) | (48 + (i % 10)),
);

const HEX = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
/** A byte's two lower-case hex digits as one big-endian u16 (`0xab` is `'a' << 8 | 'b'`). */
const HEX_PAIRS = Uint16Array.from({ length: 256 }, (_, b) => (HEX[b >> 4] << 8) | HEX[b & 15]);

/** An ASCII text under construction; `reset()` before each use (one user at a time). */
export class AsciiText {
  bytes: Uint8Array;
  /** `bytes` again, to write four bytes in one store and for the hash to read whole blocks. */
  view: DataView;
  length: number;

  /** An empty text, or the text `bytes[0, length)` (bytes of their own buffer). */
  constructor(bytes: Uint8Array = new Uint8Array(1024), length: number = 0) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = length;
  }

  /** Empties the text and makes room for at least `capacity` bytes. */
  reset(capacity: number): void {
    if (this.bytes.length < capacity) {
      this.bytes = new Uint8Array(Math.max(capacity, this.bytes.length * 2));
      this.view = new DataView(this.bytes.buffer);
    }
    this.length = 0;
  }

  byte(b: number): void {
    this.bytes[this.length++] = b;
  }

  /**
   * Decimal digits of a non-negative integer below 2^31. Values below 100,000 (JA3's are
   * u16) are written two digits a store from a table of digit pairs.
   */
  decimal(v: number): void {
    if (v >= 100000) {
      const digits = String(v);
      for (let i = 0; i < digits.length; i++) this.bytes[this.length++] = digits.charCodeAt(i);
      return;
    }
    const o = this.bytes;
    const pairs = this.view;
    let p = this.length;
    if (v >= 10000) {
      const top = (v / 10000) | 0;
      o[p++] = 48 + top;
      v -= top * 10000;
      const high = (v / 100) | 0;
      pairs.setUint16(p, DIGIT_PAIRS[high]);
      pairs.setUint16(p + 2, DIGIT_PAIRS[v - high * 100]);
      p += 4;
    } else if (v >= 100) {
      const high = (v / 100) | 0;
      if (high >= 10) {
        pairs.setUint16(p, DIGIT_PAIRS[high]);
        p += 2;
      } else {
        o[p++] = 48 + high;
      }
      pairs.setUint16(p, DIGIT_PAIRS[v - high * 100]);
      p += 2;
    } else if (v >= 10) {
      pairs.setUint16(p, DIGIT_PAIRS[v]);
      p += 2;
    } else {
      o[p++] = 48 + v;
    }
    this.length = p;
  }

  /**
   * `values[0..count)` as four lower-case hex digits each, separated by `separator`. Each
   * value is written with its separator after it (the last one is then dropped), so the
   * text needs room for five bytes a value.
   */
  hexList(values: Uint16Array, count: number, separator: number): void {
    if (count === 0) return;
    const o = this.bytes;
    const words = this.view;
    let p = this.length;
    for (let i = 0; i < count; i++) {
      const v = values[i];
      words.setUint32(p, (HEX_PAIRS[v >> 8] << 16) | HEX_PAIRS[v & 255]);
      o[p + 4] = separator;
      p += 5;
    }
    this.length = p - 1;
  }

  /**
   * `values[from..to)` in decimal, separated by `separator` (values below 65,536: the text
   * needs room for six bytes a value).
   */
  decimalList(values: Uint16Array, from: number, to: number, separator: number): void {
    for (let i = from; i < to; i++) {
      if (i > from) this.bytes[this.length++] = separator;
      this.decimal(values[i]);
    }
  }

  /** The bytes `[from, to)` as a string. */
  text(from: number = 0, to: number = this.length): string {
    // The text is ASCII, which is UTF-8: the decoder is several times faster than
    // String.fromCharCode over the bytes (the WHATWG TextDecoder runs everywhere the core does).
    return ASCII.decode(this.bytes.subarray(from, to));
  }
}

const ASCII = new TextDecoder();

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
    const values = this.values;
    let n = this.length;
    for (let i = from; i + 1 < to; i += 2) {
      const v = (bytes[i] << 8) | bytes[i + 1];
      if (!isGreaseU16(v)) values[n++] = v;
    }
    this.length = n;
  }

  /** Sorts a copy into `into` (numeric order of u16 is the order of their four hex digits). */
  sortedInto(into: U16List): void {
    const n = this.length;
    into.reset(n);
    into.length = n;
    if (n > SMALL_LIST) {
      into.values.set(this.values.subarray(0, n));
      into.values.subarray(0, n).sort();
    } else if (!sortedByBits(this.values, n, into.values)) {
      insertionSorted(this.values, n, into.values);
    }
  }
}

/** Longest list sorted by {@link sortedByBits} or by insertion; the engine's sort takes longer ones. */
const SMALL_LIST = 64;

/** One bit a u16 value (all zero between calls), and the 32-value words holding a bit, in order. */
const BITS = new Int32Array(2048);
const WORDS = new Uint16Array(SMALL_LIST);

/**
 * `from[0..n)` sorted into `to` through a bitmap of the values: each value sets its bit, the
 * words holding bits are kept in order (a hello's list touches a handful), and reading the
 * words' bits low to high gives the values in order. A hello's lists hold a few dozen values
 * in a few ranges (0x00xx, 0x13xx, 0xc0xx, ...), so this takes about half the time of an
 * insertion sort, and much less than the engine's TypedArray sort, which sets up a general
 * sort for every call. Returns false, with the bitmap cleared and `to` unset, when a value
 * repeats (a bitmap cannot count it twice).
 */
function sortedByBits(from: Uint16Array, n: number, to: Uint16Array): boolean {
  let words = 0;
  for (let i = 0; i < n; i++) {
    const v = from[i];
    const w = v >> 5;
    const bit = 1 << (v & 31);
    const old = BITS[w];
    if ((old & bit) !== 0) {
      for (let k = 0; k < words; k++) BITS[WORDS[k]] = 0;
      return false;
    }
    if (old === 0) {
      let j = words++;
      for (; j > 0 && WORDS[j - 1] > w; j--) WORDS[j] = WORDS[j - 1];
      WORDS[j] = w;
    }
    BITS[w] = old | bit;
  }
  let p = 0;
  for (let k = 0; k < words; k++) {
    const w = WORDS[k];
    const base = w << 5;
    let bits = BITS[w];
    BITS[w] = 0;
    while (bits !== 0) {
      const lowest = bits & -bits;
      to[p++] = base + 31 - Math.clz32(lowest);
      bits ^= lowest;
    }
  }
  return true;
}

/** `from[0..n)` sorted into `to` by insertion while copying (lists with a repeated value). */
function insertionSorted(from: Uint16Array, n: number, to: Uint16Array): void {
  for (let i = 0; i < n; i++) {
    const v = from[i];
    let j = i;
    for (; j > 0 && to[j - 1] > v; j--) to[j] = to[j - 1];
    to[j] = v;
  }
}
