import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { sslv2ClientHelloSummary, sslv2Ja3, sslv2Ja3Full, sslv2Ja4 } from '../../src/fingerprint/sslv2.ts';
import { parseClientHello } from '../../src/handshake/client-hello.ts';
import {
  encodeSslv2ClientHello,
  isSslv2ClientHello,
  parseSslv2ClientHello,
  type Sslv2ClientHello,
  sslv2CipherSpecName,
  sslv2TlsCipherSuites,
} from '../../src/handshake/sslv2-client-hello.ts';
import * as index from '../../src/index.ts';
import { decodeErrorOf } from '../extensions/helpers.ts';

const DIR = join(import.meta.dirname, '../../fixtures/clients/sslv2');
const FIXTURES = readdirSync(DIR)
  .filter((f) => f.endsWith('.bin'))
  .sort();
const fixture = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));

interface Sslv2Facts {
  recordLength: number;
  msgType: number;
  version: number;
  cipherSpecLength: number;
  sessionIdLength: number;
  challengeLength: number;
  cipherSpecs: number[];
}

/** A TLS-compatible hello (RFC 5246 E.2) offering TLS 1.0 with two SSL 2.0 kinds and two TLS suites. */
const TLS_COMPATIBLE = fromHex(`80 35 01 0301 000c 0000 0020 010080 0700c0 00002f 000035 ${'ab'.repeat(32)}`);

describe('SSLv2 CLIENT-HELLO fixtures captured from testssl.sh', () => {
  it('has the captured fixtures', () => {
    expect(FIXTURES).toContain('testssl-sslv2.bin');
  });

  for (const file of FIXTURES) {
    it(`${file}: decodes, agrees with tshark on every field, and re-encodes byte-identically`, () => {
      const bytes = fixture(file);
      const facts = JSON.parse(readFileSync(join(DIR, file.replace(/\.bin$/, '.json')), 'utf8'))
        .tshark as Sslv2Facts;
      const hello = parseSslv2ClientHello(bytes);
      expect(hello.header).toEqual({ form: 2 });
      expect(bytes.length).toBe(2 + facts.recordLength);
      expect(hello.msgType).toBe(facts.msgType);
      expect(hello.version).toBe(facts.version);
      expect(hello.cipherSpecs).toEqual(facts.cipherSpecs);
      expect(hello.cipherSpecs.length * 3).toBe(facts.cipherSpecLength);
      expect(hello.sessionId.length).toBe(facts.sessionIdLength);
      expect(hello.challenge.length).toBe(facts.challengeLength);
      expect(toHex(encodeSslv2ClientHello(hello))).toBe(toHex(bytes));
      expect(isSslv2ClientHello(bytes)).toBe(true);
    });
  }

  it("testssl-sslv2.bin is testssl's SSL 2.0 check: version 0x0002, SSL 2.0 kinds, a 16-byte challenge", () => {
    const hello = parseSslv2ClientHello(fixture('testssl-sslv2.bin'));
    expect(hello.version).toBe(0x0002);
    expect(hello.challenge.length).toBe(16);
    expect(hello.cipherSpecs.slice(0, 3).map(sslv2CipherSpecName)).toEqual([
      'SSL_CK_IDEA_128_CBC_WITH_MD5',
      'SSL_CK_RC2_128_CBC_WITH_MD5',
      'SSL_CK_RC4_128_WITH_MD5',
    ]);
  });

  it.runIf(FIXTURES.includes('testssl-java6u45.bin'))(
    'testssl-java6u45.bin is TLS-compatible: version TLS 1.0, TLS suites as 0x00XXYY, a 32-byte challenge',
    () => {
      const hello = parseSslv2ClientHello(fixture('testssl-java6u45.bin'));
      expect(hello.version).toBe(0x0301);
      expect(hello.sessionId.length).toBe(0);
      expect(hello.challenge.length).toBe(32);
      expect(sslv2TlsCipherSuites(hello)).toContain(0x002f);
      expect(hello.cipherSpecs.map(sslv2CipherSpecName)).toContain('TLS_RSA_WITH_AES_128_CBC_SHA');
    },
  );

  it('parseClientHello still rejects it as not-tls, naming the SSLv2 parser', () => {
    const err = decodeErrorOf(() => parseClientHello(fixture('testssl-sslv2.bin')));
    expect(err.code).toBe('not-tls');
    expect(err.message).toMatch(/SSLv2-compatible.*parseSslv2ClientHello/);
  });
});

