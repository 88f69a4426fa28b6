import { describe, expect, test } from 'vitest';
import {
  boringSslPaddingLength,
  type ClientHelloOptions,
  clientHello,
  fragmentSizes,
  serverNameBody,
} from '../../src/builder/index.ts';
import { DecodeError } from '../../src/bytes/errors.ts';
import { deriveSharedSecret, respondToKeyShare, seededRandom } from '../../src/crypto/index.ts';
import type { Extension } from '../../src/extensions/types.ts';
import {
  encodeClientHello,
  encodeClientHelloMessage,
  parseClientHello,
} from '../../src/handshake/client-hello.ts';

const bytes = (o: ClientHelloOptions = {}) => encodeClientHello(clientHello({ seed: 'test', ...o }));
const ext = (exts: readonly Extension[] | null, type: number) => exts?.find((e) => e.type === type);
const u16s = (b: Uint8Array, from = 2) => {
  const out: number[] = [];
  for (let i = from; i + 1 < b.length; i += 2) out.push((b[i] << 8) | b[i + 1]);
  return out;
};
const isGrease = (v: number) => (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);

describe('clientHello defaults', () => {
  test('is a TLS 1.3 + 1.2 hello that parses strictly and re-encodes byte-identically', () => {
    const b = bytes();
    const parsed = parseClientHello(b);
    expect(encodeClientHello(parsed)).toEqual(b);
    expect(b[0]).toBe(0x16);
    expect((b[1] << 8) | b[2]).toBe(0x0301);
    expect(parsed.legacyVersion).toBe(0x0303);
    expect(parsed.legacySessionId.length).toBe(32);
    expect(parsed.legacyCompressionMethods).toEqual([0]);
    expect(u16s(ext(parsed.extensions, 43)!.body, 1)).toEqual([0x0304, 0x0303]);
    expect(u16s(ext(parsed.extensions, 10)!.body)).toEqual([0x001d, 0x0017, 0x0018]);
    expect(parsed.cipherSuites).toContain(0xc02b);
    expect(parsed.cipherSuites).toContain(0xc02f);
    expect(parsed.cipherSuites.slice(0, 3)).toEqual([0x1301, 0x1302, 0x1303]);
    expect(ext(parsed.extensions, 0)).toBeUndefined();
  });

  test('carries real x25519 and P-256 key shares whose private halves finish the exchange', () => {
    const hello = clientHello({ seed: 5 });
    expect(hello.keyShares.map((k) => k.group)).toEqual([0x001d, 0x0017]);
    const body = ext(hello.extensions, 51)!.body;
    expect((body[2] << 8) | body[3]).toBe(0x001d);
    for (const share of hello.keyShares) {
      const server = respondToKeyShare(share.group, share.keyExchange, seededRandom('server'));
      expect(deriveSharedSecret(share, server.keyExchange)).toEqual(server.sharedSecret);
    }
  });

  test('the same seed gives identical bytes; another seed does not', () => {
    expect(bytes({ seed: 'a', preset: 'chrome', serverName: 'x.test' })).toEqual(
      bytes({ seed: 'a', preset: 'chrome', serverName: 'x.test' }),
    );
    expect(bytes({ seed: 'a' })).toEqual(bytes({ seed: 'a' }));
    expect(bytes({ seed: 'a' })).not.toEqual(bytes({ seed: 'b' }));
  });

  test('without a seed two builds differ (fresh random, session id and keys)', () => {
    expect(encodeClientHello(clientHello())).not.toEqual(encodeClientHello(clientHello()));
  });
});

