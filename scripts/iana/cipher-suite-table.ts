/**
 * The cipher suite table generator (run by scripts/iana/gen-cipher-suites.ts, checked by
 * test/iana/generated-table.test.ts). It builds src/iana/cipher-suites.generated.ts from
 *   - scripts/iana/data/tls-cipher-suites.txt      the IANA TLS Cipher Suites registry rows,
 *   - scripts/iana/data/unofficial-cipher-suites.txt values IANA never assigned but hellos carry,
 *   - test/iana/fixtures/openssl-ciphers-stdname.txt `openssl ciphers -V -stdname` on the dev machine,
 *   - scripts/iana/data/openssl-legacy-cipher-names.txt OpenSSL names of suites OpenSSL 3 dropped.
 *
 * Key exchange, authentication, cipher, MAC and TLS versions are derived from the IANA name,
 * which follows one grammar (TLS_<kx>_WITH_<cipher>_<mac> before TLS 1.3, TLS_<aead>_<hash> from
 * TLS 1.3 on). The generator fails loudly on a name it cannot read rather than guess.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SOURCES = {
  registry: 'scripts/iana/data/tls-cipher-suites.txt',
  unofficial: 'scripts/iana/data/unofficial-cipher-suites.txt',
  openssl: 'test/iana/fixtures/openssl-ciphers-stdname.txt',
  opensslLegacy: 'scripts/iana/data/openssl-legacy-cipher-names.txt',
} as const;

export const OUTPUT = 'src/iana/cipher-suites.generated.ts';

/** A row read from one of the data files: a code, a name and further spellings. */
interface Row {
  code: number;
  name: string;
  more: string[];
}

/** Reads `0xHH,0xLL NAME [ALIAS...]` rows, skipping comments and blank lines. */
export function parseRows(text: string, file: string): Row[] {
  const rows: Row[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^0x([0-9A-Fa-f]{2}),0x([0-9A-Fa-f]{2})\s+(\S+)((?:\s+\S+)*)$/.exec(line);
    if (!m) throw new Error(`${file}:${i + 1}: cannot read ${JSON.stringify(line)}`);
    const more = m[4].trim() === '' ? [] : m[4].trim().split(/\s+/);
    rows.push({ code: (Number.parseInt(m[1], 16) << 8) | Number.parseInt(m[2], 16), name: m[3], more });
  });
  return rows;
}

/** One line of `openssl ciphers -V -stdname`. */
export interface OpenSslLine {
  code: number;
  stdname: string;
  name: string;
  version: string;
}

/** Reads `openssl ciphers -V -stdname` output (comment lines starting with # are skipped). */
export function parseOpenSslCiphers(text: string): OpenSslLine[] {
  const out: OpenSslLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+- (\S+)\s+(\S+)\s/i.exec(line);
    if (!m) throw new Error(`cannot read openssl ciphers line ${JSON.stringify(line)}`);
    out.push({
      code: (Number.parseInt(m[1], 16) << 8) | Number.parseInt(m[2], 16),
      stdname: m[3],
      name: m[4],
      version: m[5],
    });
  }
  return out;
}

const SSL3 = 0x0300;
const TLS10 = 0x0301;
const TLS11 = 0x0302;
const TLS12 = 0x0303;
const TLS13 = 0x0304;

/** Key-exchange part of a pre-1.3 name → [keyExchange, authentication]. Anonymous (EC)DH is ephemeral. */
const KEY_EXCHANGES: Record<string, readonly [string, string]> = {
  NULL: ['NULL', 'NULL'],
  RSA: ['RSA', 'RSA'],
  DH_DSS: ['DH', 'DSS'],
  DH_RSA: ['DH', 'RSA'],
  DHE_DSS: ['DHE', 'DSS'],
  DHE_RSA: ['DHE', 'RSA'],
  DH_anon: ['DHE', 'anon'],
  KRB5: ['KRB5', 'KRB5'],
  PSK: ['PSK', 'PSK'],
  DHE_PSK: ['DHE_PSK', 'PSK'],
  PSK_DHE: ['DHE_PSK', 'PSK'],
  RSA_PSK: ['RSA_PSK', 'RSA'],
  ECDHE_PSK: ['ECDHE_PSK', 'PSK'],
  ECDH_ECDSA: ['ECDH', 'ECDSA'],
  ECDHE_ECDSA: ['ECDHE', 'ECDSA'],
  ECDH_RSA: ['ECDH', 'RSA'],
  ECDHE_RSA: ['ECDHE', 'RSA'],
  ECDH_anon: ['ECDHE', 'anon'],
  SRP_SHA: ['SRP', 'SRP'],
  SRP_SHA_RSA: ['SRP', 'RSA'],
  SRP_SHA_DSS: ['SRP', 'DSS'],
  ECCPWD: ['ECCPWD', 'ECCPWD'],
  GOSTR341112_256: ['GOST', 'GOST'],
  GOSTR341094: ['GOST', 'GOST'],
  GOSTR341001: ['GOST', 'GOST'],
  ECJPAKE: ['ECJPAKE', 'ECJPAKE'],
};

