import { x25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import {
  CryptoError,
  deriveSharedSecret,
  FFDHE_GROUPS,
  generateKeyShare,
  isSupportedKeyShareGroup,
  keyShareSizes,
  respondToKeyShare,
  SUPPORTED_KEY_SHARE_GROUPS,
  seededRandom,
  UnsupportedError,
} from '../../src/crypto/index.ts';

/** [code, IANA name, client share, server share, shared secret] in bytes. */
const EXPECTED_SIZES: [number, string, number, number, number][] = [
  [0x0017, 'secp256r1', 65, 65, 32],
  [0x0018, 'secp384r1', 97, 97, 48],
  [0x0019, 'secp521r1', 133, 133, 66],
  [0x001d, 'x25519', 32, 32, 32],
  [0x001e, 'x448', 56, 56, 56],
  [0x0100, 'ffdhe2048', 256, 256, 256],
  [0x0101, 'ffdhe3072', 384, 384, 384],
  [0x0102, 'ffdhe4096', 512, 512, 512],
  [0x0103, 'ffdhe6144', 768, 768, 768],
  [0x0104, 'ffdhe8192', 1024, 1024, 1024],
  [0x0200, 'MLKEM512', 800, 768, 32],
  [0x0201, 'MLKEM768', 1184, 1088, 32],
  [0x0202, 'MLKEM1024', 1568, 1568, 32],
  [0x11eb, 'SecP256r1MLKEM768', 65 + 1184, 65 + 1088, 64],
  [0x11ec, 'X25519MLKEM768', 1184 + 32, 1088 + 32, 64],
  [0x11ed, 'SecP384r1MLKEM1024', 97 + 1568, 97 + 1568, 80],
];

describe('key shares', () => {
  test('the supported groups are exactly the ones with expected sizes', () => {
    expect([...SUPPORTED_KEY_SHARE_GROUPS].sort((a, b) => a - b)).toEqual(EXPECTED_SIZES.map(([g]) => g));
  });

  test.each(EXPECTED_SIZES)(
    'group %d (%s): client → server → client gives equal secrets and wire sizes',
    (group, name, clientLength, serverLength, secretLength) => {
      expect(keyShareSizes(group)).toEqual({
        name,
        clientShareLength: clientLength,
        serverShareLength: serverLength,
        sharedSecretLength: secretLength,
      });
      const share = generateKeyShare(group);
      expect(share.group).toBe(group);
      expect(share.keyExchange.length).toBe(clientLength);
      const server = respondToKeyShare(group, share.keyExchange);
      expect(server.keyExchange.length).toBe(serverLength);
      expect(server.sharedSecret.length).toBe(secretLength);
      const client = deriveSharedSecret(share, server.keyExchange);
      expect(toHex(client)).toBe(toHex(server.sharedSecret));
      expect(client.some((b) => b !== 0)).toBe(true);
    },
  );

  test.each(EXPECTED_SIZES.filter(([g]) => g <= 0x0019 || g === 0x11eb || g === 0x11ed))(
    'group %d (%s) sends uncompressed points (0x04 first)',
    (group) => {
      const share = generateKeyShare(group);
      expect(share.keyExchange[0]).toBe(0x04);
      expect(respondToKeyShare(group, share.keyExchange).keyExchange[0]).toBe(0x04);
    },
  );

  test('X25519MLKEM768 puts ML-KEM first in shares and secret', () => {
    const share = generateKeyShare(0x11ec);
    const [dk, sk] = share.privateKeys;
    expect(toHex(share.keyExchange.subarray(1184))).toBe(toHex(x25519.getPublicKey(sk)));
    const server = respondToKeyShare(0x11ec, share.keyExchange);
    const ct = server.keyExchange.subarray(0, 1088);
    const serverX = server.keyExchange.subarray(1088);
    expect(toHex(server.sharedSecret.subarray(0, 32))).toBe(toHex(ml_kem768.decapsulate(ct, dk)));
    expect(toHex(server.sharedSecret.subarray(32))).toBe(toHex(x25519.getSharedSecret(sk, serverX)));
  });

  test('SecP256r1MLKEM768 puts ECDH first in shares and secret', () => {
    const share = generateKeyShare(0x11eb);
    const [sk, dk] = share.privateKeys;
    expect(toHex(share.keyExchange.subarray(0, 65))).toBe(toHex(p256.getPublicKey(sk, false)));
    const server = respondToKeyShare(0x11eb, share.keyExchange);
    const point = server.keyExchange.subarray(0, 65);
    const ct = server.keyExchange.subarray(65);
    expect(toHex(server.sharedSecret.subarray(0, 32))).toBe(
      toHex(p256.getSharedSecret(sk, point, false).subarray(1, 33)),
    );
    expect(toHex(server.sharedSecret.subarray(32))).toBe(toHex(ml_kem768.decapsulate(ct, dk)));
  });

  test('SecP384r1MLKEM1024 puts ECDH first in shares and secret', () => {
    const share = generateKeyShare(0x11ed);
    const [sk, dk] = share.privateKeys;
    expect(toHex(share.keyExchange.subarray(0, 97))).toBe(toHex(p384.getPublicKey(sk, false)));
    const server = respondToKeyShare(0x11ed, share.keyExchange);
    expect(toHex(server.sharedSecret.subarray(0, 48))).toBe(
      toHex(p384.getSharedSecret(sk, server.keyExchange.subarray(0, 97), false).subarray(1, 49)),
    );
    expect(toHex(server.sharedSecret.subarray(48))).toBe(
      toHex(ml_kem1024.decapsulate(server.keyExchange.subarray(97), dk)),
    );
  });

  test('the same seed gives the same key share for every group', () => {
    for (const group of SUPPORTED_KEY_SHARE_GROUPS) {
      const a = generateKeyShare(group, seededRandom(`share-${group}`));
      const b = generateKeyShare(group, seededRandom(`share-${group}`));
      const c = generateKeyShare(group, seededRandom(`other-${group}`));
      expect(toHex(a.keyExchange)).toBe(toHex(b.keyExchange));
      expect(toHex(a.keyExchange)).not.toBe(toHex(c.keyExchange));
    }
  });

  test('isSupportedKeyShareGroup tells supported from unsupported', () => {
    expect(isSupportedKeyShareGroup(0x11ec)).toBe(true);
    expect(isSupportedKeyShareGroup(0x6399)).toBe(false);
    expect(isSupportedKeyShareGroup(0x0a0a)).toBe(false);
  });
});

function pMinusOne(group: number): Uint8Array {
  const g = FFDHE_GROUPS.get(group)!;
  return fromHex((g.prime - 1n).toString(16).padStart(g.byteLength * 2, '0'));
}

describe('bad server shares are rejected with an error naming the group', () => {
  const cases: [string, number, (good: Uint8Array) => Uint8Array][] = [
    ['x25519 one byte short', 0x001d, (g) => g.subarray(1)],
    ['x25519 all-zero point (low order)', 0x001d, () => new Uint8Array(32)],
    ['secp256r1 compressed point', 0x0017, (g) => p256.Point.fromBytes(g).toBytes(true)],
    [
      'secp256r1 point not on the curve',
      0x0017,
      (g) => {
        const bad = g.slice();
        bad[64] ^= 1;
        return bad;
      },
    ],
    ['secp384r1 wrong prefix', 0x0018, (g) => Uint8Array.of(0x05, ...g.subarray(1))],
    ['ffdhe2048 share not left-padded', 0x0100, (g) => g.subarray(1)],
    ['ffdhe2048 share Y = 1', 0x0100, (g) => Uint8Array.from(g, (_, i) => (i === g.length - 1 ? 1 : 0))],
    ['ffdhe3072 share Y = p - 1', 0x0101, () => pMinusOne(0x0101)],
    ['MLKEM768 short ciphertext', 0x0201, (g) => g.subarray(0, 1000)],
    ['X25519MLKEM768 missing the x25519 part', 0x11ec, (g) => g.subarray(0, 1088)],
  ];
  test.each(cases)('%s', (_, group, mutate) => {
    const share = generateKeyShare(group);
    const good = respondToKeyShare(group, share.keyExchange).keyExchange;
    const name = keyShareSizes(group).name;
    let caught: unknown;
    try {
      deriveSharedSecret(share, mutate(good));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CryptoError);
    expect((caught as CryptoError).alert).toBe('illegal_parameter');
    expect((caught as CryptoError).message).toContain(name);
  });

  test('a client share of the wrong size is rejected by the simulated server', () => {
    expect(() => respondToKeyShare(0x11ec, new Uint8Array(1184))).toThrow(/X25519MLKEM768.*1216/);
  });

  test('an ML-KEM encapsulation key with coefficients ≥ q is rejected (FIPS 203 modulus check)', () => {
    const ek = generateKeyShare(0x0201).keyExchange.slice();
    ek[0] = 0xff;
    ek[1] = 0xff;
    expect(() => respondToKeyShare(0x0201, ek)).toThrow(CryptoError);
  });
});

describe('unsupported groups', () => {
  test('X25519Kyber768Draft00 says Kyber round 3 is not ML-KEM', () => {
    let caught: unknown;
    try {
      generateKeyShare(0x6399);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnsupportedError);
    expect(caught).toBeInstanceOf(RangeError);
    expect((caught as UnsupportedError).code).toBe(0x6399);
    expect((caught as Error).message).toMatch(/X25519Kyber768Draft00.*Kyber/);
  });

  test('an unknown group lists the supported ones', () => {
    expect(() => generateKeyShare(0x0a0a)).toThrow(/0x0a0a.*x25519/);
  });

  test('a value that is not a 16-bit code point is misuse', () => {
    expect(() => generateKeyShare(0x10000)).toThrow(RangeError);
  });
});
