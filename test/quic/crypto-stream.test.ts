import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { CryptoStream } from '../../src/quic/crypto-stream.ts';

describe('CryptoStream', () => {
  test('frames out of order give nothing until the hole at offset 0 is filled, then everything once', () => {
    const s = new CryptoStream(1024);
    s.write(3, fromHex('040506'));
    expect(toHex(s.take())).toBe('');
    s.write(0, fromHex('010203'));
    expect(toHex(s.take())).toBe('010203040506');
    expect(toHex(s.take())).toBe('');
    s.write(6, fromHex('07'));
    expect(toHex(s.take())).toBe('07');
    expect(s.contiguousLength).toBe(7);
  });

  test('a repeated or overlapping frame keeps the bytes that came first', () => {
    const s = new CryptoStream(1024);
    s.write(0, fromHex('aabbcc'));
    s.write(1, fromHex('ffffdd'));
    expect(toHex(s.take())).toBe('aabbccdd');
  });

  test('bytes past the cap are dropped and the stream says it was cut', () => {
    const s = new CryptoStream(4);
    s.write(0, fromHex('0102030405'));
    expect(s.truncated).toBe(true);
    expect(toHex(s.take())).toBe('01020304');
  });
});
