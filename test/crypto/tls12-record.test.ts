/**
 * TLS 1.2 AEAD records as the probe seals its Finished (src/crypto/tls12-record.ts): the record's
 * layout, its nonce and additional data, opened again with the AEADs themselves; the key block's
 * split. That real servers take the Finished is checked in test/node/client-certificate.test.ts.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { describe, expect, test } from 'vitest';
import { concatBytes } from '../../src/bytes/hex.ts';
import { recordNonce } from '../../src/crypto/record-protection.ts';
import { tls12Prf } from '../../src/crypto/tls12-prf.ts';
import { sealTls12Record, tls12Aead, tls12KeyBlock } from '../../src/crypto/tls12-record.ts';

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
    const keys = { aead: 'AES_128_GCM' as const, key: bytes(16, 1), iv: bytes(4, 0x20), sequence: 0 };
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
    const keys = { aead: 'CHACHA20_POLY1305' as const, key: bytes(32, 3), iv: bytes(12, 0x30), sequence: 5 };
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
    const { client, server } = tls12KeyBlock('sha384', 'AES_256_GCM', master, clientRandom, serverRandom);
    expect(client.key).toEqual(block.subarray(0, 32));
    expect(server.key).toEqual(block.subarray(32, 64));
    expect(client.iv).toEqual(block.subarray(64, 68));
    expect(server.iv).toEqual(block.subarray(68, 72));
  });

  test('covers the AEADs of the IANA table it can seal, nothing else', () => {
    expect(['AES_128_GCM', 'AES_256_GCM', 'CHACHA20_POLY1305'].map(tls12Aead)).toEqual([
      'AES_128_GCM',
      'AES_256_GCM',
      'CHACHA20_POLY1305',
    ]);
    expect(['AES_128_CBC', 'AES_128_CCM', 'toString', '3DES_EDE_CBC'].map(tls12Aead)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
