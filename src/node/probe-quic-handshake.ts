/**
 * QUIC Handshake packet protection (RFC 9001 §5): packet keys from a TLS 1.3 handshake traffic
 * secret with the `quic key` / `quic iv` / `quic hp` labels, header protection with AES-ECB or
 * ChaCha20 (§5.4.3, §5.4.4), and AEAD payload decryption with the negotiated suite.
 */
import { ecb } from '@noble/ciphers/aes.js';
import { chacha20, chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { type LongHeader, openInitial, openProtectedPacket } from '../capture/quic-initial.ts';
import { type CipherSuiteParams, cipherSuiteParams, hkdfExpandLabel } from '../crypto/key-schedule.ts';

/** The packet protection keys of one direction and packet number space. */
export interface QuicPacketKeys {
  readonly params: CipherSuiteParams;
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  readonly hp: Uint8Array;
}

/**
 * Packet keys for a TLS 1.3 traffic secret (RFC 9001 §5.1).
 * @throws {RangeError} for a suite QUIC cannot use (RFC 9001 §5.3: the CCM suites are not supported here)
 * @example quicPacketKeys(0x1301, serverHandshakeTrafficSecret)
 */
export function quicPacketKeys(suite: number, secret: Uint8Array): QuicPacketKeys {
  const params = cipherSuiteParams(suite);
  if (params.aead !== 'AES_128_GCM' && params.aead !== 'AES_256_GCM' && params.aead !== 'CHACHA20_POLY1305')
    throw new RangeError(`${params.name} is not a cipher suite hellokit opens QUIC packets with`);
  const empty = new Uint8Array(0);
  return {
    params,
    key: hkdfExpandLabel(params.hash, secret, 'quic key', empty, params.keyLength),
    iv: hkdfExpandLabel(params.hash, secret, 'quic iv', empty, 12),
    hp: hkdfExpandLabel(params.hash, secret, 'quic hp', empty, params.keyLength),
  };
}

/** The 5-byte header protection mask for a 16-byte sample (RFC 9001 §5.4.3 AES, §5.4.4 ChaCha20). */
export function quicHeaderMask(keys: QuicPacketKeys, sample: Uint8Array): Uint8Array {
  if (keys.params.aead === 'CHACHA20_POLY1305') {
    // RFC 9001 §5.4.4: counter = the sample's first 4 bytes (little-endian), nonce = the other 12.
    const counter = (sample[0] | (sample[1] << 8) | (sample[2] << 16) | (sample[3] << 24)) >>> 0;
    return chacha20(keys.hp, sample.subarray(4, 16), new Uint8Array(5), undefined, counter);
  }
  return ecb(keys.hp, { disablePadding: true }).encrypt(sample).subarray(0, 5);
}

/**
 * Removes header protection from a long-header packet and decrypts it; undefined when
 * authentication fails or the packet is too short to sample.
 * @param largest the largest packet number opened so far in this space (-1 for none)
 */
export function openLongPacket(
  b: Uint8Array,
  header: LongHeader,
  keys: QuicPacketKeys,
  largest: number,
): { packetNumber: number; payload: Uint8Array } | undefined {
  // AES-GCM packets open as Initial packets do (AES-ECB header protection), with a 16- or 32-byte key.
  if (keys.params.aead !== 'CHACHA20_POLY1305') return openInitial(b, header, keys, largest);
  const mask = (sample: Uint8Array) => quicHeaderMask(keys, sample);
  return openProtectedPacket(b, header, keys.iv, largest, mask, (nonce, aad, sealed) =>
    chacha20poly1305(keys.key, nonce, aad).decrypt(sealed),
  );
}