describe('parseSslv2ClientHello', () => {
  it('decodes every field of a TLS-compatible hello', () => {
    const hello = parseSslv2ClientHello(TLS_COMPATIBLE);
    expect(hello).toMatchObject({
      type: 'sslv2_client_hello',
      header: { form: 2 },
      msgType: 1,
      version: 0x0301,
      cipherSpecs: [0x010080, 0x0700c0, 0x00002f, 0x000035],
    });
    expect(hello.sessionId.length).toBe(0);
    expect(toHex(hello.challenge)).toBe('ab'.repeat(32));
    expect(sslv2TlsCipherSuites(hello)).toEqual([0x002f, 0x0035]);
  });

  it('names SSL 2.0 kinds, TLS suites carried as 0x00XXYY, and unknown specs', () => {
    expect(sslv2CipherSpecName(0x010080)).toBe('SSL_CK_RC4_128_WITH_MD5');
    expect(sslv2CipherSpecName(0x0700c0)).toBe('SSL_CK_DES_192_EDE3_CBC_WITH_MD5');
    expect(sslv2CipherSpecName(0x00c02f)).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(sslv2CipherSpecName(0xff8000)).toBe('unknown(0xff8000)');
  });

  it('keeps the 3-byte header, its is-escape bit and padding, and re-encodes them', () => {
    // SSL 2.0 3-byte header: length 0x001e (data + 2 padding bytes), is-escape set, padding 2.
    const bytes = fromHex(`40 1e 02 01 0002 0003 0000 0010 010080 ${'11'.repeat(16)} eeee`);
    const hello = parseSslv2ClientHello(bytes);
    expect(hello.header).toEqual({ form: 3, isEscape: true, padding: fromHex('eeee') });
    expect(hello.challenge).toEqual(fromHex('11'.repeat(16)));
    expect(toHex(encodeSslv2ClientHello(hello))).toBe(toHex(bytes));
  });

  it('rejects the 3-byte header on a hello that offers TLS (RFC 5246 E.2: the high bit MUST be 1)', () => {
    const bytes = fromHex(`00 1c 00 01 0301 0003 0000 0010 00002f ${'11'.repeat(16)}`);
    const err = decodeErrorOf(() => parseSslv2ClientHello(bytes));
    expect(err).toMatchObject({ code: 'illegal-value', offset: 0, path: 'sslv2_client_hello.msg_length' });
    const lenient = parseSslv2ClientHello(bytes, { strict: false });
    expect(lenient.problems?.map((p) => p.code)).toEqual(['illegal-value']);
    expect(toHex(encodeSslv2ClientHello(lenient))).toBe(toHex(bytes));
  });

  it('rejects a cipher_spec_length that is not a multiple of 3, in both modes, naming the field and offset', () => {
    const bytes = fromHex(`80 1d 01 0301 0004 0000 0010 0000 2f00 ${'11'.repeat(16)}`);
    for (const strict of [true, false]) {
      const err = decodeErrorOf(() => parseSslv2ClientHello(bytes, { strict }));
      expect(err).toMatchObject({
        code: 'bad-length',
        offset: 5,
        path: 'sslv2_client_hello.cipher_spec_length',
        alert: 'decode_error',
      });
    }
  });

  it('rejects a challenge shorter than 16 or longer than 32 bytes; lenient keeps it', () => {
    for (const n of [15, 33]) {
      const bytes = fromHex(
        `80 ${(12 + n).toString(16).padStart(2, '0')} 01 0301 0003 0000 00${n.toString(16).padStart(2, '0')} 00002f ${'11'.repeat(n)}`,
      );
      expect(decodeErrorOf(() => parseSslv2ClientHello(bytes))).toMatchObject({
        code: 'bad-length',
        offset: 9,
        path: 'sslv2_client_hello.challenge_length',
      });
      const lenient = parseSslv2ClientHello(bytes, { strict: false });
      expect(lenient.challenge.length).toBe(n);
      expect(lenient.problems?.map((p) => p.path)).toEqual(['sslv2_client_hello.challenge_length']);
      expect(toHex(encodeSslv2ClientHello(lenient))).toBe(toHex(bytes));
    }
  });

  it('accepts a 16-byte session id from an SSL 2.0 client', () => {
    const resume = fromHex(`80 2c 01 0002 0003 0010 0010 010080 ${'22'.repeat(16)}${'11'.repeat(16)}`);
    expect(parseSslv2ClientHello(resume).sessionId.length).toBe(16);
  });

  // [what, hex, code, offset, field]: each one strict rejection, naming the field and offset.
  const REJECTED: [string, string, string, number, string][] = [
    [
      'an empty cipher spec list',
      `80 19 01 0301 0000 0000 0010 ${'11'.repeat(16)}`,
      'empty-list',
      5,
      'cipher_spec_length',
    ],
    [
      'a session id on a hello offering TLS 1.2 (RFC 5246 E.2: it MUST be zero)',
      `80 2c 01 0303 0003 0010 0010 00002f ${'22'.repeat(16)}${'11'.repeat(16)}`,
      'illegal-value',
      7,
      'session_id_length',
    ],
    [
      'a session id of neither 0 nor 16 bytes',
      `80 20 01 0002 0003 0004 0010 010080 ${'22'.repeat(4)}${'11'.repeat(16)}`,
      'bad-length',
      7,
      'session_id_length',
    ],
    [
      'an SSLv2 message that is not CLIENT-HELLO',
      `80 1c 04 0301 0003 0000 0010 00002f ${'11'.repeat(16)}`,
      'unexpected-message',
      2,
      'msg_type',
    ],
    [
      'a cipher_spec_length that runs past the record (truncated at cipher_specs)',
      `80 1c 01 0301 0030 0000 0010 00002f ${'11'.repeat(16)}`,
      'truncated',
      11,
      'cipher_specs',
    ],
  ];
  it.each(REJECTED)('rejects %s', (_what, hex, code, offset, field) => {
    expect(decodeErrorOf(() => parseSslv2ClientHello(fromHex(hex)))).toMatchObject({
      code,
      offset,
      path: `sslv2_client_hello.${field}`,
    });
  });

  it('names the unexpected_message alert for a message that is not CLIENT-HELLO', () => {
    const bytes = fromHex(`80 1c 04 0301 0003 0000 0010 00002f ${'11'.repeat(16)}`);
    expect(decodeErrorOf(() => parseSslv2ClientHello(bytes)).alert).toBe('unexpected_message');
  });

  it('rejects bytes after the challenge inside the record, and bytes after the record; lenient keeps both', () => {
    const inside = fromHex(`80 1e 01 0301 0003 0000 0010 00002f ${'11'.repeat(16)} 9999`);
    expect(decodeErrorOf(() => parseSslv2ClientHello(inside))).toMatchObject({
      code: 'trailing',
      offset: 30,
    });
    const after = new Uint8Array([...TLS_COMPATIBLE, 0x16, 0x03]);
    expect(decodeErrorOf(() => parseSslv2ClientHello(after))).toMatchObject({
      code: 'trailing',
      offset: TLS_COMPATIBLE.length,
    });
    for (const bytes of [inside, after]) {
      const lenient = parseSslv2ClientHello(bytes, { strict: false });
      expect(lenient.problems?.map((p) => p.code)).toEqual(['trailing']);
      expect(toHex(encodeSslv2ClientHello(lenient))).toBe(toHex(bytes));
    }
  });

  it("reports offsets in the caller's input with baseOffset", () => {
    const bytes = fromHex(`80 1c 04 0301 0003 0000 0010 00002f ${'11'.repeat(16)}`);
    expect(decodeErrorOf(() => parseSslv2ClientHello(bytes, { baseOffset: 100 })).offset).toBe(102);
  });

  it('forges lengths on purpose with lengthOverrides', () => {
    const hello = parseSslv2ClientHello(TLS_COMPATIBLE);
    const forged = encodeSslv2ClientHello({ ...hello, lengthOverrides: { challengeLength: 40 } });
    expect(decodeErrorOf(() => parseSslv2ClientHello(forged))).toMatchObject({
      path: 'sslv2_client_hello.challenge_length',
    });
  });

  it('is exported from the package index', () => {
    expect(index.parseSslv2ClientHello).toBe(parseSslv2ClientHello);
    expect(index.encodeSslv2ClientHello).toBe(encodeSslv2ClientHello);
    expect(index.sslv2CipherSpecName).toBe(sslv2CipherSpecName);
  });
});

