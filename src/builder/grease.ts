/**
 * GREASE (RFC 8701) as BoringSSL sends it: one random value per slot and connection, so the
 * same value appears wherever one slot is used (the supported_groups entry and the key share
 * entry share the group slot), and the two GREASE extensions never collide.
 */

import type { RandomSource } from '../crypto/random.ts';
import { type GreaseValue, greaseByteFromSeed, greaseFromSeed } from '../iana/grease.ts';

/** Where GREASE values go. Each flag adds one value at the place Chrome puts it. */
export interface GreasePlacement {
  /** A GREASE cipher suite first in cipher_suites. */
  readonly cipherSuites?: boolean;
  /** A GREASE group first in supported_groups. */
  readonly groups?: boolean;
  /** A GREASE key share (one-byte body 0x00) first in key_share, using the group slot's value. */
  readonly keyShare?: boolean;
  /** A GREASE version first in supported_versions. */
  readonly versions?: boolean;
  /** Two GREASE extensions: the first one empty and first, the second one `00` and last. */
  readonly extensions?: boolean;
  /** A GREASE signature scheme first in signature_algorithms (Chrome since 2025). */
  readonly signatureAlgorithms?: boolean;
  /** A one-byte GREASE mode first in psk_key_exchange_modes. */
  readonly pskModes?: boolean;
  /** A GREASE algorithm first in compress_certificate (only when that body is built from `certificateCompression`). */
  readonly certificateCompression?: boolean;
}

/** Everything BoringSSL greases by default (and the signature algorithms, as Chrome does now). */
export const BORINGSSL_GREASE: Required<GreasePlacement> = Object.freeze({
  cipherSuites: true,
  groups: true,
  keyShare: true,
  versions: true,
  extensions: true,
  signatureAlgorithms: true,
  pskModes: false,
  certificateCompression: false,
});

/** The GREASE value of each slot for one hello. */
export interface GreaseValues {
  readonly cipherSuite: GreaseValue;
  readonly group: GreaseValue;
  readonly extension1: GreaseValue;
  readonly extension2: GreaseValue;
  readonly version: GreaseValue;
  readonly signatureAlgorithm: GreaseValue;
  readonly certificateCompression: GreaseValue;
  readonly pskMode: number;
}

/**
 * Draws one GREASE value per slot from `random` (8 bytes), as BoringSSL's
 * `ssl_get_grease_value`: high nibble random, low nibble 0xA, both bytes equal; the second
 * extension value is flipped (xor 0x1010) when it equals the first, so both extensions differ.
 * @example greaseValues(seededRandom(1)).cipherSuite // e.g. 0x3a3a
 */
export function greaseValues(random: RandomSource): GreaseValues {
  const seed = random(8);
  const extension1 = greaseFromSeed(seed[2]);
  let extension2 = greaseFromSeed(seed[3]);
  if (extension2 === extension1) extension2 = (extension2 ^ 0x1010) as GreaseValue;
  return {
    cipherSuite: greaseFromSeed(seed[0]),
    group: greaseFromSeed(seed[1]),
    extension1,
    extension2,
    version: greaseFromSeed(seed[4]),
    signatureAlgorithm: greaseFromSeed(seed[5]),
    certificateCompression: greaseFromSeed(seed[6]),
    pskMode: greaseByteFromSeed(seed[7]),
  };
}