describe('each option changes what it says', () => {
  const base = parseClientHello(bytes());
  const diff = (o: ClientHelloOptions) => parseClientHello(bytes(o));

  test('serverName adds server_name with that host; null leaves it out', () => {
    const h = diff({ serverName: 'example.com' });
    expect(ext(h.extensions, 0)!.body).toEqual(serverNameBody('example.com'));
    expect(ext(diff({ serverName: null }).extensions, 0)).toBeUndefined();
  });

  test('cipherSuites take IANA names, OpenSSL names and hex codes', () => {
    const h = diff({
      cipherSuites: ['TLS_AES_256_GCM_SHA384', 'ECDHE-RSA-AES128-GCM-SHA256', '0xc030', 0x002f],
    });
    expect(h.cipherSuites).toEqual([0x1302, 0xc02f, 0xc030, 0x002f]);
    expect(h.extensions!.map((e) => e.type)).toEqual(base.extensions!.map((e) => e.type));
  });

  test('an unknown name is a TypeError with close matches', () => {
    expect(() => clientHello({ cipherSuites: ['TLS_AES_128_GCM_SHA265'] })).toThrow(/TLS_AES_128_GCM_SHA256/);
    expect(() => clientHello({ groups: ['x25518'] })).toThrow(TypeError);
    expect(() => clientHello({ signatureAlgorithms: ['ecdsa_secp256r1_sha265'] })).toThrow(
      /ecdsa_secp256r1_sha256/,
    );
  });

  test('groups, keyShares, signatureAlgorithms and alpn set their extensions', () => {
    const h = clientHello({
      seed: 1,
      groups: ['P-384', 'X25519MLKEM768', 'secp521r1', 'SecP256r1MLKEM768', 'SecP384r1MLKEM1024'],
      keyShares: ['secp384r1', 'X25519MLKEM768', 'secp521r1', 'SecP256r1MLKEM768', 'SecP384r1MLKEM1024'],
      signatureAlgorithms: ['ECDSA+SHA256', 'rsa_pss_rsae_sha256'],
      alpn: ['http/1.1'],
    });
    expect(u16s(ext(h.extensions, 10)!.body)).toEqual([0x0018, 0x11ec, 0x0019, 0x11eb, 0x11ed]);
    expect(h.keyShares.map((k) => k.group)).toEqual([0x0018, 0x11ec, 0x0019, 0x11eb, 0x11ed]);
    expect(h.keyShares.map((k) => k.keyExchange.length)).toEqual([97, 1216, 133, 1249, 1665]);
    expect(u16s(ext(h.extensions, 13)!.body)).toEqual([0x0403, 0x0804]);
    expect([...ext(h.extensions, 16)!.body]).toEqual([0, 9, 8, ...new TextEncoder().encode('http/1.1')]);
    expect(encodeClientHello(parseClientHello(encodeClientHello(h)))).toEqual(encodeClientHello(h));
  });

  test('versions, legacyVersion, random, sessionId and compressionMethods', () => {
    const random = new Uint8Array(32).fill(7);
    const h = diff({
      versions: ['TLS 1.3'],
      legacyVersion: 'TLS 1.0',
      random,
      sessionId: 0,
      compressionMethods: [0],
    });
    expect(u16s(ext(h.extensions, 43)!.body, 1)).toEqual([0x0304]);
    expect(h.legacyVersion).toBe(0x0301);
    expect(h.random).toEqual(random);
    expect(h.legacySessionId.length).toBe(0);
    expect(diff({ sessionId: Uint8Array.of(1, 2, 3) }).legacySessionId).toEqual(Uint8Array.of(1, 2, 3));
    expect(() => clientHello({ random: new Uint8Array(31) })).toThrow(
      /"random" expected Uint8Array of length 32, got 31/,
    );
  });

  test("tls: '1.2' drops supported_versions, key_share, psk modes and TLS 1.3 suites", () => {
    const h = diff({ tls: '1.2' });
    for (const t of [43, 51, 45]) expect(ext(h.extensions, t)).toBeUndefined();
    expect(h.cipherSuites.some((s) => s >> 8 === 0x13)).toBe(false);
    expect(u16s(ext(diff({ tls: '1.3' }).extensions, 43)!.body, 1)).toEqual([0x0304]);
  });

  test('extensionOrder sets the order; removeExtensions, replaceExtensions and addExtensions edit it', () => {
    const order = diff({
      extensionOrder: ['supported_versions', 'key_share', 'supported_groups', 'signature_algorithms'],
      padding: false,
    });
    expect(order.extensions!.map((e) => e.type)).toEqual([43, 51, 10, 13]);
    const edited = diff({
      padding: false,
      removeExtensions: ['session_ticket'],
      replaceExtensions: [
        { type: 'renegotiation_info', body: Uint8Array.of(0) },
        { type: 0x1234, body: Uint8Array.of(9) },
      ],
      addExtensions: [{ type: 0xabcd, body: Uint8Array.of(1, 2) }],
    });
    expect(ext(edited.extensions, 35)).toBeUndefined();
    expect(edited.extensions!.slice(-2).map((e) => e.type)).toEqual([0x1234, 0xabcd]);
  });

  test('permuteExtensions shuffles by seed and keeps pre_shared_key last', () => {
    // A well-formed pre_shared_key: one 1-byte identity, one 32-byte binder.
    const psk = {
      type: 41,
      body: Uint8Array.of(0, 7, 0, 1, 0xaa, 0, 0, 0, 0, 0, 33, 32, ...new Uint8Array(32)),
    };
    const a = diff({ permuteExtensions: true, addExtensions: [psk], seed: 1, padding: false });
    const b = diff({ permuteExtensions: true, addExtensions: [psk], seed: 2, padding: false });
    expect(a.extensions!.at(-1)!.type).toBe(41);
    expect(b.extensions!.at(-1)!.type).toBe(41);
    expect(a.extensions!.map((e) => e.type)).not.toEqual(b.extensions!.map((e) => e.type));
    expect([...a.extensions!.map((e) => e.type)].sort()).toEqual(
      [...b.extensions!.map((e) => e.type)].sort(),
    );
  });
});

