import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { equalBytes, fromHex, toHex } from '../../src/bytes/hex.ts';
import { codecForType } from '../../src/extensions/registry.ts';
import {
  encodeClientHello,
  encodeClientHelloMessage,
  parseClientHello,
} from '../../src/handshake/client-hello.ts';
import type { ClientHello } from '../../src/handshake/types.ts';
import { decodeErrorOf } from '../extensions/helpers.ts';
import * as rfc from './rfc8448.ts';

const data = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`data/${name}`, import.meta.url)));
const REAL = [
  rfc.clientHelloRecord,
  data('openssl-client-hello-tls13.bin'),
  data('openssl-client-hello-tls12.bin'),
];

/** A minimal TLS 1.2-style hello to edit. */
function hello(overrides: Partial<ClientHello> = {}): ClientHello {
  return {
    legacyVersion: 0x0303,
    random: new Uint8Array(32).fill(7),
    legacySessionId: new Uint8Array(0),
    cipherSuites: [0x1301, 0xc02f],
    legacyCompressionMethods: [0],
    extensions: [],
    ...overrides,
  };
}

// Offsets of the length fields in a single-record hello: record length, handshake length,
// then session id / cipher suites / compression / extensions computed from the bytes.
function lengthFields(bytes: Uint8Array): { at: number; width: number; name: string }[] {
  const out = [
    { at: 3, width: 2, name: 'record' },
    { at: 6, width: 3, name: 'handshake' },
  ];
  let p = 5 + 4 + 2 + 32;
  out.push({ at: p, width: 1, name: 'legacy_session_id' });
  p += 1 + bytes[p];
  out.push({ at: p, width: 2, name: 'cipher_suites' });
  p += 2 + ((bytes[p] << 8) | bytes[p + 1]);
  out.push({ at: p, width: 1, name: 'legacy_compression_methods' });
  p += 1 + bytes[p];
  out.push({ at: p, width: 2, name: 'extensions' });
  return out;
}

