import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { alertRecord, decodeAlert, encodeAlert } from '../../src/records/alert.ts';
import { changeCipherSpecRecord, decodeChangeCipherSpec } from '../../src/records/change-cipher-spec.ts';
import {
  coalesce,
  fragmentAt,
  fragmentByMaxLength,
  fragmentBySizes,
  fragmentInto,
  joinFragments,
} from '../../src/records/fragment.ts';
import {
  contentTypeName,
  decodeRecord,
  decodeRecords,
  encodeRecord,
  encodeRecords,
} from '../../src/records/record.ts';
import * as rfc from '../handshake/rfc8448.ts';

describe('TLSPlaintext', () => {
  it('decodes the RFC 8448 ClientHello record and encodes it back', () => {
    const rec = decodeRecord(rfc.clientHelloRecord);
    expect(rec.contentType).toBe(22);
    expect(contentTypeName(rec.contentType)).toBe('handshake');
    expect(rec.version).toBe(0x0301);
    expect(rec.fragment.length).toBe(196);
    expect(toHex(encodeRecord(rec))).toBe(toHex(rfc.clientHelloRecord));
  });

  it('writes a forged length when asked', () => {
    expect(
      toHex(encodeRecord({ contentType: 22, version: 0x0303, fragment: fromHex('01'), lengthOverride: 9 })),
    ).toBe('160303000901');
  });

  it('reports a fragment running past the input as truncated at its length field', () => {
    let err: unknown;
    try {
      decodeRecords(fromHex('16 0303 0005 0102'), { baseOffset: 100 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).code).toBe('truncated');
    expect((err as DecodeError).offset).toBe(103);
    expect((err as DecodeError).path).toBe('records[0].fragment');
  });

  test.prop([
    fc.array(
      fc.record({
        contentType: fc.integer({ min: 20, max: 24 }),
        version: fc.integer({ min: 0x0300, max: 0x03ff }),
        fragment: fc.uint8Array({ minLength: 1, maxLength: 50 }),
      }),
      { maxLength: 6 },
    ),
  ])('records → encode → decode → encode is the identity', (records) => {
    const bytes = encodeRecords(records);
    const decoded = decodeRecords(bytes);
    expect(decoded.map(({ offset: _, ...r }) => r)).toEqual(records);
    expect(toHex(encodeRecords(decoded))).toBe(toHex(bytes));
  });
});

describe('fragmenting and coalescing', () => {
  test.prop([fc.uint8Array({ minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 400 })])(
    'fragmentInto N records joins back to the payload',
    (payload, n) => {
      const count = Math.min(n, payload.length);
      const records = fragmentInto(payload, count);
      expect(records).toHaveLength(count);
      expect(toHex(joinFragments(records))).toBe(toHex(payload));
      expect(toHex(joinFragments(decodeRecords(encodeRecords(records))))).toBe(toHex(payload));
    },
  );

  it('splits at chosen offsets, by sizes and by a maximum length', () => {
    const message = rfc.clientHello;
    const at = fragmentAt(message, [1, 4, 100]);
    expect(at.map((r) => r.fragment.length)).toEqual([1, 3, 96, 96]);
    expect(at.every((r) => r.contentType === 22 && r.version === 0x0301)).toBe(true);
    expect(fragmentBySizes(message, [190, 6], { version: 0x0303 })[1].version).toBe(0x0303);
    expect(fragmentByMaxLength(message, 50).map((r) => r.fragment.length)).toEqual([50, 50, 50, 46]);
    expect(() => fragmentAt(message, [4, 4])).toThrow(RangeError);
    expect(() => fragmentBySizes(message, [1, 2])).toThrow(RangeError);
  });

  it('coalesces several handshake messages into one record that decodes back to them', () => {
    const record = coalesce([rfc.serverHello, rfc.encryptedExtensions, rfc.serverFinished], {
      version: 0x0303,
    });
    const bytes = encodeRecord(record);
    expect(toHex(bytes.subarray(0, 5))).toBe(`160303${(90 + 40 + 36).toString(16).padStart(4, '0')}`);
    expect(toHex(decodeRecord(bytes).fragment)).toBe(
      toHex(new Uint8Array([...rfc.serverHello, ...rfc.encryptedExtensions, ...rfc.serverFinished])),
    );
    expect(() => coalesce([new Uint8Array(16385)])).toThrow(RangeError);
    expect(coalesce([new Uint8Array(16385)], { allowOversize: true }).fragment.length).toBe(16385);
  });
});

describe('alert and change_cipher_spec', () => {
  it('encodes and decodes a fatal handshake_failure alert', () => {
    expect(toHex(encodeRecord(alertRecord({ level: 2, description: 40 })))).toBe('15030300020228');
    expect(decodeAlert(fromHex('0228'))).toEqual({ level: 2, description: 40 });
    expect(toHex(encodeAlert({ level: 1, description: 0 }))).toBe('0100');
  });

  it('rejects a bad alert level in strict mode, a short alert always, and trailing bytes', () => {
    expect(() => decodeAlert(fromHex('0328'))).toThrow(/level/);
    expect(decodeAlert(fromHex('0328'), { strict: false })).toEqual({ level: 3, description: 40 });
    expect(() => decodeAlert(fromHex('02'))).toThrow(/truncated/);
    expect(() => decodeAlert(fromHex('022800'))).toThrow(/trailing/);
  });

  it('encodes the change_cipher_spec record and rejects a value other than 1', () => {
    expect(toHex(encodeRecord(changeCipherSpecRecord()))).toBe('140303000101');
    expect(decodeChangeCipherSpec(fromHex('01'))).toEqual({ value: 1 });
    let err: unknown;
    try {
      decodeChangeCipherSpec(fromHex('02'));
    } catch (e) {
      err = e;
    }
    expect((err as DecodeError).alert).toBe('unexpected_message');
  });
});
