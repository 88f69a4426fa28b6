/**
 * Real ClientHellos from the JA4 conformance captures (FoxIO-LLC/ja4 test data), with
 * the JA4 forms the reference tool computed and the JA3 tshark 4.0 computed for them.
 * Regenerate with `node scripts/fingerprint/extract-ja4-fixtures.mjs`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fromHex } from '../../src/bytes/hex.ts';
import { ja3, ja3Full, ja4, ja4All } from '../../src/fingerprint/index.ts';
import { splitClientHello } from './hello-splitter.ts';

interface Fixture {
  capture: string;
  stream: number;
  index: number;
  domain: string | null;
  ja4: string;
  ja4_r: string;
  ja4_o: string;
  ja4_ro: string;
  ja3: string | null;
  ja3Full: string | null;
  hello: string;
}

const fixtures: Fixture[] = JSON.parse(
  readFileSync(new URL('./data/ja4-conformance.json', import.meta.url), 'utf8'),
);
const named = (f: Fixture) => `${f.capture} stream ${f.stream} hello ${f.index} (${f.domain})`;
const NON_ASCII_ALPN = 'tls-non-ascii-alpn.pcapng';

describe('JA4 of real ClientHellos matches the reference tool', () => {
  test('the fixture set is not empty and holds the non-ASCII ALPN case', () => {
    expect(fixtures.length).toBeGreaterThan(10);
    expect(fixtures.some((f) => f.capture === NON_ASCII_ALPN)).toBe(true);
  });

  for (const f of fixtures.filter((f) => f.capture !== NON_ASCII_ALPN)) {
    test(`${named(f)}: JA4, JA4_r, JA4_o, JA4_ro under either ALPN rule`, () => {
      const h = splitClientHello(fromHex(f.hello));
      const expected = { ja4: f.ja4, ja4_r: f.ja4_r, ja4_o: f.ja4_o, ja4_ro: f.ja4_ro };
      expect(ja4All(h)).toEqual(expected);
      expect(ja4All(h, { alpnRule: 'reference' })).toEqual(expected);
    });
  }

  test("non-ASCII first ALPN value: the 'reference' rule reproduces the reference output (99)", () => {
    const f = fixtures.find((f) => f.capture === NON_ASCII_ALPN)!;
    const h = splitClientHello(fromHex(f.hello));
    expect(ja4All(h, { alpnRule: 'reference' })).toEqual({
      ja4: f.ja4,
      ja4_r: f.ja4_r,
      ja4_o: f.ja4_o,
      ja4_ro: f.ja4_ro,
    });
  });

  test("non-ASCII first ALPN value: the default 'spec' rule differs from the reference only in the ALPN characters", () => {
    const f = fixtures.find((f) => f.capture === NON_ASCII_ALPN)!;
    const h = splitClientHello(fromHex(f.hello));
    const spec = ja4All(h);
    for (const form of ['ja4', 'ja4_r', 'ja4_o', 'ja4_ro'] as const) {
      expect(spec[form].slice(0, 8)).toBe(f[form].slice(0, 8));
      expect(spec[form].slice(10)).toBe(f[form].slice(10));
    }
    expect(f.ja4.slice(8, 10)).toBe('99');
    // The first value is the two bytes 0xba 0xad: hex 'baad' gives 'b' and 'd'.
    expect(spec.ja4.slice(8, 10)).toBe('bd');
    expect(ja4(h, { alpnRule: 'spec' })).toBe(spec.ja4);
  });
});

describe('JA3 of real ClientHellos matches tshark', () => {
  for (const f of fixtures) {
    test(`${named(f)}: ja3 and ja3_full`, () => {
      const h = splitClientHello(fromHex(f.hello));
      if (f.ja3Full !== null) expect(ja3Full(h)).toBe(f.ja3Full);
      expect(ja3(h)).toBe(f.ja3);
    });
  }
});
