/**
 * The ClientHello builder: every field an option, valid by default, any length forgeable.
 * The result is a plain `ClientHello` (encode it with `encodeClientHello`), plus the private
 * halves of its key shares so a later step can finish the key exchange.
 */
import { generateKeyShare, type KeyShare } from '../crypto/key-share.ts';
import { type RandomSource, seededRandom, systemRandom } from '../crypto/random.ts';
import { makeExtension } from '../extensions/block.ts';
import type { Extension } from '../extensions/types.ts';
import { encodeClientHelloMessage } from '../handshake/client-hello.ts';
import type { ClientHello, ClientHelloLengthOverrides, RecordFraming } from '../handshake/types.ts';
import {
  lookupCipherSuite,
  lookupExtensionType,
  lookupGroup,
  lookupSignatureScheme,
  lookupVersion,
} from '../iana/lookup.ts';
import type { Satisfies } from '../iana/satisfies.ts';
import {
  alpnBody,
  certificateCompressionBody,
  ecPointFormatsBody,
  type KeyShareEntryInput,
  keyShareBody,
  paddingBody,
  pskModesBody,
  serverNameBody,
  signatureAlgorithmsBody,
  supportedGroupsBody,
  supportedVersionsBody,
} from './bodies.ts';
import { type EchGreaseOptions, echGreaseBody } from './ech-grease.ts';
import { BORINGSSL_GREASE, type GreasePlacement, greaseValues } from './grease.ts';
import { boringSslPaddingLength, type PaddingRule, paddingLengthForTarget } from './padding.ts';
import { permute } from './permute.ts';
import { presetOptions } from './presets/index.ts';

/** A registry entry as a user types it: IANA name, OpenSSL name, hex (`0x1301`, `1301`) or number. */
export type CodeInput = string | number;

/** An extension to add or replace: a raw body, or a typed value encoded by the extension registry. */
export interface ExtensionInput {
  /** Extension type by name (`server_name`, `alpn`) or code. */
  readonly type: CodeInput;
  /** Raw extension_data. */
  readonly body?: Uint8Array;
  /** Typed value, encoded with `makeExtension` (when no `body` is given). */
  readonly value?: unknown;
  /** Forged extension_data length. */
  readonly lengthOverride?: number;
}

/** How to split the handshake message over records. */
export type FragmentOption =
  | number
  | { readonly sizes: readonly number[] }
  | { readonly offsets: readonly number[] };

