import { createCipheriv } from 'node:crypto';
import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../src/bytes/hex.ts';
import { aesCcm } from '../../src/crypto/index.ts';

const hex = (spaced: string) => fromHex(spaced.replace(/\s+/g, ''));

/**
 * RFC 3610 §8 packet vectors: AES-128, 13-byte nonce (L = 2), the first `aadLength` bytes of
 * the packet authenticated only, tag M = 8 (#1–#3, #13) or 10 (#7, #19). `sealed` is the
 * packet as the RFC prints it after encryption, AAD included.
 */
const RFC3610 = [
  {
    name: 'Packet Vector #1',
    key: 'C0 C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE CF',
    nonce: '00 00 00 03 02 01 00 A0 A1 A2 A3 A4 A5',
    aadLength: 8,
    packet: '00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E',
    sealed:
      '00 01 02 03 04 05 06 07 58 8C 97 9A 61 C6 63 D2 F0 66 D0 C2 C0 F9 89 80 6D 5F 6B 61 DA C3 84 17 E8 D1 2C FD F9 26 E0',
    tagLength: 8,
  },
  {
    name: 'Packet Vector #2',
    key: 'C0 C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE CF',
    nonce: '00 00 00 04 03 02 01 A0 A1 A2 A3 A4 A5',
    aadLength: 8,
    packet: '00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E 1F',
    sealed:
      '00 01 02 03 04 05 06 07 72 C9 1A 36 E1 35 F8 CF 29 1C A8 94 08 5C 87 E3 CC 15 C4 39 C9 E4 3A 3B A0 91 D5 6E 10 40 09 16',
    tagLength: 8,
  },
  {
    name: 'Packet Vector #3',
    key: 'C0 C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE CF',
    nonce: '00 00 00 05 04 03 02 A0 A1 A2 A3 A4 A5',
    aadLength: 8,
    packet:
      '00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E 1F 20',
    sealed:
      '00 01 02 03 04 05 06 07 51 B1 E5 F4 4A 19 7D 1D A4 6B 0F 8E 2D 28 2A E8 71 E8 38 BB 64 DA 85 96 57 4A DA A7 6F BD 9F B0 C5',
    tagLength: 8,
  },
  {
    name: 'Packet Vector #4',
    key: 'C0 C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE CF',
    nonce: '00 00 00 06 05 04 03 A0 A1 A2 A3 A4 A5',
    aadLength: 12,
    packet: '00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E',
    sealed:
      '00 01 02 03 04 05 06 07 08 09 0A 0B A2 8C 68 65 93 9A 9A 79 FA AA 5C 4C 2A 9D 4A 91 CD AC 8C 96 C8 61 B9 C9 E6 1E F1',
    tagLength: 8,
  },
  {
    name: 'Packet Vector #7',
    key: 'C0 C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE CF',
    nonce: '00 00 00 09 08 07 06 A0 A1 A2 A3 A4 A5',
    aadLength: 8,
    packet: '00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E',
    sealed:
      '00 01 02 03 04 05 06 07 01 35 D1 B2 C9 5F 41 D5 D1 D4 FE C1 85 D1 66 B8 09 4E 99 9D FE D9 6C 04 8C 56 60 2C 97 AC BB 74 90',
    tagLength: 10,
  },
  {
    name: 'Packet Vector #13',
    key: 'D7 82 8D 13 B2 B0 BD C3 25 A7 62 36 DF 93 CC 6B',
    nonce: '00 41 2B 4E A9 CD BE 3C 96 96 76 6C FA',
    aadLength: 8,
    packet: '0B E1 A8 8B AC E0 18 B1 08 E8 CF 97 D8 20 EA 25 84 60 E9 6A D9 CF 52 89 05 4D 89 5C EA C4 7C',
    sealed:
      '0B E1 A8 8B AC E0 18 B1 4C B9 7F 86 A2 A4 68 9A 87 79 47 AB 80 91 EF 53 86 A6 FF BD D0 80 F8 E7 8C F7 CB 0C DD D7 B3',
    tagLength: 8,
  },
  {
    name: 'Packet Vector #19',
    key: 'D7 82 8D 13 B2 B0 BD C3 25 A7 62 36 DF 93 CC 6B',
    nonce: '00 42 FF F8 F1 95 1C 3C 96 96 76 6C FA',
    aadLength: 8,
    packet: 'D8 5B C7 E6 9F 94 4F B8 8A 19 B9 50 BC F7 1A 01 8E 5E 67 01 C9 17 87 65 98 09 D6 7D BE DD 18',
    sealed:
      'D8 5B C7 E6 9F 94 4F B8 BC 21 8D AA 94 74 27 B6 DB 38 6A 99 AC 1A EF 23 AD E0 B5 29 39 CB 6A 63 7C F9 BE C2 40 88 97 C6 BA',
    tagLength: 10,
  },
];

