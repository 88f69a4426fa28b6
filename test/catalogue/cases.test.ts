import { describe, expect, test } from 'vitest';
import { type BuiltClientHello, clientHello } from '../../src/builder/client-hello.ts';
import { DecodeError, type DecodeErrorCode } from '../../src/bytes/errors.ts';
import {
  baseHello,
  CATALOGUE,
  CATALOGUE_SERVER_NAME,
  type CatalogueCase,
  catalogueCase,
} from '../../src/catalogue/cases.ts';
import { seededRandom } from '../../src/crypto/random.ts';
import type { Extension } from '../../src/extensions/types.ts';
import { encodeClientHello, parseClientHello } from '../../src/handshake/client-hello.ts';
import type { ClientHello } from '../../src/handshake/types.ts';
import { extensionTypeName } from '../../src/iana/lookup.ts';

const SEED = 'catalogue-unit';

function extName(type: number): string {
  const name = extensionTypeName(type);
  return name.startsWith('GREASE') ? 'GREASE' : name;
}

/** The random-free shape of an extension body: key shares by group and length, padding by zero-ness, PSK by lengths. */
function shape(e: Extension): string {
  const b = e.body;
  switch (e.type) {
    case 51: {
      const parts: string[] = [];
      for (let i = 2; i + 4 <= b.length; ) {
        const group = (b[i] << 8) | b[i + 1];
        const length = (b[i + 2] << 8) | b[i + 3];
        parts.push(`${group}:${length}`);
        i += 4 + length;
      }
      return `key_share ${parts.join(',')}`;
    }
    case 21:
      return b.every((x) => x === 0) ? 'padding zeros' : 'padding non-zero';
    case 41:
      return `pre_shared_key ${b.length}`;
    case 0xfe0d:
      return 'ech';
    default:
      return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }
}

/**
 * What differs between two hellos, ignoring what is random by design (random, session id
 * bytes, key share bytes, GREASE values) and the padding length (it follows the rest):
 * `legacy_version`, `legacy_session_id` (length), `cipher_suites`, `compression`,
 * `no extensions`, `+NAME`/`-NAME` (an extension added/removed, once per copy), `~NAME`
 * (its body changed), `order`, `trailing`, `record`, `lengths`.
 */
function diffHellos(base: ClientHello, other: ClientHello): string[] {
  const out: string[] = [];
  if (base.legacyVersion !== other.legacyVersion) out.push('legacy_version');
  if (base.legacySessionId.length !== other.legacySessionId.length) out.push('legacy_session_id');
  const suites = (h: ClientHello) =>
    h.cipherSuites.map((s) => ((s & 0x0f0f) === 0x0a0a ? 'GREASE' : s)).join();
  if (suites(base) !== suites(other)) out.push('cipher_suites');
  if (base.legacyCompressionMethods.join() !== other.legacyCompressionMethods.join()) out.push('compression');
  if (JSON.stringify(base.lengthOverrides ?? {}) !== JSON.stringify(other.lengthOverrides ?? {}))
    out.push('lengths');
  if (JSON.stringify(base.record ?? null) !== JSON.stringify(other.record ?? null)) out.push('record');
  if ((base.trailing?.length ?? 0) !== (other.trailing?.length ?? 0)) out.push('trailing');
  if (other.extensions === null) return [...out, 'no extensions'];
  const a = base.extensions ?? [];
  const b = other.extensions;
  const remaining = [...b];
  for (const e of a) {
    const i = remaining.findIndex((x) => x.type === e.type);
    if (i < 0) {
      out.push(`-${extName(e.type)}`);
      continue;
    }
    const [match] = remaining.splice(i, 1);
    const wasGrease = extName(e.type) === 'GREASE';
    if (!wasGrease && shape(match) !== shape(e)) out.push(`~${extName(e.type)}`);
  }
  for (const e of remaining) out.push(`+${extName(e.type)}`);
  const common = new Set(a.map((e) => e.type));
  const order = (list: readonly Extension[], keep: Set<number>) =>
    list
      .filter((e) => keep.has(e.type))
      .map((e) => e.type)
      .filter((t, i, all) => all.indexOf(t) === i)
      .join();
  const both = new Set(b.filter((e) => common.has(e.type)).map((e) => e.type));
  if (order(a, both) !== order(b, both)) out.push('order');
  return out;
}