/** Bulk ciphers, with whether they are AEADs; longest first so AES_128_CCM_8 wins over AES_128_CCM. */
const CIPHERS: readonly (readonly [string, boolean])[] = (
  [
    ['NULL', false],
    ['RC4_40', false],
    ['RC4_56', false],
    ['RC4_128', false],
    ['RC2_CBC_40', false],
    ['RC2_CBC_56', false],
    ['IDEA_CBC', false],
    ['DES40_CBC', false],
    ['DES_CBC_40', false],
    ['DES_CBC', false],
    ['3DES_EDE_CBC', false],
    ['AES_128_CBC', false],
    ['AES_256_CBC', false],
    ['AES_128_GCM', true],
    ['AES_256_GCM', true],
    ['AES_128_CCM', true],
    ['AES_256_CCM', true],
    ['AES_128_CCM_8', true],
    ['AES_256_CCM_8', true],
    ['CAMELLIA_128_CBC', false],
    ['CAMELLIA_256_CBC', false],
    ['CAMELLIA_128_GCM', true],
    ['CAMELLIA_256_GCM', true],
    ['SEED_CBC', false],
    ['ARIA_128_CBC', false],
    ['ARIA_256_CBC', false],
    ['ARIA_128_GCM', true],
    ['ARIA_256_GCM', true],
    ['CHACHA20_POLY1305', true],
    ['SM4_GCM', true],
    ['SM4_CCM', true],
    ['AEGIS_256', true],
    ['AEGIS_128L', true],
    ['KUZNYECHIK_CTR', false],
    ['MAGMA_CTR', false],
    ['28147_CNT', false],
    ['KUZNYECHIK_MGM_L', true],
    ['MAGMA_MGM_L', true],
    ['KUZNYECHIK_MGM_S', true],
    ['MAGMA_MGM_S', true],
  ] as const
)
  .slice()
  .sort((a, b) => b[0].length - a[0].length);

/** The MAC/hash token that ends a name → the hash it names. */
const HASHES: Record<string, string> = {
  NULL: 'NULL',
  MD5: 'MD5',
  SHA: 'SHA1',
  SHA256: 'SHA256',
  SHA384: 'SHA384',
  SHA512: 'SHA512',
  SM3: 'SM3',
  GOSTR3411: 'GOSTR3411',
  // GOST MACs: the hash is the PRF's, Streebog for the 2012 suites and GOST R 34.11-94 before.
  OMAC: 'GOST',
  IMIT: 'GOST',
};

const DES_OR_IDEA = new Set(['DES_CBC', 'DES40_CBC', 'DES_CBC_40', 'IDEA_CBC']);
const PSK_FAMILY = new Set(['PSK', 'DHE_PSK', 'RSA_PSK', 'ECDHE_PSK']);

/** What a suite's name says about it. */
export interface Derived {
  keyExchange: string;
  authentication: string;
  cipher: string;
  mac: string;
  hash: string;
  aead: boolean;
  minVersion: number;
  maxVersion: number;
  scsv: boolean;
}

