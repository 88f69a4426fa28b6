/**
 * X25519 and the NIST curves for key shares, done by Node's crypto (OpenSSL) behind the same
 * calls src/crypto/key-share.ts makes on `@noble/curves`. The bin (scripts/build/bundle.mjs)
 * gives key-share.ts these instead of noble's: a `hellokit probe` process makes one or two
 * shares and so pays noble's cold start for each, 80–110 ms per curve on the test machine
 * (docs/performance.md), where OpenSSL takes well under a millisecond. The library keeps noble,
 * which runs everywhere.
 *
 * The keys are the same as noble's for the same random bytes: a NIST secret comes from the seed
 * through noble's own `randomSecretKey` (FIPS 186-5 A.2.1, no point arithmetic), and X25519
 * clamps the 32 bytes as RFC 7748 says in both. So `hellokit build --seed S` writes the same
 * bytes from the bin as from the library (test/cli/package.test.ts).
 */
import { createECDH, createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { p256 as nobleP256, p384 as nobleP384, p521 as nobleP521 } from '@noble/curves/nist.js';
import { fromHex } from '../bytes/hex.ts';

/** DER prefixes of an X25519 key (OID 1.3.101.110) with its 32 raw bytes last: RFC 8410 §7 and §10.1. */
const X25519_PKCS8 = fromHex('302e020100300506032b656e04220420');
const X25519_SPKI = fromHex('302a300506032b656e032100');

function der(prefix: Uint8Array, raw: Uint8Array): Buffer {
  const out = Buffer.alloc(prefix.length + raw.length);
  out.set(prefix);
  out.set(raw, prefix.length);
  return out;
}

function x25519Private(secretKey: Uint8Array): KeyObject {
  if (secretKey.length !== 32) throw new Error(`X25519 secret key must be 32 bytes, got ${secretKey.length}`);
  return createPrivateKey({ key: der(X25519_PKCS8, secretKey), format: 'der', type: 'pkcs8' });
}

/** What key-share.ts calls on a Montgomery curve. */
export interface MontgomeryEcdh {
  readonly lengths: typeof nobleX25519.lengths;
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
}

/** What key-share.ts calls on a Weierstrass curve. */
export interface WeierstrassEcdh {
  readonly lengths: NobleWeierstrass['lengths'];
  keygen(seed?: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array };
  getPublicKey(secretKey: Uint8Array, isCompressed?: boolean): Uint8Array;
  getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array, isCompressed?: boolean): Uint8Array;
}

/** `getPublicKey` and `getSharedSecret` of noble's `x25519`, by OpenSSL. */
export const x25519: MontgomeryEcdh = {
  lengths: nobleX25519.lengths,
  getPublicKey(secretKey: Uint8Array): Uint8Array {
    const spki = createPublicKey(x25519Private(secretKey)).export({ format: 'der', type: 'spki' });
    return new Uint8Array(spki.subarray(X25519_SPKI.length));
  },
  /** Throws (as noble does) when the result is all zero: OpenSSL refuses a low-order point. */
  getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
    if (publicKey.length !== 32)
      throw new Error(`X25519 public key must be 32 bytes, got ${publicKey.length}`);
    const peer = createPublicKey({ key: der(X25519_SPKI, publicKey), format: 'der', type: 'spki' });
    return new Uint8Array(diffieHellman({ privateKey: x25519Private(secretKey), publicKey: peer }));
  },
};

interface NobleWeierstrass {
  readonly lengths: { readonly seed?: number; readonly secretKey?: number };
  readonly utils: { randomSecretKey(seed?: Uint8Array): Uint8Array };
}

/**
 * The ECDH part of a noble Weierstrass curve: `keygen(seed)`, `getPublicKey` and
 * `getSharedSecret`, for OpenSSL's curve `name`. `getSharedSecret` returns the point as
 * `0x04 || X || 0…` (TLS 1.3 uses only X, RFC 8446 §7.4.2; OpenSSL's ECDH gives only X).
 */
function weierstrass(name: string, noble: NobleWeierstrass, fieldLength: number): WeierstrassEcdh {
  const ecdh = (secretKey: Uint8Array) => {
    const e = createECDH(name);
    e.setPrivateKey(secretKey);
    return e;
  };
  const getPublicKey = (secretKey: Uint8Array, isCompressed = true): Uint8Array =>
    new Uint8Array(ecdh(secretKey).getPublicKey(undefined, isCompressed ? 'compressed' : 'uncompressed'));
  return {
    lengths: noble.lengths,
    keygen(seed?: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array } {
      const secretKey = noble.utils.randomSecretKey(seed);
      return { secretKey, publicKey: getPublicKey(secretKey) };
    },
    getPublicKey,
    getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
      const x = ecdh(secretKey).computeSecret(publicKey);
      const point = new Uint8Array(1 + 2 * fieldLength);
      point[0] = 0x04;
      point.set(x, 1);
      return point;
    },
  };
}

export const p256: WeierstrassEcdh = weierstrass('prime256v1', nobleP256, 32);
export const p384: WeierstrassEcdh = weierstrass('secp384r1', nobleP384, 48);
export const p521: WeierstrassEcdh = weierstrass('secp521r1', nobleP521, 66);