/** Every field of a ClientHello, by value. Lists take names or codes. */
export interface ClientHelloOptions {
  /** Start from a preset (see `PRESET_NAMES`); the other options override it. */
  readonly preset?: string;
  /**
   * `'1.3'`: supported_versions offers TLS 1.3 only. `'1.2'`: a TLS 1.2 hello — no
   * supported_versions, key_share or psk_key_exchange_modes, and no TLS 1.3 suites.
   */
  readonly tls?: '1.2' | '1.3';
  /** legacy_version; default 0x0303. */
  readonly legacyVersion?: CodeInput;
  /** supported_versions (GREASE is added by `grease`); `null` leaves the extension out. */
  readonly versions?: readonly CodeInput[] | null;
  /** The 32-byte random; default from the random source. */
  readonly random?: Uint8Array;
  /** legacy_session_id bytes, or a length of random bytes; default 32 random bytes. */
  readonly sessionId?: Uint8Array | number;
  readonly cipherSuites?: readonly CodeInput[];
  /**
   * The cipher_suites vector's content as raw bytes, any length (an odd length is the
   * point). Written with its true length unless `lengthOverrides.cipherSuites` says else.
   * Needs at least one compression method.
   */
  readonly rawCipherSuites?: Uint8Array;
  /** legacy_compression_methods; default `[0]`. */
  readonly compressionMethods?: readonly number[];
  /** server_name host; `null` (default) sends no server_name extension. */
  readonly serverName?: string | null;
  /** supported_groups; `null` leaves the extension out. */
  readonly groups?: readonly CodeInput[] | null;
  /** Groups to send real key shares for (in this order); `null` leaves key_share out. */
  readonly keyShares?: readonly CodeInput[] | null;
  /** signature_algorithms; `null` leaves the extension out. */
  readonly signatureAlgorithms?: readonly CodeInput[] | null;
  /** ALPN protocol ids; `null` or empty leaves the extension out. */
  readonly alpn?: readonly (string | Uint8Array)[] | null;
  /** ec_point_formats; default `[0]` (uncompressed). */
  readonly ecPointFormats?: readonly number[] | null;
  /** psk_key_exchange_modes; default `[1]` (psk_dhe_ke). */
  readonly pskModes?: readonly number[] | null;
  /** compress_certificate algorithms (RFC 8879); used when type 27 is in the order. */
  readonly certificateCompression?: readonly number[] | null;
  /** GREASE: `true` is BoringSSL's placement; an object picks slots. */
  readonly grease?: boolean | GreasePlacement;
  /** An ECH GREASE extension (type 0xfe0d); `true` is BoringSSL's. */
  readonly echGrease?: boolean | EchGreaseOptions;
  /** `'boringssl'` (default): pad 256–511-byte messages to 512; a number: pad to that length; `false`: never. */
  readonly padding?: PaddingRule;
  /**
   * The extensions to send, in order (names or codes). Bodies come from the options above,
   * `extensionBodies`, or built-in defaults for empty/trivial ones. GREASE extensions are
   * added around this list; padding goes where type 21 is listed, else last.
   */
  readonly extensionOrder?: readonly CodeInput[];
  /** Raw bodies by extension code or name, used for types in the order. */
  readonly extensionBodies?: Readonly<Record<string, Uint8Array>>;
  /** Permute the extensions (GREASE, padding and pre_shared_key stay put), as Chrome does. */
  readonly permuteExtensions?: boolean;
  /** Extensions appended after the ordered ones (a second copy of a type makes a duplicate). */
  readonly addExtensions?: readonly ExtensionInput[];
  /** Extensions whose body replaces the one built (added at the end when absent). */
  readonly replaceExtensions?: readonly ExtensionInput[];
  /** Extension types to leave out. */
  readonly removeExtensions?: readonly CodeInput[];
  /** Forged length fields of the hello. */
  readonly lengthOverrides?: ClientHelloLengthOverrides;
  /** Record header fields; default version 0x0301, content type 22. */
  readonly record?: { readonly version?: number; readonly contentType?: number };
  /** Split the message over N records, over records of these sizes, or at these offsets. */
  readonly fragment?: FragmentOption;
  /** Seed for every random choice (random, session id, keys, GREASE, ECH, permutation). */
  readonly seed?: string | number | Uint8Array;
  /** The random source; wins over `seed`. */
  readonly randomSource?: RandomSource;
}

/** A built ClientHello with the private halves of its key shares (GREASE share excluded). */
export type BuiltClientHello = ClientHello & { readonly keyShares: readonly KeyShare[] };

const EXT = {
  server_name: 0,
  status_request: 5,
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  alpn: 16,
  sct: 18,
  padding: 21,
  encrypt_then_mac: 22,
  extended_master_secret: 23,
  compress_certificate: 27,
  session_ticket: 35,
  pre_shared_key: 41,
  supported_versions: 43,
  psk_key_exchange_modes: 45,
  post_handshake_auth: 49,
  key_share: 51,
  encrypted_client_hello: 0xfe0d,
  renegotiation_info: 0xff01,
} as const;

/** Bodies of extensions that are the same for every client that sends them. */
const TRIVIAL_BODIES: ReadonlyMap<number, Uint8Array> = new Map([
  [EXT.status_request, Uint8Array.of(1, 0, 0, 0, 0)],
  [EXT.sct, new Uint8Array(0)],
  [EXT.encrypt_then_mac, new Uint8Array(0)],
  [EXT.extended_master_secret, new Uint8Array(0)],
  [EXT.session_ticket, new Uint8Array(0)],
  [EXT.post_handshake_auth, new Uint8Array(0)],
  [EXT.renegotiation_info, Uint8Array.of(0)],
]);

