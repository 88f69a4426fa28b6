/**
 * TLS 1.2 AEAD records as the probe seals its Finished (src/crypto/tls12-record.ts): the record's
 * layout, its nonce and additional data, opened again with the AEADs themselves; the key block's
 * split. That real servers take the Finished is checked in test/node/client-certificate.test.ts.
 */
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, test } from 'vitest';
import { concatBytes } from '../../src/bytes/hex.ts';
import { dheAgree, FFDHE_GROUPS } from '../../src/crypto/ffdhe.ts';
import { seededRandom } from '../../src/crypto/random.ts';
import { recordNonce } from '../../src/crypto/record-protection.ts';
import { tls12Prf } from '../../src/crypto/tls12-prf.ts';
import { sealTls12Record, tls12KeyBlock, tls12RecordCipher } from '../../src/crypto/tls12-record.ts';

const bytes = (n: number, from: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
const finished = concatBytes(Uint8Array.of(20, 0, 0, 12), bytes(12, 0x40));

function aad(sequence: number, length: number): Uint8Array {
  const out = new Uint8Array(13);
  new DataView(out.buffer).setBigUint64(0, BigInt(sequence));
  out.set([22, 3, 3, length >> 8, length & 0xff], 8);
  return out;
}

describe('TLS 1.2 AEAD records', () => {
  test('AES-GCM: the explicit nonce (the sequence number) before the ciphertext, salt || explicit as the nonce', () => {
    const keys = { cipher: 'AES_128_GCM' as const, key: bytes(16, 1), iv: bytes(4, 0x20), sequence: 0 };
    for (const sequence of [0, 1]) {
      const record = sealTls12Record(keys, 22, finished);
      expect([...record.subarray(0, 3)]).toEqual([22, 3, 3]);
      const fragment = record.subarray(5);
      expect((record[3] << 8) | record[4]).toBe(fragment.length);
      expect(fragment.length).toBe(8 + finished.length + 16);
      const explicit = fragment.subarray(0, 8);
      expect(explicit).toEqual(aad(sequence, 0).subarray(0, 8));
      const opened = gcm(keys.key, concatBytes(keys.iv, explicit), aad(sequence, finished.length)).decrypt(
        fragment.subarray(8),
      );
      expect(opened).toEqual(finished);
    }
    expect(keys.sequence).toBe(2);
  });

  test('ChaCha20-Poly1305: no explicit nonce, the IV XOR the sequence number', () => {
    const keys = {
      cipher: 'CHACHA20_POLY1305' as const,
      key: bytes(32, 3),
      iv: bytes(12, 0x30),
      sequence: 5,
    };
    const record = sealTls12Record(keys, 22, finished);
    const fragment = record.subarray(5);
    expect(fragment.length).toBe(finished.length + 16);
    const opened = chacha20poly1305(keys.key, recordNonce(keys.iv, 5), aad(5, finished.length)).decrypt(
      fragment,
    );
    expect(opened).toEqual(finished);
  });

  test('the key block: client key, server key, client IV, server IV, from PRF "key expansion" over server_random + client_random', () => {
    const master = bytes(48, 7);
    const clientRandom = bytes(32, 0x80);
    const serverRandom = bytes(32, 0xa0);
    const block = tls12Prf('sha384', master, 'key expansion', concatBytes(serverRandom, clientRandom), 72);
    const { client, server } = tls12KeyBlock(
      'sha384',
      { cipher: 'AES_256_GCM' },
      master,
      clientRandom,
      serverRandom,
    );
    expect(client.key).toEqual(block.subarray(0, 32));
    expect(server.key).toEqual(block.subarray(32, 64));
    expect(client.iv).toEqual(block.subarray(64, 68));
    expect(server.iv).toEqual(block.subarray(68, 72));
  });

  test('AES-CBC, MAC then encrypt: IV || AES-CBC(plaintext || HMAC || padding), the MAC over seq, header and plaintext', () => {
    const keys = {
      cipher: 'AES_128_CBC' as const,
      key: bytes(16, 9),
      iv: bytes(16, 0),
      mac: 'SHA1' as const,
      macKey: bytes(20, 0x50),
      sequence: 3,
    };
    const iv = bytes(16, 0x70);
    const record = sealTls12Record(keys, 22, finished, () => iv);
    const fragment = record.subarray(5);
    expect(fragment.subarray(0, 16)).toEqual(iv);
    // 16 bytes of message, 20 of MAC, 12 of padding (11 + its length byte): 48, three blocks.
    expect(fragment.length).toBe(16 + 48);
    const plain = cbc(keys.key, iv, { disablePadding: true }).decrypt(fragment.subarray(16));
    expect(plain.subarray(0, 16)).toEqual(finished);
    expect(plain.subarray(16, 36)).toEqual(hmac(sha1, keys.macKey, concatBytes(aad(3, 16), finished)));
    expect([...plain.subarray(36)]).toEqual(new Array(12).fill(11));
    expect(keys.sequence).toBe(4);
  });

  test('AES-CBC, encrypt then MAC (RFC 7366): IV || AES-CBC(plaintext || padding) || HMAC over the ciphertext', () => {
    const keys = {
      cipher: 'AES_256_CBC' as const,
      key: bytes(32, 9),
      iv: bytes(16, 0),
      mac: 'SHA256' as const,
      macKey: bytes(32, 0x50),
      encryptThenMac: true,
      sequence: 0,
    };
    const iv = bytes(16, 0x71);
    const fragment = sealTls12Record(keys, 22, finished, () => iv).subarray(5);
    const ciphertext = fragment.subarray(0, fragment.length - 32);
    expect(ciphertext.length).toBe(16 + 32);
    expect(fragment.subarray(-32)).toEqual(
      hmac(sha256, keys.macKey, concatBytes(aad(0, ciphertext.length), ciphertext)),
    );
    const plain = cbc(keys.key, iv, { disablePadding: true }).decrypt(ciphertext.subarray(16));
    expect(plain.subarray(0, 16)).toEqual(finished);
    expect([...plain.subarray(16)]).toEqual(new Array(16).fill(15));
  });

  test('the key block of a CBC suite: MAC keys first, then the encryption keys and IVs', () => {
    const master = bytes(48, 7);
    const clientRandom = bytes(32, 0x80);
    const serverRandom = bytes(32, 0xa0);
    const block = tls12Prf('sha256', master, 'key expansion', concatBytes(serverRandom, clientRandom), 104);
    const { client, server } = tls12KeyBlock(
      'sha256',
      { cipher: 'AES_128_CBC', mac: 'SHA1' },
      master,
      clientRandom,
      serverRandom,
    );
    expect(client.macKey).toEqual(block.subarray(0, 20));
    expect(server.macKey).toEqual(block.subarray(20, 40));
    expect(client.key).toEqual(block.subarray(40, 56));
    expect(server.key).toEqual(block.subarray(56, 72));
    expect(client.iv).toEqual(block.subarray(72, 88));
    expect(server.iv).toEqual(block.subarray(88, 104));
  });

  test('covers the ciphers of the IANA table it can seal, nothing else', () => {
    expect(tls12RecordCipher('AES_128_GCM', 'AEAD')).toEqual({ cipher: 'AES_128_GCM' });
    expect(tls12RecordCipher('CHACHA20_POLY1305', 'AEAD')).toEqual({ cipher: 'CHACHA20_POLY1305' });
    expect(tls12RecordCipher('AES_256_CBC', 'SHA384')).toEqual({ cipher: 'AES_256_CBC', mac: 'SHA384' });
    expect(tls12RecordCipher('AES_128_CBC', 'SHA1')).toEqual({ cipher: 'AES_128_CBC', mac: 'SHA1' });
    for (const [cipher, mac] of [
      ['AES_128_CCM', 'AEAD'],
      ['3DES_EDE_CBC', 'SHA1'],
      ['AES_128_CBC', 'MD5'],
      ['AES_128_CBC', 'AEAD'],
      ['AES_128_GCM', 'SHA256'],
      ['toString', 'AEAD'],
    ])
      expect(tls12RecordCipher(cipher, mac)).toBeUndefined();
  });
});

describe("TLS 1.2 DHE with the server's own parameters", () => {
  test('both sides reach the same secret, its leading zeros stripped; a bad share is refused', () => {
    const group = FFDHE_GROUPS.get(0x0100)!;
    const p = numberBytes(group.prime, group.byteLength);
    const g = Uint8Array.of(2);
    // The "server": its own exponent and share, then the same agreement from its side.
    const server = dheAgree(p, g, Uint8Array.of(5), seededRandom('server'));
    const client = dheAgree(p, g, server.keyExchange, seededRandom('client'));
    const back = dheAgree(p, g, client.keyExchange, seededRandom('server'));
    expect(client.keyExchange.length).toBe(group.byteLength);
    expect(back.secret).toEqual(client.secret);
    expect(client.secret[0]).not.toBe(0);
    for (const bad of [Uint8Array.of(1), Uint8Array.of(0), p])
      expect(() => dheAgree(p, g, bad, seededRandom(1))).toThrow(/outside 1 < Ys < p-1/);
    expect(() => dheAgree(Uint8Array.of(0x10, 0), g, Uint8Array.of(5), seededRandom(1))).toThrow(/prime/);
  });
});

function numberBytes(n: bigint, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => Number((n >> BigInt(8 * (length - 1 - i))) & BigInt(255)));
}
