/**
 * GREASE values (RFC 8701 §2): the sixteen reserved code points `0x?a?a` with equal
 * bytes. Fingerprints drop them so a client that picks fresh GREASE values on every
 * connection still gets one fingerprint.
 */
export const GREASE_VALUES: readonly number[] = [
  0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba, 0xcaca,
  0xdada, 0xeaea, 0xfafa,
];

/**
 * True for exactly the sixteen RFC 8701 GREASE values. `0x0a1a` or `0x1a0a` are not
 * GREASE: both bytes must be equal and of the form `0x?a`.
 * @example isGrease(0x2a2a) // true
 * @example isGrease(0x0a1a) // false
 */
export function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff) && value >= 0 && value <= 0xffff;
}

/** The values of `list` that are not GREASE, in order. */
export function withoutGrease(list: readonly number[]): number[] {
  return list.filter((v) => !isGrease(v));
}