/** The defaults: a TLS 1.3 + 1.2 hello that Caddy, nginx, HAProxy, OpenSSL, GnuTLS and Node answer. */
export const DEFAULT_OPTIONS = {
  legacyVersion: 0x0303,
  versions: [0x0304, 0x0303],
  cipherSuites: [
    'TLS_AES_128_GCM_SHA256',
    'TLS_AES_256_GCM_SHA384',
    'TLS_CHACHA20_POLY1305_SHA256',
    'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  ],
  compressionMethods: [0],
  serverName: null,
  groups: ['x25519', 'secp256r1', 'secp384r1'],
  keyShares: ['x25519', 'secp256r1'],
  signatureAlgorithms: [
    'ecdsa_secp256r1_sha256',
    'rsa_pss_rsae_sha256',
    'rsa_pkcs1_sha256',
    'ecdsa_secp384r1_sha384',
    'rsa_pss_rsae_sha384',
    'rsa_pkcs1_sha384',
    'rsa_pss_rsae_sha512',
    'rsa_pkcs1_sha512',
    'ed25519',
  ],
  alpn: ['h2', 'http/1.1'],
  ecPointFormats: [0],
  pskModes: [1],
  certificateCompression: null,
  grease: false,
  echGrease: false,
  padding: 'boringssl',
  extensionOrder: [
    'server_name',
    'extended_master_secret',
    'renegotiation_info',
    'supported_groups',
    'ec_point_formats',
    'session_ticket',
    'application_layer_protocol_negotiation',
    'signature_algorithms',
    'key_share',
    'psk_key_exchange_modes',
    'supported_versions',
  ],
  permuteExtensions: false,
  record: { version: 0x0301 },
} as const;
type _CheckDefaultOptions = Satisfies<typeof DEFAULT_OPTIONS, ClientHelloOptions>;

function codes(list: readonly CodeInput[], lookup: (v: CodeInput) => number): number[] {
  return list.map((v) => lookup(v));
}

function extensionCode(v: CodeInput): number {
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return lookupExtensionType(v);
}

function placement(grease: boolean | GreasePlacement | undefined): GreasePlacement {
  if (grease === true) return BORINGSSL_GREASE;
  if (!grease) return {};
  return grease;
}

function toExtension(input: ExtensionInput): Extension {
  const type = extensionCode(input.type);
  let ext: Extension;
  if (input.body) ext = { type, body: input.body };
  else if (input.value !== undefined) ext = makeExtension(type, input.value);
  else throw new TypeError(`extension ${JSON.stringify(input.type)} needs a "body" or a "value"`);
  return input.lengthOverride === undefined ? ext : { ...ext, lengthOverride: input.lengthOverride };
}

/** Merges a preset's options under the caller's (the caller wins, field by field). */
function resolveOptions(options: ClientHelloOptions): ClientHelloOptions {
  const base: ClientHelloOptions = options.preset ? presetOptions(options.preset) : DEFAULT_OPTIONS;
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) merged[k] = v;
  return merged as ClientHelloOptions;
}

/**
 * Builds a ClientHello. With no options: a TLS 1.3 + 1.2 hello with X25519 and P-256 key
 * shares, no SNI, padded BoringSSL's way. Every random choice comes from `seed` when given,
 * so the same options and seed give the same bytes.
 *
 * @example
 * const hello = clientHello({ serverName: 'example.com', seed: 1 });
 * const bytes = encodeClientHello(hello); // one record, 0x16 0x03 0x01 …
 * @example
 * clientHello({ preset: 'chrome', serverName: 'example.com' })
 * @throws {TypeError} an unknown suite, group, scheme, version or extension name (with close matches)
 * @throws {RangeError} a value out of range (random not 32 bytes, a padding target too small…)
 */