describe('parseClientHello', () => {
  it('reads a hello split over several records and keeps the fragment sizes for re-encoding', () => {
    const message = rfc.clientHello;
    const split = fromHex(
      `16 0301 0001 ${toHex(message.subarray(0, 1))} 16 0301 0064 ${toHex(message.subarray(1, 101))} 16 0303 005f ${toHex(message.subarray(101))}`,
    );
    const parsed = parseClientHello(split);
    expect(parsed.record).toEqual({
      version: 0x0301,
      fragments: [1, 100, 95],
      versions: [0x0301, 0x0301, 0x0303],
    });
    expect(parsed.cipherSuites).toEqual([0x1301, 0x1303, 0x1302]);
    expect(equalBytes(encodeClientHello(parsed), split)).toBe(true);
  });

  it('is zero-copy: byte fields are views into the input, or into one buffer for a split hello', () => {
    const input = rfc.clientHelloRecord.slice();
    const parsed = parseClientHello(input);
    const bodies = parsed.extensions!.map((e) => e.body);
    for (const view of [parsed.random, parsed.legacySessionId, ...bodies]) {
      expect(view.buffer).toBe(input.buffer);
    }
    // At the record's offsets: the random starts after the record and handshake headers.
    expect(parsed.random.byteOffset).toBe(input.byteOffset + 5 + 4 + 2);
    const bare = rfc.clientHello.slice();
    expect(parseClientHello(bare).random.buffer).toBe(bare.buffer);

    const message = rfc.clientHello;
    const split = fromHex(
      `16 0301 0064 ${toHex(message.subarray(0, 100))} 16 0301 ${(message.length - 100).toString(16).padStart(4, '0')} ${toHex(message.subarray(100))}`,
    );
    const joined = parseClientHello(split);
    expect(joined.random.buffer).not.toBe(split.buffer);
    expect(joined.extensions!.every((e) => e.body.buffer === joined.random.buffer)).toBe(true);
  });

  it('reports errors inside a fragmented hello at the offset in the input, not in the message', () => {
    const bad = rfc.clientHello.slice();
    bad[38] = 33; // legacy_session_id length 33 > 32
    const records = fromHex(
      `16 0301 000a ${toHex(bad.subarray(0, 10))} 16 0301 00ba ${toHex(bad.subarray(10))}`,
    );
    const err = decodeErrorOf(() => parseClientHello(records));
    expect(err.path).toBe('client_hello.legacy_session_id');
    // message index 38 is in the second record: 5 + 10 + 5 + (38 - 10)
    expect(err.offset).toBe(48);
  });

  it('names the extension in the path of an error inside the extensions block', () => {
    const bad = rfc.clientHelloRecord.slice();
    // the 4th extension (index 3, session_ticket 0x0023) gets a body length running past the block
    const i = toHex(bad).indexOf('00230000') / 2;
    bad[i + 3] = 0xff;
    const err = decodeErrorOf(() => parseClientHello(bad));
    expect(err.code).toBe('truncated');
    expect(err.path).toMatch(/^client_hello\.extensions\[3\]/);
    expect(err.offset).toBe(i + 2);
  });

  it('returns extensions: null when the hello has no extensions block, and encodes none back', () => {
    const h = hello({ extensions: null });
    const bytes = encodeClientHello(h);
    const parsed = parseClientHello(bytes);
    expect(parsed.extensions).toBeNull();
    expect(equalBytes(encodeClientHello(parsed), bytes)).toBe(true);
  });

  it('rejects a session id over 32 bytes in strict mode and collects it in lenient mode', () => {
    const bytes = encodeClientHello(hello({ legacySessionId: new Uint8Array(33) }));
    expect(decodeErrorOf(() => parseClientHello(bytes)).path).toBe('client_hello.legacy_session_id');
    const lenient = parseClientHello(bytes, { strict: false });
    expect(lenient.legacySessionId.length).toBe(33);
    expect(lenient.problems?.map((p) => p.code)).toEqual(['bad-length']);
    expect(equalBytes(encodeClientHello(lenient), bytes)).toBe(true);
  });

  it('rejects empty cipher suites and compression methods, and an odd cipher suites length', () => {
    expect(decodeErrorOf(() => parseClientHello(encodeClientHello(hello({ cipherSuites: [] })))).code).toBe(
      'empty-list',
    );
    expect(
      decodeErrorOf(() => parseClientHello(encodeClientHello(hello({ legacyCompressionMethods: [] })))).path,
    ).toBe('client_hello.legacy_compression_methods');
    const odd = encodeClientHelloMessage(hello());
    // cipher_suites length 4 -> 3 and drop one byte so the rest still lines up
    const at = 4 + 2 + 32 + 1;
    const forged = new Uint8Array([
      ...odd.subarray(0, at),
      0,
      3,
      ...odd.subarray(at + 2, at + 5),
      ...odd.subarray(at + 6),
    ]);
    forged[3] -= 1;
    expect(decodeErrorOf(() => parseClientHello(forged)).code).toBe('bad-length');
  });

  it('requires compression [0] when TLS 1.3 is offered (illegal_parameter), not otherwise', () => {
    const supportedVersions13 = { type: 43, body: fromHex('02 0304') };
    const bytes = encodeClientHello(
      hello({ legacyCompressionMethods: [1, 0], extensions: [supportedVersions13] }),
    );
    const err = decodeErrorOf(() => parseClientHello(bytes));
    expect(err.alert).toBe('illegal_parameter');
    expect(err.path).toBe('client_hello.legacy_compression_methods');
    expect(parseClientHello(bytes, { strict: false }).problems?.[0].code).toBe('illegal-value');
    const tls12 = encodeClientHello(hello({ legacyCompressionMethods: [1, 0] }));
    expect(parseClientHello(tls12).legacyCompressionMethods).toEqual([1, 0]);
  });

  it('rejects bytes after the extensions in strict mode and keeps them in `trailing` when lenient', () => {
    const bytes = encodeClientHello(hello({ trailing: fromHex('dead') }));
    const err = decodeErrorOf(() => parseClientHello(bytes));
    expect(err.code).toBe('trailing');
    const lenient = parseClientHello(bytes, { strict: false });
    expect(toHex(lenient.trailing ?? new Uint8Array())).toBe('dead');
    expect(equalBytes(encodeClientHello(lenient), bytes)).toBe(true);
  });

  it('gives a lenient result its keys in one order: the fields, trailing, record, problems', () => {
    const fields = ['legacyVersion', 'random', 'legacySessionId', 'cipherSuites', 'legacyCompressionMethods'];
    const record = encodeClientHello(hello({ trailing: fromHex('dead') }));
    const message = encodeClientHelloMessage(hello());
    const keys = (bytes: Uint8Array) => Object.keys(parseClientHello(bytes, { strict: false }));
    expect(keys(record)).toEqual([...fields, 'extensions', 'trailing', 'record', 'problems']);
    expect(keys(message)).toEqual([...fields, 'extensions', 'problems']);
    expect(keys(new Uint8Array([...message, 0xbe, 0xef]))).toEqual([
      ...fields,
      'extensions',
      'trailing',
      'problems',
    ]);
  });

  it('rejects records after the ClientHello in strict mode', () => {
    const bytes = new Uint8Array([...rfc.clientHelloRecord, ...fromHex('14 0303 0001 01')]);
    expect(decodeErrorOf(() => parseClientHello(bytes)).code).toBe('trailing');
    expect(parseClientHello(bytes, { strict: false }).problems?.map((p) => p.code)).toEqual(['trailing']);
  });

  it('reports an SSLv2-compatible ClientHello clearly', () => {
    const sslv2 = fromHex(
      '80 2e 01 0301 0015 0000 0010 0000ff 010080 030080 070080 060040 020080 040080 00002f 000035 ' +
        '11'.repeat(16),
    );
    const err = decodeErrorOf(() => parseClientHello(sslv2));
    expect(err.code).toBe('not-tls');
    expect(err.message).toMatch(/SSLv2/);
  });

  it('rejects a record that is not handshake and a handshake message that is not client_hello', () => {
    expect(decodeErrorOf(() => parseClientHello(fromHex('16 0303 0004 02000000'))).code).toBe(
      'unexpected-message',
    );
    expect(decodeErrorOf(() => parseClientHello(fromHex('15 0303 0002 0228'))).code).toBe(
      'unexpected-message',
    );
    expect(
      decodeErrorOf(() => parseClientHello(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n'))).code,
    ).toBe('not-tls');
  });

  it('honours length overrides on encode', () => {
    const forged = encodeClientHelloMessage(hello({ lengthOverrides: { cipherSuites: 2, handshake: 5 } }));
    expect(toHex(forged.subarray(0, 4))).toBe('01000005');
    expect(toHex(forged.subarray(39, 41))).toBe('0002');
  });

  it('rejects a random that is not 32 bytes when encoding', () => {
    expect(() => encodeClientHello(hello({ random: new Uint8Array(31) }))).toThrow(RangeError);
  });
});

describe('ClientHello properties', () => {
  test.prop([fc.constantFrom(...REAL), fc.nat()])(
    'every strict prefix fails with truncated at an offset inside it',
    (bytes, n) => {
      const cut = n % bytes.length;
      const err = decodeErrorOf(() => parseClientHello(bytes.subarray(0, cut)));
      expect(err.code).toBe('truncated');
      expect(err.offset).toBeGreaterThanOrEqual(0);
      expect(err.offset).toBeLessThanOrEqual(cut);
    },
  );

  it('every strict prefix of every real hello fails with truncated (exhaustive)', () => {
    for (const bytes of REAL) {
      for (let cut = 0; cut < bytes.length; cut++) {
        const err = decodeErrorOf(() => parseClientHello(bytes.subarray(0, cut)));
        expect(err.code, `prefix ${cut}`).toBe('truncated');
        expect(err.offset).toBeLessThanOrEqual(cut);
      }
    }
  });

  it('a length field rewritten to claim fewer bytes is caught, never silently accepted', () => {
    for (const bytes of REAL) {
      for (const field of lengthFields(bytes)) {
        let value = 0;
        for (let i = 0; i < field.width; i++) value = value * 256 + bytes[field.at + i];
        for (const less of [1, 2, 3]) {
          if (value - less < 0) continue;
          const forged = bytes.slice();
          for (let i = field.width - 1, v = value - less; i >= 0; i--, v >>= 8)
            forged[field.at + i] = v & 0xff;
          expect(() => parseClientHello(forged), `${field.name} - ${less}`).toThrow(DecodeError);
        }
      }
    }
  });

  test.prop([fc.constantFrom(...REAL)])(
    'bytes → decode → encode is the identity for real hellos',
    (bytes) => {
      expect(equalBytes(encodeClientHello(parseClientHello(bytes)), bytes)).toBe(true);
    },
  );

  test.prop([
    fc.record({
      legacyVersion: fc.integer({ min: 0, max: 0xffff }),
      random: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      legacySessionId: fc.uint8Array({ maxLength: 32 }),
      cipherSuites: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 40 }),
      legacyCompressionMethods: fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 0, maxLength: 3 }),
      extensions: fc.option(
        fc.uniqueArray(
          fc.record({
            // Types without a typed codec, so random bodies are valid (0xff01, 0xfe0d… have one).
            type: fc.integer({ min: 0x4000, max: 0xffff }).filter((t) => codecForType(t) === undefined),
            body: fc.uint8Array({ maxLength: 20 }),
          }),
          { selector: (e) => e.type, maxLength: 8 },
        ),
      ),
      fragments: fc.integer({ min: 1, max: 6 }),
    }),
  ])('encode → decode → encode is the identity for generated hellos in any fragmentation', (g) => {
    const base: ClientHello = { ...g, legacyCompressionMethods: [0, ...g.legacyCompressionMethods] };
    const message = encodeClientHelloMessage(base);
    const count = Math.min(g.fragments, message.length);
    const size = Math.ceil(message.length / count);
    const fragments: number[] = [];
    for (let left = message.length; left > 0; left -= size) fragments.push(Math.min(size, left));
    const bytes = encodeClientHello({ ...base, record: { version: 0x0301, fragments } });
    const parsed = parseClientHello(bytes);
    expect(parsed.cipherSuites).toEqual(g.cipherSuites);
    expect(equalBytes(encodeClientHello(parsed), bytes)).toBe(true);
  });

  test.prop([fc.uint8Array({ maxLength: 300 }), fc.boolean()])(
    'random bytes throw nothing but DecodeError',
    (bytes, strict) => {
      for (const input of [
        bytes,
        new Uint8Array([0x16, 0x03, 0x01, ...bytes]),
        new Uint8Array([0x01, ...bytes]),
      ]) {
        try {
          parseClientHello(input, { strict });
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }
    },
  );
});
