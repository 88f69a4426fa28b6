/** QUIC variable-length integers (RFC 9000 §16) on Reader and Writer, the one varint hellokit has. */
import { fc, test as prop } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { Reader, traceReads } from '../../src/bytes/reader.ts';
import { varintLength, Writer } from '../../src/bytes/writer.ts';
import { encodeVarint, readVarint } from '../../src/quic/varint.ts';
import { decodeErrorOf } from '../extensions/helpers.ts';

const read = (hex: string) => new Reader(fromHex(hex)).varint('v');
const write = (value: number, width?: 1 | 2 | 4 | 8) =>
  toHex(new Writer().varint(value, 'v', width).finish());

describe('the four forms at their boundaries', () => {
  // [value, shortest encoding]: the smallest and largest value of each length.
  const cases: [number, string][] = [
    [0, '00'],
    [63, '3f'],
    [64, '4040'],
    [16383, '7fff'],
    [16384, '80004000'],
    [2 ** 30 - 1, 'bfffffff'],
    [2 ** 30, 'c000000040000000'],
    [Number.MAX_SAFE_INTEGER, 'c01fffffffffffff'],
  ];
  for (const [value, hex] of cases) {
    test(`${value} is written as ${hex} and read back`, () => {
      expect(write(value)).toBe(hex);
      expect(varintLength(value)).toBe(hex.length / 2);
      const r = new Reader(fromHex(hex));
      expect(r.varint('v')).toBe(value);
      expect(r.atEnd).toBe(true);
    });
  }

  test('the examples of RFC 9000 Appendix A.1 read as the RFC says', () => {
    expect(read('9d7f3e7d')).toBe(494878333);
    expect(read('7bbd')).toBe(15293);
    expect(read('25')).toBe(37);
    // 151288809941952652 is above 2^53: the number is the nearest double, the bytes stay in `data`.
    expect(read('c2197c5eff14e88c')).toBe(Number(151288809941952652n));
  });
});

describe('non-minimal encodings', () => {
  test('are accepted on read: 37 in 2, 4 and 8 bytes (RFC 9000 A.1 gives 40 25)', () => {
    expect(read('4025')).toBe(37);
    expect(read('80000025')).toBe(37);
    expect(read('c000000000000025')).toBe(37);
  });

  test('are written when a width is asked for (a packet Length in 2 bytes, as RFC 9001 A.2)', () => {
    expect(write(37, 2)).toBe('4025');
    expect(write(0, 8)).toBe('c000000000000000');
    expect(write(1182, 2)).toBe('449e');
  });

  test('a width too small for the value is a RangeError naming the field', () => {
    expect(() => write(64, 1)).toThrow(new RangeError('"v" 64 does not fit a 1-byte varint'));
    expect(() => new Writer().varint(5, 'length', 3 as 2)).toThrow(RangeError);
  });
});

describe('bad values and truncated input', () => {
  test('negative, fractional and unsafe values are RangeErrors', () => {
    for (const bad of [-1, 1.5, 2 ** 53, Number.NaN])
      expect(() => new Writer().varint(bad, 'offset')).toThrow(
        /"offset" expected a safe non-negative integer/,
      );
  });

  test('a varint cut short is a truncated DecodeError at the varint start, naming the field', () => {
    const r = new Reader(fromHex('0180 00'), { path: ['frames'], baseOffset: 100 });
    r.u8('frame_type');
    const e = decodeErrorOf(() => r.varint('offset'));
    expect(e.code).toBe('truncated');
    expect(e.offset).toBe(101);
    expect(e.path).toBe('frames.offset');
    expect(e.detail).toBe('needs 4 bytes for a 4-byte varint, 2 left');
    expect(r.pos).toBe(1);
  });

  test('an empty input has no varint', () => {
    const e = decodeErrorOf(() => new Reader(new Uint8Array(0)).varint('length'));
    expect([e.code, e.offset, e.path]).toEqual(['truncated', 0, 'length']);
    expect(e.detail).toBe('needs 1 byte for a varint, 0 left');
  });

  test('a sub-reader stops a varint at its window, not at the end of the input', () => {
    const r = new Reader(fromHex('01 c0 00000000000025'));
    const window = r.vector(1, 'body');
    expect(() => window.varint('id')).toThrow(/needs 8 bytes for an 8-byte varint, 1 left/);
  });
});

describe('the plain-function forms go through Reader and Writer', () => {
  test('readVarint gives the value and the next position, undefined when cut short', () => {
    expect(readVarint(fromHex('ff 4025 00'), 1, 4)).toEqual({ value: 37, next: 3 });
    expect(readVarint(fromHex('ff 4025'), 1, 2)).toBeUndefined();
    expect(readVarint(fromHex('25'), 1, 1)).toBeUndefined();
  });

  test('encodeVarint writes the shortest form', () => {
    expect(toHex(encodeVarint(15293))).toBe('7bbd');
    expect(() => encodeVarint(-1)).toThrow(RangeError);
  });
});

test('a traced read labels the varint with its field and value', () => {
  const { spans } = traceReads(() => new Reader(fromHex('7bbd'), { path: ['crypto'] }).varint('length'));
  expect(spans).toEqual([{ start: 0, end: 2, path: 'crypto.length', kind: 'value', value: 15293 }]);
});

prop.prop([fc.maxSafeNat(), fc.constantFrom<undefined | 8>(undefined, 8)])(
  'every safe integer round-trips, in its shortest form or in 8 bytes',
  (value, width) => {
    const bytes = new Writer().varint(value, 'v', width).finish();
    expect(bytes.length).toBe(width ?? varintLength(value));
    const r = new Reader(bytes);
    expect(r.varint('v')).toBe(value);
    expect(r.atEnd).toBe(true);
    // Every shorter prefix is truncated.
    for (let n = 0; n < bytes.length; n++)
      expect(() => new Reader(bytes.subarray(0, n)).varint('v')).toThrow(DecodeError);
  },
);