/** Reads the properties of a suite off its (IANA-grammar) name. @throws Error on a name it cannot read */
export function deriveFromName(name: string): Derived {
  if (name.endsWith('_SCSV')) {
    return {
      keyExchange: 'NULL',
      authentication: 'NULL',
      cipher: 'NULL',
      mac: 'NULL',
      hash: 'NULL',
      aead: false,
      minVersion: SSL3,
      maxVersion: TLS12,
      scsv: true,
    };
  }
  const body = name.replace(/^(TLS|SSL)_/, '').replace(/_OLD$/, '');
  const withAt = body.indexOf('_WITH_');
  if (withAt < 0) return deriveTls13(name, body);

  let kx = body.slice(0, withAt);
  const rest = body.slice(withAt + '_WITH_'.length);
  const exportGrade = /_EXPORT(1024)?$/.test(kx) || /_EXPORT(1024)?_/.test(kx);
  kx = kx.replace(/_EXPORT(1024)?/, '').replace(/^RSA_FIPS$|^RSA_OLDFIPS$/, 'RSA');
  let pair = KEY_EXCHANGES[kx];
  if (!pair) throw new Error(`${name}: unknown key exchange ${kx}`);

  const [cipher, aead, macToken] = splitCipher(name, rest);
  const gostHash = kx === 'GOSTR341112_256' ? 'STREEBOG256' : 'GOSTR3411';
  let hash = macToken === '' ? 'SHA256' : HASHES[macToken]; // RFC 6655: CCM suites use the SHA-256 PRF
  if (hash === 'GOST' || (macToken === '' && kx.startsWith('GOSTR'))) hash = gostHash;
  if (!hash) throw new Error(`${name}: unknown MAC ${macToken}`);
  const mac = aead ? 'AEAD' : macToken === 'SHA' ? 'SHA1' : macToken;

  let minVersion: number;
  let maxVersion = TLS12;
  if (kx === 'GOSTR341112_256' && aead) {
    // RFC 9367: TLS 1.3 suites, negotiated apart from key exchange and authentication like any other
    pair = ['any', 'any'];
    minVersion = TLS13;
    maxVersion = TLS13;
  } else if (kx === 'GOSTR341112_256') {
    minVersion = TLS12; // RFC 9189 defines these for TLS 1.2 only
  } else if (kx === 'ECCPWD') {
    minVersion = TLS12; // RFC 8492 defines them for TLS 1.2 and TLS 1.3
    maxVersion = TLS13;
  } else if (aead) {
    minVersion = TLS12;
  } else if (hash === 'SHA256' || hash === 'SHA384') {
    // RFC 5487 / 5489 / 6367 let the PSK suites with SHA-2 HMACs run over TLS 1.0 and 1.1 too.
    minVersion = PSK_FAMILY.has(pair[0]) ? TLS10 : TLS12;
  } else if (pair[0] === 'ECDH' || pair[0] === 'ECDHE' || pair[0] === 'ECDHE_PSK' || pair[0] === 'GOST') {
    minVersion = TLS10; // RFC 4492 needs hello extensions, which SSL 3.0 lacks
  } else {
    minVersion = SSL3;
  }
  if (exportGrade)
    maxVersion = TLS10; // RFC 4346 forbids export suites from TLS 1.1 on
  else if (DES_OR_IDEA.has(cipher)) maxVersion = TLS11; // RFC 5246 dropped DES and IDEA

  return {
    keyExchange: pair[0],
    authentication: pair[1],
    cipher,
    mac,
    hash,
    aead,
    minVersion,
    maxVersion,
    scsv: false,
  };
}

/** TLS 1.3 suites name only the AEAD and the HKDF hash; RFC 9150's integrity-only ones name the HMAC twice. */
function deriveTls13(name: string, body: string): Derived {
  const base = {
    keyExchange: 'any',
    authentication: 'any',
    minVersion: TLS13,
    maxVersion: TLS13,
    scsv: false,
  };
  const integrityOnly = /^(SHA256|SHA384)_\1$/.exec(body);
  if (integrityOnly) {
    return { ...base, cipher: 'NULL', mac: integrityOnly[1], hash: integrityOnly[1], aead: false };
  }
  const [cipher, aead, macToken] = splitCipher(name, body);
  const hash = HASHES[macToken];
  if (!aead || !hash) throw new Error(`${name}: not a TLS 1.3 AEAD suite name`);
  return { ...base, cipher, mac: 'AEAD', hash, aead };
}

function splitCipher(name: string, rest: string): [string, boolean, string] {
  for (const [cipher, aead] of CIPHERS) {
    if (rest === cipher) return [cipher, aead, ''];
    if (rest.startsWith(`${cipher}_`)) {
      const macToken = rest.slice(cipher.length + 1);
      if (macToken in HASHES) return [cipher, aead, macToken];
    }
  }
  if (rest === 'NULL_NULL') return ['NULL', false, 'NULL'];
  throw new Error(`${name}: unknown cipher in ${rest}`);
}

