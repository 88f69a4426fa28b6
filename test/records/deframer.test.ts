import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { RecordDeframer } from '../../src/records/deframer.ts';
import { type DecodedRecord, decodeRecords } from '../../src/records/record.ts';

const flight = new Uint8Array(
  readFileSync(new URL('../handshake/data/openssl-server-flight-tls13.bin', import.meta.url)),
);

function view(records: readonly DecodedRecord[]): string[] {
  return records.map((r) => `${r.offset}:${r.contentType}:${r.version.toString(16)}:${toHex(r.fragment)}`);
}

function thrown(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError');
}

describe('RecordDeframer', () => {
  it('returns the same records as decodeRecords when given the whole input at once', () => {
    const d = new RecordDeframer();
    const records = d.push(flight);
    d.end();
    expect(records.length).toBeGreaterThan(3);
    expect(view(records)).toEqual(view(decodeRecords(flight)));
    expect(d.buffered).toBe(0);
    expect(d.offset).toBe(flight.length);
  });

  test.prop([fc.array(fc.nat({ max: flight.length }), { maxLength: 40 })])(
    'any chunking of a multi-record input gives the same records',
    (cuts) => {
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const d = new RecordDeframer();
      const out: DecodedRecord[] = [];
      let previous = 0;
      for (const p of [...points, flight.length]) {
        out.push(...d.push(flight.subarray(previous, p)));
        previous = p;
      }
      d.end();
      expect(view(out)).toEqual(view(decodeRecords(flight)));
    },
  );

  it('keeps partial state byte by byte', () => {
    const d = new RecordDeframer();
    const out: DecodedRecord[] = [];
    for (let i = 0; i < flight.length; i++) out.push(...d.push(flight.subarray(i, i + 1)));
    expect(view(out)).toEqual(view(decodeRecords(flight)));
  });

  it('reports a stream that ends inside a record as truncated at the record offset', () => {
    const d = new RecordDeframer();
    d.push(flight.subarray(0, 130));
    const err = thrown(() => d.end());
    expect(err.code).toBe('truncated');
    expect(err.offset).toBeLessThanOrEqual(130);
  });

  it('detects an HTTP answer and an SSH banner as not-tls from the first bytes', () => {
    const http = thrown(() =>
      new RecordDeframer().push(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n')),
    );
    expect(http.code).toBe('not-tls');
    expect(http.message).toMatch(/HTTP/);
    const ssh = thrown(() => new RecordDeframer().push(new TextEncoder().encode('SSH-2.0-OpenSSH_9.2\r\n')));
    expect(ssh.code).toBe('not-tls');
    expect(ssh.message).toMatch(/SSH/);
    // a content type byte followed by a version that is not 3.x
    expect(thrown(() => new RecordDeframer().push(fromHex('16 00'))).code).toBe('not-tls');
  });

  it('rejects an unknown content type mid-stream with unexpected_message in strict mode only', () => {
    const bytes = fromHex('16 0303 0004 0e000000 63 0303 0001 00');
    const err = thrown(() => new RecordDeframer().push(bytes));
    expect(err.code).toBe('unexpected-message');
    expect(err.alert).toBe('unexpected_message');
    expect(err.offset).toBe(9);
    const lenient = new RecordDeframer({ strict: false });
    expect(lenient.push(bytes)).toHaveLength(2);
    expect(lenient.problems.map((p) => p.code)).toEqual(['unexpected-message']);
  });

  it('enforces the plaintext and ciphertext size limits as soon as the header arrives', () => {
    const overPlain = fromHex('16 0303 4001'); // 2^14 + 1 handshake bytes
    expect(thrown(() => new RecordDeframer().push(overPlain)).alert).toBe('record_overflow');
    const d = new RecordDeframer();
    expect(d.push(fromHex('17 0303 4100'))).toEqual([]); // 2^14 + 256 application_data is fine
    expect(thrown(() => new RecordDeframer().push(fromHex('17 0303 4101'))).code).toBe('too-large');
  });

  it('rejects zero-length handshake and alert records but accepts zero-length application data', () => {
    expect(thrown(() => new RecordDeframer().push(fromHex('16 0303 0000'))).code).toBe('bad-length');
    expect(thrown(() => new RecordDeframer().push(fromHex('15 0303 0000'))).code).toBe('bad-length');
    expect(new RecordDeframer().push(fromHex('17 0303 0000'))).toHaveLength(1);
  });

  it('caps buffered bytes and stays failed afterwards', () => {
    const d = new RecordDeframer({ maxBufferedBytes: 100 });
    const err = thrown(() => d.push(fromHex('17 0303 0100')));
    expect(err.code).toBe('too-large');
    expect(() => d.push(fromHex('00'))).toThrow(err);
    expect(() => new RecordDeframer({ maxBufferedBytes: 2 })).toThrow(RangeError);
  });

  test.prop([fc.uint8Array({ maxLength: 200 }), fc.boolean()])(
    'random bytes throw nothing but DecodeError',
    (bytes, strict) => {
      try {
        const d = new RecordDeframer({ strict });
        d.push(bytes);
        d.end();
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
      }
    },
  );
});
