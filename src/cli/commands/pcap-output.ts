/**
 * The bytes `hellokit pcap` writes, made in place: a capture can give millions of lines of
 * a kilobyte or more, and building each as a string (a rope of dozens of pieces) that is then
 * flattened and encoded to UTF-8 on its way out cost more than reading the capture. Here each
 * piece is copied once, into one buffer that is handed out whole. A long piece with nothing to
 * escape or encode (the JA4 and JA3 strings: most of a line's bytes) is copied by Node's
 * Buffer, as Latin-1, which for ASCII text is a plain copy.
 */
import { Buffer } from 'node:buffer';

/** Bytes written into a growing buffer, taken in batches. */
export class OutputBytes {
  private bytes: Buffer;
  private at = 0;
  private readonly initial: number;

  constructor(initial: number = 64 * 1024) {
    this.initial = initial;
    this.bytes = Buffer.allocUnsafeSlow(initial);
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.at;
  }

  /** The bytes written so far; writing goes on in a new buffer (the one returned is the caller's). */
  take(): Uint8Array {
    const out = new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.at);
    this.bytes = Buffer.allocUnsafeSlow(Math.max(this.initial, this.at));
    this.at = 0;
    return out;
  }

  /** A copy of the bytes written from `from` (a {@link length} taken before) on. */
  copyFrom(from: number): Uint8Array {
    // A copy: Buffer's own slice would be a view, keeping the whole batch alive.
    return Uint8Array.prototype.slice.call(this.bytes, from, this.at);
  }

  /** Bytes already encoded. */
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.bytes.set(b, this.at);
    this.at += b.length;
  }

  /** Text, as UTF-8. */
  text(s: string): void {
    const n = s.length;
    this.room(n);
    if (n >= LONG && ASCII.test(s)) {
      this.at += this.bytes.write(s, this.at, 'latin1');
      return;
    }
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Not ASCII: the rest is encoded by the platform (surrogate pairs, lone surrogates as U+FFFD).
        this.at = at;
        this.raw(utf8.encode(s.slice(i)));
        return;
      }
      bytes[at++] = c;
    }
    this.at = at;
  }

  /** A string as JSON writes it (`JSON.stringify(s)`), or `null`. */
  json(s: string | null): void {
    if (s === null) {
      this.text('null');
      return;
    }
    this.room(s.length + 2);
    this.bytes[this.at++] = QUOTE;
    this.jsonChars(s);
    this.room(1);
    this.bytes[this.at++] = QUOTE;
  }

  /** What JSON writes between the quotes of a string. */
  jsonChars(s: string): void {
    const n = s.length;
    this.room(n);
    const bytes = this.bytes;
    let at = this.at;
    if (n >= LONG && JSON_AS_IS.test(s)) {
      this.at = at + bytes.write(s, at, 'latin1');
      return;
    }
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === QUOTE || c === BACKSLASH) {
        // Something to escape or encode: JSON.stringify says how, exactly.
        const quoted = JSON.stringify(s);
        this.text(quoted.slice(1, -1));
        return;
      }
      bytes[at++] = c;
    }
    this.at = at;
  }

  /**
   * `bytes[from, to)`, which the caller knows to be printable ASCII with no `"` or `\`
   * (so JSON and UTF-8 alike take them as they are): a fingerprint's list text.
   */
  ascii(bytes: Uint8Array, from: number, to: number): void {
    this.room(to - from);
    // A whole text (one a memo kept) is copied without a view made of it.
    this.bytes.set(from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to), this.at);
    this.at += to - from;
  }

  /** One ASCII character. */
  char(c: number): void {
    this.room(1);
    this.bytes[this.at++] = c;
  }

  /** A number as JSON writes it (`null` when not finite). */
  number(n: number): void {
    if (n >= 0 && n < 0x80000000 && (n | 0) === n) {
      // A count, port or index: its digits, without a string made for them.
      let digits = 1;
      for (let v = n; v >= 10; v = (v / 10) | 0) digits++;
      this.room(digits);
      const bytes = this.bytes;
      let at = this.at + digits;
      this.at = at;
      let v = n;
      do {
        bytes[--at] = 0x30 + (v % 10);
        v = (v / 10) | 0;
      } while (v > 0);
      return;
    }
    this.text(Number.isFinite(n) ? String(n) : 'null');
  }

  /** Makes room for `n` more bytes. */
  private room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.at + n) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    next.set(this.bytes.subarray(0, this.at));
    this.bytes = next;
  }
}

const QUOTE = 0x22;
/** Strings at least this long are tested with a regular expression and copied by Buffer; shorter ones byte by byte. */
const LONG = 48;
/** Only ASCII. */
const ASCII = /^[\x00-\x7f]*$/;
/** Only what JSON writes as it is: printable ASCII but `"` and `\`. */
const JSON_AS_IS = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const BACKSLASH = 0x5c;
const utf8 = new TextEncoder();
