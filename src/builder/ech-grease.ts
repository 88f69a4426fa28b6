/**
 * ECH GREASE (draft-ietf-tls-esni §6.2): an outer encrypted_client_hello that looks like a
 * real one, sent when the client has no ECH config, so servers and middleboxes keep accepting
 * the extension.
 */
import type { RandomSource } from '../crypto/random.ts';
import type { EchOuterClientHello } from '../extensions/ech.ts';
import { echOuterBody } from './bodies.ts';

/** HPKE ids (RFC 9180 §7). */
export const HPKE = {
  kdfHkdfSha256: 0x0001,
  aeadAes128Gcm: 0x0001,
  aeadAes256Gcm: 0x0002,
  aeadChaCha20Poly1305: 0x0003,
} as const;

/** The shape of an ECH GREASE extension. */
export interface EchGreaseOptions {
  /** HPKE KDF id; default HKDF-SHA256 (1). */
  readonly kdfId?: number;
  /** HPKE AEAD id; default AES-128-GCM (1), as BoringSSL on hardware with AES instructions. */
  readonly aeadId?: number;
  /**
   * Payload length in bytes, or `'boringssl'` (default): 32 × a random 4..7 (an estimated
   * padded ClientHelloInner of 128–224 bytes, rounded up to 32 as the draft says) plus the
   * AEAD's 16-byte tag, so 144, 176, 208 or 240.
   */
  readonly payloadLength?: number | 'boringssl';
  /** config_id; default random. */
  readonly configId?: number;
}

/**
 * An ECH GREASE extension body: the cipher suite asked for, a random config id, 32 random
 * bytes as `enc` (every 32-byte string is an X25519 public key, RFC 7748 §5, so it is
 * indistinguishable from a real one) and a random payload.
 * @example echGreaseBody({}, seededRandom(1)).length // 186, 218, 250 or 282
 */
export function echGreaseBody(options: EchGreaseOptions, random: RandomSource): Uint8Array {
  return echOuterBody(echGreaseValue(options, random));
}

/** The typed value behind {@link echGreaseBody}: what the builder hands the registry row. */
export function echGreaseValue(options: EchGreaseOptions, random: RandomSource): EchOuterClientHello {
  const configId = options.configId ?? random(1)[0];
  const enc = random(32);
  let payloadLength = options.payloadLength ?? 'boringssl';
  if (payloadLength === 'boringssl') payloadLength = 32 * (4 + (random(1)[0] % 4)) + 16;
  if (!Number.isInteger(payloadLength) || payloadLength < 0 || payloadLength > 0xffff) {
    throw new RangeError(
      `"echGrease.payloadLength" expected an integer 0..65535 or 'boringssl', got ${payloadLength}`,
    );
  }
  return {
    type: 0,
    cipherSuite: { kdfId: options.kdfId ?? HPKE.kdfHkdfSha256, aeadId: options.aeadId ?? HPKE.aeadAes128Gcm },
    configId,
    enc,
    payload: random(payloadLength),
  };
}
