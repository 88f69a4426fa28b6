/** Hex and byte helpers (Uint8Array only). */

const HEX_DIGITS = '0123456789abcdef';
const BYTE_TO_HEX: string[] = Array.from({ length: 256 }, (_, i) => HEX_DIGITS[i >> 4] + HEX_DIGITS[i & 15]);

/**
 * Lower-case hex of `bytes`, with an optional separator between bytes.
 * @example toHex(new Uint8Array([1, 171])) // '01ab'
 */
export function toHex(bytes: Uint8Array, separator = ''): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0 && separator) out += separator;
    out += BYTE_TO_HEX[bytes[i]];
  }
  return out;
}

/**
 * Bytes from hex text. Whitespace, `:` and `-` separators and `0x` prefixes are ignored,
 * so `openssl`-, Wireshark- and `xxd -p`-style dumps all work.
 * @example fromHex('16 03 01') // Uint8Array [22, 3, 1]
 * @throws {TypeError} on a non-hex character or an odd number of digits
 */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/0x/gi, '').replace(/[\s:,-]/g, '');
  if (clean.length % 2 !== 0) throw new TypeError(`hex text has an odd number of digits (${clean.length})`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexValue(clean.charCodeAt(2 * i));
    const lo = hexValue(clean.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      const bad = hi < 0 ? clean[2 * i] : clean[2 * i + 1];
      throw new TypeError(
        `hex text has a non-hex character ${JSON.stringify(bad)} at digit ${hi < 0 ? 2 * i : 2 * i + 1}`,
      );
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/**
 * {@link fromHex} for hex text held as bytes (a file's contents), without making a string of
 * it: a 48 MiB dump costs the 16 MiB it decodes to, not a string of every character. Spaces,
 * tabs, line ends, `:`, `,` and `-` separate; `0x`/`0X` prefixes are skipped.
 * @example fromHexText(new Uint8Array([0x30, 0x78, 0x31, 0x36])) // Uint8Array [22] ('0x16')
 * @throws {TypeError} on a non-hex character or an odd number of digits, as fromHex
 */
export function fromHexText(text: Uint8Array): Uint8Array {
  let digits = 0;
  for (let i = nextHexDigit(text, 0); i < text.length; i = nextHexDigit(text, i + 1)) digits++;
  if (digits % 2 !== 0) throw new TypeError(`hex text has an odd number of digits (${digits})`);
  const out = new Uint8Array(digits / 2);
  let digit = 0;
  for (let i = nextHexDigit(text, 0); i < text.length; i = nextHexDigit(text, i + 1), digit++) {
    const v = hexValue(text[i]);
    if (v < 0)
      throw new TypeError(
        `hex text has a non-hex character ${JSON.stringify(String.fromCharCode(text[i]))} at digit ${digit}`,
      );
    out[digit >> 1] = digit & 1 ? out[digit >> 1] | v : v << 4;
  }
  return out;
}

/** Index of the next character at or after `i` that is neither a separator nor part of a `0x` prefix. */
function nextHexDigit(text: Uint8Array, i: number): number {
  while (i < text.length) {
    const c = text[i];
    if (isSeparator(c)) i++;
    else if (c === 48 && (text[i + 1] === 120 || text[i + 1] === 88)) i += 2;
    else break;
  }
  return i;
}

function isSeparator(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 58 || c === 44 || c === 45;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** True when `text` looks like hex text rather than binary (used to accept either as input). */
export function isHexText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    const ok =
      (c >= 48 && c <= 57) ||
      (c >= 97 && c <= 102) ||
      (c >= 65 && c <= 70) ||
      c === 32 ||
      c === 9 ||
      c === 10 ||
      c === 13 ||
      c === 58 ||
      c === 120 ||
      c === 88 ||
      c === 45 ||
      c === 44;
    if (!ok) return false;
  }
  return true;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Byte-wise equality. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** ASCII/Latin-1 decoding of bytes, for host names and ALPN ids (never throws). */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** Bytes of an ASCII/Latin-1 string. @throws {RangeError} on a code point above 255 */
export function fromLatin1(text: string, what = 'text'): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 255) throw new RangeError(`${what} has a character outside Latin-1 at index ${i}`);
    out[i] = c;
  }
  return out;
}
