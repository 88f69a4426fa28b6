/**
 * TLS SignatureScheme (IANA "TLS SignatureScheme"): the values of signature_algorithms and
 * signature_algorithms_cert, and of CertificateVerify. TLS 1.2's (hash, signature) byte pairs
 * share the code space: 0x0401 is sha256 + rsa.
 */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** One signature scheme. */
export interface SignatureSchemeInfo extends RegistryEntry {
  /**
   * Only meaningful as a TLS 1.2 (hash, signature) pair: RFC 8446 forbids it in TLS 1.3
   * CertificateVerify (SHA-1, SHA-224, MD5, DSA, PKCS#1 v1.5 outside certificates).
   */
  readonly legacy: boolean;
}

/**
 * Every signature scheme IANA assigned, plus the TLS 1.2 (hash, signature) pairs that IANA
 * lists only as "reserved for backward compatibility" but that clients still send
 * (`iana: false`, named the way OpenSSL names them). Aliases are OpenSSL's `SIG+HASH`
 * spellings (`ECDSA+SHA256`, `RSA-PSS+SHA256`) and its names where they differ from IANA's.
 */
export const SIGNATURE_SCHEMES = [
  { code: 0x0101, name: 'rsa_pkcs1_md5', aliases: ['RSA+MD5'], legacy: true, iana: false },
  { code: 0x0102, name: 'dsa_md5', aliases: ['DSA+MD5'], legacy: true, iana: false },
  { code: 0x0103, name: 'ecdsa_md5', aliases: ['ECDSA+MD5'], legacy: true, iana: false },
  { code: 0x0201, name: 'rsa_pkcs1_sha1', aliases: ['RSA+SHA1'], legacy: true, iana: true },
  { code: 0x0202, name: 'dsa_sha1', aliases: ['DSA+SHA1'], legacy: true, iana: false },
  { code: 0x0203, name: 'ecdsa_sha1', aliases: ['ECDSA+SHA1'], legacy: true, iana: true },
  { code: 0x0301, name: 'rsa_pkcs1_sha224', aliases: ['RSA+SHA224'], legacy: true, iana: false },
  { code: 0x0302, name: 'dsa_sha224', aliases: ['DSA+SHA224'], legacy: true, iana: false },
  { code: 0x0303, name: 'ecdsa_sha224', aliases: ['ECDSA+SHA224'], legacy: true, iana: false },
  { code: 0x0401, name: 'rsa_pkcs1_sha256', aliases: ['RSA+SHA256'], legacy: false, iana: true },
  { code: 0x0402, name: 'dsa_sha256', aliases: ['DSA+SHA256'], legacy: true, iana: false },
  { code: 0x0403, name: 'ecdsa_secp256r1_sha256', aliases: ['ECDSA+SHA256'], legacy: false, iana: true },
  // draft-davidben-tls13-pkcs1: PKCS#1 v1.5 in TLS 1.3 CertificateVerify, for legacy keys only
  { code: 0x0420, name: 'rsa_pkcs1_sha256_legacy', legacy: false, iana: true },
  { code: 0x0501, name: 'rsa_pkcs1_sha384', aliases: ['RSA+SHA384'], legacy: false, iana: true },
  { code: 0x0502, name: 'dsa_sha384', aliases: ['DSA+SHA384'], legacy: true, iana: false },
  { code: 0x0503, name: 'ecdsa_secp384r1_sha384', aliases: ['ECDSA+SHA384'], legacy: false, iana: true },
  { code: 0x0520, name: 'rsa_pkcs1_sha384_legacy', legacy: false, iana: true },
  { code: 0x0601, name: 'rsa_pkcs1_sha512', aliases: ['RSA+SHA512'], legacy: false, iana: true },
  { code: 0x0602, name: 'dsa_sha512', aliases: ['DSA+SHA512'], legacy: true, iana: false },
  { code: 0x0603, name: 'ecdsa_secp521r1_sha512', aliases: ['ECDSA+SHA512'], legacy: false, iana: true },
  { code: 0x0620, name: 'rsa_pkcs1_sha512_legacy', legacy: false, iana: true },
  // RFC 8446 "reserved" block 0x0704-0x070F: identity-based and national schemes
  { code: 0x0704, name: 'eccsi_sha256', legacy: false, iana: true },
  { code: 0x0705, name: 'iso_ibs1', legacy: false, iana: true },
  { code: 0x0706, name: 'iso_ibs2', legacy: false, iana: true },
  { code: 0x0707, name: 'iso_chinese_ibs', legacy: false, iana: true },
  // RFC 8998
  { code: 0x0708, name: 'sm2sig_sm3', aliases: ['SM2+SM3'], legacy: false, iana: true },
  // RFC 9367: GOST R 34.10-2012 in TLS 1.3
  { code: 0x0709, name: 'gostr34102012_256a', legacy: false, iana: true },
  { code: 0x070a, name: 'gostr34102012_256b', legacy: false, iana: true },
  { code: 0x070b, name: 'gostr34102012_256c', legacy: false, iana: true },
  { code: 0x070c, name: 'gostr34102012_256d', legacy: false, iana: true },
  { code: 0x070d, name: 'gostr34102012_512a', legacy: false, iana: true },
  { code: 0x070e, name: 'gostr34102012_512b', legacy: false, iana: true },
  { code: 0x070f, name: 'gostr34102012_512c', legacy: false, iana: true },
  // RFC 8446
  {
    code: 0x0804,
    name: 'rsa_pss_rsae_sha256',
    aliases: ['RSA-PSS+SHA256', 'PSS+SHA256'],
    legacy: false,
    iana: true,
  },
  {
    code: 0x0805,
    name: 'rsa_pss_rsae_sha384',
    aliases: ['RSA-PSS+SHA384', 'PSS+SHA384'],
    legacy: false,
    iana: true,
  },
  {
    code: 0x0806,
    name: 'rsa_pss_rsae_sha512',
    aliases: ['RSA-PSS+SHA512', 'PSS+SHA512'],
    legacy: false,
    iana: true,
  },
  { code: 0x0807, name: 'ed25519', legacy: false, iana: true },
  { code: 0x0808, name: 'ed448', legacy: false, iana: true },
  { code: 0x0809, name: 'rsa_pss_pss_sha256', legacy: false, iana: true },
  { code: 0x080a, name: 'rsa_pss_pss_sha384', legacy: false, iana: true },
  { code: 0x080b, name: 'rsa_pss_pss_sha512', legacy: false, iana: true },
  // RFC 8734: brainpool curves in TLS 1.3 (OpenSSL drops the "tls13")
  {
    code: 0x081a,
    name: 'ecdsa_brainpoolP256r1tls13_sha256',
    aliases: ['ecdsa_brainpoolP256r1_sha256'],
    legacy: false,
    iana: true,
  },
  {
    code: 0x081b,
    name: 'ecdsa_brainpoolP384r1tls13_sha384',
    aliases: ['ecdsa_brainpoolP384r1_sha384'],
    legacy: false,
    iana: true,
  },
  {
    code: 0x081c,
    name: 'ecdsa_brainpoolP512r1tls13_sha512',
    aliases: ['ecdsa_brainpoolP512r1_sha512'],
    legacy: false,
    iana: true,
  },
  // draft-ietf-tls-mldsa: ML-DSA (FIPS 204)
  { code: 0x0904, name: 'mldsa44', aliases: ['ML-DSA-44'], legacy: false, iana: true },
  { code: 0x0905, name: 'mldsa65', aliases: ['ML-DSA-65'], legacy: false, iana: true },
  { code: 0x0906, name: 'mldsa87', aliases: ['ML-DSA-87'], legacy: false, iana: true },
] as const;
type _CheckSignatureSchemes = Satisfies<typeof SIGNATURE_SCHEMES, readonly SignatureSchemeInfo[]>;

/** The IANA name of a signature scheme in the table. */
export type SignatureSchemeName = (typeof SIGNATURE_SCHEMES)[number]['name'];

/**
 * Signature scheme codes by name.
 * @example SIGNATURE_SCHEME.rsa_pss_rsae_sha256 // 0x0804
 */
export const SIGNATURE_SCHEME: CodesByName<typeof SIGNATURE_SCHEMES> = codesByName(SIGNATURE_SCHEMES);
