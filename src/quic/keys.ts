/**
 * QUIC packet protection keys (RFC 9001 §5.1): the Initial keys every observer can derive
 * from the client's Destination Connection ID (§5.2), the keys of the other packet number
 * spaces from a TLS 1.3 traffic secret, and the header protection mask (§5.4.3 AES,
 * §5.4.4 ChaCha20).
 */
import { ecb } from '@noble/ciphers/aes.js';
import { chacha20 } from '@noble/ciphers/chacha.js';
import { extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { type CipherSuiteParams, cipherSuiteParams, hkdfExpandLabel } from '../crypto/key-schedule.ts';
import { quicVersionParams } from './version.ts';

/** The AEAD key, IV and header-protection key of one side's Initial packets (AES-128-GCM). */
export interface InitialKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  readonly hp: Uint8Array;
}

/** The packet protection keys of one direction and packet number space, with the suite they serve. */
export interface QuicPacketKeys extends InitialKeys {
  readonly params: CipherSuiteParams;
}

const EMPTY = new Uint8Array(0);

/**
 * The Initial keys of `side` for a connection whose client chose `destinationConnectionId`.
 * @throws {RangeError} for a version other than QUIC v1 or v2
 * @example
 * const keys = initialKeys(QUIC_VERSION.v1, fromHex('8394c8f03e515708'), 'client');
 */
export function initialKeys(
  version: number,
  destinationConnectionId: Uint8Array,
  side: 'client' | 'server',
): InitialKeys {
  const params = quicVersionParams(version);
  if (!params) throw new RangeError(`QUIC version 0x${version.toString(16)} has no known Initial salt`);
  // HKDF-Expand-Label of TLS 1.3 with SHA-256, whatever suite the handshake picks (RFC 9001 §5.2).
  const expand = (secret: Uint8Array, label: string, length: number) =>
    hkdfExpandLabel('sha256', secret, label, EMPTY, length);
  const initialSecret = extract(sha256, destinationConnectionId, params.salt);
  const secret = expand(initialSecret, side === 'client' ? 'client in' : 'server in', 32);
  return {
    key: expand(secret, params.keyLabel, 16),
    iv: expand(secret, params.ivLabel, 12),
    hp: expand(secret, params.hpLabel, 16),
  };
}

/**
 * Packet keys for a TLS 1.3 traffic secret (RFC 9001 §5.1), with QUIC v1's labels.
 * @throws {RangeError} for a suite QUIC cannot use (RFC 9001 §5.3: the CCM suites are not supported here)
 * @example quicPacketKeys(0x1301, serverHandshakeTrafficSecret)
 */
export function quicPacketKeys(suite: number, secret: Uint8Array): QuicPacketKeys {
  const params = cipherSuiteParams(suite);
  if (params.aead !== 'AES_128_GCM' && params.aead !== 'AES_256_GCM' && params.aead !== 'CHACHA20_POLY1305')
    throw new RangeError(`${params.name} is not a cipher suite hellokit opens QUIC packets with`);
  return {
    params,
    key: hkdfExpandLabel(params.hash, secret, 'quic key', EMPTY, params.keyLength),
    iv: hkdfExpandLabel(params.hash, secret, 'quic iv', EMPTY, 12),
    hp: hkdfExpandLabel(params.hash, secret, 'quic hp', EMPTY, params.keyLength),
  };
}

/**
 * The 5-byte header protection mask for a 16-byte sample (RFC 9001 §5.4.3 AES, §5.4.4
 * ChaCha20). Initial keys (no `params`) are AES.
 */
export function quicHeaderMask(keys: InitialKeys | QuicPacketKeys, sample: Uint8Array): Uint8Array {
  if ('params' in keys && keys.params.aead === 'CHACHA20_POLY1305') {
    // RFC 9001 §5.4.4: counter = the sample's first 4 bytes (little-endian), nonce = the other 12.
    const counter = (sample[0] | (sample[1] << 8) | (sample[2] << 16) | (sample[3] << 24)) >>> 0;
    return chacha20(keys.hp, sample.subarray(4, 16), new Uint8Array(5), undefined, counter);
  }
  return ecb(keys.hp, { disablePadding: true }).encrypt(sample.subarray(0, 16)).subarray(0, 5);
}