interface Expectation {
  /** What diffHellos reports against the default hello (for cases that carry a `hello`). */
  readonly changes?: readonly string[];
  /** `ok`, or the DecodeError code and a part of its path that a strict parse throws. */
  readonly strict: 'ok' | readonly [DecodeErrorCode, string];
}

const EXPECTATIONS: Readonly<Record<string, Expectation>> = {
  baseline: { changes: [], strict: 'ok' },
  'sni-none': { changes: ['-server_name'], strict: 'ok' },
  'sni-unknown': { changes: ['~server_name'], strict: 'ok' },
  'sni-empty': { changes: ['~server_name'], strict: ['empty-list', 'server_name_list[0].host_name'] },
  'sni-trailing-dot': { changes: ['~server_name'], strict: ['illegal-value', 'host_name'] },
  'sni-ip-literal': { changes: ['~server_name'], strict: ['illegal-value', 'host_name'] },
  'sni-underscore': { changes: ['~server_name'], strict: 'ok' },
  'sni-unknown-name-type': { changes: ['~server_name'], strict: 'ok' },
  'sni-two-host-names': { changes: ['~server_name'], strict: ['duplicate', 'server_name_list[1]'] },
  'sni-inner-length-short': { changes: ['~server_name'], strict: ['truncated', 'server_name_list[1]'] },
  'version-ssl3-only': { changes: ['legacy_version', '-supported_versions'], strict: 'ok' },
  'version-tls10-only': { changes: ['legacy_version', '-supported_versions'], strict: 'ok' },
  'supported-versions-only-future': { changes: ['~supported_versions'], strict: 'ok' },
  'legacy-version-0x0304': { changes: ['legacy_version'], strict: 'ok' },
  'legacy-version-future-no-supported-versions': {
    changes: ['legacy_version', '-supported_versions'],
    strict: 'ok',
  },
  'no-common-cipher-suite': { changes: ['cipher_suites'], strict: 'ok' },
  'empty-cipher-suites': { changes: ['cipher_suites'], strict: ['empty-list', 'cipher_suites'] },
  // The odd byte is laid into the typed fields by borrowing the compression length (see rawCipherSuites).
  'odd-cipher-suites-length': {
    changes: ['cipher_suites', 'compression', 'lengths'],
    strict: ['bad-length', 'cipher_suites'],
  },
  'tls13-no-key-share': { changes: ['-key_share'], strict: 'ok' },
  'key-share-empty': { changes: ['~key_share'], strict: 'ok' },
  'groups-only-unknown': { changes: ['~supported_groups', '~key_share'], strict: 'ok' },
  'key-share-group-not-offered': { changes: ['~key_share'], strict: 'ok' },
  'key-share-wrong-length': {
    changes: ['~key_share'],
    strict: ['illegal-value', 'key_share.client_shares[0].key_exchange'],
  },
  'key-share-duplicate-group': {
    changes: ['~key_share'],
    strict: ['duplicate', 'key_share.client_shares[1]'],
  },
  'tls13-no-signature-algorithms': { changes: ['-signature_algorithms'], strict: 'ok' },
  'unknown-extension': { changes: ['+unknown(0x0777)'], strict: 'ok' },
  'duplicate-known-extension': {
    changes: ['+extended_master_secret'],
    strict: ['duplicate', 'extensions[11]'],
  },
  'duplicate-unknown-extension': {
    changes: ['+unknown(0x0777)', '+unknown(0x0777)'],
    strict: ['duplicate', 'extensions[12]'],
  },
  'extensions-length-past-end': { changes: ['lengths'], strict: ['truncated', 'client_hello.extensions'] },
  'empty-extensions-block': {
    changes: [
      '-server_name',
      '-extended_master_secret',
      '-renegotiation_info',
      '-supported_groups',
      '-ec_point_formats',
      '-session_ticket',
      '-application_layer_protocol_negotiation',
      '-signature_algorithms',
      '-key_share',
      '-psk_key_exchange_modes',
      '-supported_versions',
      '-padding',
    ],
    strict: 'ok',
  },
  'no-extensions-block': { changes: ['no extensions'], strict: 'ok' },
  'compression-without-null': {
    changes: ['compression'],
    strict: ['illegal-value', 'legacy_compression_methods'],
  },
  'compression-deflate-and-null': {
    changes: ['compression'],
    strict: ['illegal-value', 'legacy_compression_methods'],
  },
  'alpn-empty-protocol': {
    changes: ['~application_layer_protocol_negotiation'],
    strict: ['empty-list', 'protocol_name'],
  },
  'padding-non-zero': { changes: ['~padding'], strict: ['illegal-value', 'padding'] },
  'psk-unknown-identity': { changes: ['+pre_shared_key'], strict: 'ok' },
  'psk-without-modes': {
    changes: ['-psk_key_exchange_modes', '+pre_shared_key'],
    strict: ['missing', 'client_hello.extensions'],
  },
  'psk-not-last': { changes: ['+pre_shared_key'], strict: ['misplaced', 'pre_shared_key'] },
  'grease-everywhere': {
    changes: [
      'cipher_suites',
      '~supported_groups',
      '~signature_algorithms',
      '~key_share',
      '-padding',
      '~supported_versions',
      '+GREASE',
      '+GREASE',
      '+encrypted_client_hello',
    ],
    strict: 'ok',
  },
  'hello-256-511-bytes': { changes: ['-padding'], strict: 'ok' },
  'hello-over-16k': { changes: ['record'], strict: 'ok' },
  'hello-1-byte-records': { changes: ['record'], strict: 'ok' },
  'session-id-33-bytes': { changes: ['legacy_session_id'], strict: ['bad-length', 'legacy_session_id'] },
  'trailing-byte-in-message': { changes: ['trailing'], strict: ['trailing', 'client_hello'] },
  'record-version-0x0300': { changes: ['record'], strict: 'ok' },
  'record-not-handshake': { changes: ['record'], strict: ['unexpected-message', 'client_hello'] },
  'ccs-before-hello': { strict: ['unexpected-message', 'client_hello'] },
  'sslv2-compatible-hello': { strict: ['not-tls', 'client_hello'] },
};

