/**
 * The bin's key-share curves (src/node/native-curves.ts, OpenSSL through node:crypto) against
 * noble's, which the library uses: the same keys from the same bytes, the same secrets, and the
 * same refusals of bad points.
 */
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { p256 as nobleP256, p384 as nobleP384, p521 as nobleP521 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { p256, p384, p521, x25519 } from '../../src/node/native-curves.ts';

const seeded = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (seed * 131 + i * 17) & 0xff);

describe('native X25519', () => {
  it('makes the public key and the shared secret noble makes', () => {
    for (let s = 1; s <= 8; s++) {
      const a = seeded(32, s);
      const b = seeded(32, s + 100);
      expect(x25519.getPublicKey(a)).toEqual(nobleX25519.getPublicKey(a));
      const shared = x25519.getSharedSecret(a, nobleX25519.getPublicKey(b));
      expect(shared).toEqual(nobleX25519.getSharedSecret(b, nobleX25519.getPublicKey(a)));
    }
  });

  it('refuses a low-order point (the all-zero secret RFC 8446 §7.4.2 forbids), as noble does', () => {
    const zero = new Uint8Array(32);
    expect(() => nobleX25519.getSharedSecret(seeded(32, 3), zero)).toThrow();
    expect(() => x25519.getSharedSecret(seeded(32, 3), zero)).toThrow();
  });
});

describe.each([
  ['P-256', p256, nobleP256, 32],
  ['P-384', p384, nobleP384, 48],
  ['P-521', p521, nobleP521, 66],
] as const)('native %s', (_name, native, noble, fieldLength) => {
  it('derives the secret noble derives from a seed, and its uncompressed public key', () => {
    for (let s = 1; s <= 4; s++) {
      const seed = seeded(native.lengths.seed ?? 0, s);
      const mine = native.keygen(seed);
      const theirs = noble.keygen(seed);
      expect(mine.secretKey).toEqual(theirs.secretKey);
      expect(native.getPublicKey(mine.secretKey, false)).toEqual(noble.getPublicKey(theirs.secretKey, false));
    }
  });

  it('agrees with noble on the shared X coordinate', () => {
    const a = noble.keygen(seeded(native.lengths.seed ?? 0, 5));
    const b = noble.keygen(seeded(native.lengths.seed ?? 0, 6));
    const mine = native.getSharedSecret(a.secretKey, noble.getPublicKey(b.secretKey, false), false);
    const theirs = noble.getSharedSecret(b.secretKey, noble.getPublicKey(a.secretKey, false), false);
    expect(mine.length).toBe(1 + 2 * fieldLength);
    expect(mine.slice(1, 1 + fieldLength)).toEqual(theirs.slice(1, 1 + fieldLength));
  });

  it('refuses a point that is not on the curve', () => {
    const a = noble.keygen(seeded(native.lengths.seed ?? 0, 7));
    const bad = noble.getPublicKey(a.secretKey, false);
    bad[bad.length - 1] ^= 1;
    expect(() => native.getSharedSecret(a.secretKey, bad, false)).toThrow();
    expect(() => noble.getSharedSecret(a.secretKey, bad, false)).toThrow();
  });
});
