import { createCipheriv } from 'node:crypto';
import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../src/bytes/hex.ts';
import {
  CryptoError,
  cipherSuiteParams,
  createRecordProtection,
  decryptRecord,
  encryptRecord,
  type RecordProtectionState,
  recordNonce,
  recordProtectionFromKeys,
  seededRandom,
} from '../../src/crypto/index.ts';

const SUITES = [0x1301, 0x1302, 0x1303, 0x1304, 0x1305] as const;
const SUITE_NAMES = SUITES.map((suite) => [cipherSuiteParams(suite).name, suite] as const);

function pair(suite: number, seed = 'records'): [RecordProtectionState, RecordProtectionState] {
  const secret = seededRandom(`${seed}-${suite}`)(cipherSuiteParams(suite).hashLength);
  return [createRecordProtection(suite, secret), createRecordProtection(suite, secret)];
}

function open(state: RecordProtectionState, record: Uint8Array) {
  return decryptRecord(state, record.subarray(0, 5), record.subarray(5));
}

function rejection(fn: () => unknown): CryptoError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CryptoError) return e;
    throw e;
  }
  throw new Error('expected a CryptoError');
}

describe('record protection', () => {
  test('the nonce is the iv XOR the left-padded 64-bit sequence number', () => {
    const iv = fromHex('5d313eb2671276ee13000b30');
    expect(toHex(recordNonce(iv, 0))).toBe('5d313eb2671276ee13000b30');
    expect(toHex(recordNonce(iv, 1))).toBe('5d313eb2671276ee13000b31');
    expect(toHex(recordNonce(iv, 0x1_0000_0102))).toBe('5d313eb2671276ef13000a32');
    expect(toHex(recordNonce(iv, 2 ** 53 - 1))).toBe('5d313eb2670d8911ecfff4cf');
  });

  test.each(SUITE_NAMES)(
    '%s: encrypt then decrypt gives back type and content, padding stripped',
    (_name, suite) => {
      const [writer, reader] = pair(suite);
      const messages = [new Uint8Array(0), fromHex('14000020'), new Uint8Array(16384).fill(0xab)];
      for (const [i, content] of messages.entries()) {
        const padding = content.length === 16384 ? 0 : i * 7;
        const { header, record } = encryptRecord(writer, 22, content, { padding });
        expect(toHex(header.subarray(0, 3))).toBe('170303');
        expect((header[3] << 8) | header[4]).toBe(
          content.length + 1 + padding + cipherSuiteParams(suite).tagLength,
        );
        const out = open(reader, record);
        expect(out.contentType).toBe(22);
        expect(out.paddingLength).toBe(padding);
        expect(toHex(out.content)).toBe(toHex(content));
      }
      expect(writer.sequence).toBe(3);
      expect(reader.sequence).toBe(3);
    },
  );

  test.each(SUITE_NAMES)(
    '%s: the same plaintext encrypts differently at each sequence number',
    (_name, suite) => {
      const [writer] = pair(suite);
      const a = encryptRecord(writer, 23, fromHex('68656c6c6f')).ciphertext;
      const b = encryptRecord(writer, 23, fromHex('68656c6c6f')).ciphertext;
      expect(toHex(a)).not.toBe(toHex(b));
    },
  );

  test.each(SUITE_NAMES)(
    '%s: decrypts a record sealed by node:crypto with the same key and nonce',
    (_name, suite) => {
      const [, reader] = pair(suite);
      const params = cipherSuiteParams(suite);
      const algorithm = {
        AES_128_GCM: 'aes-128-gcm',
        AES_256_GCM: 'aes-256-gcm',
        CHACHA20_POLY1305: 'chacha20-poly1305',
        AES_128_CCM: 'aes-128-ccm',
        AES_128_CCM_8: 'aes-128-ccm',
      }[params.aead];
      const inner = concatBytes(fromHex('0b000004deadbeef'), Uint8Array.of(22), new Uint8Array(3));
      const header = Uint8Array.of(23, 3, 3, 0, inner.length + params.tagLength);
      const cipher = createCipheriv(algorithm as 'aes-128-ccm', reader.key, recordNonce(reader.iv, 0), {
        authTagLength: params.tagLength,
      });
      // CCM needs the plaintext length before the additional data; the other AEADs ignore it.
      cipher.setAAD(header, { plaintextLength: inner.length });
      const body = concatBytes(cipher.update(inner), cipher.final(), cipher.getAuthTag());
      const out = decryptRecord(reader, header, body);
      expect(out.contentType).toBe(22);
      expect(toHex(out.content)).toBe('0b000004deadbeef');
      expect(out.paddingLength).toBe(3);
    },
  );

  describe.each(SUITE_NAMES)('%s: tampering fails with bad_record_mac', (_name, suite) => {
    const tagLength = cipherSuiteParams(suite).tagLength;
    propTest.prop([fc.integer({ min: 0, max: 5 + 21 + tagLength - 1 }), fc.integer({ min: 0, max: 7 })], {
      numRuns: 60,
    })('a flipped bit anywhere in header or body', (byte, bit) => {
      const [writer, reader] = pair(suite);
      const { record } = encryptRecord(writer, 23, new Uint8Array(20).fill(1));
      expect(record.length).toBe(5 + 21 + tagLength);
      if (byte === 3 || byte === 4) return; // the length field: covered below, it changes the framing
      const bad = record.slice();
      bad[byte] ^= 1 << bit;
      const e = rejection(() => open(reader, bad));
      expect(e.alert).toBe('bad_record_mac');
      expect(e.message).toContain('bad_record_mac');
      expect(reader.sequence).toBe(0);
    });

    test('a record opened at the wrong sequence number', () => {
      const [writer, reader] = pair(suite);
      encryptRecord(writer, 23, fromHex('01'));
      const second = encryptRecord(writer, 23, fromHex('02')).record;
      expect(rejection(() => open(reader, second)).alert).toBe('bad_record_mac');
    });

    test('a record under another key', () => {
      const [writer] = pair(suite, 'one');
      const [, reader] = pair(suite, 'two');
      expect(rejection(() => open(reader, encryptRecord(writer, 23, fromHex('02')).record)).alert).toBe(
        'bad_record_mac',
      );
    });

    test('the header is authenticated as sent: a forged length opens only with that same header', () => {
      const [writer, reader] = pair(suite);
      const { header, ciphertext } = encryptRecord(writer, 23, fromHex('0203'), { lengthOverride: 100 });
      expect((header[3] << 8) | header[4]).toBe(100);
      const corrected = Uint8Array.of(23, 3, 3, 0, ciphertext.length);
      expect(rejection(() => decryptRecord(reader, corrected, ciphertext)).alert).toBe('bad_record_mac');
      expect(toHex(decryptRecord(reader, header, ciphertext).content)).toBe('0203');
    });

    test('a body shorter than the tag', () => {
      const [, reader] = pair(suite);
      expect(
        rejection(() =>
          decryptRecord(reader, Uint8Array.of(23, 3, 3, 0, tagLength - 1), new Uint8Array(tagLength - 1)),
        ).alert,
      ).toBe('bad_record_mac');
    });
  });

  test('an inner plaintext of zeros only has no content type', () => {
    const [writer, reader] = pair(0x1301);
    // Seal an all-zero TLSInnerPlaintext directly: content type 0 is not a valid argument to encryptRecord.
    const bogus = encryptRecord(writer, 1, new Uint8Array(0), { padding: 4 });
    expect(open(reader, bogus.record).contentType).toBe(1);
    const [w2, r2] = pair(0x1301, 'zero');
    const cipher = createCipheriv('aes-128-gcm', w2.key, recordNonce(w2.iv, 0));
    const header = Uint8Array.of(23, 3, 3, 0, 4 + 16);
    cipher.setAAD(header);
    const body = concatBytes(cipher.update(new Uint8Array(4)), cipher.final(), cipher.getAuthTag());
    expect(rejection(() => decryptRecord(r2, header, body)).alert).toBe('unexpected_message');
  });

  test('oversized records are refused', () => {
    const [writer, reader] = pair(0x1303);
    expect(() => encryptRecord(writer, 23, new Uint8Array(16385))).toThrow(RangeError);
    expect(() => encryptRecord(writer, 23, new Uint8Array(16384), { padding: 1 })).toThrow(RangeError);
    expect(
      rejection(() => decryptRecord(reader, Uint8Array.of(23, 3, 3, 0x41, 0x01), new Uint8Array(16641)))
        .alert,
    ).toBe('record_overflow');
  });

  test('explicit keys must fit the suite', () => {
    expect(() => recordProtectionFromKeys(0x1301, new Uint8Array(32), new Uint8Array(12))).toThrow(
      /16 bytes/,
    );
    expect(() => createRecordProtection(0x1302, new Uint8Array(32))).toThrow(/48 bytes/);
    expect(() => recordProtectionFromKeys(0x1305, new Uint8Array(16), new Uint8Array(8))).toThrow(
      /iv for TLS_AES_128_CCM_8_SHA256 must be 12 bytes/,
    );
  });
});
