/**
 * TLS Supported Groups (IANA "TLS Supported Groups", named "EC Named Curve" before RFC 8422):
 * the values of supported_groups and key_share.
 */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/**
 * How a group agrees on a key: elliptic-curve DH, finite-field DH (RFC 7919), a KEM alone
 * (ML-KEM), or a hybrid of an ECDH share and a KEM (the post-quantum hybrids).
 */
export type GroupKind = 'ecdhe' | 'ffdhe' | 'kem' | 'hybrid';

/** One named group. */
export interface GroupInfo extends RegistryEntry {
  readonly kind: GroupKind;
}

/**
 * Every named group IANA assigned (the 0x01FC-0x01FF FFDHE and 0xFE00-0xFEFF ECDHE private-use
 * ranges aside), plus ones real clients sent without an assignment (`iana: false`). Aliases are
 * the OpenSSL, NIST and BoringSSL spellings.
 */
export const NAMED_GROUPS = [
  { code: 0x0001, name: 'sect163k1', aliases: ['K-163'], kind: 'ecdhe', iana: true },
  { code: 0x0002, name: 'sect163r1', kind: 'ecdhe', iana: true },
  { code: 0x0003, name: 'sect163r2', aliases: ['B-163'], kind: 'ecdhe', iana: true },
  { code: 0x0004, name: 'sect193r1', kind: 'ecdhe', iana: true },
  { code: 0x0005, name: 'sect193r2', kind: 'ecdhe', iana: true },
  { code: 0x0006, name: 'sect233k1', aliases: ['K-233'], kind: 'ecdhe', iana: true },
  { code: 0x0007, name: 'sect233r1', aliases: ['B-233'], kind: 'ecdhe', iana: true },
  { code: 0x0008, name: 'sect239k1', kind: 'ecdhe', iana: true },
  { code: 0x0009, name: 'sect283k1', aliases: ['K-283'], kind: 'ecdhe', iana: true },
  { code: 0x000a, name: 'sect283r1', aliases: ['B-283'], kind: 'ecdhe', iana: true },
  { code: 0x000b, name: 'sect409k1', aliases: ['K-409'], kind: 'ecdhe', iana: true },
  { code: 0x000c, name: 'sect409r1', aliases: ['B-409'], kind: 'ecdhe', iana: true },
  { code: 0x000d, name: 'sect571k1', aliases: ['K-571'], kind: 'ecdhe', iana: true },
  { code: 0x000e, name: 'sect571r1', aliases: ['B-571'], kind: 'ecdhe', iana: true },
  { code: 0x000f, name: 'secp160k1', kind: 'ecdhe', iana: true },
  { code: 0x0010, name: 'secp160r1', kind: 'ecdhe', iana: true },
  { code: 0x0011, name: 'secp160r2', kind: 'ecdhe', iana: true },
  { code: 0x0012, name: 'secp192k1', kind: 'ecdhe', iana: true },
  { code: 0x0013, name: 'secp192r1', aliases: ['P-192', 'P192', 'prime192v1'], kind: 'ecdhe', iana: true },
  { code: 0x0014, name: 'secp224k1', kind: 'ecdhe', iana: true },
  { code: 0x0015, name: 'secp224r1', aliases: ['P-224', 'P224'], kind: 'ecdhe', iana: true },
  { code: 0x0016, name: 'secp256k1', kind: 'ecdhe', iana: true },
  { code: 0x0017, name: 'secp256r1', aliases: ['P-256', 'P256', 'prime256v1'], kind: 'ecdhe', iana: true },
  { code: 0x0018, name: 'secp384r1', aliases: ['P-384', 'P384'], kind: 'ecdhe', iana: true },
  { code: 0x0019, name: 'secp521r1', aliases: ['P-521', 'P521'], kind: 'ecdhe', iana: true },
  { code: 0x001a, name: 'brainpoolP256r1', kind: 'ecdhe', iana: true },
  { code: 0x001b, name: 'brainpoolP384r1', kind: 'ecdhe', iana: true },
  { code: 0x001c, name: 'brainpoolP512r1', kind: 'ecdhe', iana: true },
  { code: 0x001d, name: 'x25519', aliases: ['curve25519'], kind: 'ecdhe', iana: true },
  { code: 0x001e, name: 'x448', aliases: ['curve448'], kind: 'ecdhe', iana: true },
  // RFC 8734: brainpool curves for TLS 1.3, distinct code points from the TLS 1.2 ones above
  { code: 0x001f, name: 'brainpoolP256r1tls13', kind: 'ecdhe', iana: true },
  { code: 0x0020, name: 'brainpoolP384r1tls13', kind: 'ecdhe', iana: true },
  { code: 0x0021, name: 'brainpoolP512r1tls13', kind: 'ecdhe', iana: true },
  // RFC 9189: GOST R 34.10-2012 curves
  { code: 0x0022, name: 'GC256A', kind: 'ecdhe', iana: true },
  { code: 0x0023, name: 'GC256B', kind: 'ecdhe', iana: true },
  { code: 0x0024, name: 'GC256C', kind: 'ecdhe', iana: true },
  { code: 0x0025, name: 'GC256D', kind: 'ecdhe', iana: true },
  { code: 0x0026, name: 'GC512A', kind: 'ecdhe', iana: true },
  { code: 0x0027, name: 'GC512B', kind: 'ecdhe', iana: true },
  { code: 0x0028, name: 'GC512C', kind: 'ecdhe', iana: true },
  // RFC 8998
  { code: 0x0029, name: 'curveSM2', aliases: ['SM2'], kind: 'ecdhe', iana: true },
  // RFC 7919
  { code: 0x0100, name: 'ffdhe2048', aliases: ['FFDHE-2048'], kind: 'ffdhe', iana: true },
  { code: 0x0101, name: 'ffdhe3072', aliases: ['FFDHE-3072'], kind: 'ffdhe', iana: true },
  { code: 0x0102, name: 'ffdhe4096', aliases: ['FFDHE-4096'], kind: 'ffdhe', iana: true },
  { code: 0x0103, name: 'ffdhe6144', aliases: ['FFDHE-6144'], kind: 'ffdhe', iana: true },
  { code: 0x0104, name: 'ffdhe8192', aliases: ['FFDHE-8192'], kind: 'ffdhe', iana: true },
  // draft-ietf-tls-mlkem: ML-KEM alone (FIPS 203)
  { code: 0x0200, name: 'MLKEM512', aliases: ['ML-KEM-512', 'mlkem_512'], kind: 'kem', iana: true },
  { code: 0x0201, name: 'MLKEM768', aliases: ['ML-KEM-768', 'mlkem_768'], kind: 'kem', iana: true },
  { code: 0x0202, name: 'MLKEM1024', aliases: ['ML-KEM-1024', 'mlkem_1024'], kind: 'kem', iana: true },
  // draft-ietf-tls-ecdhe-mlkem: ECDHE + ML-KEM hybrids
  {
    code: 0x11eb,
    name: 'SecP256r1MLKEM768',
    aliases: ['P256MLKEM768', 'secp256r1_mlkem768'],
    kind: 'hybrid',
    iana: true,
  },
  { code: 0x11ec, name: 'X25519MLKEM768', aliases: ['x25519_mlkem768'], kind: 'hybrid', iana: true },
  {
    code: 0x11ed,
    name: 'SecP384r1MLKEM1024',
    aliases: ['P384MLKEM1024', 'secp384r1_mlkem1024'],
    kind: 'hybrid',
    iana: true,
  },
  // draft-yang-tls-hybrid-sm2-mlkem (OpenSSL 3.6)
  { code: 0x11ee, name: 'curveSM2MLKEM768', aliases: ['SM2MLKEM768'], kind: 'hybrid', iana: true },
  // Chrome's 2016-2019 post-quantum experiments (HRSS + X25519); never assigned
  { code: 0x4138, name: 'CECPQ2', kind: 'hybrid', iana: false },
  // draft-tls-westerbaan-xyber768d00 and draft-kwiatkowski-tls-ecdhe-kyber: the pre-ML-KEM
  // Kyber hybrids Chrome 124-130 and Cloudflare sent; assigned, now obsolete
  {
    code: 0x6399,
    name: 'X25519Kyber768Draft00',
    aliases: ['X25519Kyber768', 'x25519_kyber768'],
    kind: 'hybrid',
    iana: true,
  },
  {
    code: 0x639a,
    name: 'SecP256r1Kyber768Draft00',
    aliases: ['P256Kyber768Draft00', 'p256_kyber768'],
    kind: 'hybrid',
    iana: true,
  },
  // RFC 8422 deprecated these two
  { code: 0xff01, name: 'arbitrary_explicit_prime_curves', kind: 'ecdhe', iana: true },
  { code: 0xff02, name: 'arbitrary_explicit_char2_curves', kind: 'ecdhe', iana: true },
] as const;
type _CheckNamedGroups = Satisfies<typeof NAMED_GROUPS, readonly GroupInfo[]>;

/** The IANA name of a named group in the table. */
export type GroupName = (typeof NAMED_GROUPS)[number]['name'];

/**
 * Named group codes by IANA name.
 * @example NAMED_GROUP.X25519MLKEM768 // 0x11ec
 */
export const NAMED_GROUP: CodesByName<typeof NAMED_GROUPS> = codesByName(NAMED_GROUPS);
