import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { encodeHandshake } from '../../src/handshake/header.ts';
import {
  encodeHandshakeMessage,
  type HandshakeMessage,
  parseHandshakeMessage,
} from '../../src/handshake/messages.ts';
import { HandshakeReassembler } from '../../src/handshake/reassembler.ts';
import {
  DOWNGRADE_SENTINELS,
  encodeServerHello,
  HELLO_RETRY_REQUEST_RANDOM,
  parseServerHello,
  type ServerHello,
} from '../../src/handshake/server-hello.ts';
import { decodeStream } from '../../src/handshake/stream.ts';
import { fragmentInto } from '../../src/records/fragment.ts';
import { encodeRecords } from '../../src/records/record.ts';
import * as rfc from './rfc8448.ts';

function thrown(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError');
}

function serverHello(random: Uint8Array, extensions: ServerHello['extensions']): Uint8Array {
  return encodeServerHello({
    type: 'server_hello',
    legacyVersion: 0x0303,
    random,
    legacySessionIdEcho: new Uint8Array(0),
    cipherSuite: 0xc02f,
    legacyCompressionMethod: 0,
    extensions,
    helloRetryRequest: false,
    downgrade: null,
    version: 0x0303,
  });
}

describe('ServerHello', () => {
  it('is zero-copy, like parseClientHello: random and extension bodies are views into the input', () => {
    const input = rfc.serverHello.slice();
    const hello = parseServerHello(input);
    expect(hello.random.buffer).toBe(input.buffer);
    expect(hello.random.byteOffset).toBe(input.byteOffset + 4 + 2);
    for (const e of hello.extensions ?? []) expect(e.body.buffer).toBe(input.buffer);
    const certificate = parseHandshakeMessage(rfc.certificate.slice(), { version: 0x0304 });
    if (certificate.type !== 'certificate') throw new Error(`parsed a ${certificate.type}`);
    const certData = certificate.certificateList[0].certData;
    expect(certData.buffer.byteLength).toBe(rfc.certificate.length);
  });

  it('reports the TLS 1.2 and TLS 1.1 downgrade sentinels in the last 8 random bytes', () => {
    const r12 = new Uint8Array([...new Uint8Array(24).fill(1), ...DOWNGRADE_SENTINELS.tls12]);
    const r11 = new Uint8Array([...new Uint8Array(24).fill(1), ...DOWNGRADE_SENTINELS.tls11]);
    expect(parseServerHello(serverHello(r12, null)).downgrade).toBe('tls12');
    expect(parseServerHello(serverHello(r11, null)).downgrade).toBe('tls11');
    expect(parseServerHello(serverHello(new Uint8Array(32), null)).downgrade).toBeNull();
    expect(toHex(DOWNGRADE_SENTINELS.tls12)).toBe(toHex(new TextEncoder().encode('DOWNGRD\x01')));
  });

  it('recognises a HelloRetryRequest by its random, and the version from supported_versions', () => {
    const hrr = parseServerHello(
      serverHello(HELLO_RETRY_REQUEST_RANDOM, [{ type: 43, body: fromHex('0304') }]),
    );
    expect(hrr.helloRetryRequest).toBe(true);
    expect(hrr.version).toBe(0x0304);
    const plain = parseServerHello(serverHello(new Uint8Array(32), null));
    expect(plain.helloRetryRequest).toBe(false);
    expect(plain.version).toBe(0x0303);
    expect(plain.extensions).toBeNull();
  });

  it('the HelloRetryRequest random is SHA-256("HelloRetryRequest")', async () => {
    const { sha256 } = await import('@noble/hashes/sha2.js');
    expect(toHex(HELLO_RETRY_REQUEST_RANDOM)).toBe(
      toHex(sha256(new TextEncoder().encode('HelloRetryRequest'))),
    );
  });

  it('rejects a message that is not a server_hello', () => {
    expect(thrown(() => parseServerHello(rfc.clientHello)).code).toBe('unexpected-message');
  });
});

