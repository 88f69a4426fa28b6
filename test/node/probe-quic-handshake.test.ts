import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { quicHeaderMask, quicPacketKeys } from '../../src/quic/index.ts';

// RFC 9001 Appendix A.5: a ChaCha20-Poly1305 short-header packet.
const secret = fromHex('9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b');
const protectedPacket = fromHex('4cfe4189655e5cd55c41f69080575d7999c25a5bfb');

describe('QUIC packet keys from a TLS secret (RFC 9001 §5.1)', () => {
  test('match RFC 9001 A.5 for TLS_CHACHA20_POLY1305_SHA256', () => {
    const keys = quicPacketKeys(0x1303, secret);
    expect(toHex(keys.key)).toBe('c6d98ff3441c3fe1b2182094f69caa2ed4b716b65488960a7a984979fb23e1c8');
    expect(toHex(keys.iv)).toBe('e0459b3474bdd0e44a41c144');
    expect(toHex(keys.hp)).toBe('25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4');
  });

  test('ChaCha20 header protection gives the mask of A.5, and the payload opens to a PING', () => {
    const keys = quicPacketKeys(0x1303, secret);
    const sample = protectedPacket.subarray(5, 21);
    const mask = quicHeaderMask(keys, sample);
    expect(toHex(mask)).toBe('aefefe7d03');
    // Short header: 5 bits of the first byte are protected; a 3-byte packet number 654360564.
    const header = protectedPacket.slice(0, 4);
    header[0] ^= mask[0] & 0x1f;
    for (let i = 0; i < 3; i++) header[1 + i] ^= mask[1 + i];
    expect(toHex(header)).toBe('4200bff4');
    const nonce = keys.iv.slice();
    const pn = 654360564;
    for (let i = 0; i < 4; i++) nonce[11 - i] ^= (pn >>> (8 * i)) & 0xff;
    expect(toHex(chacha20poly1305(keys.key, nonce, header).decrypt(protectedPacket.subarray(4)))).toBe('01');
  });

  test('refuses the CCM suites', () => {
    expect(() => quicPacketKeys(0x1304, secret)).toThrow(RangeError);
  });
});