export function clientHello(options: ClientHelloOptions = {}): BuiltClientHello {
  const o = resolveOptions(options);
  const random: RandomSource =
    options.randomSource ?? (options.seed !== undefined ? seededRandom(options.seed) : systemRandom);

  // Draw every random value in a fixed order, so a seed fixes all of them.
  const helloRandom = o.random ?? random(32);
  if (helloRandom.length !== 32) {
    throw new RangeError(`"random" expected Uint8Array of length 32, got ${helloRandom.length}`);
  }
  const sid = o.sessionId ?? 32;
  if (typeof sid === 'number' && (!Number.isInteger(sid) || sid < 0 || sid > 255)) {
    throw new RangeError(`"sessionId" expected a length 0..255 or bytes, got ${sid}`);
  }
  const legacySessionId = typeof sid === 'number' ? random(sid) : sid;
  const g = greaseValues(random);
  const grease = placement(o.grease);

  const tls12Only = o.tls === '1.2';
  let versions =
    o.versions === null || tls12Only ? null : codes(o.versions ?? [0x0304, 0x0303], lookupVersion);
  if (o.tls === '1.3') versions = [0x0304];
  let suites = codes(o.cipherSuites ?? DEFAULT_OPTIONS.cipherSuites, lookupCipherSuite);
  if (tls12Only) suites = suites.filter((s) => s >> 8 !== 0x13);
  const groups = o.groups ? codes(o.groups, lookupGroup) : null;
  const keyShareGroups = o.keyShares && !tls12Only ? codes(o.keyShares, lookupGroup) : null;
  const sigalgs = o.signatureAlgorithms ? codes(o.signatureAlgorithms, lookupSignatureScheme) : null;
  const pskModes = tls12Only ? null : (o.pskModes ?? null);

  const keyShares = (keyShareGroups ?? []).map((group) => generateKeyShare(group, random));
  const echOptions = o.echGrease === true ? {} : o.echGrease || null;
  const echBody = echOptions ? echGreaseBody(echOptions, random) : null;

  // The body of each type the order names, or null to leave it out.
  const bodyFor = (type: number): Uint8Array | null => {
    const raw = o.extensionBodies?.[String(type)];
    switch (type) {
      case EXT.server_name:
        return o.serverName == null ? null : serverNameBody(o.serverName);
      case EXT.supported_groups:
        return groups ? supportedGroupsBody(grease.groups ? [g.group, ...groups] : groups) : null;
      case EXT.ec_point_formats:
        return o.ecPointFormats ? ecPointFormatsBody(o.ecPointFormats) : null;
      case EXT.signature_algorithms:
        return sigalgs
          ? signatureAlgorithmsBody(grease.signatureAlgorithms ? [g.signatureAlgorithm, ...sigalgs] : sigalgs)
          : null;
      case EXT.alpn:
        return o.alpn && o.alpn.length > 0 ? alpnBody(o.alpn) : null;
      case EXT.supported_versions:
        return versions ? supportedVersionsBody(grease.versions ? [g.version, ...versions] : versions) : null;
      case EXT.psk_key_exchange_modes:
        return pskModes ? pskModesBody(grease.pskModes ? [g.pskMode, ...pskModes] : pskModes) : null;
      case EXT.key_share: {
        if (!keyShareGroups) return null;
        const entries: KeyShareEntryInput[] = keyShares.map((k) => ({
          group: k.group,
          keyExchange: k.keyExchange,
        }));
        if (grease.keyShare) entries.unshift({ group: g.group, keyExchange: Uint8Array.of(0) });
        return keyShareBody(entries);
      }
      case EXT.compress_certificate:
        if (o.certificateCompression) {
          const algs = o.certificateCompression;
          return certificateCompressionBody(
            grease.certificateCompression ? [g.certificateCompression, ...algs] : algs,
          );
        }
        return raw ?? null;
      case EXT.encrypted_client_hello:
        return echBody ?? raw ?? null;
      default:
        if (raw) return raw;
        if (TRIVIAL_BODIES.has(type)) return TRIVIAL_BODIES.get(type)!;
        throw new TypeError(
          `extension ${type} (0x${type.toString(16).padStart(4, '0')}) is in extensionOrder but has no body; give one in extensionBodies`,
        );
    }
  };

  const order = (o.extensionOrder ?? DEFAULT_OPTIONS.extensionOrder).map(extensionCode);
  for (const [key] of Object.entries(o.extensionBodies ?? {})) {
    if (!/^\d+$/.test(key))
      throw new TypeError(`extensionBodies keys are extension codes in decimal, got ${JSON.stringify(key)}`);
  }
  const removed = new Set((o.removeExtensions ?? []).map(extensionCode));
  let list: Extension[] = [];
  let paddingAt: number | null = null;
  for (const type of order) {
    if (removed.has(type)) continue;
    if (type === EXT.padding) {
      if (o.padding !== false) paddingAt = list.length;
      else if (o.extensionBodies?.[String(type)]) list.push({ type, body: o.extensionBodies[String(type)] });
      continue;
    }
    const body = bodyFor(type);
    if (body) list.push({ type, body });
  }
  if (echBody && !order.includes(EXT.encrypted_client_hello) && !removed.has(EXT.encrypted_client_hello)) {
    list.push({ type: EXT.encrypted_client_hello, body: echBody });
  }
  for (const input of o.replaceExtensions ?? []) {
    const ext = toExtension(input);
    const i = list.findIndex((e) => e.type === ext.type);
    if (i >= 0) list[i] = ext;
    else list.push(ext);
  }
  for (const input of o.addExtensions ?? []) list.push(toExtension(input));

  // pre_shared_key stays last (RFC 8446 §4.2.11); everything else may move.
  const psk = list.filter((e) => e.type === EXT.pre_shared_key);
  if (o.permuteExtensions) {
    const rest = list.filter((e) => e.type !== EXT.pre_shared_key);
    list = permute(rest, random);
    if (paddingAt !== null) paddingAt = list.length;
  } else if (psk.length > 0) {
    list = list.filter((e) => e.type !== EXT.pre_shared_key);
    if (paddingAt !== null) paddingAt = Math.min(paddingAt, list.length);
  }
  if (grease.extensions) {
    list.unshift({ type: g.extension1, body: new Uint8Array(0) });
    if (paddingAt !== null) paddingAt++;
    // The last GREASE extension is non-empty: WebSphere 7 rejects an empty last extension.
    list.push({ type: g.extension2, body: Uint8Array.of(0) });
    if (paddingAt !== null && paddingAt === list.length - 1) paddingAt = list.length;
  }
  list.push(...psk);
  if (o.padding !== false && paddingAt === null && !removed.has(EXT.padding))
    paddingAt = list.length - psk.length;

  // Cipher suites: raw bytes (any length) or codes, GREASE first.
  let cipherSuites = grease.cipherSuites ? [g.cipherSuite, ...suites] : suites;
  let legacyCompressionMethods = o.compressionMethods ?? [0];
  let lengthOverrides: ClientHelloLengthOverrides = {};
  if (o.rawCipherSuites) {
    const forged = rawCipherSuitesLayout(o.rawCipherSuites, legacyCompressionMethods);
    cipherSuites = forged.cipherSuites;
    legacyCompressionMethods = forged.compressionMethods;
    lengthOverrides = forged.lengthOverrides;
  }
  lengthOverrides = { ...lengthOverrides, ...o.lengthOverrides };

  const base: ClientHello = {
    legacyVersion: lookupVersion(o.legacyVersion ?? 0x0303),
    random: helloRandom,
    legacySessionId,
    cipherSuites,
    legacyCompressionMethods,
    extensions: list,
    ...(Object.keys(lengthOverrides).length > 0 ? { lengthOverrides } : {}),
  };

  let extensions = list;
  if (o.padding !== false && paddingAt !== null) {
    const unpadded = encodeClientHelloMessage(base).length;
    const before = list[paddingAt - 1];
    const padLength =
      o.padding === 'boringssl' || o.padding === undefined
        ? boringSslPaddingLength(
            unpadded,
            before !== undefined && before.body.length === 0 && paddingAt === list.length,
          )
        : paddingLengthForTarget(unpadded, o.padding);
    if (padLength !== null) {
      extensions = [
        ...list.slice(0, paddingAt),
        { type: EXT.padding, body: paddingBody(padLength) },
        ...list.slice(paddingAt),
      ];
    }
  }

  const hello: ClientHello = { ...base, extensions };
  const record = framing(hello, o);
  return { ...hello, ...(record ? { record } : {}), keyShares };
}