describe('parseHandshakeMessage', () => {
  const samples: [string, HandshakeMessage, number | undefined][] = [
    [
      'TLS 1.2 CertificateRequest',
      {
        type: 'certificate_request',
        form: 'tls12',
        certificateTypes: [1, 64],
        supportedSignatureAlgorithms: [0x0403, 0x0804],
        certificateAuthorities: [fromHex('3000')],
      },
      0x0303,
    ],
    [
      'TLS 1.3 CertificateRequest',
      {
        type: 'certificate_request',
        form: 'tls13',
        certificateRequestContext: new Uint8Array(0),
        extensions: [{ type: 13, body: fromHex('00020403') }],
      },
      0x0304,
    ],
    [
      'DHE ServerKeyExchange',
      {
        type: 'server_key_exchange',
        params: { kind: 'dhe', p: fromHex('17'), g: fromHex('05'), ys: fromHex('0a') },
        signatureAlgorithm: 0x0401,
        signature: fromHex('aabb'),
      },
      0x0303,
    ],
    [
      'TLS 1.2 NewSessionTicket',
      { type: 'new_session_ticket', form: 'tls12', ticketLifetimeHint: 7200, ticket: fromHex('0102') },
      0x0303,
    ],
    [
      'TLS 1.3 NewSessionTicket',
      {
        type: 'new_session_ticket',
        form: 'tls13',
        ticketLifetime: 7200,
        ticketAgeAdd: 1,
        ticketNonce: fromHex('00'),
        ticket: fromHex('0102'),
        extensions: [],
      },
      0x0304,
    ],
    ['KeyUpdate', { type: 'key_update', requestUpdate: 1 }, 0x0304],
    ['EndOfEarlyData', { type: 'end_of_early_data' }, 0x0304],
    ['ServerHelloDone', { type: 'server_hello_done' }, 0x0303],
    ['unknown type', { type: 'unknown', msgType: 16, body: fromHex('0001ff') }, undefined],
  ];

  for (const [name, message, version] of samples) {
    it(`${name} encodes, decodes back to the same value and re-encodes identically`, () => {
      const bytes = encodeHandshakeMessage(message);
      const parsed = parseHandshakeMessage(bytes, { version });
      const { msgType: _m, raw: _r, ...value } = parsed;
      expect(value.type).toBe(message.type);
      expect(toHex(encodeHandshakeMessage(parsed))).toBe(toHex(bytes));
      // Extensions gain their typed view on decode; the wire fields must match exactly.
      if (message.type !== 'unknown')
        expect(withoutExtensionValues(value)).toEqual(withoutExtensionValues(message));
      // the form is guessed right without a version too
      expect(toHex(encodeHandshakeMessage(parseHandshakeMessage(bytes)))).toBe(toHex(bytes));
    });
  }

  it('rejects a ServerHelloDone with a body and a KeyUpdate value of 2', () => {
    expect(thrown(() => parseHandshakeMessage(fromHex('0e000001 00'))).path).toBe('server_hello_done');
    const err = thrown(() => parseHandshakeMessage(fromHex('18000001 02')));
    expect(err.alert).toBe('illegal_parameter');
    expect(parseHandshakeMessage(fromHex('18000001 02'), { strict: false }).problems).toHaveLength(1);
  });

  it('names the certificate entry in the path of a bad certificate', () => {
    const bad = rfc.certificate.slice();
    bad[9] = 0xff; // first cert_data length (u24 at 8..10) now runs past the list
    const err = thrown(() => parseHandshakeMessage(bad, { version: 0x0304, baseOffset: 1000 }));
    expect(err.path).toBe('certificate.certificate_list[0].cert_data');
    expect(err.offset).toBe(1008);
  });

  test.prop([
    fc.uint8Array({ maxLength: 200 }),
    fc.integer({ min: 0, max: 30 }),
    fc.option(fc.constantFrom(0x0303, 0x0304)),
  ])('random bodies throw nothing but DecodeError', (body, msgType, version) => {
    try {
      parseHandshakeMessage(encodeHandshake(msgType, body), { version: version ?? undefined, strict: false });
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
    }
  });
});

