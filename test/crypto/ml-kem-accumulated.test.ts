/**
 * ML-KEM-768 known answer: the accumulated-vector test of Go's crypto/internal/mlkem768
 * (`TestAccumulated`, short mode). Seeds, messages and bogus ciphertexts come from one
 * SHAKE128 stream over the empty string; every ek, ct, K and implicit-rejection K is
 * absorbed into a second SHAKE128 whose first 32 bytes are compared. This pins the
 * ML-KEM that key shares use to FIPS 203 bit for bit, including deterministic keygen
 * from a 64-byte seed (which {@link generateKeyShare} relies on for seeded builds).
 */
import { shake128 } from '@noble/hashes/sha3.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { describe, expect, test } from 'vitest';
import { toHex } from '../../src/bytes/hex.ts';
import { deriveSharedSecret, generateKeyShare } from '../../src/crypto/index.ts';

describe('ML-KEM-768 accumulated known answers', () => {
  test('100 keygen/encaps/decaps rounds hash to Go’s published value', () => {
    const source = shake128.create();
    const sink = shake128.create();
    for (let i = 0; i < 100; i++) {
      const seed = source.xof(64);
      // generateKeyShare draws the 64-byte d||z seed from its RandomSource.
      const share = generateKeyShare(0x0201, () => seed);
      sink.update(share.keyExchange);
      const msg = source.xof(32);
      const { cipherText, sharedSecret } = ml_kem768.encapsulate(share.keyExchange, msg);
      sink.update(cipherText);
      sink.update(sharedSecret);
      expect(toHex(deriveSharedSecret(share, cipherText))).toBe(toHex(sharedSecret));
      const bogus = source.xof(1088);
      sink.update(deriveSharedSecret(share, bogus));
    }
    expect(toHex(sink.xof(32))).toBe('1114b1b6699ed191734fa339376afa7e285c9e6acf6ff0177d346696ce564415');
  });
});
