import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { ja4, ja4_o, ja4_r, ja4_ro, ja4All } from '../../src/fingerprint/index.ts';
import { alpn, ext, groups, hello, sigalgs, sni, versions } from './build.ts';

// The worked example of FoxIO's JA4 specification (technical_details/JA4.md): Chrome.
const SPEC_CIPHERS = [
  0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d,
  0x002f, 0x0035,
];
const SPEC_SIGALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];
const SPEC_EXTENSION_ORDER = [
  0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01,
  0x000b, 0x000a, 0x0015,
];

function specExample(options: { grease?: boolean; sigalgs?: boolean } = {}) {
  const extensions = SPEC_EXTENSION_ORDER.map((type) => {
    if (type === 0x0000) return sni('example.com');
    if (type === 0x0010) return alpn('h2', 'http/1.1');
    if (type === 0x000d) return sigalgs(...SPEC_SIGALGS);
    if (type === 0x002b) return versions(...(options.grease ? [0x7a7a] : []), 0x0304, 0x0303);
    if (type === 0x000a) return groups(0x001d, 0x0017, 0x0018);
    return ext(type);
  });
  const withSigalgs = options.sigalgs === false ? extensions.filter((e) => e.type !== 0x000d) : extensions;
  return hello({
    legacyVersion: 0x0303,
    cipherSuites: options.grease ? [0x0a0a, ...SPEC_CIPHERS] : SPEC_CIPHERS,
    extensions: options.grease ? [ext(0x1a1a), ...withSigalgs, ext(0xfafa, [0])] : withSigalgs,
  });
}

describe('JA4 of the specification example', () => {
  test('gives the JA4 the specification shows', () => {
    expect(ja4(specExample())).toBe('t13d1516h2_8daaf6152771_e5627efa2ab1');
  });

  test('gives the JA4_r the specification shows', () => {
    expect(ja4_r(specExample())).toBe(
      't13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601',
    );
  });

  test('keeps SNI and ALPN in the original-order forms, as the specification shows', () => {
    expect(ja4_ro(specExample())).toBe(
      't13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035_001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015_0403,0804,0401,0503,0805,0501,0806,0601',
    );
    expect(ja4_o(specExample())).toBe('t13d1516h2_acb858a92679_18f69afefd3d');
  });

  test('ja4All returns the four forms of the single-form functions', () => {
    const h = specExample();
    expect(ja4All(h)).toEqual({ ja4: ja4(h), ja4_r: ja4_r(h), ja4_o: ja4_o(h), ja4_ro: ja4_ro(h) });
  });

  test('ignores GREASE in ciphers, extensions and supported_versions', () => {
    expect(ja4All(specExample({ grease: true }))).toEqual(ja4All(specExample()));
  });
});

