import type { TlsVersionName } from './types.ts';

/** A key exchange group as each server family spells it. */
interface GroupSpelling {
  iana: string;
  openssl: string;
  go: string;
  gnutls: string;
}

// Go crypto/tls (Caddy) only implements the four ECDHE groups; GnuTLS spells them GROUP-*.
const groupTable: readonly GroupSpelling[] = [
  { iana: 'secp256r1', openssl: 'P-256', go: 'secp256r1', gnutls: 'GROUP-SECP256R1' },
  { iana: 'secp384r1', openssl: 'P-384', go: 'secp384r1', gnutls: 'GROUP-SECP384R1' },
  { iana: 'secp521r1', openssl: 'P-521', go: 'secp521r1', gnutls: 'GROUP-SECP521R1' },
  { iana: 'x25519', openssl: 'X25519', go: 'x25519', gnutls: 'GROUP-X25519' },
  { iana: 'x448', openssl: 'X448', go: '', gnutls: 'GROUP-X448' },
  { iana: 'ffdhe2048', openssl: 'ffdhe2048', go: '', gnutls: 'GROUP-FFDHE2048' },
  { iana: 'ffdhe3072', openssl: 'ffdhe3072', go: '', gnutls: 'GROUP-FFDHE3072' },
  { iana: 'ffdhe4096', openssl: 'ffdhe4096', go: '', gnutls: 'GROUP-FFDHE4096' },
  { iana: 'ffdhe6144', openssl: 'ffdhe6144', go: '', gnutls: 'GROUP-FFDHE6144' },
  { iana: 'ffdhe8192', openssl: 'ffdhe8192', go: '', gnutls: 'GROUP-FFDHE8192' },
];

const groupAliases: Record<string, string> = {
  'p-256': 'secp256r1',
  prime256v1: 'secp256r1',
  'p-384': 'secp384r1',
  'p-521': 'secp521r1',
};

/** Looks a group up by IANA name, OpenSSL name or alias (case-insensitive). */
export function group(name: string): GroupSpelling {
  const key = name.toLowerCase();
  const iana = groupAliases[key] ?? key;
  const found = groupTable.find((g) => g.iana === iana || g.openssl.toLowerCase() === key);
  if (!found)
    throw new RangeError(`unknown group "${name}"; known: ${groupTable.map((g) => g.iana).join(', ')}`);
  return found;
}

/** A cipher suite as each server family spells it; GnuTLS composes suites from kx, cipher and MAC. */
interface SuiteSpelling {
  iana: string;
  tls13: boolean;
  openssl: string;
  gnutls: { kx: string; cipher: string; mac: string };
}

