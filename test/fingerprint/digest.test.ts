import { createHash } from 'node:crypto';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../src/bytes/hex.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

import { md5Hex, md5HexOf, sha256Hex, sha256HexOf } from '../../src/fingerprint/digest.ts';

describe('fingerprint digests', () => {
  it('gives the RFC test vectors', () => {
    expect(sha256Hex(fromLatin1('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex(new Uint8Array(0))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(md5Hex(fromLatin1('abc'))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(md5Hex(new Uint8Array(0))).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('cuts the SHA-256 hex to the digits asked for', () => {
    expect(sha256Hex(fromLatin1('abc'), 12)).toBe('ba7816bf8f01');
    expect(sha256Hex(fromLatin1('abc'), 1)).toBe('b');
  });

  it('equals OpenSSL (node:crypto) at every length around the block boundaries', () => {
    for (let length = 0; length <= 300; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
      expect(sha256Hex(bytes), `sha256 of ${length} bytes`).toBe(sha256(bytes));
      expect(md5Hex(bytes), `md5 of ${length} bytes`).toBe(md5(bytes));
    }
  });

  test.prop([fc.uint8Array({ maxLength: 5000 })])('equals OpenSSL (node:crypto) on random input', (bytes) => {
    expect(sha256Hex(bytes)).toBe(sha256(bytes));
    expect(md5Hex(bytes)).toBe(md5(bytes));
  });

  it('hashes a range of a buffer read through its own DataView, at every offset and length around the blocks', () => {
    const bytes = Uint8Array.from({ length: 400 }, (_, i) => (i * 197 + 11) & 0xff);
    const text = { bytes, view: new DataView(bytes.buffer) };
    for (const from of [0, 1, 3, 63, 64, 65]) {
      for (let length = 0; length <= 200; length++) {
        const range = bytes.subarray(from, from + length);
        expect(sha256HexOf(text, from, from + length), `sha256 of [${from}, +${length})`).toBe(sha256(range));
        expect(sha256HexOf(text, from, from + length, 12)).toBe(sha256(range).slice(0, 12));
        expect(md5HexOf(text, from, from + length), `md5 of [${from}, +${length})`).toBe(md5(range));
      }
    }
  });

  it('reads a view in place, not the buffer around it', () => {
    const buffer = fromLatin1('xxabcxx');
    expect(sha256Hex(buffer.subarray(2, 5))).toBe(sha256Hex(fromLatin1('abc')));
    expect(md5Hex(buffer.subarray(2, 5))).toBe('900150983cd24fb0d6963f7d28e17f72');
  });
});

describe('fingerprint digests, one reused hasher', () => {
  it('gives each text its own digest when texts of different lengths alternate', () => {
    const texts = [0, 1, 55, 56, 63, 64, 65, 200].map((length) =>
      Uint8Array.from({ length }, (_, i) => (i * 7 + length) & 0xff),
    );
    for (let round = 0; round < 3; round++)
      for (const bytes of texts) {
        expect(sha256Hex(bytes)).toBe(sha256(bytes));
        expect(sha256Hex(bytes, 12)).toBe(sha256(bytes).slice(0, 12));
        expect(md5Hex(bytes)).toBe(md5(bytes));
      }
  });

  it('cuts to an odd number of digits', () => {
    expect(sha256Hex(fromLatin1('abc'), 13)).toBe('ba7816bf8f01c');
    expect(sha256Hex(fromLatin1('abc'), 0)).toBe('');
  });
});
