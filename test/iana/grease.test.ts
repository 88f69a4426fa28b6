import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  cipherSuiteName,
  extensionTypeName,
  GREASE_BYTES,
  GREASE_VALUES,
  greaseByteFromSeed,
  greaseFromSeed,
  greaseName,
  groupName,
  isGrease,
  isGreaseAlpn,
  isGreaseByte,
  lookupCipherSuite,
  pskKeyExchangeModeName,
  signatureSchemeName,
  versionName,
} from '../../src/iana/index.ts';

describe('GREASE (RFC 8701)', () => {
  it('reserves exactly sixteen two-byte values, 0x0A0A to 0xFAFA', () => {
    expect(GREASE_VALUES).toEqual([
      0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba, 0xcaca,
      0xdada, 0xeaea, 0xfafa,
    ]);
  });

  it('isGrease matches those sixteen and no other two-byte value', () => {
    const matches: number[] = [];
    for (let v = 0; v <= 0xffff; v++) if (isGrease(v)) matches.push(v);
    expect(matches).toEqual([...GREASE_VALUES]);
  });

  it('isGrease rejects near misses: unequal bytes, wrong nibble, out of range', () => {
    for (const v of [0x0a1a, 0x1a0a, 0x0a0b, 0x0b0b, 0x0aaa, 0xa0a0, 0x0a, 0x10a0a, -0x0a0a, 2570.5]) {
      expect(isGrease(v)).toBe(false);
    }
  });

  it('reserves the eight one-byte values 0x0B + 0x1F·n for psk_key_exchange_modes', () => {
    expect(GREASE_BYTES).toEqual([0x0b, 0x2a, 0x49, 0x68, 0x87, 0xa6, 0xc5, 0xe4]);
    const matches: number[] = [];
    for (let v = 0; v <= 0xff; v++) if (isGreaseByte(v)) matches.push(v);
    expect(matches).toEqual([...GREASE_BYTES]);
  });

  test.prop([fc.integer({ min: 0, max: 255 })])('a seed byte always selects a GREASE value', (seed) => {
    expect(isGrease(greaseFromSeed(seed))).toBe(true);
    expect(isGreaseByte(greaseByteFromSeed(seed))).toBe(true);
  });

  it('selects the value from the high nibble of the seed, as BoringSSL does', () => {
    expect(greaseFromSeed(0x37)).toBe(0x3a3a);
    expect(greaseFromSeed(0x00)).toBe(0x0a0a);
    expect(greaseFromSeed(0xff)).toBe(0xfafa);
  });

  it('recognises the two-byte GREASE ALPN ids only', () => {
    expect(isGreaseAlpn(new Uint8Array([0x5a, 0x5a]))).toBe(true);
    expect(isGreaseAlpn('\x7a\x7a')).toBe(true);
    expect(isGreaseAlpn('h2')).toBe(false);
    expect(isGreaseAlpn(new Uint8Array([0x5a, 0x5a, 0x5a]))).toBe(false);
  });

  it('prints GREASE values as GREASE(0x…) in every two-byte registry', () => {
    expect(greaseName(0x0a0a)).toBe('GREASE(0x0a0a)');
    expect(cipherSuiteName(0x0a0a)).toBe('GREASE(0x0a0a)');
    expect(groupName(0xfafa)).toBe('GREASE(0xfafa)');
    expect(signatureSchemeName(0x2a2a)).toBe('GREASE(0x2a2a)');
    expect(extensionTypeName(0xdada)).toBe('GREASE(0xdada)');
    expect(versionName(0x7a7a)).toBe('GREASE(0x7a7a)');
    expect(pskKeyExchangeModeName(0x2a)).toBe('GREASE(0x2a)');
  });

  it('prints a near miss as unknown, not GREASE', () => {
    expect(cipherSuiteName(0x0a1a)).toBe('unknown(0x0a1a)');
    expect(pskKeyExchangeModeName(0x2b)).toBe('unknown(0x2b)');
  });

  it('reads a printed GREASE name back to its value', () => {
    expect(lookupCipherSuite('GREASE(0x0a0a)')).toBe(0x0a0a);
    expect(lookupCipherSuite('grease(0XBABA)')).toBe(0xbaba);
  });
});