const suiteTable: readonly SuiteSpelling[] = [
  {
    iana: 'TLS_AES_128_GCM_SHA256',
    tls13: true,
    openssl: 'TLS_AES_128_GCM_SHA256',
    gnutls: { kx: '', cipher: 'AES-128-GCM', mac: 'AEAD' },
  },
  {
    iana: 'TLS_AES_256_GCM_SHA384',
    tls13: true,
    openssl: 'TLS_AES_256_GCM_SHA384',
    gnutls: { kx: '', cipher: 'AES-256-GCM', mac: 'AEAD' },
  },
  {
    iana: 'TLS_CHACHA20_POLY1305_SHA256',
    tls13: true,
    openssl: 'TLS_CHACHA20_POLY1305_SHA256',
    gnutls: { kx: '', cipher: 'CHACHA20-POLY1305', mac: 'AEAD' },
  },
  {
    iana: 'TLS_AES_128_CCM_SHA256',
    tls13: true,
    openssl: 'TLS_AES_128_CCM_SHA256',
    gnutls: { kx: '', cipher: 'AES-128-CCM', mac: 'AEAD' },
  },
  {
    iana: 'TLS_AES_128_CCM_8_SHA256',
    tls13: true,
    openssl: 'TLS_AES_128_CCM_8_SHA256',
    gnutls: { kx: '', cipher: 'AES-128-CCM-8', mac: 'AEAD' },
  },
  {
    iana: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    tls13: false,
    openssl: 'ECDHE-ECDSA-AES128-GCM-SHA256',
    gnutls: { kx: 'ECDHE-ECDSA', cipher: 'AES-128-GCM', mac: 'AEAD' },
  },
  {
    iana: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    tls13: false,
    openssl: 'ECDHE-ECDSA-AES256-GCM-SHA384',
    gnutls: { kx: 'ECDHE-ECDSA', cipher: 'AES-256-GCM', mac: 'AEAD' },
  },
  {
    iana: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    tls13: false,
    openssl: 'ECDHE-ECDSA-CHACHA20-POLY1305',
    gnutls: { kx: 'ECDHE-ECDSA', cipher: 'CHACHA20-POLY1305', mac: 'AEAD' },
  },
  {
    iana: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    tls13: false,
    openssl: 'ECDHE-RSA-AES128-GCM-SHA256',
    gnutls: { kx: 'ECDHE-RSA', cipher: 'AES-128-GCM', mac: 'AEAD' },
  },
  {
    iana: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    tls13: false,
    openssl: 'ECDHE-RSA-AES256-GCM-SHA384',
    gnutls: { kx: 'ECDHE-RSA', cipher: 'AES-256-GCM', mac: 'AEAD' },
  },
  {
    iana: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    tls13: false,
    openssl: 'ECDHE-RSA-CHACHA20-POLY1305',
    gnutls: { kx: 'ECDHE-RSA', cipher: 'CHACHA20-POLY1305', mac: 'AEAD' },
  },
  {
    iana: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
    tls13: false,
    openssl: 'ECDHE-ECDSA-AES128-SHA',
    gnutls: { kx: 'ECDHE-ECDSA', cipher: 'AES-128-CBC', mac: 'SHA1' },
  },
  {
    iana: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
    tls13: false,
    openssl: 'ECDHE-ECDSA-AES256-SHA',
    gnutls: { kx: 'ECDHE-ECDSA', cipher: 'AES-256-CBC', mac: 'SHA1' },
  },
  {
    iana: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
    tls13: false,
    openssl: 'ECDHE-ECDSA-AES128-SHA256',
    gnutls: { kx: 'ECDHE-ECDSA', cipher: 'AES-128-CBC', mac: 'SHA256' },
  },
  {
    iana: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
    tls13: false,
    openssl: 'ECDHE-ECDSA-AES256-SHA384',
    gnutls: { kx: 'ECDHE-ECDSA', cipher: 'AES-256-CBC', mac: 'SHA384' },
  },
  {
    iana: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM',
    tls13: false,
    openssl: 'ECDHE-ECDSA-AES128-CCM',
    gnutls: { kx: 'ECDHE-ECDSA', cipher: 'AES-128-CCM', mac: 'AEAD' },
  },
  {
    iana: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8',
    tls13: false,
    openssl: 'ECDHE-ECDSA-AES128-CCM8',
    gnutls: { kx: 'ECDHE-ECDSA', cipher: 'AES-128-CCM-8', mac: 'AEAD' },
  },
  {
    iana: 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256',
    tls13: false,
    openssl: 'ECDHE-RSA-CAMELLIA128-SHA256',
    gnutls: { kx: 'ECDHE-RSA', cipher: 'CAMELLIA-128-CBC', mac: 'SHA256' },
  },
  {
    iana: 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA',
    tls13: false,
    openssl: 'CAMELLIA128-SHA',
    gnutls: { kx: 'RSA', cipher: 'CAMELLIA-128-CBC', mac: 'SHA1' },
  },
  {
    iana: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
    tls13: false,
    openssl: 'ECDHE-RSA-AES128-SHA',
    gnutls: { kx: 'ECDHE-RSA', cipher: 'AES-128-CBC', mac: 'SHA1' },
  },
  {
    iana: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
    tls13: false,
    openssl: 'DHE-RSA-AES128-GCM-SHA256',
    gnutls: { kx: 'DHE-RSA', cipher: 'AES-128-GCM', mac: 'AEAD' },
  },
  {
    iana: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
    tls13: false,
    openssl: 'DHE-RSA-AES256-GCM-SHA384',
    gnutls: { kx: 'DHE-RSA', cipher: 'AES-256-GCM', mac: 'AEAD' },
  },
  {
    iana: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    tls13: false,
    openssl: 'DHE-RSA-CHACHA20-POLY1305',
    gnutls: { kx: 'DHE-RSA', cipher: 'CHACHA20-POLY1305', mac: 'AEAD' },
  },
  {
    iana: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
    tls13: false,
    openssl: 'AES128-GCM-SHA256',
    gnutls: { kx: 'RSA', cipher: 'AES-128-GCM', mac: 'AEAD' },
  },
  {
    iana: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
    tls13: false,
    openssl: 'AES256-GCM-SHA384',
    gnutls: { kx: 'RSA', cipher: 'AES-256-GCM', mac: 'AEAD' },
  },
  {
    iana: 'TLS_RSA_WITH_AES_128_CBC_SHA',
    tls13: false,
    openssl: 'AES128-SHA',
    gnutls: { kx: 'RSA', cipher: 'AES-128-CBC', mac: 'SHA1' },
  },
];

