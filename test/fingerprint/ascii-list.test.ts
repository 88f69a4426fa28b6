import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsciiText, U16List } from '../../src/fingerprint/ascii-list.ts';

function listOf(values: readonly number[]): U16List {
  const list = new U16List();
  list.reset(values.length);
  for (const v of values) list.push(v);
  return list;
}

function sorted(values: readonly number[]): number[] {
  const into = new U16List();
  listOf(values).sortedInto(into);
  return Array.from(into.values.subarray(0, into.length));
}

const numerically = (values: readonly number[]) => [...values].sort((a, b) => a - b);

describe('U16List.sortedInto', () => {
  it('sorts values at the ends of the bitmap words (bit 31 and bit 0) and at 0 and 0xffff', () => {
    const values = [0xffff, 0x001f, 0x0020, 0, 0xc03f, 0x1301, 0xc040, 0x003f];
    expect(sorted(values)).toEqual(numerically(values));
  });

  it('keeps a repeated value twice', () => {
    expect(sorted([0x1302, 0x002f, 0x1302, 0x0035])).toEqual([0x002f, 0x0035, 0x1302, 0x1302]);
  });

  it('leaves nothing behind for the next list after a repeated value', () => {
    sorted([5, 7, 5]);
    expect(sorted([8, 6])).toEqual([6, 8]);
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 })])(
    'gives the numeric order of any list, short or long, with or without repeats',
    (values) => {
      expect(sorted(values)).toEqual(numerically(values));
    },
  );

  test.prop([fc.array(fc.integer({ min: 0, max: 0x7f }), { maxLength: 64 })])(
    'gives the numeric order of short lists crowded into a few words',
    (values) => {
      expect(sorted(values)).toEqual(numerically(values));
      expect(sorted(values)).toEqual(numerically(values));
    },
  );
});

describe('AsciiText', () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 300 })])(
    'writes a list as four hex digits a value, comma-separated',
    (values) => {
      const text = new AsciiText();
      text.reset(5 * values.length);
      text.hexList(Uint16Array.from(values), values.length, 0x2c);
      expect(text.text()).toBe(values.map((v) => v.toString(16).padStart(4, '0')).join(','));
    },
  );

  test.prop([fc.array(fc.integer({ min: 0, max: 0x7fffffff }), { maxLength: 50 })])(
    'writes decimal numbers as String does',
    (values) => {
      const text = new AsciiText();
      text.reset(11 * values.length);
      for (const v of values) text.decimal(v);
      expect(text.text()).toBe(values.join(''));
    },
  );

  it('grows past its first buffer and keeps writing hex in place', () => {
    const values = Uint16Array.from({ length: 1000 }, (_, i) => i * 61);
    const text = new AsciiText();
    text.reset(5 * values.length);
    text.hexList(values, values.length, 0x2d);
    expect(text.text()).toBe(Array.from(values, (v) => v.toString(16).padStart(4, '0')).join('-'));
  });
});