const NIST_KEY = '404142434445464748494a4b4c4d4e4f';

/**
 * NIST SP 800-38C Appendix C, Examples 1–4 (AES-128). Example 3 has TLS 1.3's shape: a
 * 12-byte nonce and an 8-byte tag (as TLS_AES_128_CCM_8_SHA256). Example 4's associated data
 * is 65536 bytes (00 01 … ff repeated), long enough for the six-byte `ff fe || [a]32` length
 * encoding.
 */
const NIST = [
  {
    name: 'Example 1 (Tlen 32, Nlen 56)',
    nonce: '10111213141516',
    aad: hex('0001020304050607'),
    plaintext: '20212223',
    sealed: '7162015b4dac255d',
    tagLength: 4,
  },
  {
    name: 'Example 2 (Tlen 48, Nlen 64)',
    nonce: '1011121314151617',
    aad: hex('000102030405060708090a0b0c0d0e0f'),
    plaintext: '202122232425262728292a2b2c2d2e2f',
    sealed: 'd2a1f0e051ea5f62081a7792073d593d1fc64fbfaccd',
    tagLength: 6,
  },
  {
    name: 'Example 3 (Tlen 64, Nlen 96)',
    nonce: '101112131415161718191a1b',
    aad: hex('000102030405060708090a0b0c0d0e0f10111213'),
    plaintext: '202122232425262728292a2b2c2d2e2f3031323334353637',
    sealed: 'e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5484392fbc1b09951',
    tagLength: 8,
  },
  {
    name: 'Example 4 (Tlen 112, Nlen 104, Alen 2^19 bits)',
    nonce: '101112131415161718191a1b1c',
    aad: Uint8Array.from({ length: 65536 }, (_, i) => i & 0xff),
    plaintext: '202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f',
    sealed: '69915dad1e84c6376a68c2967e4dab615ae0fd1faec44cc484828529463ccf72b4ac6bec93e8598e7f0dadbcea5b',
    tagLength: 14,
  },
];

/** node:crypto's AES-CCM (OpenSSL), as an independent implementation to compare against. */
function nodeSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  tagLength: number,
) {
  const algorithm = `aes-${key.length * 8}-ccm` as 'aes-128-ccm';
  const cipher = createCipheriv(algorithm, key, nonce, { authTagLength: tagLength });
  cipher.setAAD(aad, { plaintextLength: plaintext.length });
  return concatBytes(cipher.update(plaintext), cipher.final(), cipher.getAuthTag());
}

