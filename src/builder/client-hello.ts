/**
 * The ClientHello builder: every field an option, valid by default, any length forgeable.
 * The result is a plain `ClientHello` (encode it with `encodeClientHello`), plus the private
 * halves of its key shares so a later step can finish the key exchange.
 */
import { generateKeyShare, type KeyShare } from '../crypto/key-share.ts';
import { type RandomSource, seededRandom, systemRandom } from '../crypto/random.ts';
import { encodeBody, makeExtension } from '../extensions/block.ts';
import { encryptedClientHelloCodec } from '../extensions/ech.ts';
import { paddingCodec } from '../extensions/padding.ts';
import { codecForType } from '../extensions/registry.ts';
import type { Extension, HelloPlan } from '../extensions/types.ts';
import { encodeClientHelloMessage } from '../handshake/client-hello.ts';
import type { ClientHello, ClientHelloLengthOverrides, RecordFraming } from '../handshake/types.ts';
import { isGrease } from '../iana/grease.ts';
import {
  extensionTypeName,
  groupName,
  lookupCipherSuite,
  lookupExtensionType,
  lookupGroup,
  lookupSignatureScheme,
  lookupVersion,
} from '../iana/lookup.ts';
import type { Satisfies } from '../iana/satisfies.ts';
import {
  type CoherentField,
  checkCoherence,
  checkNoRepeats,
  checkNotEmpty,
  keySharesFollowingGroups,
  TLS13_ONLY_EXTENSIONS,
} from './coherence.ts';
import { type EchGreaseOptions, echGreaseValue } from './ech-grease.ts';
import { BORINGSSL_GREASE, type GreasePlacement, greaseValues } from './grease.ts';
import { boringSslPaddingLength, type PaddingRule, paddingLengthForTarget } from './padding.ts';
import { permute } from './permute.ts';
import { type PresetAlias, type PresetName, presetOptions } from './presets/index.ts';

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
  readonly preset?: PresetName | PresetAlias;
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

/**
 * A built ClientHello with the private halves of its key shares (GREASE share excluded) and
 * the field paths its forging options set (see `clientHello`).
 */
export type BuiltClientHello = ClientHello & {
  readonly keyShares: readonly KeyShare[];
  /** Field-path prefixes set through forging options, sorted; empty for a hello built valid. */
  readonly forged: readonly string[];
};

const PADDING = 21;
const PRE_SHARED_KEY = 41;
const ECH = 0xfe0d;

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

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3). */
const RENEGOTIATION_SCSV = 0x00ff;

/**
 * Merges a preset's options under the caller's (the caller wins, field by field). A preset
 * whose client signals secure renegotiation with the SCSV instead of the extension (OpenSSL,
 * GnuTLS in TLS 1.2) keeps the SCSV after the caller's suites, as that client appends it to
 * any configured list: without it, a TLS 1.2 hello would offer neither (RFC 5746 §3.4).
 */
function resolveOptions(options: ClientHelloOptions): ClientHelloOptions {
  const base: ClientHelloOptions = options.preset ? presetOptions(options.preset) : DEFAULT_OPTIONS;
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) merged[k] = v;
  // Versions follow the caller's suites when the caller did not choose versions: suites for
  // TLS 1.2 and below only make a TLS 1.2 hello, TLS 1.3 suites only a TLS 1.3 one (as `tls`).
  if (options.cipherSuites && options.versions === undefined && options.tls === undefined) {
    const given = options.cipherSuites.map(lookupCipherSuite).filter((c) => !isGrease(c));
    const tls13 = given.filter((c) => c >> 8 === 0x13).length;
    if (tls13 === 0 && given.length > 0) merged.tls = '1.2';
    else if (tls13 === given.length && given.length > 0) merged.tls = '1.3';
  }
  const baseSuites = base.cipherSuites?.map(lookupCipherSuite) ?? [];
  if (options.preset && options.cipherSuites && baseSuites.includes(RENEGOTIATION_SCSV)) {
    const given = options.cipherSuites.map(lookupCipherSuite);
    if (!given.includes(RENEGOTIATION_SCSV)) merged.cipherSuites = [...given, RENEGOTIATION_SCSV];
  }
  return merged as ClientHelloOptions;
}

