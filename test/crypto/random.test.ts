import { fc, test as propTest } from '@fast-check/vitest';
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, test } from 'vitest';
import { concatBytes, toHex } from '../../src/bytes/hex.ts';
import { seededRandom, systemRandom } from '../../src/crypto/index.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('seededRandom', () => {
  test('is the ChaCha20 keystream under SHA-256 of the domain, tag and seed', () => {
    const key = sha256(utf8('hellokit seededRandom v1s:abc'));
    const expected = chacha20(key, new Uint8Array(12), new Uint8Array(100));
    expect(toHex(seededRandom('abc')(100))).toBe(toHex(expected));
  });

  test('the same seed gives the same bytes, run after run', () => {
    expect(toHex(seededRandom(42)(64))).toBe(toHex(seededRandom(42)(64)));
    expect(toHex(seededRandom(Uint8Array.of(1, 2))(64))).toBe(toHex(seededRandom(Uint8Array.of(1, 2))(64)));
  });

  test('different seeds and seed types give different streams', () => {
    const streams = [
      seededRandom('1'),
      seededRandom(1),
      seededRandom(Uint8Array.of(0x31)),
      seededRandom('2'),
    ].map((r) => toHex(r(32)));
    expect(new Set(streams).size).toBe(4);
  });

  propTest.prop([fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 12 })])(
    'the stream does not depend on how reads are split',
    (sizes) => {
      const total = sizes.reduce((a, b) => a + b, 0);
      const split = seededRandom('split');
      const pieces = concatBytes(...sizes.map((n) => split(n)));
      expect(toHex(pieces)).toBe(toHex(seededRandom('split')(total)));
    },
  );

  test('a bad count or seed is misuse', () => {
    expect(() => seededRandom('x')(-1)).toThrow(RangeError);
    expect(() => seededRandom(Number.NaN)).toThrow(RangeError);
    expect(() => seededRandom({} as unknown as string)).toThrow(TypeError);
  });
});

describe('systemRandom', () => {
  test('returns the requested number of bytes, different each time', () => {
    expect(systemRandom(32).length).toBe(32);
    expect(toHex(systemRandom(32))).not.toBe(toHex(systemRandom(32)));
    expect(systemRandom(0).length).toBe(0);
  });
});
