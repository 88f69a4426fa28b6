/**
 * GREASE (RFC 8701): values a client sprinkles into its hello so that servers keep tolerating
 * values they do not know. A server must ignore them; a middlebox that chokes on them is broken.
 */

/**
 * The sixteen two-byte GREASE values, reserved in the cipher suite, extension, named group,
 * signature scheme and version registries (RFC 8701 §2): both bytes equal, low nibble 0xA.
 */
export const GREASE_VALUES = [
  0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba, 0xcaca,
  0xdada, 0xeaea, 0xfafa,
] as const;

/** A two-byte GREASE value. */
export type GreaseValue = (typeof GREASE_VALUES)[number];

/**
 * The eight one-byte GREASE values, reserved for PskKeyExchangeMode (RFC 8701 §2): 0x0B + 0x1F·n.
 * Fuzzing code uses them for other one-byte lists too. (Certificate compression algorithm ids,
 * RFC 8879, are two bytes wide: a client greasing compress_certificate uses GREASE_VALUES.)
 */
export const GREASE_BYTES = [0x0b, 0x2a, 0x49, 0x68, 0x87, 0xa6, 0xc5, 0xe4] as const;

/** A one-byte GREASE value. */
export type GreaseByte = (typeof GREASE_BYTES)[number];

const GREASE_BYTE_SET: ReadonlySet<number> = new Set(GREASE_BYTES);

/**
 * Whether `value` is one of the sixteen two-byte GREASE values (0x0A0A, 0x1A1A, … 0xFAFA).
 * 0x0A1A, 0x0A0B and 0x1A0A are not: both bytes must be equal and end in 0xA.
 * @example isGrease(0x2a2a) // true
 * @example isGrease(0x0a1a) // false
 */
export function isGrease(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffff && isGreaseU16(value);
}

/**
 * {@link isGrease} for a value known to be a u16 (read as two bytes): the test alone, for
 * loops over a hello's lists.
 */
export function isGreaseU16(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

/**
 * Whether `value` is one of the eight one-byte GREASE values (psk_key_exchange_modes).
 * @example isGreaseByte(0x2a) // true
 */
export function isGreaseByte(value: number): boolean {
  return GREASE_BYTE_SET.has(value);
}

/**
 * The two-byte GREASE value a random byte selects, as BoringSSL derives it:
 * the high nibble of `seed`, then 0xA, twice over.
 * @example greaseFromSeed(0x37) // 0x3a3a
 */
export function greaseFromSeed(seed: number): GreaseValue {
  const b = (seed & 0xf0) | 0x0a;
  return ((b << 8) | b) as GreaseValue;
}

/**
 * The one-byte GREASE value a random byte selects (`seed` mod 8 picks one of the eight).
 * @example greaseByteFromSeed(1) // 0x2a
 */
export function greaseByteFromSeed(seed: number): GreaseByte {
  return GREASE_BYTES[seed & 7];
}

/**
 * Whether an ALPN protocol id is a GREASE value: RFC 8701 reserves the sixteen two-byte ids
 * whose bytes are a two-byte GREASE value ({0x0A,0x0A} … {0xFA,0xFA}).
 */
export function isGreaseAlpn(id: Uint8Array | string): boolean {
  if (id.length !== 2) return false;
  const hi = typeof id === 'string' ? id.charCodeAt(0) : id[0];
  const lo = typeof id === 'string' ? id.charCodeAt(1) : id[1];
  return isGrease((hi << 8) | lo);
}

/**
 * The display name of a GREASE value, as hellokit prints it in place of a registry name.
 * @example greaseName(0x0a0a) // 'GREASE(0x0a0a)'
 */
export function greaseName(value: number, width: 1 | 2 = 2): string {
  return `GREASE(0x${value.toString(16).padStart(width * 2, '0')})`;
}
