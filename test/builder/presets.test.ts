import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  clientHello,
  PRESET_NAMES,
  type PresetName,
  parsePresetName,
  preset,
  presetInfo,
} from '../../src/builder/index.ts';
import { ja3Full, ja4All } from '../../src/fingerprint/index.ts';
import { encodeClientHello, parseClientHello } from '../../src/handshake/client-hello.ts';
import type { ClientHello } from '../../src/handshake/types.ts';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'clients');
const capture = (file: string): ClientHello =>
  parseClientHello(new Uint8Array(readFileSync(join(fixtures, file))));

/** Build a preset the way the capture was made: SNI `hellokit.test` or none. */
function build(name: PresetName, sni: boolean, seed: string | number = 1): ClientHello {
  return parseClientHello(
    encodeClientHello(clientHello({ preset: name, serverName: sni ? 'hellokit.test' : null, seed })),
  );
}

const FIXED_ORDER = PRESET_NAMES.filter((n) => !presetInfo(n).options.permuteExtensions);

describe('presets reproduce their captures', () => {
  test('there is a preset for every captured client', () => {
    expect([...PRESET_NAMES].sort()).toEqual(
      [
        'chrome',
        'curl',
        'firefox',
        'gnutls',
        'go',
        'node',
        'openssl',
        'openssl-tls12',
        'python',
        'wget',
      ].sort(),
    );
  });

  for (const name of FIXED_ORDER) {
    for (const file of presetInfo(name).captures) {
      const sni = !file.includes('nosni');
      test(`${name} matches ${file}: all four JA4 forms and JA3`, () => {
        const built = build(name, sni);
        const captured = capture(file);
        expect(ja4All(built)).toEqual(ja4All(captured));
        expect(ja3Full(built)).toBe(ja3Full(captured));
      });

      test(`${name} matches ${file}: same bytes apart from random, session id and key shares`, () => {
        const built = build(name, sni);
        const captured = capture(file);
        expect(built.legacyVersion).toBe(captured.legacyVersion);
        expect(built.legacySessionId.length).toBe(captured.legacySessionId.length);
        expect(built.cipherSuites).toEqual(captured.cipherSuites);
        expect(built.legacyCompressionMethods).toEqual(captured.legacyCompressionMethods);
        expect(built.record).toEqual(captured.record);
        expect(built.extensions?.map((e) => e.type)).toEqual(captured.extensions?.map((e) => e.type));
        const random = new Set([51, 0xfe0d]);
        for (const [i, e] of (built.extensions ?? []).entries()) {
          const c = captured.extensions![i];
          expect(e.body.length, `extension ${e.type} length`).toBe(c.body.length);
          if (!random.has(e.type)) expect(e.body, `extension ${e.type}`).toEqual(c.body);
        }
        expect(encodeClientHello(built).length).toBe(encodeClientHello(captured).length);
      });
    }
  }

  for (const file of presetInfo('chrome').captures) {
    const sni = !file.includes('nosni');
    test(`chrome matches ${file}: sorted JA4 and JA4_r`, () => {
      for (const seed of [1, 2, 'x']) {
        const built = ja4All(build('chrome', sni, seed));
        const captured = ja4All(capture(file));
        expect(built.ja4).toBe(captured.ja4);
        expect(built.ja4_r).toBe(captured.ja4_r);
      }
    });
  }

  test('chrome permutes its extensions per seed, with GREASE first and last', () => {
    const orders = new Set<string>();
    for (let seed = 0; seed < 8; seed++) {
      const exts = build('chrome', true, seed).extensions!;
      expect(exts[0].body.length).toBe(0);
      expect(exts[0].type & 0x0f0f).toBe(0x0a0a);
      expect(exts.at(-1)!.type & 0x0f0f).toBe(0x0a0a);
      expect([...exts.at(-1)!.body]).toEqual([0]);
      orders.add(exts.map((e) => e.type).join());
    }
    expect(orders.size).toBeGreaterThan(4);
  });

  test('chrome GREASEs suites, groups, key share, versions and signature schemes as captured', () => {
    const hello = build('chrome', true);
    const ext = (t: number) => hello.extensions!.find((e) => e.type === t)!.body;
    const g = (v: number) => (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
    expect(g(hello.cipherSuites[0])).toBe(true);
    const groups = ext(10);
    const keyShare = ext(51);
    expect(g((groups[2] << 8) | groups[3])).toBe(true);
    // The GREASE key share uses the groups' GREASE value and a one-byte body.
    expect([...keyShare.subarray(2, 7)]).toEqual([groups[2], groups[3], 0, 1, 0]);
    expect(g((ext(43)[1] << 8) | ext(43)[2])).toBe(true);
    expect(g((ext(13)[2] << 8) | ext(13)[3])).toBe(true);
  });

  test('chrome ECH GREASE has BoringSSL sizes: X25519 enc, AES-128-GCM, 144–240-byte payload', () => {
    const sizes = new Set<number>();
    for (let seed = 0; seed < 24; seed++) {
      const ech = build('chrome', true, seed).extensions!.find((e) => e.type === 0xfe0d)!.body;
      expect([...ech.subarray(0, 5)]).toEqual([0, 0, 1, 0, 1]);
      expect((ech[6] << 8) | ech[7]).toBe(32);
      const payload = (ech[40] << 8) | ech[41];
      expect([144, 176, 208, 240]).toContain(payload);
      expect(ech.length).toBe(42 + payload);
      sizes.add(payload);
    }
    expect(sizes.size).toBeGreaterThan(1);
  });

  test('overrides win over the preset', () => {
    const hello = clientHello({
      preset: 'firefox',
      alpn: ['http/1.1'],
      cipherSuites: ['TLS_AES_128_GCM_SHA256'],
      seed: 3,
    });
    expect(hello.cipherSuites).toEqual([0x1301]);
    const alpn = hello.extensions!.find((e) => e.type === 16)!.body;
    expect(new TextDecoder().decode(alpn.subarray(3))).toBe('http/1.1');
  });

  test('preset(name) returns options that build the same hello as { preset: name }', () => {
    const a = encodeClientHello(clientHello({ ...preset('curl'), serverName: 'a.test', seed: 9 }));
    const b = encodeClientHello(clientHello({ preset: 'curl', serverName: 'a.test', seed: 9 }));
    expect(a).toEqual(b);
  });

  test('an unknown preset is a TypeError listing the presets', () => {
    expect(() => parsePresetName('netscape')).toThrow(/unknown preset "netscape"; presets: chrome, firefox/);
  });

  test('parsePresetName reads a typed name case-insensitively and through its aliases', () => {
    expect(parsePresetName('Chromium')).toBe('chrome');
    expect(parsePresetName('GOLANG')).toBe('go');
    expect(parsePresetName('openssl-tls12')).toBe('openssl-tls12');
    expect(() => parsePresetName('toString')).toThrow(TypeError);
  });

  test('an alias builds the hello of the preset it names', () => {
    expect(preset('chromium')).toEqual(preset('chrome'));
  });
});
