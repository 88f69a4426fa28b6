/**
 * The bin's fingerprint hashes (src/node/native-hex-digests.ts, OpenSSL through node:crypto)
 * against the library's (src/fingerprint/hex-digests.ts, noble): the same hex for every range
 * of a text, every length around the block sizes, and every cut of SHA-256's digits.
 */
import { describe, expect, it } from 'vitest';
import * as noble from '../../src/fingerprint/hex-digests.ts';
import * as native from '../../src/node/native-hex-digests.ts';

const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff);
const text = { bytes, view: new DataView(bytes.buffer) };

describe('native hex digests', () => {
  it('equal noble for every offset and length around the block sizes', () => {
    for (const from of [0, 1, 3, 64]) {
      for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 200]) {
        const to = from + length;
        expect(native.md5HexOf(text, from, to)).toBe(noble.md5HexOf(text, from, to));
        expect(native.sha256HexOf(text, from, to)).toBe(noble.sha256HexOf(text, from, to));
        expect(native.sha256HexOf(text, from, to, 12)).toBe(noble.sha256HexOf(text, from, to, 12));
      }
    }
  });

  it('cut SHA-256 to the digits asked for, odd counts included', () => {
    for (const digits of [0, 1, 12, 63, 64, 100])
      expect(native.sha256HexOf(text, 5, 77, digits)).toBe(noble.sha256HexOf(text, 5, 77, digits));
  });
});
