/**
 * The TLS 1.2 RSA key exchange's two pieces: the RSA key read from a certificate's DER
 * (src/probe/rsa-public-key.ts) and RSAES-PKCS1-v1_5 encryption (src/crypto/rsa-encrypt.ts),
 * checked against keys OpenSSL made: the same key as Node's crypto reads, and a ciphertext the
 * private exponent opens to the PKCS#1 encoding of the message.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { fromHex } from '../../src/bytes/hex.ts';
import { seededRandom } from '../../src/crypto/random.ts';
import { rsaPkcs1Encrypt } from '../../src/crypto/rsa-encrypt.ts';
import { selfSignedCertificate } from '../../src/node/self-signed.ts';
import { rsaPublicKey } from '../../src/probe/rsa-public-key.ts';

const b64url = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));
/** A big-endian INTEGER's content without the sign byte DER puts before a high bit. */
const unsigned = (b: Uint8Array) => (b[0] === 0 ? b.subarray(1) : b);

function big(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

describe('RSA key exchange pieces', () => {
  test('the RSA key of a certificate, as OpenSSL reads it; none for an EC certificate', async () => {
    for (const keyType of ['rsa-2048', 'ecdsa-p256'] as const) {
      const { cert } = await selfSignedCertificate(['hellokit.test'], { keyType });
      const x509 = new X509Certificate(cert);
      const key = rsaPublicKey(new Uint8Array(x509.raw));
      if (keyType === 'ecdsa-p256') {
        expect(key).toBeNull();
        continue;
      }
      const jwk = x509.publicKey.export({ format: 'jwk' });
      expect(unsigned(key!.n)).toEqual(b64url(jwk.n!));
      expect(unsigned(key!.e)).toEqual(b64url(jwk.e!));
    }
    expect(rsaPublicKey(fromHex('3000'))).toBeNull();
    expect(rsaPublicKey(new Uint8Array(0))).toBeNull();
  });

  test('PKCS#1 v1.5 encryption: the private exponent opens it to 00 02, nonzero padding, 00, the message', () => {
    // Node 20 no longer decrypts PKCS#1 v1.5 with a private key (CVE-2023-46809), so the
    // private exponent OpenSSL made opens it here, and the encoding is checked byte by byte.
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const d = big(b64url(privateKey.export({ format: 'jwk' }).d!));
    const n = big(b64url(jwk.n!));
    const message = fromHex(`0303${'ab'.repeat(46)}`);
    const seen = new Set<string>();
    for (const seed of [1, 2, 3]) {
      const c = rsaPkcs1Encrypt(b64url(jwk.n!), b64url(jwk.e!), message, seededRandom(seed));
      expect(c.length).toBe(256);
      const em = fromHex(modPow(big(c), d, n).toString(16).padStart(512, '0'));
      expect([em[0], em[1]]).toEqual([0, 2]);
      const padding = em.subarray(2, 256 - message.length - 1);
      expect(padding.length).toBe(256 - 3 - message.length);
      expect(padding.every((b) => b !== 0)).toBe(true);
      expect(em[256 - message.length - 1]).toBe(0);
      expect(em.subarray(256 - message.length)).toEqual(message);
      seen.add(Buffer.from(c).toString('hex'));
    }
    expect(seen.size).toBe(3);
    const tooLong = new Uint8Array(250);
    expect(() => rsaPkcs1Encrypt(b64url(jwk.n!), b64url(jwk.e!), tooLong, seededRandom(1))).toThrow(
      /too short/,
    );
  });
});
