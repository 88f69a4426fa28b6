/** The shape of a row of the cipher suite table (kept apart so the generated table is data only). */

/**
 * How a suite agrees on keys. `any`: TLS 1.3 suites, whose key exchange is negotiated apart
 * (key_share, psk_key_exchange_modes). Anonymous (EC)DH is listed as DHE/ECDHE: its share is
 * ephemeral (RFC 5246 §7.4.3).
 */
export type KeyExchange =
  | 'NULL'
  | 'RSA'
  | 'DH'
  | 'DHE'
  | 'ECDH'
  | 'ECDHE'
  | 'PSK'
  | 'DHE_PSK'
  | 'RSA_PSK'
  | 'ECDHE_PSK'
  | 'KRB5'
  | 'SRP'
  | 'ECCPWD'
  | 'GOST'
  | 'ECJPAKE'
  | 'any';

/** How the server proves who it is; `any` for TLS 1.3 suites (signature_algorithms decides). */
export type Authentication =
  | 'NULL'
  | 'RSA'
  | 'DSS'
  | 'ECDSA'
  | 'anon'
  | 'PSK'
  | 'KRB5'
  | 'SRP'
  | 'ECCPWD'
  | 'GOST'
  | 'ECJPAKE'
  | 'any';

/** One cipher suite. */
export interface CipherSuiteInfo {
  /** The two-byte code point. */
  readonly code: number;
  /** The IANA name (for unassigned values, the name its implementers used). */
  readonly name: string;
  /** The OpenSSL name (`ECDHE-RSA-AES128-GCM-SHA256`), where OpenSSL has or had one. */
  readonly openssl?: string;
  /** Further spellings lookups accept (older OpenSSL names such as `EDH-RSA-DES-CBC3-SHA`). */
  readonly aliases?: readonly string[];
  readonly keyExchange: KeyExchange;
  readonly authentication: Authentication;
  /** The bulk cipher as the IANA name spells it: `AES_128_GCM`, `CHACHA20_POLY1305`, `3DES_EDE_CBC`, `NULL`. */
  readonly cipher: string;
  /** `AEAD` for AEAD suites, else the record MAC's hash (`SHA1`, `SHA256`, `MD5`, GOST `OMAC`/`IMIT`) or `NULL`. */
  readonly mac: string;
  /** The hash the suite names: its PRF/HKDF hash for AEAD suites, its HMAC's otherwise. */
  readonly hash: string;
  /** Whether records are protected by an AEAD. */
  readonly aead: boolean;
  /** The lowest protocol version (wire value, 0x0300 = SSL 3.0) the suite may be negotiated in. */
  readonly minVersion: number;
  /** The highest protocol version the suite may be negotiated in. */
  readonly maxVersion: number;
  /** A signalling value rather than a suite (TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV). */
  readonly scsv?: boolean;
  /** Whether IANA assigned the value. */
  readonly iana: boolean;
}
