/**
 * The catalogue of unusual and malformed ClientHellos: each case starts from the builder's
 * default hello for SNI `hellokit.test` (real X25519 and P-256 key shares) and changes one
 * thing. `test/catalogue/` sends every case to every real server of the test harness and
 * records what each one answered (docs/catalogue.md).
 */
import { serverNameBody } from '../builder/bodies.ts';
import {
  type BuiltClientHello,
  type ClientHelloOptions,
  clientHello,
  DEFAULT_OPTIONS,
} from '../builder/client-hello.ts';
import { concatBytes } from '../bytes/hex.ts';
import { Writer } from '../bytes/writer.ts';
import type { RandomSource } from '../crypto/random.ts';
import { encodeBody } from '../extensions/block.ts';
import { keyShareCodec } from '../extensions/key-share.ts';
import { serverNameCodec } from '../extensions/server-name.ts';
import type { Extension } from '../extensions/types.ts';
import { encodeClientHello, encodeClientHelloMessage } from '../handshake/client-hello.ts';
import type { ClientHello } from '../handshake/types.ts';
import { lookupCipherSuite } from '../iana/lookup.ts';

/** The host name every case is built for (the harness serves it by default). */
export const CATALOGUE_SERVER_NAME = 'hellokit.test';

/** What a case sends. */
export interface CatalogueHello {
  /** The bytes to write to the socket: one or more TLS records (or, for SSLv2, not quite). */
  readonly bytes: Uint8Array;
  /**
   * The hello as a value, when `bytes` is exactly `encodeClientHello(hello)`; it carries the
   * private key shares so a TLS 1.3 answer can be decrypted. Absent for bytes no ClientHello
   * value can express (an SSLv2 hello, a record before the hello).
   */
  readonly hello?: BuiltClientHello;
}

/** One row of the catalogue. */
export interface CatalogueCase {
  /** Stable kebab-case id (the key in test/catalogue/expected.json). */
  readonly id: string;
  /** Short title for the table. */
  readonly title: string;
  /** One sentence: what is unusual and which RFC rule it bends or breaks. */
  readonly what: string;
  /**
   * What the RFCs tell a server to do with this hello: `continue` (answer with a ServerHello or
   * HelloRetryRequest), `abort` (the bytes do not decode, or an RFC says the server MUST abort),
   * or `either` (the rule binds the client, and the server MAY check it).
   */
  readonly rfc: 'continue' | 'abort' | 'either';
  /** The bytes to send; every random choice comes from `random`. */
  build(random: RandomSource): CatalogueHello;
}

/** Extension codes the cases edit by hand (IANA). */
const EXT = {
  server_name: 0,
  supported_groups: 10,
  padding: 21,
  extended_master_secret: 23,
  pre_shared_key: 41,
  psk_key_exchange_modes: 45,
  key_share: 51,
} as const;

/** An extension type and a named group that IANA has not assigned (and that are not GREASE). */
const UNASSIGNED_EXTENSION = 0x0777;
const UNASSIGNED_GROUP = 0x0777;

/** The default hello for `hellokit.test`, with `options` on top. */
export function baseHello(random: RandomSource, options: ClientHelloOptions = {}): BuiltClientHello {
  return clientHello({ serverName: CATALOGUE_SERVER_NAME, ...options, randomSource: random });
}

function fromOptions(options: ClientHelloOptions): (random: RandomSource) => CatalogueHello {
  return (random) => sendHello(baseHello(random, options));
}

/** The default hello edited as a value (for changes the builder does not make on purpose). */
function edited(
  edit: (hello: BuiltClientHello, random: RandomSource) => Partial<ClientHello>,
  options: ClientHelloOptions = {},
): (random: RandomSource) => CatalogueHello {
  return (random) => {
    const hello = baseHello(random, options);
    return sendHello({ ...hello, ...edit(hello, random) });
  };
}

function sendHello(hello: BuiltClientHello): CatalogueHello {
  return { bytes: encodeClientHello(hello), hello };
}