/** Looks a cipher suite up by IANA or OpenSSL name (case-insensitive). */
export function suite(name: string): SuiteSpelling {
  const key = name.toUpperCase();
  const found = suiteTable.find((s) => s.iana === key || s.openssl.toUpperCase() === key);
  if (!found)
    throw new RangeError(
      `unknown cipher suite "${name}"; known: ${suiteTable.map((s) => s.iana).join(', ')}`,
    );
  return found;
}

/** Splits a suite list into the TLS 1.2 and TLS 1.3 parts (each version is configured separately by OpenSSL). */
export function splitSuites(names: string[] | undefined): { tls12: SuiteSpelling[]; tls13: SuiteSpelling[] } {
  const suites = (names ?? []).map(suite);
  return { tls12: suites.filter((s) => !s.tls13), tls13: suites.filter((s) => s.tls13) };
}

/** Every version a peer can be given, oldest first. */
const VERSION_ORDER: readonly TlsVersionName[] = ['TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'];

/** The lowest and highest of the requested versions, defaulting to TLS 1.2..1.3. */
export function versionRange(versions: TlsVersionName[] | undefined): {
  min: TlsVersionName;
  max: TlsVersionName;
} {
  const list = versions && versions.length > 0 ? versions : (['TLS1.2', 'TLS1.3'] as const);
  const at = list.map((v) => {
    const i = VERSION_ORDER.indexOf(v);
    if (i < 0) throw new RangeError(`unknown version "${v}"`);
    return i;
  });
  return { min: VERSION_ORDER[Math.min(...at)], max: VERSION_ORDER[Math.max(...at)] };
}

/** True when the range reaches below TLS 1.2 (only the openssl peer serves that). */
export function isLegacy(v: TlsVersionName): boolean {
  return v === 'TLS1.0' || v === 'TLS1.1';
}

/** Throws for a range below TLS 1.2 on a peer that cannot serve it. */
export function modernOnly(
  peer: string,
  versions: TlsVersionName[] | undefined,
): {
  min: 'TLS1.2' | 'TLS1.3';
  max: 'TLS1.2' | 'TLS1.3';
} {
  const { min, max } = versionRange(versions);
  if (isLegacy(min) || isLegacy(max))
    throw new Error(`${peer} peer: TLS 1.0 and 1.1 are served only by the openssl peer`);
  return { min: min as 'TLS1.2' | 'TLS1.3', max: max as 'TLS1.2' | 'TLS1.3' };
}

/** `TLS1.2` → `TLSv1.2` (OpenSSL, nginx, HAProxy and Node spelling). */
export function opensslVersion(v: TlsVersionName): 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3' {
  return v === 'TLS1.0' ? 'TLSv1' : (`TLSv${v.slice(3)}` as 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3');
}