describe('HandshakeReassembler', () => {
  const flight = new Uint8Array([...rfc.serverHello, ...rfc.encryptedExtensions, ...rfc.certificate]);

  test.prop([fc.integer({ min: 1, max: flight.length })])(
    'one message over many records and many messages in one record give the same messages',
    (count) => {
      const hs = new HandshakeReassembler();
      const out = fragmentInto(flight, count).flatMap((r) => hs.push(r.fragment));
      hs.end();
      expect(out.map((m) => toHex(m.raw))).toEqual(
        [rfc.serverHello, rfc.encryptedExtensions, rfc.certificate].map((b) => toHex(b)),
      );
    },
  );

  it('maps offsets of a message spread over records back to the input', () => {
    const hs = new HandshakeReassembler();
    expect(hs.push(rfc.serverHello.subarray(0, 10), 5)).toEqual([]);
    const [m] = hs.push(rfc.serverHello.subarray(10), 20);
    expect(m.offset).toBe(5);
    expect(m.segments).toEqual([
      { start: 0, inputOffset: 5 },
      { start: 10, inputOffset: 20 },
    ]);
  });

  it('refuses a message over the size cap as soon as its header arrives', () => {
    const hs = new HandshakeReassembler({ maxMessageSize: 100 });
    expect(thrown(() => hs.push(fromHex('0b000200'))).code).toBe('too-large');
  });

  it('reports a message left incomplete', () => {
    const hs = new HandshakeReassembler();
    hs.push(rfc.serverHello.subarray(0, 20), 50);
    const err = thrown(() => hs.end());
    expect(err.code).toBe('truncated');
    expect(err.offset).toBe(50);
  });
});

describe('decodeStream', () => {
  it('reads records with offsets and stops with the error at the bad place', () => {
    const good = encodeRecords([{ contentType: 22, version: 0x0303, fragment: rfc.serverHello }]);
    const bad = fromHex('15 0303 0002 0928');
    const { records, messages, error } = decodeStream(new Uint8Array([...good, ...bad, ...good]));
    expect(records.map((r) => r.offset)).toEqual([0, good.length]);
    expect(messages.map((m) => m.type)).toEqual(['server_hello']);
    expect(error?.path).toBe('records[1].alert.level');
    expect(error?.offset).toBe(good.length + 5);
  });

  it('reports alerts, and handshake after change_cipher_spec in TLS 1.2 as encrypted', () => {
    const sh = serverHello(new Uint8Array(32), null);
    const bytes = encodeRecords([
      { contentType: 22, version: 0x0303, fragment: sh },
      { contentType: 20, version: 0x0303, fragment: fromHex('01') },
      { contentType: 22, version: 0x0303, fragment: fromHex('aabbccdd'.repeat(10)) },
      { contentType: 21, version: 0x0303, fragment: fromHex('0228') },
    ]);
    const { messages, error } = decodeStream(bytes);
    expect(error).toBeNull();
    expect(messages.map((m) => m.type)).toEqual([
      'server_hello',
      'change_cipher_spec',
      'encrypted_handshake',
      'encrypted_alert',
    ]);
    const plainAlert = decodeStream(fromHex('15 0303 0002 0228')).messages[0];
    expect(plainAlert).toMatchObject({ type: 'alert', level: 2, description: 40, offset: 5 });
  });

  it('rejects another record type interleaved inside a fragmented handshake message', () => {
    const bytes = encodeRecords([
      { contentType: 22, version: 0x0303, fragment: rfc.serverHello.subarray(0, 10) },
      { contentType: 21, version: 0x0303, fragment: fromHex('0228') },
    ]);
    expect(decodeStream(bytes).error?.code).toBe('unexpected-message');
  });

  it('reports not-tls and a cut-short stream', () => {
    expect(decodeStream(new TextEncoder().encode('HTTP/1.0 200 OK\r\n')).error?.code).toBe('not-tls');
    expect(decodeStream(rfc.clientHelloRecord.subarray(0, 50)).error?.code).toBe('truncated');
  });
});

function withoutExtensionValues(m: object): object {
  if (!('extensions' in m) || !Array.isArray(m.extensions)) return m;
  return {
    ...m,
    extensions: m.extensions.map(({ type, body }: { type: number; body: Uint8Array }) => ({ type, body })),
  };
}