describe('AES-CCM', () => {
  test.each(RFC3610)('RFC 3610 $name: seals and opens as printed', (v) => {
    const packet = hex(v.packet);
    const aad = packet.subarray(0, v.aadLength);
    const sealed = hex(v.sealed);
    const ccm = aesCcm(hex(v.key), hex(v.nonce), aad, v.tagLength);
    expect(toHex(concatBytes(aad, ccm.encrypt(packet.subarray(v.aadLength))))).toBe(toHex(sealed));
    expect(toHex(ccm.decrypt(sealed.subarray(v.aadLength)))).toBe(toHex(packet.subarray(v.aadLength)));
  });

  test.each(NIST)('NIST SP 800-38C $name: seals and opens as printed', (v) => {
    const ccm = aesCcm(fromHex(NIST_KEY), fromHex(v.nonce), v.aad, v.tagLength);
    expect(toHex(ccm.encrypt(fromHex(v.plaintext)))).toBe(v.sealed);
    expect(toHex(ccm.decrypt(fromHex(v.sealed)))).toBe(v.plaintext);
  });

  test('the TLS shapes (12-byte nonce, 16- and 8-byte tags) agree with node:crypto, up to a full record', () => {
    const key = fromHex('000102030405060708090a0b0c0d0e0f');
    const nonce = fromHex('a0a1a2a3a4a5a6a7a8a9aaab');
    const header = fromHex('1703030000');
    for (const tagLength of [16, 8]) {
      for (const length of [0, 1, 15, 16, 17, 255, 4096, 16384 + 1]) {
        const plaintext = Uint8Array.from({ length }, (_, i) => (i * 7 + length) & 0xff);
        const ours = aesCcm(key, nonce, header, tagLength).encrypt(plaintext);
        expect(toHex(ours)).toBe(toHex(nodeSeal(key, nonce, header, plaintext, tagLength)));
        expect(toHex(aesCcm(key, nonce, header, tagLength).decrypt(ours))).toBe(toHex(plaintext));
      }
    }
  });

  propTest.prop(
    [
      fc.constantFrom(16, 24, 32),
      fc.integer({ min: 7, max: 13 }),
      fc.constantFrom(4, 6, 8, 10, 12, 14, 16),
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 100 }),
    ],
    { numRuns: 100 },
  )(
    'any key size, nonce and tag length agree with node:crypto',
    (keyLength, nonceLength, tagLength, plaintext, aad) => {
      const key = Uint8Array.from({ length: keyLength }, (_, i) => i * 3 + 1);
      const nonce = Uint8Array.from({ length: nonceLength }, (_, i) => 0xf0 - i);
      expect(toHex(aesCcm(key, nonce, aad, tagLength).encrypt(plaintext))).toBe(
        toHex(nodeSeal(key, nonce, aad, plaintext, tagLength)),
      );
    },
  );

  propTest.prop([fc.nat(), fc.integer({ min: 0, max: 7 })], { numRuns: 100 })(
    'a flipped bit in ciphertext or tag is refused',
    (at, bit) => {
      const v = NIST[2];
      const sealed = fromHex(v.sealed);
      sealed[at % sealed.length] ^= 1 << bit;
      expect(() => aesCcm(fromHex(NIST_KEY), fromHex(v.nonce), v.aad, 8).decrypt(sealed)).toThrow(
        /tag does not verify/,
      );
    },
  );

  test('changed additional data, nonce or tag length is refused', () => {
    const v = NIST[2];
    const sealed = fromHex(v.sealed);
    const key = fromHex(NIST_KEY);
    const aad = v.aad.slice();
    aad[0] ^= 1;
    expect(() => aesCcm(key, fromHex(v.nonce), aad, 8).decrypt(sealed)).toThrow(/tag/);
    expect(() => aesCcm(key, fromHex('101112131415161718191a1c'), v.aad, 8).decrypt(sealed)).toThrow(/tag/);
    expect(() => aesCcm(key, fromHex(v.nonce), v.aad, 16).decrypt(sealed)).toThrow(/tag/);
    expect(() => aesCcm(key, fromHex(v.nonce), v.aad, 8).decrypt(sealed.subarray(0, 7))).toThrow(
      /shorter than the 8-byte tag/,
    );
  });

  test('bad parameters are RangeErrors naming what was expected', () => {
    const key = new Uint8Array(16);
    expect(() => aesCcm(new Uint8Array(15), new Uint8Array(12))).toThrow(
      /key must be 16, 24 or 32 bytes, got 15/,
    );
    expect(() => aesCcm(key, new Uint8Array(6))).toThrow(/nonce must be 7..13 bytes, got 6/);
    expect(() => aesCcm(key, new Uint8Array(14))).toThrow(RangeError);
    expect(() => aesCcm(key, new Uint8Array(12), undefined, 9)).toThrow(/tag must be 4, 6, .* got 9/);
    expect(() => aesCcm(key, new Uint8Array(12), undefined, 18)).toThrow(RangeError);
    // A 13-byte nonce leaves a 2-byte length field: at most 65535 bytes of payload.
    expect(() => aesCcm(key, new Uint8Array(13)).encrypt(new Uint8Array(65536))).toThrow(/length field/);
    expect(aesCcm(key, new Uint8Array(13)).encrypt(new Uint8Array(65535)).length).toBe(65535 + 16);
  });
});