function replaceBody(extensions: readonly Extension[], type: number, body: Uint8Array): Extension[] {
  if (!extensions.some((e) => e.type === type)) throw new TypeError(`no extension ${type} to replace`);
  return extensions.map((e) => (e.type === type ? { type, body } : e));
}

/**
 * A server_name body from raw entries (RFC 6066 §3: `ServerName server_name_list<1..2^16-1>`),
 * written by the server_name registry row; names are taken as UTF-8 bytes, as the case says.
 */
function serverNameEntries(entries: readonly { nameType: number; name: string }[]): Uint8Array {
  const serverNameList = entries.map((e) => ({
    nameType: e.nameType,
    name: new TextEncoder().encode(e.name),
  }));
  return encodeBody(serverNameCodec, { serverNameList });
}

/** key_share client_shares from raw entries, written by the key_share registry row. */
function keyShareEntries(entries: readonly { group: number; keyExchange: Uint8Array }[]): Uint8Array {
  return encodeBody(keyShareCodec, { clientShares: entries });
}

/**
 * A pre_shared_key body (RFC 8446 §4.2.11) offering one identity no server issued: 16 random
 * identity bytes, ticket age 0, one 32-byte binder. A server that cannot decrypt the ticket
 * ignores the identity and never checks the binder.
 */
function unknownPskBody(random: RandomSource): Uint8Array {
  const w = new Writer(64);
  w.prefixed(2, 'identities', (w) => {
    w.vector(2, 'identity', random(16));
    w.u32(0, 'obfuscated_ticket_age');
  });
  w.prefixed(2, 'binders', (w) => w.vector(1, 'binder', random(32)));
  return w.finish();
}

/**
 * An SSLv2-compatible CLIENT-HELLO (RFC 5246 Appendix E.2, RFC 6101 Appendix E): a 2-byte
 * record header with the high bit set, version 0x0303, TLS suites as 3-byte cipher specs and
 * a 32-byte challenge. It has no extensions, so no SNI and no TLS 1.3.
 */
export function sslv2CompatibleHello(random: RandomSource): Uint8Array {
  const suites = [0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc009, 0xc013, 0x009c, 0x002f];
  const challenge = random(32);
  const w = new Writer(128);
  w.u8(1, 'msg_type');
  w.u16(0x0303, 'version');
  w.u16(suites.length * 3, 'cipher_spec_length');
  w.u16(0, 'session_id_length');
  w.u16(challenge.length, 'challenge_length');
  for (const s of suites) {
    w.u8(0, 'cipher_spec');
    w.u16(s, 'cipher_spec');
  }
  w.bytes(challenge);
  const body = w.finish();
  const out = new Uint8Array(2 + body.length);
  out[0] = 0x80 | (body.length >> 8);
  out[1] = body.length & 0xff;
  out.set(body, 2);
  return out;
}

/** A ChangeCipherSpec record (RFC 8446 §5: `14 03 03 00 01 01`). */
const CHANGE_CIPHER_SPEC_RECORD = Uint8Array.of(0x14, 0x03, 0x03, 0x00, 0x01, 0x01);

/** The default hello's cipher_suites vector content (18 bytes). */
function defaultCipherSuiteBytes(): Uint8Array {
  const codes = DEFAULT_OPTIONS.cipherSuites.map((s) => lookupCipherSuite(s));
  const out = new Uint8Array(codes.length * 2);
  codes.forEach((c, i) => {
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  });
  return out;
}

function extensionsBlockLength(extensions: readonly Extension[]): number {
  return extensions.reduce((n, e) => n + 4 + e.body.length, 0);
}

