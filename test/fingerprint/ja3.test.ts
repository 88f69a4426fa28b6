import { describe, expect, test } from 'vitest';
import { ja3, ja3Full, ja3s, ja3sFull } from '../../src/fingerprint/index.ts';
import { alpn, ext, groups, hello, pointFormats, sni } from './build.ts';

describe('JA3', () => {
  test('is SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats in decimal', () => {
    const h = hello({
      legacyVersion: 0x0303,
      cipherSuites: [0x1301, 0xc02b],
      extensions: [sni('a.example'), groups(0x001d, 0x0017), pointFormats(0), alpn('h2')],
    });
    expect(ja3Full(h)).toBe('771,4865-49195,0-10-11-16,29-23,0');
  });

  test('is the MD5 of the JA3 string', () => {
    // md5('769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0'), the
    // example from the JA3 README.
    const h = hello({
      legacyVersion: 769,
      cipherSuites: [47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4],
      extensions: [ext(0), groups(23, 24, 25), pointFormats(0)],
    });
    expect(ja3Full(h)).toBe('769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0');
    expect(ja3(h)).toBe('ada70206e40642a3e4461f35503241d5');
  });

  test('drops GREASE from ciphers, extensions and curves', () => {
    const h = hello({
      cipherSuites: [0x6a6a, 0x1301],
      extensions: [ext(0x8a8a), groups(0xaaaa, 0x001d), ext(0xbaba, [0])],
    });
    expect(ja3Full(h)).toBe('771,4865,10,29,');
  });

  test('keeps values that look like GREASE but are not one of the sixteen', () => {
    const h = hello({ cipherSuites: [0x0a1a, 0x1a0a], extensions: [ext(0x0a0b)] });
    expect(ja3Full(h)).toBe('771,2586-6666,2571,,');
  });

  test('no extensions: three empty fields, whether the block is absent or empty', () => {
    expect(ja3Full(hello({ cipherSuites: [0x002f], extensions: null }))).toBe('771,47,,,');
    expect(ja3Full(hello({ cipherSuites: [0x002f], extensions: [] }))).toBe('771,47,,,');
  });

  test('no ciphers: an empty field', () => {
    expect(ja3Full(hello({ cipherSuites: [], extensions: [] }))).toBe('771,,,,');
  });

  test('the version is legacy_version, not supported_versions', () => {
    const h = hello({ legacyVersion: 0x0303, extensions: [ext(0x002b, [2, 3, 4])] });
    expect(ja3Full(h).split(',')[0]).toBe('771');
  });

  test('the last supported_groups / ec_point_formats extension counts, as in the reference', () => {
    const h = hello({ extensions: [groups(23), pointFormats(0), groups(29), pointFormats(1, 2)] });
    expect(ja3Full(h)).toBe('771,4865,10-11-10-11,29,1-2');
  });

  test('reads curve lists whose length overshoots the body', () => {
    const h = hello({ extensions: [ext(0x000a, [0x00, 0x10, 0x00, 0x1d, 0x00])] });
    expect(ja3Full(h)).toBe('771,4865,10,29,');
  });

  test('rejects something that is not a hello', () => {
    expect(() => ja3(null as never)).toThrow(TypeError);
  });
});

describe('JA3S', () => {
  test('is SSLVersion,Cipher,Extensions in decimal', () => {
    const sh = {
      legacyVersion: 0x0303,
      cipherSuite: 0xc02f,
      extensions: [{ type: 0xff01 }, { type: 0x000b }],
    };
    expect(ja3sFull(sh)).toBe('771,49199,65281-11');
  });

  test('is the MD5 of the JA3S string', () => {
    const sh = { legacyVersion: 769, cipherSuite: 47, extensions: [{ type: 65281 }] };
    expect(ja3sFull(sh)).toBe('769,47,65281');
    // md5('769,47,65281')
    expect(ja3s(sh)).toBe('4192c0a946c5bd9b544b4656d9f624a4');
  });

  test('no extensions: an empty last field', () => {
    expect(ja3sFull({ legacyVersion: 0x0303, cipherSuite: 0x1301, extensions: null })).toBe('771,4865,');
  });

  test('keeps GREASE in the extension list, as the reference ja3s does', () => {
    const sh = { legacyVersion: 0x0303, cipherSuite: 0x1301, extensions: [{ type: 0x0a0a }, { type: 43 }] };
    expect(ja3sFull(sh)).toBe('771,4865,2570-43');
  });

  test('accepts a ServerHello with extension bodies', () => {
    const sh = { legacyVersion: 0x0303, cipherSuite: 0x1301, extensions: [ext(43, [3, 4])] };
    expect(ja3sFull(sh)).toBe('771,4865,43');
  });
});