/**
 * Builds a ClientHello. With no options: a TLS 1.3 + 1.2 hello with X25519 and P-256 key
 * shares, no SNI, padded BoringSSL's way. Every random choice comes from `seed` when given,
 * so the same options and seed give the same bytes.
 *
 * Options stay coherent: `groups` without `keyShares` sends shares that follow the groups
 * (see `keySharesFollowingGroups`); `tls: '1.2'` leaves out every TLS 1.3-only part; and
 * options that contradict each other throw, naming both — unless one of them was forged.
 *
 * `forged` lists what the forging options set, as field-path prefixes a validator's problem
 * paths start with: `record.legacy_record_version`, `record.content_type`, `record.length`,
 * `client_hello.length`, `client_hello.legacy_version`, `client_hello.random`,
 * `client_hello.legacy_session_id`, `client_hello.cipher_suites`,
 * `client_hello.legacy_compression_methods`, `client_hello.extensions` (the whole block: a
 * duplicate added through `addExtensions`, a forged block length) and
 * `client_hello.extensions.<registry name>` (a raw body in `extensionBodies`, a replaced,
 * added or removed extension). A preset's own bodies are not forged.
 *
 * @example
 * const hello = clientHello({ serverName: 'example.com', seed: 1 });
 * const bytes = encodeClientHello(hello); // one record, 0x16 0x03 0x01 …
 * @example
 * clientHello({ preset: 'chrome', serverName: 'example.com' })
 * @example
 * clientHello({ groups: ['x25519', 'secp384r1'] }).keyShares.map((k) => k.group) // [0x001d]
 * @example
 * clientHello({ replaceExtensions: [{ type: 'key_share', body: Uint8Array.of(0, 1, 0) }] }).forged
 * // ['client_hello.extensions.key_share']
 * @throws {TypeError} an unknown suite, group, scheme, version or extension name (with close
 *   matches); two options that contradict each other (`"keyShares" and "groups" disagree: …`)
 * @throws {RangeError} a value out of range (random not 32 bytes, a padding target too small,
 *   an empty list…)
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
  const forged = forgedFields(options);
  const legacyVersion = lookupVersion(o.legacyVersion ?? 0x0303);

  const tls12Only = o.tls === '1.2';
  for (const [field, name] of LIST_FIELDS) checkNotEmpty(field, o[field] as readonly unknown[] | null, name);
  if (options.tls !== undefined && options.versions !== undefined) {
    const wants13 = options.versions?.map(lookupVersion).includes(0x0304) === true;
    if (wants13 !== (options.tls === '1.3'))
      throw new TypeError(
        `"tls" and "versions" disagree: tls '${options.tls}' but versions ${JSON.stringify(options.versions)}`,
      );
  }
  let versions =
    o.versions === null || tls12Only ? null : codes(o.versions ?? [0x0304, 0x0303], lookupVersion);
  if (o.tls === '1.3') versions = [0x0304];
  const givenSuites = codes(o.cipherSuites ?? DEFAULT_OPTIONS.cipherSuites, lookupCipherSuite);
  const suites = tls12Only ? givenSuites.filter((s) => s >> 8 !== 0x13) : givenSuites;
  const groups = o.groups ? codes(o.groups, lookupGroup) : null;
  const keySharesFollowGroups = options.groups !== undefined && options.keyShares === undefined;
  let keyShareGroups: number[] | null = null;
  if (!tls12Only) {
    if (keySharesFollowGroups) keyShareGroups = groups ? keySharesFollowingGroups(groups) : null;
    else if (o.keyShares) keyShareGroups = codes(o.keyShares, lookupGroup);
  }
  const sigalgs = o.signatureAlgorithms ? codes(o.signatureAlgorithms, lookupSignatureScheme) : null;
  const pskModes = tls12Only ? null : (o.pskModes ?? null);
  if (o.serverName != null && !/^[\x20-\x7e]*$/.test(o.serverName)) {
    throw new TypeError(
      `"serverName" ${JSON.stringify(o.serverName)} is not ASCII: host names are ASCII (RFC 6066 §3); give the A-label (xn--…), or forge the bytes with extensionBodies`,
    );
  }
  checkNoRepeats('keyShares', keyShareGroups, groupName);
  checkCoherence({
    versions: (versions ?? [legacyVersion]).filter((v) => !isGrease(v)),
    versionsField: options.tls !== undefined ? 'tls' : 'versions',
    cipherSuites: tls12Only ? givenSuites : suites,
    groups,
    keyShares: keyShareGroups,
    signatureAlgorithms: sigalgs,
    forged: forgedOptionFields(forged),
  });

  const keyShares = (keyShareGroups ?? []).map((group) => generateKeyShare(group, random));
  const echOptions = o.echGrease === true ? {} : o.echGrease || null;
  const ech = echOptions ? echGreaseValue(echOptions, random) : null;

  // What each registry row builds its body from, GREASE values in place.
  const withGrease = (on: boolean | undefined, value: number, list: readonly number[] | null) =>
    list && on ? [value, ...list] : list;
  const plan: HelloPlan = {
    serverName: o.serverName ?? null,
    namedGroups: withGrease(grease.groups, g.group, groups),
    keyShares: keyShareGroups
      ? [
          ...(grease.keyShare ? [{ group: g.group, keyExchange: Uint8Array.of(0) }] : []),
          ...keyShares.map((k) => ({ group: k.group, keyExchange: k.keyExchange })),
        ]
      : null,
    signatureAlgorithms: withGrease(grease.signatureAlgorithms, g.signatureAlgorithm, sigalgs),
    versions: withGrease(grease.versions, g.version, versions),
    alpn: o.alpn ?? null,
    ecPointFormats: o.ecPointFormats ?? null,
    pskModes: withGrease(grease.pskModes, g.pskMode, pskModes),
    certificateCompression: withGrease(
      grease.certificateCompression,
      g.certificateCompression,
      o.certificateCompression ?? null,
    ),
    ech,
  };

  // The body of each type the order names, or null to leave it out: the row's value from
  // the plan, else a raw body, else the row's fixed ClientHello value.
  const bodyFor = (type: number): Uint8Array | null => {
    const codec = codecForType(type);
    const value = codec?.fromPlan?.(plan);
    if (codec && value != null) return encodeBody(codec, value);
    const raw = o.extensionBodies?.[String(type)];
    if (raw) return raw;
    if (codec?.fromPlan) return null;
    if (codec?.clientHelloDefault !== undefined) return encodeBody(codec, codec.clientHelloDefault);
    throw new TypeError(
      `extension ${type} (0x${type.toString(16).padStart(4, '0')}) is in extensionOrder but has no body; give one in extensionBodies`,
    );
  };

  const order = (o.extensionOrder ?? DEFAULT_OPTIONS.extensionOrder).map(extensionCode);
  for (const [key] of Object.entries(o.extensionBodies ?? {})) {
    if (!/^\d+$/.test(key))
      throw new TypeError(`extensionBodies keys are extension codes in decimal, got ${JSON.stringify(key)}`);
  }
  const removed = new Set((o.removeExtensions ?? []).map(extensionCode));
  const callerBodies = options.extensionBodies ?? {};
  // A TLS 1.2 hello leaves out what only TLS 1.3 defines, unless the caller forged it in.
  const leftOut = (type: number) =>
    removed.has(type) || (tls12Only && TLS13_ONLY_EXTENSIONS.has(type) && !(String(type) in callerBodies));
  let list: Extension[] = [];
  let paddingAt: number | null = null;
  for (const type of order) {
    if (leftOut(type)) continue;
    if (type === PADDING) {
      if (o.padding !== false) paddingAt = list.length;
      else if (o.extensionBodies?.[String(type)]) list.push({ type, body: o.extensionBodies[String(type)] });
      continue;
    }
    const body = bodyFor(type);
    if (body) list.push({ type, body });
  }
  if (ech && !order.includes(ECH) && !leftOut(ECH)) {
    list.push({ type: ECH, body: encodeBody(encryptedClientHelloCodec, ech) });
  }
  for (const input of o.replaceExtensions ?? []) {
    const ext = toExtension(input);
    const i = list.findIndex((e) => e.type === ext.type);
    if (i >= 0) list[i] = ext;
    else list.push(ext);
  }
  for (const input of o.addExtensions ?? []) {
    const ext = toExtension(input);
    if (list.some((e) => e.type === ext.type)) forged.add('client_hello.extensions');
    list.push(ext);
  }

  // pre_shared_key stays last (RFC 8446 §4.2.11); everything else may move.
  const psk = list.filter((e) => e.type === PRE_SHARED_KEY);
  if (o.permuteExtensions) {
    const rest = list.filter((e) => e.type !== PRE_SHARED_KEY);
    list = permute(rest, random);
    if (paddingAt !== null) paddingAt = list.length;
  } else if (psk.length > 0) {
    list = list.filter((e) => e.type !== PRE_SHARED_KEY);
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
  if (o.padding !== false && paddingAt === null && !removed.has(PADDING))
    paddingAt = list.length - psk.length;

  // Cipher suites: raw bytes (any length) or codes, GREASE first.
  let cipherSuites = grease.cipherSuites ? [g.cipherSuite, ...suites] : suites;
  let legacyCompressionMethods = o.compressionMethods ?? [0];
  let lengthOverrides: ClientHelloLengthOverrides = {};
  if (o.rawCipherSuites) {
    const laid = rawCipherSuitesLayout(o.rawCipherSuites, legacyCompressionMethods);
    cipherSuites = laid.cipherSuites;
    legacyCompressionMethods = laid.compressionMethods;
    lengthOverrides = laid.lengthOverrides;
  }
  lengthOverrides = { ...lengthOverrides, ...o.lengthOverrides };

  const base: ClientHello = {
    legacyVersion,
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
        { type: PADDING, body: encodeBody(paddingCodec, { length: padLength }) },
        ...list.slice(paddingAt),
      ];
    }
  }

  const hello: ClientHello = { ...base, extensions };
  const record = framing(hello, o);
  return { ...hello, ...(record ? { record } : {}), keyShares, forged: [...forged].sort() };
}

/** The list options whose empty list is a wire error, and the extension each fills. */
const LIST_FIELDS = [
  ['cipherSuites', 'cipher_suites'],
  ['groups', 'supported_groups'],
  ['signatureAlgorithms', 'signature_algorithms'],
  ['versions', 'supported_versions'],
  ['pskModes', 'psk_key_exchange_modes'],
  ['ecPointFormats', 'ec_point_formats'],
  ['certificateCompression', 'compress_certificate'],
] as const;

