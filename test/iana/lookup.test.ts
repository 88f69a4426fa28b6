import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  alertName,
  alertRegistry,
  cipherSuiteName,
  cipherSuiteRegistry,
  editDistance,
  extensionTypeName,
  extensionTypeRegistry,
  groupName,
  groupRegistry,
  lookupAlert,
  lookupCipherSuite,
  lookupExtensionType,
  lookupGroup,
  lookupSignatureScheme,
  lookupVersion,
  parseCipherSuiteList,
  parseGroupList,
  parseSignatureSchemeList,
  parseVersionList,
  pskKeyExchangeModeRegistry,
  Registry,
  signatureSchemeName,
  signatureSchemeRegistry,
  versionName,
  versionRegistry,
} from '../../src/iana/index.ts';

const TWO_BYTE = [
  cipherSuiteRegistry,
  groupRegistry,
  signatureSchemeRegistry,
  versionRegistry,
  extensionTypeRegistry,
];

describe('lookup by name', () => {
  it('accepts IANA names in any case', () => {
    expect(lookupCipherSuite('TLS_AES_128_GCM_SHA256')).toBe(0x1301);
    expect(lookupCipherSuite('tls_aes_128_gcm_sha256')).toBe(0x1301);
    expect(lookupGroup('X25519')).toBe(29);
    expect(lookupSignatureScheme('RSA_PSS_RSAE_SHA256')).toBe(0x0804);
    expect(lookupAlert('Handshake_Failure')).toBe(40);
  });

  it('accepts OpenSSL names and aliases', () => {
    expect(lookupCipherSuite('ECDHE-RSA-AES128-GCM-SHA256')).toBe(0xc02f);
    expect(lookupGroup('prime256v1')).toBe(23);
    expect(lookupGroup('P-384')).toBe(24);
    expect(lookupSignatureScheme('ECDSA+SHA256')).toBe(0x0403);
    expect(lookupSignatureScheme('RSA-PSS+SHA256')).toBe(0x0804);
    expect(lookupSignatureScheme('RSA+SHA1')).toBe(0x0201);
    expect(lookupExtensionType('alpn')).toBe(16);
    expect(lookupExtensionType('elliptic_curves')).toBe(10);
  });

  it.each(['TLS 1.2', 'TLS1.2', 'TLSv1.2', 'tls12', '1.2', 'tls1_2', '0x0303', '0303', 771])(
    'reads %s as TLS 1.2',
    (input) => {
      expect(lookupVersion(input)).toBe(0x0303);
    },
  );

  it('reads the other versions the same way', () => {
    expect(lookupVersion('SSLv3')).toBe(0x0300);
    expect(lookupVersion('TLSv1')).toBe(0x0301);
    expect(lookupVersion('tls11')).toBe(0x0302);
    expect(lookupVersion('TLSv1.3')).toBe(0x0304);
    expect(lookupVersion('DTLSv1.2')).toBe(0xfefd);
    expect(lookupVersion('DTLS 1.3')).toBe(0xfefc);
    expect(lookupVersion('dtls10')).toBe(0xfeff);
    expect(versionName(0x7f17)).toBe('TLS 1.3 draft 23');
  });
});

describe('lookup by code', () => {
  it('reads 0x-prefixed hex, bare four-digit hex and OpenSSL byte pairs in two-byte registries', () => {
    expect(lookupCipherSuite('0x1301')).toBe(0x1301);
    expect(lookupCipherSuite('0X1301')).toBe(0x1301);
    expect(lookupCipherSuite('1301')).toBe(0x1301);
    expect(lookupCipherSuite('c02f')).toBe(0xc02f);
    expect(lookupCipherSuite('0x13,0x01')).toBe(0x1301);
    expect(lookupGroup('0x11ec')).toBe(0x11ec);
    expect(lookupGroup('11EC')).toBe(0x11ec);
    expect(lookupGroup('0x001d')).toBe(29);
  });

  it('reads other bare digits as decimal, as RFCs and JA3 write small codes', () => {
    expect(lookupGroup('29')).toBe(29);
    expect(lookupExtensionType('65281')).toBe(0xff01);
    expect(lookupAlert('40')).toBe(40);
  });

  it('accepts numbers, known or not, so any value can be sent', () => {
    expect(lookupCipherSuite(0x1301)).toBe(0x1301);
    expect(lookupCipherSuite(0x1337)).toBe(0x1337);
    expect(lookupCipherSuite('0x1337')).toBe(0x1337);
  });

  it('rejects codes that do not fit the registry with a RangeError', () => {
    expect(() => lookupCipherSuite(0x10000)).toThrow(RangeError);
    expect(() => lookupCipherSuite('0x10000')).toThrow(RangeError);
    expect(() => lookupCipherSuite(-1)).toThrow(RangeError);
    expect(() => lookupCipherSuite(1.5)).toThrow(RangeError);
    expect(() => lookupAlert(256)).toThrow(/alert code 256 is not a 1-byte value/);
  });
});