describe('JA4 part a', () => {
  test('protocol is t for TCP (the default), q for QUIC and d for DTLS', () => {
    const h = specExample();
    expect(ja4(h, { transport: 'tcp' })).toBe(ja4(h));
    expect(ja4(h, { transport: 'quic' })).toBe('q13d1516h2_8daaf6152771_e5627efa2ab1');
    expect(ja4(h, { transport: 'dtls' }).slice(0, 1)).toBe('d');
  });

  test('rejects an unknown transport', () => {
    expect(() => ja4(specExample(), { transport: 'udp' as 'tcp' })).toThrow(TypeError);
  });

  test('version is the highest non-GREASE supported_versions value', () => {
    const h = hello({ legacyVersion: 0x0301, extensions: [versions(0xeaea, 0x0303, 0x0304, 0x0302)] });
    expect(ja4(h).slice(1, 3)).toBe('13');
  });

  test('a GREASE value numerically above every version is not taken as the version', () => {
    const h = hello({ legacyVersion: 0x0303, extensions: [versions(0xfafa, 0x0303)] });
    expect(ja4(h).slice(1, 3)).toBe('12');
  });

  test('version falls back to legacy_version without supported_versions', () => {
    const codes: [number, string][] = [
      [0x0304, '13'],
      [0x0303, '12'],
      [0x0302, '11'],
      [0x0301, '10'],
      [0x0300, 's3'],
      [0x0002, 's2'],
      [0x0200, 's2'],
      [0x0100, 's1'],
      [0x1234, '00'],
    ];
    for (const [legacyVersion, code] of codes) {
      expect(ja4(hello({ legacyVersion })).slice(1, 3), legacyVersion.toString(16)).toBe(code);
    }
  });

  test('version falls back to legacy_version when supported_versions lists only GREASE', () => {
    expect(ja4(hello({ legacyVersion: 0x0303, extensions: [versions(0x3a3a)] })).slice(1, 3)).toBe('12');
  });

  test('DTLS versions are d1, d2, d3 and the newest offered DTLS version wins', () => {
    const dtls = { transport: 'dtls' } as const;
    expect(ja4(hello({ legacyVersion: 0xfeff }), dtls).slice(0, 3)).toBe('dd1');
    expect(ja4(hello({ legacyVersion: 0xfefd }), dtls).slice(0, 3)).toBe('dd2');
    const dtls13 = hello({ legacyVersion: 0xfefd, extensions: [versions(0x2a2a, 0xfefc, 0xfefd)] });
    expect(ja4(dtls13, dtls).slice(0, 3)).toBe('dd3');
  });

  test('SNI flag is d when server_name is present, even with an empty body', () => {
    expect(ja4(hello({ extensions: [sni('a.example')] })).charAt(3)).toBe('d');
    expect(ja4(hello({ extensions: [ext(0x0000)] })).charAt(3)).toBe('d');
    expect(ja4(hello({ extensions: [] })).charAt(3)).toBe('i');
  });

  test('cipher and extension counts exclude GREASE and are two digits', () => {
    const h = hello({
      cipherSuites: [0x0a0a, 0x1301, 0x00ff],
      extensions: [ext(0x2a2a), sni('x'), ext(0xff01)],
    });
    expect(ja4(h).slice(4, 8)).toBe('0202');
  });

  test('counts are capped at 99 (more than 99 cipher suites and extensions)', () => {
    const ciphers = Array.from({ length: 150 }, (_, i) => 0x0100 + i);
    const extensions = Array.from({ length: 120 }, (_, i) => ext(0x1000 + i));
    expect(ja4(hello({ cipherSuites: ciphers, extensions })).slice(4, 8)).toBe('9999');
    // The lists themselves are not truncated.
    expect(
      ja4_r(hello({ cipherSuites: ciphers, extensions }))
        .split('_')[1]
        .split(','),
    ).toHaveLength(150);
  });

  test('extension count includes SNI and ALPN', () => {
    expect(ja4(hello({ extensions: [sni('x'), alpn('h2')] })).slice(6, 8)).toBe('02');
  });

  test('ALPN is the first and last character of the first value', () => {
    expect(ja4(hello({ extensions: [alpn('http/1.1', 'h2')] })).slice(8, 10)).toBe('h1');
    expect(ja4(hello({ extensions: [alpn('h2')] })).slice(8, 10)).toBe('h2');
  });

  test('a single-character ALPN value is both first and last character', () => {
    expect(ja4(hello({ extensions: [alpn('x')] })).slice(8, 10)).toBe('xx');
  });

  test('ALPN is 00 with no ALPN extension, an empty list, or an empty first value', () => {
    expect(ja4(hello({ extensions: [] })).slice(8, 10)).toBe('00');
    expect(ja4(hello({ extensions: [alpn()] })).slice(8, 10)).toBe('00');
    expect(ja4(hello({ extensions: [ext(0x0010)] })).slice(8, 10)).toBe('00');
    expect(ja4(hello({ extensions: [alpn('', 'h2')] })).slice(8, 10)).toBe('00');
  });

  test("non-alphanumeric ALPN, 'spec' rule: first and last hex digit of the value (spec examples)", () => {
    const cases: [number[], string][] = [
      [[0xab], 'ab'],
      [[0xab, 0xcd], 'ad'],
      [[0x30, 0xab], '3b'],
      [[0x30, 0x31, 0xab, 0xcd], '3d'],
      [[0x30, 0xab, 0xcd, 0x31], '01'],
      [[0x68, 0x33, 0x2d], '6d'], // 'h3-': an ASCII but non-alphanumeric last byte
    ];
    for (const [bytes, chars] of cases) {
      const h = hello({ extensions: [alpn(bytes)] });
      expect(ja4(h).slice(8, 10), bytes.join(' ')).toBe(chars);
      expect(ja4(h, { alpnRule: 'spec' }).slice(8, 10)).toBe(chars);
    }
  });

  test("non-alphanumeric ALPN, 'reference' rule: 99 for a non-ASCII first byte, else the characters", () => {
    const cases: [number[], string][] = [
      [[0xab], '99'],
      [[0xab, 0xcd], '99'],
      [[0xc3, 0x30], '99'],
      [[0x30, 0xab], '09'],
      [[0x30, 0xab, 0xcd, 0x31], '01'],
      [[0x68, 0x33, 0x2d], 'h-'],
      [[0x68, 0x00], 'h9'],
    ];
    for (const [bytes, chars] of cases) {
      const h = hello({ extensions: [alpn(bytes)] });
      expect(ja4(h, { alpnRule: 'reference' }).slice(8, 10), bytes.join(' ')).toBe(chars);
    }
  });

  test('both ALPN rules agree on alphanumeric values', () => {
    for (const name of ['h2', 'http/1.1', 'x', 'spdy/3.1', 'h3']) {
      const h = hello({ extensions: [alpn(name)] });
      expect(ja4(h, { alpnRule: 'reference' })).toBe(ja4(h, { alpnRule: 'spec' }));
    }
  });

  test('rejects an unknown ALPN rule', () => {
    expect(() => ja4(specExample(), { alpnRule: 'loose' as 'spec' })).toThrow(TypeError);
  });
});

