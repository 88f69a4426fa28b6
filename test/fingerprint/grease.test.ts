import { describe, expect, test } from 'vitest';
import { GREASE_VALUES, isGrease, withoutGrease } from '../../src/fingerprint/index.ts';

describe('GREASE', () => {
  test('is exactly the sixteen RFC 8701 values', () => {
    const all: number[] = [];
    for (let v = 0; v <= 0xffff; v++) if (isGrease(v)) all.push(v);
    expect(all).toEqual([...GREASE_VALUES]);
    expect(all).toEqual(Array.from({ length: 16 }, (_, i) => ((i << 4) | 0x0a) * 0x0101));
  });

  test('rejects 0x?a?a values with unequal bytes', () => {
    expect(isGrease(0x0a1a)).toBe(false);
    expect(isGrease(0x1a0a)).toBe(false);
    expect(isGrease(0xfa0a)).toBe(false);
  });

  test('withoutGrease keeps order and everything else', () => {
    expect(withoutGrease([0x0a0a, 0x1301, 0x0a1a, 0xfafa, 0x00ff])).toEqual([0x1301, 0x0a1a, 0x00ff]);
  });
});