describe('SSLv2 hello fingerprints', () => {
  it('JA3 is the Zeek-script form: version, decimal cipher specs, three empty fields', () => {
    const hello = parseSslv2ClientHello(TLS_COMPATIBLE);
    expect(sslv2Ja3Full(hello)).toBe('769,65664-458944-47-53,,,');
    expect(sslv2Ja3(hello)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('JA4 is null: the spec has no rule for 3-byte cipher specs', () => {
    const hello = parseSslv2ClientHello(TLS_COMPATIBLE);
    expect(sslv2Ja4(hello)).toBeNull();
    const summary = sslv2ClientHelloSummary(hello);
    expect(summary).toMatchObject({
      type: 'sslv2_client_hello',
      ja4: null,
      ja4_r: null,
      ja4_o: null,
      ja4_ro: null,
    });
    expect(summary.ja3Full).toBe(sslv2Ja3Full(hello));
  });
});

const helloArb: fc.Arbitrary<Sslv2ClientHello> = fc
  .record({
    form: fc.constantFrom(2 as const, 3 as const),
    isEscape: fc.boolean(),
    padding: fc.uint8Array({ maxLength: 8 }),
    tls: fc.boolean(),
    cipherSpecs: fc.array(fc.integer({ min: 0, max: 0xffffff }), { minLength: 1, maxLength: 40 }),
    resume: fc.boolean(),
    challenge: fc.uint8Array({ minLength: 16, maxLength: 32 }),
  })
  .map(({ form, isEscape, padding, tls, cipherSpecs, resume, challenge }) => {
    // Only what strict parsing accepts: the 3-byte header and a session id only on SSL 2.0.
    const version = form === 3 || !tls ? 0x0002 : 0x0301;
    return {
      type: 'sslv2_client_hello',
      header: form === 2 ? { form } : { form, isEscape, padding },
      msgType: 1,
      version,
      cipherSpecs,
      sessionId: resume && version === 0x0002 ? new Uint8Array(16).fill(7) : new Uint8Array(0),
      challenge,
    } satisfies Sslv2ClientHello;
  });

describe('SSLv2 hello properties', () => {
  test.prop([helloArb])('value → encode → decode gives the value back', (hello) => {
    const decoded = parseSslv2ClientHello(encodeSslv2ClientHello(hello));
    expect(decoded).toEqual(hello);
  });

  test.prop([helloArb])('every strict prefix of an encoded hello fails with truncated', (hello) => {
    const bytes = encodeSslv2ClientHello(hello);
    for (let n = 0; n < bytes.length; n++) {
      expect(decodeErrorOf(() => parseSslv2ClientHello(bytes.subarray(0, n))).code).toBe('truncated');
    }
  });

  test.prop([fc.uint8Array({ maxLength: 120 }), fc.boolean()])(
    'arbitrary bytes either decode and re-encode identically, or throw only DecodeError',
    (bytes, strict) => {
      let hello: Sslv2ClientHello;
      try {
        hello = parseSslv2ClientHello(bytes, { strict });
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        return;
      }
      expect(toHex(encodeSslv2ClientHello(hello))).toBe(toHex(bytes));
    },
  );
});