describe('unknown names', () => {
  it('throw a TypeError suggesting the close match', () => {
    expect(() => lookupCipherSuite('TLS_AES_128_GCM_SHA265')).toThrow(TypeError);
    expect(() => lookupCipherSuite('TLS_AES_128_GCM_SHA265')).toThrow(
      'unknown cipher suite "TLS_AES_128_GCM_SHA265"; did you mean TLS_AES_128_GCM_SHA256?',
    );
  });

  it('suggest spellings in the style the user typed (OpenSSL for OpenSSL)', () => {
    expect(() => lookupCipherSuite('ECDHE-RSA-AES128-GCM-SHA265')).toThrow(
      'did you mean ECDHE-RSA-AES128-GCM-SHA256?',
    );
  });

  it('list up to three equally close matches', () => {
    expect(() => lookupCipherSuite('ECDHE-RSA-AES128-GCM-SHA384')).toThrow(
      /did you mean ECDHE-RSA-AES128-GCM-SHA256 or ECDHE-RSA-AES256-GCM-SHA384\?$/,
    );
    expect(cipherSuiteRegistry.suggest('TLS_AES').length).toBeLessThanOrEqual(3);
  });

  it('suggest a name the input begins', () => {
    expect(() => lookupGroup('x25519mlkem')).toThrow('did you mean X25519MLKEM768?');
  });

  it('say only "unknown" when nothing is close', () => {
    expect(() => lookupGroup('definitely-not-a-curve')).toThrow(
      /^unknown named group "definitely-not-a-curve"$/,
    );
  });

  it('name the registry in each message', () => {
    expect(() => lookupSignatureScheme('ecdsa_secp256r1_sha265')).toThrow(
      'unknown signature scheme "ecdsa_secp256r1_sha265"; did you mean ecdsa_secp256r1_sha256?',
    );
    expect(() => lookupAlert('handshake_failur')).toThrow(
      'unknown alert "handshake_failur"; did you mean handshake_failure?',
    );
    expect(() => lookupExtensionType('key_shares')).toThrow('did you mean key_share?');
    expect(() => lookupVersion('TLS 1.4')).toThrow(/^unknown protocol version "TLS 1.4"; did you mean /);
  });

  it('reject empty input', () => {
    expect(() => lookupCipherSuite('  ')).toThrow('empty cipher suite');
  });
});

describe('lists', () => {
  it("split on OpenSSL's separators: colon, comma and white space", () => {
    expect(parseCipherSuiteList('TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256,0xc030 1301')).toEqual([
      0x1301, 0xc02f, 0xc030, 0x1301,
    ]);
    expect(parseGroupList('X25519MLKEM768:x25519:P-256:P-384')).toEqual([0x11ec, 29, 23, 24]);
    expect(parseSignatureSchemeList('ecdsa_secp256r1_sha256:RSA-PSS+SHA256:RSA+SHA256')).toEqual([
      0x0403, 0x0804, 0x0401,
    ]);
    expect(parseVersionList('TLSv1.3,TLSv1.2')).toEqual([0x0304, 0x0303]);
  });

  it('read pasted `openssl ciphers -V` byte pairs as one code each', () => {
    expect(parseCipherSuiteList('0x13,0x01 0xC0,0x2F')).toEqual([0x1301, 0xc02f]);
  });

  it('keep order, duplicates and GREASE', () => {
    expect(parseGroupList('GREASE(0x2a2a),x25519,x25519')).toEqual([0x2a2a, 29, 29]);
  });

  it('accept arrays of names and numbers', () => {
    expect(parseCipherSuiteList(['TLS_AES_256_GCM_SHA384', 0xc02b])).toEqual([0x1302, 0xc02b]);
  });

  it('tolerate leading, trailing and doubled separators', () => {
    expect(parseGroupList(' :x25519,, P-256: ')).toEqual([29, 23]);
  });

  it('name the first unknown item', () => {
    expect(() => parseCipherSuiteList('TLS_AES_128_GCM_SHA256:NOPE-CIPHER')).toThrow(/"NOPE-CIPHER"/);
  });
});

describe('names of codes', () => {
  test.prop([fc.integer({ min: 0, max: 0xffff })])('never throw, and read back to the same code', (code) => {
    for (const registry of TWO_BYTE) expect(registry.lookup(registry.name(code))).toBe(code);
  });

  test.prop([fc.integer({ min: 0, max: 0xff })])('one-byte registries read their names back too', (code) => {
    for (const registry of [alertRegistry, pskKeyExchangeModeRegistry])
      expect(registry.lookup(registry.name(code))).toBe(code);
  });

  it('print unknown codes with the registry width', () => {
    expect(cipherSuiteName(0x1337)).toBe('unknown(0x1337)');
    expect(groupName(0x0042)).toBe('unknown(0x0042)');
    expect(alertName(99)).toBe('unknown(0x63)');
  });

  it('never throw on values that are not codes', () => {
    expect(cipherSuiteName(-1)).toBe('unknown(-1)');
    expect(cipherSuiteName(0x10000)).toBe('unknown(65536)');
    expect(signatureSchemeName(Number.NaN)).toBe('unknown(NaN)');
    expect(extensionTypeName(1.5)).toBe('unknown(1.5)');
  });
});

describe('Registry', () => {
  it('refuses a table where one spelling names two codes', () => {
    expect(
      () =>
        new Registry(
          [
            { code: 1, name: 'a', aliases: ['x'] },
            { code: 2, name: 'X' },
          ],
          { what: 'thing', width: 1 },
        ),
    ).toThrow(/"x" names both X and a/);
  });

  it('refuses a table with a code twice', () => {
    expect(
      () =>
        new Registry(
          [
            { code: 1, name: 'a' },
            { code: 1, name: 'b' },
          ],
          { what: 'thing', width: 1 },
        ),
    ).toThrow(/code 0x01 appears twice/);
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('sha265', 'sha256')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('lists of names with spaces', () => {
  it('keep a spaced name whole when items are comma-separated', () => {
    expect(parseVersionList('TLS 1.3, TLS 1.2')).toEqual([0x0304, 0x0303]);
  });

  it('split on spaces inside a colon-separated item when it is not a name', () => {
    expect(parseCipherSuiteList('TLS_AES_128_GCM_SHA256:AES128-SHA AES256-SHA')).toEqual([
      0x1301, 0x002f, 0x0035,
    ]);
  });
});
