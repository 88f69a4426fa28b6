import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { generate, parseOpenSslCiphers, readSources } from '../../scripts/iana/cipher-suite-table.ts';
import type { CipherSuiteName } from '../../src/iana/cipher-suites.ts';
import {
  CIPHER_SUITE,
  CIPHER_SUITES,
  cipherSuiteInfo,
  cipherSuiteName,
  cipherSuiteOpenSslName,
  lookupCipherSuite,
} from '../../src/iana/index.ts';

const FIXTURE = new URL('./fixtures/openssl-ciphers-stdname.txt', import.meta.url);
const OPENSSL_ARGS = [
  'ciphers',
  '-V',
  '-stdname',
  '-ciphersuites',
  'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256',
  'ALL:COMPLEMENTOFALL:@SECLEVEL=0',
];

/** OpenSSL's protocol column → the lowest wire version it means. */
const OPENSSL_MIN_VERSION: Record<string, number> = {
  SSLv3: 0x0300,
  TLSv1: 0x0301,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
};

function opensslOnThisMachine(): string | undefined {
  try {
    return execFileSync('openssl', OPENSSL_ARGS, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

describe('cipher suite table', () => {
  const assigned = CIPHER_SUITES.filter((s) => s.iana);

  it('holds every IANA assignment: hundreds of suites, each code and name once', () => {
    expect(assigned.length).toBe(352);
    expect(new Set(CIPHER_SUITES.map((s) => s.code)).size).toBe(CIPHER_SUITES.length);
    expect(new Set(CIPHER_SUITES.map((s) => s.name)).size).toBe(CIPHER_SUITES.length);
  });

  it('lists suites in code order', () => {
    const codes = CIPHER_SUITES.map((s) => s.code);
    expect(codes).toEqual([...codes].sort((a, b) => a - b));
  });

  it.each([
    [0x0000, 'TLS_NULL_WITH_NULL_NULL'],
    [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
    [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA'],
    [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
    [0x00c6, 'TLS_SM4_GCM_SM3'],
    [0x00c7, 'TLS_SM4_CCM_SM3'],
    [0x00ff, 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV'],
    [0x1301, 'TLS_AES_128_GCM_SHA256'],
    [0x1302, 'TLS_AES_256_GCM_SHA384'],
    [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
    [0x1304, 'TLS_AES_128_CCM_SHA256'],
    [0x1305, 'TLS_AES_128_CCM_8_SHA256'],
    [0x1306, 'TLS_AEGIS_256_SHA512'],
    [0x1307, 'TLS_AEGIS_128L_SHA256'],
    [0x5600, 'TLS_FALLBACK_SCSV'],
    [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
    [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
    [0xc0aa, 'TLS_PSK_DHE_WITH_AES_128_CCM_8'],
    [0xc0b0, 'TLS_ECCPWD_WITH_AES_128_GCM_SHA256'],
    [0xc0b5, 'TLS_SHA384_SHA384'],
    [0xc100, 'TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC'],
    [0xc106, 'TLS_GOSTR341112_256_WITH_MAGMA_MGM_S'],
    [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
    [0xccae, 'TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256'],
    [0xd005, 'TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256'],
  ])('names code %i %s as IANA does', (code, name) => {
    expect(cipherSuiteName(code)).toBe(name);
    expect(lookupCipherSuite(name)).toBe(code);
    expect(cipherSuiteInfo(code)?.iana).toBe(true);
  });

  it('leaves IANA gaps unnamed: 0xD004 and 0x1308 are unassigned', () => {
    expect(cipherSuiteName(0xd004)).toBe('unknown(0xd004)');
    expect(cipherSuiteName(0x1308)).toBe('unknown(0x1308)');
  });

  it('describes a TLS 1.2 ECDHE suite: kx, auth, cipher, AEAD, PRF hash and versions', () => {
    expect(cipherSuiteInfo('TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384')).toMatchObject({
      code: 0xc02c,
      openssl: 'ECDHE-ECDSA-AES256-GCM-SHA384',
      keyExchange: 'ECDHE',
      authentication: 'ECDSA',
      cipher: 'AES_256_GCM',
      mac: 'AEAD',
      hash: 'SHA384',
      aead: true,
      minVersion: 0x0303,
      maxVersion: 0x0303,
    });
  });

  it('describes TLS 1.3 suites as any key exchange and authentication, TLS 1.3 only', () => {
    for (const code of [
      0x1301, 0x1302, 0x1303, 0x1304, 0x1305, 0x1306, 0x1307, 0x00c6, 0x00c7, 0xc103, 0xc106,
    ]) {
      expect(cipherSuiteInfo(code)).toMatchObject({ keyExchange: 'any', authentication: 'any', aead: true });
      expect(cipherSuiteInfo(code)).toMatchObject({ minVersion: 0x0304, maxVersion: 0x0304 });
    }
  });

  it('marks RFC 9150 integrity-only suites as TLS 1.3 suites without encryption', () => {
    expect(cipherSuiteInfo(0xc0b4)).toMatchObject({
      cipher: 'NULL',
      mac: 'SHA256',
      aead: false,
      minVersion: 0x0304,
    });
  });

  it('describes a CBC suite by its HMAC hash', () => {
    expect(cipherSuiteInfo('AES128-SHA')).toMatchObject({
      code: 0x002f,
      keyExchange: 'RSA',
      authentication: 'RSA',
      cipher: 'AES_128_CBC',
      mac: 'SHA1',
      aead: false,
      minVersion: 0x0300,
      maxVersion: 0x0303,
    });
  });

  it('limits export suites to TLS 1.0 and DES/IDEA suites to TLS 1.1', () => {
    expect(cipherSuiteInfo(0x0003)?.maxVersion).toBe(0x0301);
    expect(cipherSuiteInfo(0x0009)?.maxVersion).toBe(0x0302);
    expect(cipherSuiteInfo(0x0007)?.maxVersion).toBe(0x0302);
  });

  it('counts anonymous DH as ephemeral and fixed DH as static', () => {
    expect(cipherSuiteInfo('TLS_DH_anon_WITH_AES_128_CBC_SHA')).toMatchObject({
      keyExchange: 'DHE',
      authentication: 'anon',
    });
    expect(cipherSuiteInfo('TLS_DH_RSA_WITH_AES_128_CBC_SHA')).toMatchObject({
      keyExchange: 'DH',
      authentication: 'RSA',
    });
    expect(cipherSuiteInfo('TLS_ECDH_anon_WITH_NULL_SHA')).toMatchObject({
      keyExchange: 'ECDHE',
      authentication: 'anon',
    });
  });

  it('flags the two SCSVs as signals, not suites', () => {
    expect(CIPHER_SUITES.filter((s) => 'scsv' in s && s.scsv).map((s) => s.code)).toEqual([0x00ff, 0x5600]);
  });

  it('names common unassigned values that old clients sent, marked iana: false', () => {
    expect(cipherSuiteInfo(0xcc13)).toMatchObject({
      name: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD',
      iana: false,
    });
    expect(cipherSuiteInfo(0xfeff)).toMatchObject({
      name: 'SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA',
      iana: false,
    });
    expect(cipherSuiteInfo(0x0064)?.iana).toBe(false);
  });

  it('exposes codes by IANA name', () => {
    expect(CIPHER_SUITE.TLS_AES_128_GCM_SHA256).toBe(0x1301);
    expect(CIPHER_SUITE.TLS_FALLBACK_SCSV).toBe(0x5600);
    // The types the compact table keeps (tsc checks these): each code a literal, each name in the union.
    expectTypeOf(CIPHER_SUITE.TLS_AES_128_GCM_SHA256).toEqualTypeOf<0x1301>();
    expectTypeOf<'TLS_CHACHA20_POLY1305_SHA256'>().toMatchTypeOf<CipherSuiteName>();
    expectTypeOf<'TLS_NOT_A_SUITE'>().not.toMatchTypeOf<CipherSuiteName>();
    expectTypeOf<CipherSuiteName>().toEqualTypeOf<keyof typeof CIPHER_SUITE>();
    expect(Object.keys(CIPHER_SUITE)).toEqual(CIPHER_SUITES.map((s) => s.name));
  });

  it('accepts older OpenSSL names: EDH- spellings and dropped suites', () => {
    expect(lookupCipherSuite('EDH-RSA-DES-CBC3-SHA')).toBe(0x0016);
    expect(lookupCipherSuite('DHE-RSA-DES-CBC3-SHA')).toBe(0x0016);
    expect(lookupCipherSuite('DES-CBC3-SHA')).toBe(0x000a);
    expect(lookupCipherSuite('RC4-SHA')).toBe(0x0005);
    expect(cipherSuiteOpenSslName(0x0005)).toBe('RC4-SHA');
  });
});

describe('OpenSSL names', () => {
  const fixture = parseOpenSslCiphers(readFileSync(FIXTURE, 'utf8'));

  it('the fixture holds what `openssl ciphers -V -stdname` listed (TLS 1.3 CCM suites included)', () => {
    expect(fixture.length).toBeGreaterThan(150);
    expect(fixture.map((l) => l.code)).toContain(0x1305);
  });

  it('round-trips every suite OpenSSL lists: OpenSSL name → code → IANA name and back', () => {
    for (const line of fixture) {
      expect(lookupCipherSuite(line.name)).toBe(line.code);
      expect(lookupCipherSuite(line.stdname)).toBe(line.code);
      expect(cipherSuiteName(line.code)).toBe(line.stdname);
      expect(cipherSuiteOpenSslName(line.code)).toBe(line.name);
    }
  });

  it("agrees with OpenSSL's protocol column on each suite's lowest version", () => {
    for (const line of fixture) {
      expect([line.name, cipherSuiteInfo(line.code)?.minVersion]).toEqual([
        line.name,
        OPENSSL_MIN_VERSION[line.version],
      ]);
    }
  });

  const live = opensslOnThisMachine();
  it.skipIf(live === undefined)('round-trips every suite the openssl on this machine lists now', () => {
    const lines = parseOpenSslCiphers(live ?? '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect([line.name, lookupCipherSuite(line.name)]).toEqual([line.name, line.code]);
      expect([line.name, cipherSuiteName(line.code)]).toEqual([line.name, line.stdname]);
    }
  });
});

describe('generated table', () => {
  it('is what scripts/iana/gen-cipher-suites.ts makes of the committed sources', () => {
    const committed = readFileSync(
      new URL('../../src/iana/cipher-suites.generated.ts', import.meta.url),
      'utf8',
    );
    expect(generate(readSources())).toBe(committed);
  });
});
