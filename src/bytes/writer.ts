import { EncodeError } from './errors.ts';
import type { PrefixWidth } from './reader.ts';

const MAX_FOR_WIDTH = [0, 0xff, 0xffff, 0xffffff, 0xffffffff] as const;

/** Bytes a QUIC variable-length integer takes (RFC 9000 §16). */
export type VarintWidth = 1 | 2 | 4 | 8;

/** The two high bits of a varint's first byte, by width. */
const VARINT_PREFIX: Readonly<Record<VarintWidth, number>> = { 1: 0x00, 2: 0x40, 4: 0x80, 8: 0xc0 };

/**
 * Bytes of the shortest QUIC varint for `value` (RFC 9000 §16: up to 63, 16 383, 2^30 − 1, 2^62 − 1).
 * @example varintLength(16384) // 4
 */
export function varintLength(value: number): VarintWidth {
  return value < 0x40 ? 1 : value < 0x4000 ? 2 : value < 0x40000000 ? 4 : 8;
}

/**
 * A growable byte builder. Nested length prefixes are scopes, as in Go's cryptobyte:
 * the prefix is filled in when the scope closes, content too long for the prefix is an
 * {@link EncodeError}, and a deliberate wrong length is one `lengthOverride` away.
 *
 * @example
 * const w = new Writer();
 * w.u16(0x0303);
 * w.prefixed(2, 'cipher_suites', (w) => { for (const s of suites) w.u16(s) });
 * const bytes = w.finish();
 */
export class Writer {
  private buf: Uint8Array;
  private len = 0;

  constructor(initialCapacity = 512) {
    this.buf = new Uint8Array(initialCapacity);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.len;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private check(value: number, max: number, field: string): void {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new RangeError(`"${field}" expected an integer 0..${max}, got ${value}`);
    }
  }

  /** One byte. @throws {RangeError} outside 0..255 */
  u8(value: number, field = 'u8'): this {
    this.check(value, 0xff, field);
    this.ensure(1);
    this.buf[this.len++] = value;
    return this;
  }
  /** Big-endian u16. */
  u16(value: number, field = 'u16'): this {
    this.check(value, 0xffff, field);
    this.ensure(2);
    this.buf[this.len++] = value >> 8;
    this.buf[this.len++] = value & 0xff;
    return this;
  }
  /** Big-endian u24. */
  u24(value: number, field = 'u24'): this {
    this.check(value, 0xffffff, field);
    this.ensure(3);
    this.buf[this.len++] = value >> 16;
    this.buf[this.len++] = (value >> 8) & 0xff;
    this.buf[this.len++] = value & 0xff;
    return this;
  }
  /** Big-endian u32. */
  u32(value: number, field = 'u32'): this {
    this.check(value, 0xffffffff, field);
    this.ensure(4);
    this.buf[this.len++] = value >>> 24;
    this.buf[this.len++] = (value >>> 16) & 0xff;
    this.buf[this.len++] = (value >>> 8) & 0xff;
    this.buf[this.len++] = value & 0xff;
    return this;
  }
  /** An unsigned integer of the given width. */
  uint(width: PrefixWidth, value: number, field = 'uint'): this {
    switch (width) {
      case 1:
        return this.u8(value, field);
      case 2:
        return this.u16(value, field);
      case 3:
        return this.u24(value, field);
      default:
        return this.u32(value, field);
    }
  }
  /**
   * A QUIC variable-length integer (RFC 9000 §16), in its shortest form unless `width` asks for
   * a longer one (QUIC allows any form that fits; packet Length fields are often 2 bytes).
   * @throws {RangeError} for a value that is not a safe non-negative integer, or does not fit `width`
   * @example new Writer().varint(37, 'length', 2).finish() // 40 25
   */
  varint(value: number, field = 'varint', width?: VarintWidth): this {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`"${field}" expected a safe non-negative integer, got ${value}`);
    const shortest = varintLength(value);
    const w = width ?? shortest;
    if (VARINT_PREFIX[w] === undefined || w < shortest)
      throw new RangeError(`"${field}" ${value} does not fit a ${w}-byte varint`);
    this.ensure(w);
    let v = value;
    for (let i = w - 1; i >= 0; i--, v = Math.floor(v / 256)) this.buf[this.len + i] = v % 256;
    this.buf[this.len] |= VARINT_PREFIX[w];
    this.len += w;
    return this;
  }
  /** Raw bytes. */
  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  /**
   * A length-prefixed scope. The prefix is `0xff…` while `body` runs (so an interrupted
   * write never looks like a valid shorter message, as rustls does) and is filled in after.
   * `lengthOverride` writes that number instead of the true length — a deliberate lie.
   */
  prefixed(width: PrefixWidth, field: string, body: (w: this) => void, lengthOverride?: number): this {
    this.ensure(width);
    const at = this.len;
    for (let i = 0; i < width; i++) this.buf[this.len++] = 0xff;
    body(this);
    const length = this.len - at - width;
    const max = MAX_FOR_WIDTH[width];
    if (length > max)
      throw new EncodeError(field, `${length} bytes do not fit a ${width}-byte length prefix (max ${max})`);
    const written = lengthOverride ?? length;
    this.check(written, max, `${field} length override`);
    for (let i = width - 1, v = written; i >= 0; i--, v = Math.floor(v / 256)) this.buf[at + i] = v & 0xff;
    return this;
  }

  /** A length-prefixed byte string. */
  vector(width: PrefixWidth, field: string, data: Uint8Array, lengthOverride?: number): this {
    return this.prefixed(width, field, (w) => w.bytes(data), lengthOverride);
  }

  /**
   * The bytes written. When the buffer is exactly full (a caller that sized the writer right)
   * it is handed over without a copy; later writes go to a new buffer either way.
   */
  finish(): Uint8Array {
    if (this.len === this.buf.length) {
      const out = this.buf;
      this.buf = new Uint8Array(0);
      this.len = 0;
      return out;
    }
    return this.buf.slice(0, this.len);
  }
}
