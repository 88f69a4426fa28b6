/**
 * Cross-check against an independent implementation: node:crypto (OpenSSL) does the
 * same ECDH and finite-field DH with the same keys, in both directions.
 */
import {
  checkPrimeSync,
  createDiffieHellman,
  createECDH,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
} from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { toHex } from '../../src/bytes/hex.ts';
import {
  deriveSharedSecret,
  FFDHE_GROUPS,
  generateKeyShare,
  respondToKeyShare,
} from '../../src/crypto/index.ts';

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('ECDH agrees with node:crypto', () => {
  test.each([
    [0x0017, 'prime256v1'],
    [0x0018, 'secp384r1'],
    [0x0019, 'secp521r1'],
  ])('group %d (%s): node with our private key computes our secret, and we answer node', (group, curve) => {
    // Our client share, node as the server.
    const share = generateKeyShare(group);
    const nodeServer = createECDH(curve);
    nodeServer.generateKeys();
    const nodeServerShare = new Uint8Array(nodeServer.getPublicKey(undefined, 'uncompressed'));
    const ours = deriveSharedSecret(share, nodeServerShare);
    expect(toHex(ours)).toBe(toHex(nodeServer.computeSecret(share.keyExchange)));

    // Node recomputes from our private scalar.
    const nodeClient = createECDH(curve);
    nodeClient.setPrivateKey(share.privateKeys[0]);
    expect(toHex(nodeClient.getPublicKey(undefined, 'uncompressed'))).toBe(toHex(share.keyExchange));
    expect(toHex(nodeClient.computeSecret(nodeServerShare))).toBe(toHex(ours));

    // Node as the client, our simulated server.
    const nodeAsClient = createECDH(curve);
    nodeAsClient.generateKeys();
    const response = respondToKeyShare(
      group,
      new Uint8Array(nodeAsClient.getPublicKey(undefined, 'uncompressed')),
    );
    expect(toHex(nodeAsClient.computeSecret(response.keyExchange))).toBe(toHex(response.sharedSecret));
  });

  test.each([
    [0x001d, 'X25519'],
    [0x001e, 'X448'],
  ])('group %d: %s with node key objects', (group, crv) => {
    const share = generateKeyShare(group);
    const ourPrivate = createPrivateKey({
      key: { kty: 'OKP', crv, d: b64url(share.privateKeys[0]), x: b64url(share.keyExchange) },
      format: 'jwk',
    });
    const nodePair = crv === 'X25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('x448');
    const nodePublicRaw = new Uint8Array(
      Buffer.from(nodePair.publicKey.export({ format: 'jwk' }).x!, 'base64url'),
    );
    const ours = deriveSharedSecret(share, nodePublicRaw);
    expect(toHex(ours)).toBe(toHex(diffieHellman({ privateKey: ourPrivate, publicKey: nodePair.publicKey })));

    const response = respondToKeyShare(group, nodePublicRaw);
    const serverPublic = createPublicKey({
      key: { kty: 'OKP', crv, x: b64url(response.keyExchange) },
      format: 'jwk',
    });
    expect(toHex(diffieHellman({ privateKey: nodePair.privateKey, publicKey: serverPublic }))).toBe(
      toHex(response.sharedSecret),
    );
  });
});

const pad = (bytes: Uint8Array, length: number) => {
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
};

describe('finite-field groups (RFC 7919)', () => {
  // OpenSSL's primality check takes about 15 s for ffdhe6144 and 55 s for ffdhe8192 (p and q),
  // so those two are pinned to their RFC 7919 definition in ffdhe-primes.test.ts instead.
  test.each(
    [...FFDHE_GROUPS].filter(([, g]) => g.byteLength <= 512).map(([code, g]) => [g.name, code, g] as const),
  )('%s: the prime is a safe prime of the stated size with 64 one bits at both ends', (_name, _code, g) => {
    const bits = g.byteLength * 8;
    expect(g.prime.toString(2).length).toBe(bits);
    const ones = (1n << 64n) - 1n;
    expect(g.prime >> BigInt(bits - 64)).toBe(ones);
    expect(g.prime & ones).toBe(ones);
    expect(checkPrimeSync(g.prime, { checks: 2 })).toBe(true);
    expect(checkPrimeSync((g.prime - 1n) / 2n, { checks: 2 })).toBe(true);
  });

  test.each([...FFDHE_GROUPS].map(([code, g]) => [g.name, code, g] as const))(
    '%s: node DH agrees with our client share and our simulated server',
    (_name, code, g) => {
      const share = generateKeyShare(code);
      const prime = new Uint8Array(Buffer.from(g.prime.toString(16), 'hex'));
      const nodeDh = createDiffieHellman(prime, Uint8Array.of(2));
      nodeDh.setPrivateKey(share.privateKeys[0]);
      expect(toHex(pad(nodeDh.generateKeys(), g.byteLength))).toBe(toHex(share.keyExchange));

      const nodeServer = createDiffieHellman(prime, Uint8Array.of(2));
      const nodeShare = pad(nodeServer.generateKeys(), g.byteLength);
      expect(toHex(deriveSharedSecret(share, nodeShare))).toBe(
        toHex(pad(nodeServer.computeSecret(share.keyExchange), g.byteLength)),
      );

      const response = respondToKeyShare(code, nodeShare);
      expect(toHex(pad(nodeServer.computeSecret(response.keyExchange), g.byteLength))).toBe(
        toHex(response.sharedSecret),
      );
    },
  );
});