/**
 * Lays raw cipher_suites bytes of any length into the typed fields: an odd vector borrows its
 * last byte's partner from the compression methods length, whose own byte is then written as
 * a length override — the wire bytes are exactly `length ‖ raw ‖ compression methods`.
 */
function rawCipherSuitesLayout(
  raw: Uint8Array,
  compression: readonly number[],
): { cipherSuites: number[]; compressionMethods: number[]; lengthOverrides: ClientHelloLengthOverrides } {
  const pairs: number[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push((raw[i] << 8) | raw[i + 1]);
  if (raw.length % 2 === 0)
    return { cipherSuites: pairs, compressionMethods: [...compression], lengthOverrides: {} };
  if (compression.length === 0) {
    throw new RangeError(
      '"rawCipherSuites" of odd length needs at least one compression method to realign on',
    );
  }
  pairs.push((raw[raw.length - 1] << 8) | compression.length);
  return {
    cipherSuites: pairs,
    compressionMethods: compression.slice(1),
    lengthOverrides: { cipherSuites: raw.length, legacyCompressionMethods: compression[0] },
  };
}

function framing(hello: ClientHello, o: ClientHelloOptions): RecordFraming | undefined {
  const version = o.record?.version ?? 0x0301;
  const contentType = o.record?.contentType;
  const fragments =
    o.fragment === undefined ? undefined : fragmentSizes(encodeClientHelloMessage(hello).length, o.fragment);
  if (version === 0x0301 && contentType === undefined && fragments === undefined) return undefined;
  return {
    version,
    ...(contentType !== undefined ? { contentType } : {}),
    ...(fragments && fragments.length > 1 ? { fragments } : {}),
  };
}

/**
 * Record payload sizes for a message of `length` bytes: `n` near-equal records (the first
 * ones one byte longer), the sizes as given, or cuts at the given offsets.
 * @example fragmentSizes(10, 3) // [4, 3, 3]
 * @example fragmentSizes(10, { offsets: [1, 5] }) // [1, 4, 5]
 */
export function fragmentSizes(length: number, fragment: FragmentOption): number[] {
  if (typeof fragment === 'number') {
    if (!Number.isInteger(fragment) || fragment < 1 || fragment > length) {
      throw new RangeError(`"fragment" expected a record count 1..${length}, got ${fragment}`);
    }
    const size = Math.floor(length / fragment);
    const extra = length % fragment;
    return Array.from({ length: fragment }, (_, i) => size + (i < extra ? 1 : 0));
  }
  if ('sizes' in fragment) {
    const total = fragment.sizes.reduce((a, b) => a + b, 0);
    if (total !== length)
      throw new RangeError(`"fragment.sizes" add up to ${total}, the message has ${length} bytes`);
    return [...fragment.sizes];
  }
  const sizes: number[] = [];
  let at = 0;
  for (const offset of fragment.offsets) {
    if (!Number.isInteger(offset) || offset <= at || offset >= length) {
      throw new RangeError(
        `"fragment.offsets" must increase strictly within 1..${length - 1}, got ${offset}`,
      );
    }
    sizes.push(offset - at);
    at = offset;
  }
  sizes.push(length - at);
  return sizes;
}