function strictOutcome(bytes: Uint8Array): 'ok' | readonly [DecodeErrorCode, string] {
  try {
    parseClientHello(bytes);
    return 'ok';
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return [e.code, e.path];
  }
}

function build(c: CatalogueCase) {
  return c.build(seededRandom(SEED));
}

describe('the catalogue', () => {
  test('has at least 30 cases with unique kebab-case ids', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
    const ids = CATALOGUE.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test('every case has a title and a one-sentence description naming what it bends', () => {
    for (const c of CATALOGUE) {
      expect(c.title.length, c.id).toBeGreaterThan(0);
      expect(c.what, c.id).toMatch(/^[A-Z`a-z].*\.$/);
      expect(['continue', 'abort', 'either'], c.id).toContain(c.rfc);
    }
  });

  test('every case has an expectation in this file, and every expectation a case', () => {
    expect(Object.keys(EXPECTATIONS).sort()).toEqual(CATALOGUE.map((c) => c.id).sort());
  });

  test('catalogueCase finds a case by id and rejects an unknown one', () => {
    expect(catalogueCase('baseline').id).toBe('baseline');
    expect(() => catalogueCase('no-such-case')).toThrow(TypeError);
  });

  test('the default hello serves hellokit.test with real X25519 and P-256 shares', () => {
    const hello = baseHello(seededRandom(SEED));
    expect(hello.keyShares.map((k) => k.group)).toEqual([0x001d, 0x0017]);
    const parsed = parseClientHello(encodeClientHello(hello));
    const sni = parsed.extensions!.find((e) => e.type === 0)!;
    expect((sni.value as { serverNameList: { hostName: string }[] }).serverNameList[0].hostName).toBe(
      CATALOGUE_SERVER_NAME,
    );
  });
});

describe.each(CATALOGUE.map((c) => [c.id, c] as const))('case %s', (id, c) => {
  const expectation = EXPECTATIONS[id];

  test('builds, and the same seed gives the same bytes', () => {
    const a = build(c);
    expect(a.bytes.length).toBeGreaterThan(0);
    expect(build(c).bytes).toEqual(a.bytes);
    expect(c.build(seededRandom(`${SEED}-other`)).bytes).not.toEqual(a.bytes);
  });

  test('its hello value encodes to exactly its bytes', () => {
    const sent = build(c);
    if (!sent.hello) {
      expect(expectation.changes, 'a case without a hello value has no field diff').toBeUndefined();
      return;
    }
    expect(encodeClientHello(sent.hello)).toEqual(sent.bytes);
  });

  test('differs from the default hello only in what it says', () => {
    const sent = build(c);
    if (!sent.hello) return;
    const base = baseHello(seededRandom(SEED));
    expect(diffHellos(base, sent.hello).sort()).toEqual([...(expectation.changes ?? [])].sort());
  });

  test('a strict parse accepts it or fails where the fault is', () => {
    const got = strictOutcome(build(c).bytes);
    if (expectation.strict === 'ok') {
      expect(got).toBe('ok');
    } else {
      expect(got).not.toBe('ok');
      const [code, path] = got as readonly [DecodeErrorCode, string];
      expect(code).toBe(expectation.strict[0]);
      expect(path).toContain(expectation.strict[1]);
    }
  });
});

/** Field checks for what a structural diff cannot see. */
describe('case details', () => {
  const value = (id: string): BuiltClientHello => build(catalogueCase(id)).hello!;
  const ext = (h: ClientHello, type: number) => h.extensions!.find((e) => e.type === type)!;
  const lenient = (id: string) => parseClientHello(build(catalogueCase(id)).bytes, { strict: false });

  test('SNI cases carry the names they describe', () => {
    const host = (id: string) =>
      (ext(lenient(id), 0).value as { serverNameList: { nameType: number; hostName?: string }[] })
        .serverNameList;
    expect(host('sni-unknown')[0].hostName).toBe('not-served.test');
    expect(host('sni-trailing-dot')[0].hostName).toBe('hellokit.test.');
    expect(host('sni-ip-literal')[0].hostName).toBe('127.0.0.1');
    expect(host('sni-underscore')[0].hostName).toBe('hello_kit.test');
    expect(host('sni-unknown-name-type').map((e) => e.nameType)).toEqual([1]);
    expect(host('sni-two-host-names').map((e) => e.hostName)).toEqual(['hellokit.test', 'other.test']);
    // host_name length 10 where 13 bytes follow.
    const body = ext(value('sni-inner-length-short'), 0).body;
    expect([(body[3] << 8) | body[4], body.length - 5]).toEqual([10, 13]);
  });

  test('version cases carry the versions they describe', () => {
    expect(value('version-ssl3-only').legacyVersion).toBe(0x0300);
    expect(value('version-tls10-only').legacyVersion).toBe(0x0301);
    expect(value('legacy-version-0x0304').legacyVersion).toBe(0x0304);
    expect(value('legacy-version-future-no-supported-versions').legacyVersion).toBe(0x0305);
    expect(Array.from(ext(value('supported-versions-only-future'), 43).body)).toEqual([2, 0x03, 0x05]);
  });

  test('cipher suite cases carry the lists they describe', () => {
    expect(value('no-common-cipher-suite').cipherSuites).toEqual([0x003b, 0x0034]);
    const bytes = build(catalogueCase('empty-cipher-suites')).bytes;
    const at = 5 + 4 + 2 + 32 + 1 + 32; // record, handshake header, version, random, session id
    expect([bytes[at], bytes[at + 1]]).toEqual([0, 0]);
    const odd = build(catalogueCase('odd-cipher-suites-length')).bytes;
    expect((odd[at] << 8) | odd[at + 1]).toBe(19);
  });

  test('key share cases carry the shares they describe', () => {
    const shares = (id: string) =>
      (
        ext(lenient(id), 51).value as { clientShares: { group: number; keyExchange: Uint8Array }[] }
      ).clientShares.map((s) => [s.group, s.keyExchange.length]);
    expect(shares('key-share-empty')).toEqual([]);
    expect(shares('groups-only-unknown')).toEqual([[0x0777, 32]]);
    expect(Array.from(ext(value('groups-only-unknown'), 10).body)).toEqual([0, 2, 0x07, 0x77]);
    expect(shares('key-share-group-not-offered')).toEqual([[0x0019, 133]]);
    expect(ext(value('key-share-group-not-offered'), 10).body).toEqual(ext(value('baseline'), 10).body);
    expect(shares('key-share-wrong-length')).toEqual([
      [0x001d, 31],
      [0x0017, 65],
    ]);
    expect(shares('key-share-duplicate-group')).toEqual([
      [0x001d, 32],
      [0x001d, 32],
      [0x0017, 65],
    ]);
  });

  test('compression, ALPN and padding cases carry the values they describe', () => {
    expect(value('compression-without-null').legacyCompressionMethods).toEqual([1]);
    expect(value('compression-deflate-and-null').legacyCompressionMethods).toEqual([1, 0]);
    const alpn = ext(value('alpn-empty-protocol'), 16).body;
    expect(Array.from(alpn)).toEqual([0, 4, 2, 0x68, 0x32, 0]);
    const padding = ext(value('padding-non-zero'), 21).body;
    expect(padding.length).toBeGreaterThan(0);
    expect(padding.every((b) => b === 0xff)).toBe(true);
  });

  test('PSK cases put pre_shared_key where they say', () => {
    const types = (id: string) => value(id).extensions!.map((e) => e.type);
    expect(types('psk-unknown-identity').at(-1)).toBe(41);
    expect(types('psk-unknown-identity')).toContain(45);
    expect(types('psk-without-modes').at(-1)).toBe(41);
    expect(types('psk-without-modes')).not.toContain(45);
    expect(types('psk-not-last').slice(-2)).toEqual([41, 21]);
  });

  test('size and framing cases have the sizes they describe', () => {
    const message = (id: string) => {
      const h = value(id);
      return encodeClientHello({ ...h, record: { version: 0x0301 } }).length - 5;
    };
    expect(message('hello-256-511-bytes')).toBeGreaterThanOrEqual(256);
    expect(message('hello-256-511-bytes')).toBeLessThanOrEqual(511);
    expect(message('baseline')).toBe(512);
    expect(value('hello-over-16k').record?.fragments).toEqual([16384, 17000 - 16384]);
    const ones = value('hello-1-byte-records').record!.fragments!;
    expect(ones.every((n) => n === 1)).toBe(true);
    expect(ones.length).toBe(message('baseline'));
    expect(value('session-id-33-bytes').legacySessionId.length).toBe(33);
    expect(Array.from(value('trailing-byte-in-message').trailing!)).toEqual([0]);
    expect(lenient('trailing-byte-in-message').problems!.map((p) => p.code)).toEqual(['trailing']);
  });

  test('record cases change only the record header', () => {
    const base = encodeClientHello(value('baseline'));
    const v300 = build(catalogueCase('record-version-0x0300')).bytes;
    expect(Array.from(v300.subarray(0, 3))).toEqual([0x16, 0x03, 0x00]);
    const appData = build(catalogueCase('record-not-handshake')).bytes;
    expect(appData[0]).toBe(23);
    for (const b of [v300, appData]) {
      expect(b.length).toBe(base.length);
      expect(b.subarray(5, 9)).toEqual(base.subarray(5, 9));
    }
  });

  test('ccs-before-hello is a ChangeCipherSpec record and then the default hello', () => {
    const bytes = build(catalogueCase('ccs-before-hello')).bytes;
    expect(Array.from(bytes.subarray(0, 6))).toEqual([0x14, 0x03, 0x03, 0x00, 0x01, 0x01]);
    expect(bytes.subarray(6)).toEqual(encodeClientHello(baseHello(seededRandom(SEED))));
    expect(parseClientHello(bytes.subarray(6)).legacyVersion).toBe(0x0303);
  });

  test('sslv2-compatible-hello is an SSLv2 CLIENT-HELLO offering TLS 1.2', () => {
    const b = build(catalogueCase('sslv2-compatible-hello')).bytes;
    const length = ((b[0] & 0x7f) << 8) | b[1];
    expect(b[0] & 0x80).toBe(0x80);
    expect(length).toBe(b.length - 2);
    expect(b[2]).toBe(1); // msg_type CLIENT-HELLO
    expect((b[3] << 8) | b[4]).toBe(0x0303);
    const specs = (b[5] << 8) | b[6];
    const sessionId = (b[7] << 8) | b[8];
    const challenge = (b[9] << 8) | b[10];
    expect(specs % 3).toBe(0);
    expect([sessionId, challenge]).toEqual([0, 32]);
    expect(11 + specs + sessionId + challenge).toBe(b.length);
  });

  test('grease-everywhere is what the builder makes with grease and ECH GREASE', () => {
    const built = clientHello({ serverName: CATALOGUE_SERVER_NAME, grease: true, echGrease: true, seed: 1 });
    expect(built.extensions!.some((e) => e.type === 0xfe0d)).toBe(true);
    expect(value('grease-everywhere').extensions!.some((e) => e.type === 0xfe0d)).toBe(true);
  });
});