describe('GREASE', () => {
  test('grease: true puts RFC 8701 values where BoringSSL does', () => {
    const h = clientHello({ grease: true, seed: 11 });
    const exts = h.extensions!;
    expect(isGrease(h.cipherSuites[0])).toBe(true);
    expect(isGrease(exts[0].type) && exts[0].body.length === 0).toBe(true);
    const last = [...exts].reverse().find((e) => e.type !== 21)!;
    expect(isGrease(last.type) && last.body.length === 1 && last.body[0] === 0).toBe(true);
    expect(exts[0].type).not.toBe(last.type);
    const groups = u16s(ext(exts, 10)!.body);
    expect(isGrease(groups[0])).toBe(true);
    const ks = ext(exts, 51)!.body;
    expect((ks[2] << 8) | ks[3]).toBe(groups[0]);
    expect([...ks.subarray(4, 7)]).toEqual([0, 1, 0]);
    expect(isGrease(u16s(ext(exts, 43)!.body, 1)[0])).toBe(true);
    expect(h.keyShares.map((k) => k.group)).toEqual([0x001d, 0x0017]);
  });

  test('the two GREASE extensions differ for every seed', () => {
    for (let seed = 0; seed < 64; seed++) {
      const exts = clientHello({ grease: { extensions: true }, seed, padding: false }).extensions!;
      expect(exts[0].type).not.toBe(exts.at(-1)!.type);
    }
  });

  test('psk modes and compress_certificate GREASE on request', () => {
    const h = clientHello({
      grease: { pskModes: true, certificateCompression: true },
      certificateCompression: [2],
      extensionOrder: ['psk_key_exchange_modes', 'compress_certificate', 'supported_versions'],
      seed: 3,
    });
    const modes = ext(h.extensions, 45)!.body;
    expect(modes[0]).toBe(2);
    expect([0x0b, 0x2a, 0x49, 0x68, 0x87, 0xa6, 0xc5, 0xe4]).toContain(modes[1]);
    const cc = ext(h.extensions, 27)!.body;
    expect(isGrease((cc[1] << 8) | cc[2])).toBe(true);
    expect((cc[3] << 8) | cc[4]).toBe(2);
  });

  test('echGrease adds a realistic outer encrypted_client_hello', () => {
    const ech = ext(clientHello({ echGrease: true, seed: 4 }).extensions, 0xfe0d)!.body;
    expect([...ech.subarray(0, 5)]).toEqual([0, 0, 1, 0, 1]);
    expect((ech[6] << 8) | ech[7]).toBe(32);
    expect([186, 218, 250, 282]).toContain(ech.length);
  });
});