/** The registry name of an extension type, for forged paths (IANA name, else the code). */
function extensionPathName(type: number): string {
  const name = codecForType(type)?.name ?? extensionTypeName(type);
  return name.startsWith('unknown(') ? String(type) : name;
}

/**
 * The field paths the caller's forging options set (a preset's own bodies are not forged).
 * `addExtensions` that duplicate a type add `client_hello.extensions` later, when the list
 * is known.
 */
function forgedFields(options: ClientHelloOptions): Set<string> {
  const out = new Set<string>();
  const ext = (type: CodeInput) =>
    out.add(`client_hello.extensions.${extensionPathName(extensionCode(type))}`);
  const record = options.record;
  if (record?.version !== undefined && record.version !== 0x0301 && record.version !== 0x0303)
    out.add('record.legacy_record_version');
  if (record?.contentType !== undefined && record.contentType !== 22) out.add('record.content_type');
  const lengths = options.lengthOverrides ?? {};
  if (lengths.handshake !== undefined) {
    out.add('client_hello.length');
    out.add('record.length');
  }
  if (options.legacyVersion !== undefined && lookupVersion(options.legacyVersion) !== 0x0303)
    out.add('client_hello.legacy_version');
  if (options.random !== undefined) out.add('client_hello.random');
  const sid = options.sessionId;
  if (
    lengths.legacySessionId !== undefined ||
    (sid !== undefined && (typeof sid === 'number' ? sid : sid.length) > 32)
  )
    out.add('client_hello.legacy_session_id');
  if (options.rawCipherSuites !== undefined || lengths.cipherSuites !== undefined)
    out.add('client_hello.cipher_suites');
  if (options.rawCipherSuites !== undefined && options.rawCipherSuites.length % 2 === 1)
    out.add('client_hello.legacy_compression_methods');
  const compression = options.compressionMethods;
  if (
    lengths.legacyCompressionMethods !== undefined ||
    (compression !== undefined && (compression.length !== 1 || compression[0] !== 0))
  )
    out.add('client_hello.legacy_compression_methods');
  if (lengths.extensions !== undefined) out.add('client_hello.extensions');
  for (const key of Object.keys(options.extensionBodies ?? {})) if (/^\d+$/.test(key)) ext(Number(key));
  for (const input of options.replaceExtensions ?? []) ext(input.type);
  for (const input of options.addExtensions ?? []) ext(input.type);
  for (const type of options.removeExtensions ?? []) ext(type);
  return out;
}

/** The options a forged extension stands for, so the coherence rules leave them alone. */
const FORGED_OPTION: Readonly<Record<string, CoherentField>> = {
  'client_hello.cipher_suites': 'cipherSuites',
  // A hello whose only version is a forged legacy_version (SSL 3.0, TLS 1.0) offers what it says.
  'client_hello.legacy_version': 'versions',
  'client_hello.extensions.supported_versions': 'versions',
  'client_hello.extensions.supported_groups': 'groups',
  'client_hello.extensions.key_share': 'keyShares',
  'client_hello.extensions.signature_algorithms': 'signatureAlgorithms',
};

function forgedOptionFields(forged: ReadonlySet<string>): Set<CoherentField> {
  const out = new Set<CoherentField>();
  for (const path of forged) {
    const field = FORGED_OPTION[path];
    if (field) out.add(field);
    if (field === 'versions') out.add('tls');
  }
  return out;
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
