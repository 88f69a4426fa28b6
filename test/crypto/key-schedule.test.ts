import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../src/bytes/hex.ts';
import {
  cipherSuiteParams,
  deriveSecret,
  earlySecret,
  handshakeSecrets,
  hkdfExpandLabel,
  hkdfExtract,
  messageHashMessage,
  nextTrafficSecret,
  SUPPORTED_TLS13_CIPHER_SUITES,
  Transcript,
  trafficKeys,
  UnsupportedError,
} from '../../src/crypto/index.ts';

/** HKDF-Expand-Label written out with node's HMAC, as an independent oracle. */
function nodeExpandLabel(
  hash: 'sha256' | 'sha384',
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
) {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, full.length]),
    full,
    Buffer.from([context.length]),
    context,
  ]);
  const out: Buffer[] = [];
  let t = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(out).length < length; i++) {
    t = createHmac(hash, secret)
      .update(Buffer.concat([t, info, Buffer.from([i])]))
      .digest();
    out.push(t);
  }
  return new Uint8Array(Buffer.concat(out).subarray(0, length));
}

const nodeHash = (hash: string, ...parts: Uint8Array[]) => {
  const h = createHash(hash);
  for (const p of parts) h.update(p);
  return toHex(h.digest());
};

describe('cipher suites', () => {
  test('TLS 1.3 suites map to their AEAD, hash and key length', () => {
    expect(cipherSuiteParams(0x1301)).toMatchObject({
      aead: 'AES_128_GCM',
      hash: 'sha256',
      keyLength: 16,
      hashLength: 32,
    });
    expect(cipherSuiteParams(0x1302)).toMatchObject({
      aead: 'AES_256_GCM',
      hash: 'sha384',
      keyLength: 32,
      hashLength: 48,
    });
    expect(cipherSuiteParams(0x1303)).toMatchObject({
      aead: 'CHACHA20_POLY1305',
      hash: 'sha256',
      keyLength: 32,
    });
    expect(SUPPORTED_TLS13_CIPHER_SUITES).toEqual([0x1301, 0x1302, 0x1303, 0x1304, 0x1305]);
  });

  test('the CCM suites are AES-128 with SHA-256; CCM_8 has an 8-byte tag', () => {
    expect(cipherSuiteParams(0x1304)).toMatchObject({
      name: 'TLS_AES_128_CCM_SHA256',
      aead: 'AES_128_CCM',
      hash: 'sha256',
      keyLength: 16,
      ivLength: 12,
      tagLength: 16,
    });
    expect(cipherSuiteParams(0x1305)).toMatchObject({
      name: 'TLS_AES_128_CCM_8_SHA256',
      aead: 'AES_128_CCM_8',
      hash: 'sha256',
      keyLength: 16,
      ivLength: 12,
      tagLength: 8,
    });
  });

  test('a TLS 1.2 suite is not a TLS 1.3 suite', () => {
    expect(() => cipherSuiteParams(0xc02f)).toThrow(UnsupportedError);
    expect(() => cipherSuiteParams(0xc02f)).toThrow(/0xc02f.*0x1305/);
  });
});

