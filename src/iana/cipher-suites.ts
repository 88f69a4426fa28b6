/**
 * TLS cipher suites: the generated IANA table (cipher-suites.generated.ts, built by
 * scripts/iana/gen-cipher-suites.ts) and what is derived from it.
 */
import { CIPHER_SUITES, type CipherSuiteCodes } from './cipher-suites.generated.ts';
import { codesByName } from './registry-entry.ts';

export type { Authentication, CipherSuiteInfo, KeyExchange } from './cipher-suite-types.ts';
export {
  CIPHER_SUITES,
  CIPHER_SUITES_OPENSSL_VERSION,
  type CipherSuiteCodes,
  type CipherSuiteRow,
} from './cipher-suites.generated.ts';

/** The IANA name of a cipher suite in the table. */
export type CipherSuiteName = keyof CipherSuiteCodes;

/**
 * Cipher suite codes by IANA name.
 * @example CIPHER_SUITE.TLS_AES_128_GCM_SHA256 // 0x1301
 */
export const CIPHER_SUITE: CipherSuiteCodes = codesByName(CIPHER_SUITES) as CipherSuiteCodes;