describe('JA4 parts b and c', () => {
  test('no ciphers: part b is twelve zeros and the raw list is empty', () => {
    const h = hello({ cipherSuites: [], extensions: [ext(0x0017)] });
    expect(ja4(h)).toMatch(/^t12i0001.._000000000000_/);
    expect(ja4_o(h).split('_')[1]).toBe('000000000000');
    expect(ja4_r(h).split('_')[1]).toBe('');
  });

  test('only GREASE ciphers count as no ciphers', () => {
    expect(ja4(hello({ cipherSuites: [0x0a0a, 0xdada] })).split('_')[1]).toBe('000000000000');
  });

  test('no extensions: part c is twelve zeros, whether the block is absent or empty', () => {
    for (const extensions of [null, []]) {
      const h = hello({ cipherSuites: [0x002f], extensions });
      expect(ja4(h)).toMatch(/^t12i010000_[0-9a-f]{12}_000000000000$/);
      expect(ja4_o(h)).toMatch(/^t12i010000_[0-9a-f]{12}_000000000000$/);
      expect(ja4_r(h)).toBe('t12i010000_002f_');
    }
  });

  test('SNI and ALPN only: part c is zeros in every order, the raw forms still list them', () => {
    const h = hello({ cipherSuites: [0x002f], extensions: [sni('a'), alpn('h2')] });
    expect(ja4(h).split('_')[2]).toBe('000000000000');
    expect(ja4_o(h).split('_')[2]).toBe('000000000000');
    expect(ja4_r(h)).toBe('t12d0102h2_002f_');
    expect(ja4_ro(h)).toBe('t12d0102h2_002f_0000,0010');
  });

  test('no signature algorithms: the extension list ends without an underscore (spec example)', () => {
    const h = specExample({ sigalgs: false });
    expect(ja4_r(h).split('_').slice(2).join('_')).toBe(
      '0005,000a,000b,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01',
    );
  });

  test('an empty signature_algorithms list also ends the extension list without an underscore', () => {
    const h = hello({ cipherSuites: SPEC_CIPHERS, extensions: [ext(0x000d, [0, 0])] });
    expect(ja4_r(h).endsWith('_000d')).toBe(true);
  });

  test('the no-signature-algorithm list hashes as the specification shows', () => {
    const types = [
      0x0005, 0x000a, 0x000b, 0x000d, 0x0012, 0x0015, 0x0017, 0x001b, 0x0023, 0x002b, 0x002d, 0x0033,
    ];
    const h = hello({
      cipherSuites: SPEC_CIPHERS,
      extensions: [...types, 0x4469, 0xff01].map((t) => ext(t)),
    });
    expect(ja4(h).split('_')[2]).toBe('6d807ffa2a79');
  });

  test('signature algorithms keep their wire order and lose GREASE', () => {
    const h = hello({ extensions: [sigalgs(0x0806, 0x0a0a, 0x0403)] });
    expect(ja4_r(h)).toBe('t12i010100_1301_000d_0806,0403');
  });

  test('extension lists are sorted as hex for JA4 and kept in wire order for JA4_o', () => {
    const h = hello({ extensions: [ext(0xff01), ext(0x0017), ext(0x000a, [0, 0])] });
    expect(ja4_r(h).split('_')[2]).toBe('000a,0017,ff01');
    expect(ja4_ro(h).split('_')[2]).toBe('ff01,0017,000a');
  });

  test('only the first signature_algorithms extension is read', () => {
    const h = hello({ extensions: [sigalgs(0x0403), sigalgs(0x0804)] });
    expect(ja4_r(h).split('_')[3]).toBe('0403');
  });
});

describe('JA4 on malformed extension bodies', () => {
  test('an ALPN list length that overshoots its body is read up to the end', () => {
    const h = hello({ extensions: [ext(0x0010, [0x00, 0x20, 0x02, 0x68, 0x32])] });
    expect(ja4(h).slice(8, 10)).toBe('h2');
  });

  test('a supported_versions body with an odd byte left over still gives the version', () => {
    const h = hello({
      legacyVersion: 0x0303,
      extensions: [ext(0x002b, [0x05, 0x03, 0x04, 0x03, 0x03, 0x03])],
    });
    expect(ja4(h).slice(1, 3)).toBe('13');
  });

  propTest.prop([
    fc.array(
      fc.record({ type: fc.integer({ min: 0, max: 0xffff }), body: fc.uint8Array({ maxLength: 40 }) }),
      {
        maxLength: 12,
      },
    ),
    fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 130 }),
    fc.constantFrom(0x0000, 0x0010, 0x000d, 0x002b),
    fc.uint8Array({ maxLength: 40 }),
  ])(
    'never throws and always has the a_b_c shape, whatever the bodies',
    (extensions, cipherSuites, type, body) => {
      const h = hello({ cipherSuites, extensions: [...extensions, { type, body }] });
      for (const alpnRule of ['spec', 'reference'] as const) {
        const all = ja4All(h, { alpnRule });
        expect(all.ja4).toMatch(
          /^t(1[0-3]|s[1-3]|d[1-3]|00)[di]\d{4}[\x21-\x7e]{2}_[0-9a-f]{12}_[0-9a-f]{12}$/,
        );
        expect(all.ja4_o.slice(0, 10)).toBe(all.ja4.slice(0, 10));
      }
    },
  );
});