/** Every case, in table order. */
export const CATALOGUE: readonly CatalogueCase[] = [
  {
    id: 'baseline',
    title: 'default hello',
    what: 'The unchanged default hello for hellokit.test: the control row every other case is compared with.',
    rfc: 'continue',
    build: fromOptions({}),
  },
  // --- server_name (RFC 6066 §3) ---
  {
    id: 'sni-none',
    title: 'no SNI',
    what: 'No server_name extension, as a client connecting to an IP address sends: RFC 8446 §9.2 lets a server require SNI and then SHOULD answer missing_extension.',
    rfc: 'either',
    build: fromOptions({ serverName: null }),
  },
  {
    id: 'sni-unknown',
    title: 'unknown SNI',
    what: 'A well-formed host_name the server does not serve (RFC 6066 §3 lets it answer unrecognized_name or carry on).',
    rfc: 'either',
    build: fromOptions({ serverName: 'not-served.test' }),
  },
  {
    id: 'sni-empty',
    title: 'empty host_name',
    what: 'A host_name of length 0, below the HostName<1..2^16-1> floor of RFC 6066 §3.',
    rfc: 'abort',
    build: fromOptions({ serverName: '' }),
  },
  {
    id: 'sni-trailing-dot',
    title: 'SNI with trailing dot',
    what: 'host_name `hellokit.test.`: RFC 6066 §3 says the name is sent without a trailing dot.',
    rfc: 'either',
    build: fromOptions({ serverName: 'hellokit.test.' }),
  },
  {
    id: 'sni-ip-literal',
    title: 'SNI is an IP literal',
    what: 'host_name `127.0.0.1`: RFC 6066 §3 says literal IPv4 and IPv6 addresses are not permitted.',
    rfc: 'either',
    build: fromOptions({ serverName: '127.0.0.1' }),
  },
  {
    id: 'sni-underscore',
    title: 'SNI with underscore',
    what: 'host_name `hello_kit.test`, outside the letters/digits/hyphen syntax of RFC 1123 host names that RFC 6066 §3 asks for.',
    rfc: 'either',
    build: fromOptions({ serverName: 'hello_kit.test' }),
  },
  {
    id: 'sni-unknown-name-type',
    title: 'SNI name_type 1',
    what: 'The only server_name entry has name_type 1, which RFC 6066 §3 never defined (only host_name, 0).',
    rfc: 'either',
    build: edited((h) => ({
      extensions: replaceBody(
        h.extensions!,
        EXT.server_name,
        serverNameEntries([{ nameType: 1, name: CATALOGUE_SERVER_NAME }]),
      ),
    })),
  },
  {
    id: 'sni-two-host-names',
    title: 'two host_names',
    what: 'Two host_name entries (hellokit.test, other.test): RFC 6066 §3 says the list MUST NOT hold more than one name of a type.',
    rfc: 'either',
    build: edited((h) => ({
      extensions: replaceBody(
        h.extensions!,
        EXT.server_name,
        serverNameEntries([
          { nameType: 0, name: CATALOGUE_SERVER_NAME },
          { nameType: 0, name: 'other.test' },
        ]),
      ),
    })),
  },
  {
    id: 'sni-inner-length-short',
    title: 'host_name length short',
    what: 'The host_name length says 10 where 13 bytes follow, so the last 3 bytes read as a broken second entry (a decode_error under RFC 8446 §6).',
    rfc: 'abort',
    build: edited((h) => {
      const body = serverNameBody(CATALOGUE_SERVER_NAME).slice();
      body[4] = 10;
      return { extensions: replaceBody(h.extensions!, EXT.server_name, body) };
    }),
  },
  // --- versions ---
  {
    id: 'version-ssl3-only',
    title: 'SSL 3.0 only',
    what: 'legacy_version 0x0300 and no supported_versions: an SSL 3.0 hello, a version RFC 7568 forbids.',
    rfc: 'abort',
    build: fromOptions({ legacyVersion: 0x0300, versions: null }),
  },
  {
    id: 'version-tls10-only',
    title: 'TLS 1.0 only',
    what: 'legacy_version 0x0301 and no supported_versions: a TLS 1.0 hello, a version RFC 8996 deprecates.',
    rfc: 'abort',
    build: fromOptions({ legacyVersion: 0x0301, versions: null }),
  },
  {
    id: 'supported-versions-only-future',
    title: 'supported_versions = [0x0305]',
    what: 'supported_versions lists only 0x0305, a version that does not exist; RFC 8446 §4.2.1 says the server must then ignore legacy_version.',
    rfc: 'abort',
    build: fromOptions({ versions: [0x0305] }),
  },
  {
    id: 'legacy-version-0x0304',
    title: 'legacy_version 0x0304',
    what: 'legacy_version 0x0304 where RFC 8446 §4.1.2 says a TLS 1.3 client MUST send 0x0303.',
    rfc: 'continue',
    build: fromOptions({ legacyVersion: 0x0304 }),
  },
  {
    id: 'legacy-version-future-no-supported-versions',
    title: 'legacy_version 0x0305, no supported_versions',
    what: 'A hello without supported_versions whose legacy_version is 0x0305: RFC 5246 Appendix E.1 says the server answers with the highest version it has (version intolerance test).',
    rfc: 'continue',
    build: fromOptions({ legacyVersion: 0x0305, versions: null }),
  },
  // --- cipher suites ---
  {
    id: 'no-common-cipher-suite',
    title: 'no common suite',
    what: 'Only TLS_RSA_WITH_NULL_SHA256 and TLS_DH_anon_WITH_AES_128_CBC_SHA, suites no server enables (RFC 8446 §4.1.1: handshake_failure).',
    rfc: 'abort',
    build: fromOptions({ cipherSuites: [0x003b, 0x0034], versions: [0x0304, 0x0303] }),
  },
  {
    id: 'empty-cipher-suites',
    title: 'empty cipher list',
    what: 'A cipher_suites vector of length 0, below its <2..2^16-2> floor (RFC 8446 §4.1.2).',
    rfc: 'abort',
    build: fromOptions({ rawCipherSuites: new Uint8Array(0) }),
  },
  {
    id: 'odd-cipher-suites-length',
    title: 'odd cipher list length',
    what: 'cipher_suites holds the default 18 bytes plus one more (0x13): a vector of 2-byte codes with an odd length (RFC 8446 §4.1.2; decode_error).',
    rfc: 'abort',
    build: fromOptions({
      rawCipherSuites: concatBytes(defaultCipherSuiteBytes(), Uint8Array.of(0x13)),
    }),
  },
  // --- key_share and supported_groups (RFC 8446 §4.2.7, §4.2.8) ---
  {
    id: 'tls13-no-key-share',
    title: 'TLS 1.3 without key_share',
    what: 'TLS 1.3 offered with supported_groups but no key_share: RFC 8446 §9.2 says the two come together (missing_extension).',
    rfc: 'abort',
    // Padded to the default's 512 bytes, so the padding rule does not drop the padding too.
    build: fromOptions({ removeExtensions: ['key_share'], padding: 512 }),
  },
  {
    id: 'key-share-empty',
    title: 'empty key_share',
    what: 'key_share with an empty client_shares list, which RFC 8446 §4.2.8 allows: the server should ask for a share with a HelloRetryRequest.',
    rfc: 'continue',
    build: fromOptions({ keyShares: [], padding: 512 }),
  },
  {
    id: 'groups-only-unknown',
    title: 'only unknown groups',
    what: 'supported_groups and key_share name only group 0x0777, which IANA never assigned: no group in common (RFC 8446 §4.2.8: handshake_failure).',
    rfc: 'abort',
    build: edited((h, random) => ({
      extensions: replaceBody(
        replaceBody(h.extensions!, EXT.supported_groups, Uint8Array.of(0, 2, 0x07, 0x77)),
        EXT.key_share,
        keyShareEntries([{ group: UNASSIGNED_GROUP, keyExchange: random(32) }]),
      ),
    })),
  },
  {
    id: 'key-share-group-not-offered',
    title: 'key share for a group not offered',
    what: 'The only key share is for secp521r1, which supported_groups does not list (RFC 8446 §4.2.8: every share MUST be for an offered group).',
    rfc: 'either',
    // supported_groups is forged (the default list, written as a raw value) so the builder
    // does not refuse a share for a group the hello does not offer.
    build: fromOptions({
      keyShares: ['secp521r1'],
      replaceExtensions: [{ type: 'supported_groups', value: { namedGroupList: [0x001d, 0x0017, 0x0018] } }],
    }),
  },
  {
    id: 'key-share-wrong-length',
    title: 'X25519 share of 31 bytes',
    what: 'The X25519 key_exchange is 31 bytes instead of 32 (RFC 8446 §4.2.8.2; RFC 7748 keys are 32 bytes).',
    rfc: 'abort',
    build: edited((h) => ({
      extensions: replaceBody(
        h.extensions!,
        EXT.key_share,
        keyShareEntries(
          h.keyShares.map((k, i) => ({
            group: k.group,
            keyExchange: i === 0 ? k.keyExchange.subarray(0, 31) : k.keyExchange,
          })),
        ),
      ),
    })),
  },
  {
    id: 'key-share-duplicate-group',
    title: 'two X25519 shares',
    what: 'Two key shares for X25519: RFC 8446 §4.2.8 says clients MUST NOT offer more than one share per group (illegal_parameter).',
    rfc: 'either',
    build: edited((h) => ({
      extensions: replaceBody(
        h.extensions!,
        EXT.key_share,
        keyShareEntries(
          [h.keyShares[0], ...h.keyShares].map((k) => ({ group: k.group, keyExchange: k.keyExchange })),
        ),
      ),
    })),
  },
  // --- signature_algorithms ---
  {
    id: 'tls13-no-signature-algorithms',
    title: 'no signature_algorithms',
    what: 'TLS 1.3 offered without signature_algorithms: RFC 8446 §4.2.3 says a server authenticating with a certificate MUST abort (missing_extension).',
    rfc: 'abort',
    build: fromOptions({ removeExtensions: ['signature_algorithms'] }),
  },
  // --- the extensions block (RFC 8446 §4.2) ---
  {
    id: 'unknown-extension',
    title: 'unknown extension',
    what: 'One extension of the unassigned type 0x0777 with a 4-byte body: RFC 8446 §4.2 says servers MUST ignore unknown extensions.',
    rfc: 'continue',
    build: fromOptions({ addExtensions: [{ type: UNASSIGNED_EXTENSION, body: Uint8Array.of(1, 2, 3, 4) }] }),
  },
  {
    id: 'duplicate-known-extension',
    title: 'duplicate extended_master_secret',
    what: 'extended_master_secret twice: RFC 8446 §4.2 says there MUST NOT be more than one extension of the same type.',
    rfc: 'either',
    build: fromOptions({ addExtensions: [{ type: 'extended_master_secret', body: new Uint8Array(0) }] }),
  },
  {
    id: 'duplicate-unknown-extension',
    title: 'duplicate unknown extension',
    what: 'The unassigned type 0x0777 twice: the no-duplicates rule of RFC 8446 §4.2 covers types the server does not know too.',
    rfc: 'either',
    build: fromOptions({
      addExtensions: [
        { type: UNASSIGNED_EXTENSION, body: Uint8Array.of(1, 2, 3, 4) },
        { type: UNASSIGNED_EXTENSION, body: Uint8Array.of(1, 2, 3, 4) },
      ],
    }),
  },
  {
    id: 'extensions-length-past-end',
    title: 'extensions block past the end',
    what: 'The extensions block length claims 16 bytes more than the message holds (a decode_error under RFC 8446 §6).',
    rfc: 'abort',
    build: edited((h) => ({ lengthOverrides: { extensions: extensionsBlockLength(h.extensions!) + 16 } })),
  },
  {
    id: 'empty-extensions-block',
    title: 'empty extensions block',
    what: 'An extensions block of length 0: a TLS 1.2 hello with no SNI, groups, signature schemes or versions (legal in RFC 5246 §7.4.1.2).',
    rfc: 'either',
    build: edited(() => ({ extensions: [] })),
  },
  {
    id: 'no-extensions-block',
    title: 'no extensions block',
    what: 'No extensions block at all after the compression methods, as SSL 3.0-era clients sent (RFC 5246 §7.4.1.2 allows it).',
    rfc: 'either',
    build: edited(() => ({ extensions: null })),
  },
  // --- compression ---
  {
    id: 'compression-without-null',
    title: 'compression [DEFLATE] only',
    what: 'legacy_compression_methods is [1] (DEFLATE) without null: RFC 5246 §7.4.1.2 requires null, RFC 8446 §4.1.2 requires exactly [0].',
    rfc: 'abort',
    build: fromOptions({ compressionMethods: [1] }),
  },
  {
    id: 'compression-deflate-and-null',
    title: 'compression [DEFLATE, null]',
    what: 'legacy_compression_methods is [1, 0]: fine for TLS 1.2, but RFC 8446 §4.1.2 says a TLS 1.3 server MUST answer anything but [0] with illegal_parameter.',
    rfc: 'abort',
    build: fromOptions({ compressionMethods: [1, 0] }),
  },
  // --- ALPN, padding ---
  {
    id: 'alpn-empty-protocol',
    title: 'ALPN with empty protocol',
    what: 'ALPN lists `h2` and an empty protocol name: RFC 7301 §3.1 says empty strings MUST NOT be included.',
    rfc: 'abort',
    build: fromOptions({ alpn: ['h2', new Uint8Array(0)] }),
  },
  {
    id: 'padding-non-zero',
    title: 'padding of 0xff bytes',
    what: 'The padding extension is filled with 0xff: RFC 7685 §3 says the client MUST fill it with zeros (a server MAY check).',
    rfc: 'either',
    build: edited((h) => {
      const padding = h.extensions!.find((e) => e.type === EXT.padding);
      if (!padding) throw new TypeError('the default hello has no padding extension');
      return {
        extensions: replaceBody(h.extensions!, EXT.padding, new Uint8Array(padding.body.length).fill(0xff)),
      };
    }),
  },
  // --- PSK (RFC 8446 §4.2.9, §4.2.11) ---
  {
    id: 'psk-unknown-identity',
    title: 'PSK with unknown identity',
    what: 'A well-formed pre_shared_key (last, with psk_key_exchange_modes) whose identity no server issued: it should be ignored (RFC 8446 §4.2.11).',
    rfc: 'continue',
    build: (random) =>
      sendHello(
        baseHello(random, { addExtensions: [{ type: 'pre_shared_key', body: unknownPskBody(random) }] }),
      ),
  },
  {
    id: 'psk-without-modes',
    title: 'PSK without psk_key_exchange_modes',
    what: 'pre_shared_key without psk_key_exchange_modes: RFC 8446 §4.2.9 says the server MUST abort the handshake.',
    rfc: 'abort',
    build: (random) =>
      sendHello(
        baseHello(random, {
          removeExtensions: ['psk_key_exchange_modes'],
          addExtensions: [{ type: 'pre_shared_key', body: unknownPskBody(random) }],
        }),
      ),
  },
  {
    id: 'psk-not-last',
    title: 'PSK not last',
    what: 'pre_shared_key followed by the padding extension: RFC 8446 §4.2.11 says it MUST be the last extension (illegal_parameter).',
    rfc: 'abort',
    build: (random) => {
      const hello = baseHello(random, {
        addExtensions: [{ type: 'pre_shared_key', body: unknownPskBody(random) }],
      });
      const list = [...hello.extensions!];
      const psk = list.pop()!;
      if (psk.type !== EXT.pre_shared_key) throw new TypeError('the builder did not put pre_shared_key last');
      list.splice(list.length - 1, 0, psk);
      return sendHello({ ...hello, extensions: list });
    },
  },
  // --- shape and size ---
  {
    id: 'grease-everywhere',
    title: 'GREASE everywhere',
    what: 'GREASE values (RFC 8701) in suites, groups, key share, versions, signature schemes and two extensions, plus an ECH GREASE extension, placed as BoringSSL does: servers MUST ignore them.',
    rfc: 'continue',
    build: fromOptions({ grease: true, echGrease: true }),
  },
  {
    id: 'hello-256-511-bytes',
    title: 'hello of 256–511 bytes',
    what: 'No padding, so the handshake message is in the 256–511-byte range that hangs some F5 devices (the reason for RFC 7685 padding).',
    rfc: 'continue',
    build: fromOptions({ padding: false }),
  },
  {
    id: 'hello-over-16k',
    title: '17000-byte hello over 2 records',
    what: 'Padded to a 17000-byte handshake message, split into a full 16384-byte record and a second one (RFC 8446 §5.1 allows a message over several records).',
    rfc: 'continue',
    build: fromOptions({ padding: 17000, fragment: { sizes: [16384, 17000 - 16384] } }),
  },
  {
    id: 'hello-1-byte-records',
    title: 'hello in 1-byte records',
    what: 'The hello split into one record per byte: legal under RFC 8446 §5.1 (only zero-length handshake fragments are forbidden).',
    rfc: 'continue',
    build: edited((h) => ({
      record: { version: 0x0301, fragments: new Array<number>(encodeClientHelloMessage(h).length).fill(1) },
    })),
  },
  {
    id: 'session-id-33-bytes',
    title: '33-byte session id',
    what: 'legacy_session_id of 33 bytes, over its <0..32> ceiling (RFC 8446 §4.1.2).',
    rfc: 'abort',
    build: fromOptions({ sessionId: 33 }),
  },
  {
    id: 'trailing-byte-in-message',
    title: 'byte after the extensions',
    what: 'One 0x00 byte after the extensions block, inside the handshake message length (RFC 8446 §4.1.2 has nothing after extensions: decode_error).',
    rfc: 'abort',
    build: edited(() => ({ trailing: Uint8Array.of(0) })),
  },
  // --- record layer ---
  {
    id: 'record-version-0x0300',
    title: 'record version 0x0300',
    what: 'legacy_record_version 0x0300 (SSL 3.0) on the hello record, where RFC 8446 §5.1 says 0x0301 (servers MUST ignore the field).',
    rfc: 'continue',
    build: fromOptions({ record: { version: 0x0300 } }),
  },
  {
    id: 'record-not-handshake',
    title: 'hello in an application_data record',
    what: 'The hello is sent in a record of content type 23 (application_data) instead of 22: RFC 8446 §5 says unexpected_message.',
    rfc: 'abort',
    build: fromOptions({ record: { contentType: 23 } }),
  },
  {
    id: 'ccs-before-hello',
    title: 'ChangeCipherSpec before the hello',
    what: 'A change_cipher_spec record before the hello: RFC 8446 §5 allows it only after the first ClientHello (unexpected_message).',
    rfc: 'abort',
    build: (random) => ({
      bytes: concatBytes(CHANGE_CIPHER_SPEC_RECORD, encodeClientHello(baseHello(random))),
    }),
  },
  {
    id: 'sslv2-compatible-hello',
    title: 'SSLv2-compatible hello',
    what: 'An SSLv2-format CLIENT-HELLO offering TLS 1.2 ECDHE/RSA suites (RFC 5246 Appendix E.2; RFC 6176 says TLS servers MAY still accept this format).',
    rfc: 'either',
    build: (random) => ({ bytes: sslv2CompatibleHello(random) }),
  },
];

/**
 * The case with this id.
 * @throws {TypeError} for an id the catalogue lacks
 */
export function catalogueCase(id: string): CatalogueCase {
  const found = CATALOGUE.find((c) => c.id === id);
  if (!found) throw new TypeError(`no catalogue case "${id}"`);
  return found;
}