describe('HKDF for SHA-256 and SHA-384', () => {
  test.each(['sha256', 'sha384'] as const)('%s HKDF-Extract agrees with node hkdf', (hash) => {
    const salt = fromHex('000102030405060708090a0b0c');
    const ikm = fromHex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b');
    const prk = hkdfExtract(hash, salt, ikm);
    // HKDF-Expand(prk, info, L) with L = hash length is HMAC(prk, info || 0x01); node's hkdf is extract+expand.
    const okm = new Uint8Array(hkdfSync(hash, ikm, salt, new Uint8Array(0), prk.length));
    expect(toHex(okm)).toBe(toHex(createHmac(hash, prk).update(Uint8Array.of(1)).digest()));
  });

  test.each(['sha256', 'sha384'] as const)('%s HKDF-Expand-Label agrees with a node HMAC oracle', (hash) => {
    const secret = new Uint8Array(hash === 'sha256' ? 32 : 48).map((_, i) => i * 7 + 1);
    for (const [label, context, length] of [
      ['key', new Uint8Array(0), 32],
      ['iv', new Uint8Array(0), 12],
      ['c hs traffic', fromHex('860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8'), 48],
      ['long', new Uint8Array(0), 100],
    ] as const) {
      expect(toHex(hkdfExpandLabel(hash, secret, label, context, length))).toBe(
        toHex(nodeExpandLabel(hash, secret, label, context, length)),
      );
    }
  });

  test('the SHA-384 early secret without PSK is the well-known value', () => {
    expect(toHex(earlySecret('sha384'))).toBe(
      '7ee8206f5570023e6dc7519eb1073bc4e791ad37b5c382aa10ba18e2357e716971f9362f2c2fe2a76bfd78dfec4ea9b5',
    );
  });

  test('a SHA-384 schedule gives 48-byte secrets and 32-byte AES-256 keys', () => {
    const s = handshakeSecrets('sha384', new Uint8Array(48).fill(7), createHash('sha384').digest());
    expect(s.serverHandshakeTrafficSecret.length).toBe(48);
    const keys = trafficKeys(cipherSuiteParams(0x1302), s.serverHandshakeTrafficSecret);
    expect(keys.key.length).toBe(32);
    expect(keys.iv.length).toBe(12);
    expect(toHex(s.clientHandshakeTrafficSecret)).toBe(
      toHex(nodeExpandLabel('sha384', s.handshakeSecret, 'c hs traffic', createHash('sha384').digest(), 48)),
    );
  });

  test('deriveSecret is HKDF-Expand-Label with the hash length', () => {
    const secret = new Uint8Array(32).fill(1);
    const ctx = new Uint8Array(32).fill(2);
    expect(toHex(deriveSecret('sha256', secret, 'derived', ctx))).toBe(
      toHex(nodeExpandLabel('sha256', secret, 'derived', ctx, 32)),
    );
  });

  test('the key update secret uses "traffic upd" over an empty context', () => {
    const secret = fromHex('9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5');
    expect(toHex(nextTrafficSecret('sha256', secret))).toBe(
      toHex(nodeExpandLabel('sha256', secret, 'traffic upd', new Uint8Array(0), 32)),
    );
  });

  test('a secret shorter than the hash is refused (a SHA-256 secret in a SHA-384 schedule)', () => {
    expect(() => hkdfExpandLabel('sha384', new Uint8Array(32), 'key', new Uint8Array(0), 32)).toThrow(
      /at least 48/,
    );
  });

  test('labels longer than 255 bytes with the prefix are refused', () => {
    expect(() =>
      hkdfExpandLabel('sha256', new Uint8Array(32), 'x'.repeat(250), new Uint8Array(0), 32),
    ).toThrow(RangeError);
  });
});

describe('Transcript', () => {
  const ch1 = fromHex('0100000403030000');
  const hrr = fromHex('02000006030300000000');
  const ch2 = fromHex('01000005030300000001');

  test('hashes messages incrementally; digest does not end the transcript', () => {
    const t = new Transcript('sha256').update(ch1);
    expect(toHex(t.digest())).toBe(nodeHash('sha256', ch1));
    t.update(hrr);
    expect(toHex(t.digest())).toBe(nodeHash('sha256', ch1, hrr));
    expect(t.messageCount).toBe(2);
  });

  test.each([
    ['sha256', 32],
    ['sha384', 48],
  ] as const)(
    'after HelloRetryRequest (%s), ClientHello1 is replaced by message_hash = fe 00 00 len || Hash(CH1) (RFC 8446 §4.4.1)',
    (hash, length) => {
      const expected = nodeHash(
        hash,
        Uint8Array.of(0xfe, 0, 0, length),
        new Uint8Array(createHash(hash).update(ch1).digest()),
        hrr,
        ch2,
      );
      const t = new Transcript(hash).update(ch1).replaceWithMessageHash().update(hrr, ch2);
      expect(toHex(t.digest())).toBe(expected);
      expect(toHex(Transcript.afterHelloRetryRequest(hash, ch1, hrr).update(ch2).digest())).toBe(expected);
      expect(
        toHex(messageHashMessage(new Uint8Array(createHash(hash).update(ch1).digest())).subarray(0, 4)),
      ).toBe(`fe0000${length.toString(16)}`);
    },
  );

  test('message_hash is only valid over exactly ClientHello1', () => {
    expect(() => new Transcript('sha256').replaceWithMessageHash()).toThrow(RangeError);
    expect(() => new Transcript('sha256').update(ch1, hrr).replaceWithMessageHash()).toThrow(
      /exactly ClientHello1/,
    );
  });

  test('clone forks the transcript', () => {
    const a = new Transcript('sha384').update(ch1);
    const b = a.clone().update(hrr);
    expect(toHex(a.digest())).toBe(nodeHash('sha384', ch1));
    expect(toHex(b.digest())).toBe(nodeHash('sha384', ch1, hrr));
    expect(toHex(concatBytes(a.digest()))).not.toBe(toHex(b.digest()));
  });
});
