/**
 * The bin's key-schedule hashes and record AEADs (src/node/native-symmetric.ts, OpenSSL through
 * node:crypto) against noble's, which the library uses: the same digests, HKDF and HMAC outputs,
 * and ciphertexts, and the same refusal of a changed record.
 */
import { cbc as nobleCbc, ctr as nobleCtr, ecb as nobleEcb, gcm as nobleGcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 as nobleChacha } from '@noble/ciphers/chacha.js';
import { expand as nobleExpand, extract as nobleExtract } from '@noble/hashes/hkdf.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256, sha384 as nobleSha384 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  cbc,
  chacha20poly1305,
  ctr,
  ecb,
  expand,
  extract,
  gcm,
  hmac,
  sha256,
  sha384,
} from '../../src/node/native-symmetric.ts';

const bytes = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (seed * 37 + i * 11) & 0xff);

describe.each([
  ['sha256', sha256, nobleSha256],
  ['sha384', sha384, nobleSha384],
] as const)('native %s', (_name, native, noble) => {
  it('digests, runs and clones as noble does', () => {
    expect(native.outputLen).toBe(noble.outputLen);
    expect(native.blockLen).toBe(noble.blockLen);
    expect(native(bytes(100, 1))).toEqual(noble(bytes(100, 1)));
    const running = native.create().update(bytes(10, 2));
    const copy = running.clone();
    running.update(bytes(20, 3));
    expect(copy.digest()).toEqual(noble(bytes(10, 2)));
    expect(running.digest()).toEqual(noble.create().update(bytes(10, 2)).update(bytes(20, 3)).digest());
  });

  it("gives noble's HMAC, HKDF-Extract (with and without salt) and HKDF-Expand", () => {
    expect(hmac(native, bytes(20, 4), bytes(50, 5))).toEqual(nobleHmac(noble, bytes(20, 4), bytes(50, 5)));
    expect(hmac(native, bytes(200, 4), bytes(5, 5))).toEqual(nobleHmac(noble, bytes(200, 4), bytes(5, 5)));
    expect(extract(native, bytes(32, 6), bytes(16, 7))).toEqual(
      nobleExtract(noble, bytes(32, 6), bytes(16, 7)),
    );
    expect(extract(native, bytes(32, 6))).toEqual(nobleExtract(noble, bytes(32, 6)));
    const prk = nobleExtract(noble, bytes(32, 8));
    for (const length of [12, noble.outputLen, 3 * noble.outputLen + 5])
      expect(expand(native, prk, bytes(30, 9), length)).toEqual(
        nobleExpand(noble, prk, bytes(30, 9), length),
      );
  });
});

describe.each([
  ['AES-128-GCM', gcm, nobleGcm, 16],
  ['AES-256-GCM', gcm, nobleGcm, 32],
  ['ChaCha20-Poly1305', chacha20poly1305, nobleChacha, 32],
] as const)('native %s', (_name, native, noble, keyLength) => {
  const key = bytes(keyLength, 10);
  const nonce = bytes(12, 11);
  const aad = bytes(5, 12);

  it('seals as noble does and opens what noble sealed', () => {
    const plaintext = bytes(300, 13);
    const sealed = noble(key, nonce, aad).encrypt(plaintext);
    expect(native(key, nonce, aad).encrypt(plaintext)).toEqual(sealed);
    expect(native(key, nonce, aad).decrypt(sealed)).toEqual(plaintext);
  });

  it('refuses a record with one bit changed, or other additional data', () => {
    const sealed = noble(key, nonce, aad).encrypt(bytes(64, 14));
    const changed = sealed.slice();
    changed[3] ^= 0x80;
    expect(() => native(key, nonce, aad).decrypt(changed)).toThrow();
    expect(() => native(key, nonce, bytes(5, 15)).decrypt(sealed)).toThrow();
    expect(() => native(key, nonce, aad).decrypt(sealed.subarray(0, 10))).toThrow();
  });
});

describe("native AES block modes (AES-CCM's CBC-MAC and CTR, QUIC header protection)", () => {
  it("give noble's ECB, unpadded CBC and CTR output, and CTR carries past a counter wrap", () => {
    for (const keyLength of [16, 32]) {
      const key = bytes(keyLength, 20);
      const blocks = bytes(64, 21);
      expect(ecb(key, { disablePadding: true }).encrypt(blocks.subarray(0, 16))).toEqual(
        nobleEcb(key, { disablePadding: true }).encrypt(blocks.subarray(0, 16)),
      );
      expect(cbc(key, bytes(16, 22), { disablePadding: true }).encrypt(blocks)).toEqual(
        nobleCbc(key, bytes(16, 22), { disablePadding: true }).encrypt(blocks),
      );
      const nearWrap = new Uint8Array(16).fill(0xff);
      nearWrap[15] = 0xfe;
      for (const counter of [bytes(16, 23), nearWrap])
        expect(ctr(key, counter).encrypt(bytes(77, 24))).toEqual(
          nobleCtr(key, counter).encrypt(bytes(77, 24)),
        );
    }
  });
});