function hex4(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Builds the text of the generated module from the four sources' text. */
export function generate(sources: {
  registry: string;
  unofficial: string;
  openssl: string;
  opensslLegacy: string;
}): string {
  const iana = parseRows(sources.registry, SOURCES.registry);
  const unofficial = parseRows(sources.unofficial, SOURCES.unofficial);
  const opensslLines = parseOpenSslCiphers(sources.openssl);
  const legacy = parseRows(sources.opensslLegacy, SOURCES.opensslLegacy);
  const opensslVersion = /^#\s*(OpenSSL \S+)/m.exec(sources.openssl)?.[1] ?? 'OpenSSL';

  const ianaByCode = new Map(iana.map((r) => [r.code, r]));
  const seen = new Set<number>();
  for (const r of [...iana, ...unofficial]) {
    if (seen.has(r.code)) throw new Error(`${hex4(r.code)} appears twice`);
    seen.add(r.code);
  }

  const opensslName = new Map<number, { name: string; more: string[] }>();
  for (const line of opensslLines) {
    const row = ianaByCode.get(line.code);
    if (!row) throw new Error(`openssl lists ${hex4(line.code)} ${line.name}, which the registry lacks`);
    if (row.name !== line.stdname) {
      throw new Error(`openssl calls ${hex4(line.code)} ${line.stdname}, IANA calls it ${row.name}`);
    }
    opensslName.set(line.code, { name: line.name, more: [] });
  }
  for (const row of legacy) {
    if (opensslName.has(row.code))
      throw new Error(`${hex4(row.code)}: legacy name for a suite OpenSSL lists`);
    if (!seen.has(row.code)) throw new Error(`${hex4(row.code)}: legacy OpenSSL name for an unknown suite`);
    opensslName.set(row.code, { name: row.name, more: row.more });
  }

  const all = [...iana.map((r) => ({ ...r, iana: true })), ...unofficial.map((r) => ({ ...r, iana: false }))];
  all.sort((a, b) => a.code - b.code);

  const lines: string[] = [];
  const codes: string[] = [];
  const hex = (v: number) => v.toString(16).toUpperCase().padStart(4, '0');
  for (const r of all) {
    const d = deriveFromName(r.name);
    const openssl = opensslName.get(r.code);
    const aliases = [...(openssl?.more ?? []), ...r.more];
    const flags = `${d.aead ? 'a' : ''}${d.scsv ? 's' : ''}${r.iana ? 'i' : ''}` || '-';
    const fields = [
      hex(r.code),
      r.name,
      openssl?.name ?? '-',
      aliases.length > 0 ? aliases.join(',') : '-',
      d.keyExchange,
      d.authentication,
      d.cipher,
      d.mac,
      d.hash,
      hex(d.minVersion),
      hex(d.maxVersion),
      flags,
    ];
    for (const f of fields)
      if (f === '' || /[\s`$\\]/.test(f))
        throw new Error(`${hex4(r.code)}: field ${JSON.stringify(f)} cannot be written as a word`);
    lines.push(fields.join(' '));
    codes.push(`  readonly ${r.name}: ${hex4(r.code)};`);
  }

  return `// Generated by scripts/iana/gen-cipher-suites.ts (npx vite-node scripts/iana/gen-cipher-suites.ts) from the IANA TLS Cipher Suites registry
// (${SOURCES.registry}), ${SOURCES.unofficial}, and the OpenSSL names
// that \`openssl ciphers -V -stdname\` printed with ${opensslVersion} (${SOURCES.openssl})
// or that older OpenSSL releases used (${SOURCES.opensslLegacy}). Do not edit by hand.
// biome-ignore-all format: one suite per line keeps the table greppable

import { parseCipherSuiteRows } from './cipher-suite-rows.ts';
import type { CipherSuiteInfo } from './cipher-suite-types.ts';

/** The OpenSSL release whose \`openssl ciphers -V -stdname\` output supplied the \`openssl\` names. */
export const CIPHER_SUITES_OPENSSL_VERSION = '${opensslVersion}';

/** The code of each suite by IANA name (the type of \`CIPHER_SUITE\`). */
export interface CipherSuiteCodes {
${codes.join('\n')}
}

/** A row of {@link CIPHER_SUITES}: a {@link CipherSuiteInfo} with its name from the table. */
export interface CipherSuiteRow extends CipherSuiteInfo {
  readonly name: keyof CipherSuiteCodes;
}

/**
 * Every cipher suite IANA assigned (${iana.length} values, SCSVs included), plus ${unofficial.length} values
 * real clients sent without an assignment (\`iana: false\`), in code order. Held as one line a
 * suite (see cipher-suite-rows.ts for the columns) and read when the module loads.
 */
export const CIPHER_SUITES: readonly CipherSuiteRow[] = /* @__PURE__ */ parseCipherSuiteRows<CipherSuiteRow>(\`
${lines.join('\n')}
\`);
`;
}

/** Reads the four sources from the repository. */
export function readSources(): Parameters<typeof generate>[0] {
  const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
  return {
    registry: read(SOURCES.registry),
    unofficial: read(SOURCES.unofficial),
    openssl: read(SOURCES.openssl),
    opensslLegacy: read(SOURCES.opensslLegacy),
  };
}

/** Absolute path of a repository-relative path. */
export function fromRoot(path: string): string {
  return join(ROOT, path);
}