describe('padding', () => {
  test("BoringSSL's rule pads 256–511-byte messages to 512 and leaves the rest", () => {
    expect(boringSslPaddingLength(255)).toBeNull();
    expect(boringSslPaddingLength(256)).toBe(252);
    expect(boringSslPaddingLength(507)).toBe(1);
    expect(boringSslPaddingLength(508)).toBe(1);
    expect(boringSslPaddingLength(511)).toBe(1);
    expect(boringSslPaddingLength(512)).toBeNull();
    expect(boringSslPaddingLength(300, true)).toBe(208);
    expect(boringSslPaddingLength(200, true)).toBe(1);
  });

  test('a hello whose message is 256–511 bytes before padding is padded to exactly 512', () => {
    for (const name of ['a', 'a'.repeat(60), 'a'.repeat(150)]) {
      const unpadded = encodeClientHelloMessage(
        clientHello({ seed: 1, serverName: name, padding: false }),
      ).length;
      const padded = clientHello({ seed: 1, serverName: name });
      const length = encodeClientHelloMessage(padded).length;
      if (unpadded > 255 && unpadded < 508) {
        expect(length).toBe(512);
        expect(padded.extensions!.at(-1)!.type).toBe(21);
      } else if (unpadded >= 508 && unpadded < 512) {
        expect(length).toBe(unpadded + 5);
      } else expect(length).toBe(unpadded);
    }
  });

  test('hellos just under 256 and at 512 are not padded', () => {
    const small = clientHello({
      seed: 1,
      keyShares: ['x25519'],
      cipherSuites: ['TLS_AES_128_GCM_SHA256'],
      alpn: null,
      sessionId: 0,
    });
    expect(encodeClientHelloMessage(small).length).toBeLessThan(256);
    expect(ext(small.extensions, 21)).toBeUndefined();
  });

  test('padding: N pads the handshake message to N bytes', () => {
    expect(encodeClientHelloMessage(clientHello({ seed: 1, padding: 1000 })).length).toBe(1000);
    expect(() => clientHello({ seed: 1, padding: 100 })).toThrow(RangeError);
  });
});

describe('record framing', () => {
  test('fragment: N splits the message over N records; offsets cut where asked', () => {
    const h = clientHello({ seed: 1, fragment: 3 });
    const b = encodeClientHello(h);
    expect(h.record!.fragments!.length).toBe(3);
    expect(parseClientHello(b).record!.fragments).toEqual(h.record!.fragments);
    const cut = clientHello({ seed: 1, fragment: { offsets: [1, 10] } });
    expect(cut.record!.fragments!.slice(0, 2)).toEqual([1, 9]);
    expect(fragmentSizes(10, 3)).toEqual([4, 3, 3]);
  });

  test('record.version sets the record header version', () => {
    const b = bytes({ record: { version: 0x0303 } });
    expect((b[1] << 8) | b[2]).toBe(0x0303);
  });
});

describe('forgery: one option away, and parseClientHello reports it', () => {
  test('an SNI whose inner host_name length is short', () => {
    const body = serverNameBody('example.com');
    const forged = body.slice();
    forged[4] = 3; // host_name length 11 → 3
    const b = bytes({
      serverName: 'example.com',
      replaceExtensions: [{ type: 'server_name', body: forged }],
    });
    expect(ext(parseClientHello(b, { strict: false }).extensions, 0)!.body).toEqual(forged);
  });

  test('a duplicate extension', () => {
    const b = bytes({ addExtensions: [{ type: 'extended_master_secret', body: new Uint8Array(0) }] });
    expect(() => parseClientHello(b)).toThrow(DecodeError);
    const lenient = parseClientHello(b, { strict: false });
    expect(lenient.problems!.some((p) => p.code === 'duplicate')).toBe(true);
  });

  test('a cipher list of odd length via rawCipherSuites', () => {
    const b = bytes({ rawCipherSuites: Uint8Array.of(0x13, 0x01, 0x13) });
    // legacy_version(2) random(32) session id (1+32), then the vector: 00 03 13 01 13, then 01 00.
    const at = 4 + 2 + 32 + 1 + 32;
    expect([...b.subarray(5 + at, 5 + at + 7)]).toEqual([0, 3, 0x13, 0x01, 0x13, 1, 0]);
    expect(() => parseClientHello(b)).toThrow(/cipher_suites.*length 3 is not a multiple of 2/);
  });

  test('an extension length override lies about extension_data', () => {
    const b = bytes({
      replaceExtensions: [{ type: 'renegotiation_info', body: Uint8Array.of(0), lengthOverride: 5 }],
    });
    expect(() => parseClientHello(b)).toThrow(DecodeError);
  });

  test('lengthOverrides forge the hello length fields', () => {
    const b = bytes({ lengthOverrides: { legacySessionId: 33 } });
    expect(b[5 + 4 + 2 + 32]).toBe(33);
    expect(() => parseClientHello(b)).toThrow(DecodeError);
  });
});
