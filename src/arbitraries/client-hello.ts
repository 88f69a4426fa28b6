/**
 * `clientHelloArb(options)`: shrinkable ClientHellos, valid by default (a strict parse of
 * their encoding gives them back), constrained the ways property tests need.
 */

import fc from 'fast-check';
import type { CodeInput } from '../builder/client-hello.ts';
import {
  generateKeyShare,
  isSupportedKeyShareGroup,
  type KeyShare,
  keyShareSizes,
} from '../crypto/key-share.ts';
import { seededRandom } from '../crypto/random.ts';
import type { Extension } from '../extensions/types.ts';
import { encodeClientHelloMessage } from '../handshake/client-hello.ts';
import type { ClientHello, RecordFraming } from '../handshake/types.ts';
import { GREASE_VALUES } from '../iana/grease.ts';
import { lookupCipherSuite, lookupGroup, lookupSignatureScheme, lookupVersion } from '../iana/lookup.ts';
import {
  COMMON_GROUPS,
  COMMON_SIGNATURE_SCHEMES,
  COMMON_VERSIONS,
  extensionBodyArb,
  keyShareBodyFor,
  serverNameBodyFor,
  supportedVersionsBodyFor,
  u16ListBodyFor,
} from './extension-bodies.ts';
import {
  decodeExtensionValue,
  extensionTypeOf,
  greaseExtensionArb,
  unknownExtensionArb,
} from './extensions.ts';

/** A registry entry by IANA name, alias or code (the builder's type). */
export type { CodeInput };

/** Constraints of {@link clientHelloArb}. Unset options vary. */
export interface ClientHelloArbOptions {
  /**
   * `null`: no server_name (as in `clientHello`); a string: that host; `true`: always one,
   * any host. Default: sometimes.
   */
  readonly serverName?: string | null | true;
  /** supported_versions holds exactly these (no GREASE added). */
  readonly versions?: readonly CodeInput[];
  /** supported_groups holds exactly these (no GREASE added); key shares come from them. */
  readonly groups?: readonly CodeInput[];
  /** cipher_suites holds exactly these (no GREASE added). */
  readonly cipherSuites?: readonly CodeInput[];
  /** signature_algorithms holds exactly these. */
  readonly signatureAlgorithms?: readonly CodeInput[];
  /**
   * Valid for a TLS 1.3 server: legacy_version 0x0303, supported_versions with 0x0304, a
   * key_share for a listed group, signature_algorithms, supported_groups, at least one
   * TLS 1.3 suite, compression `[0]`.
   */
  readonly validForTls13?: boolean;
  /** Key shares are real (`generateKeyShare` seeded from the arbitrary), so a real server answers. */
  readonly realKeyShares?: boolean;
  /** Extensions that are always present (names or codes). */
  readonly withExtensions?: readonly CodeInput[];
  /** Extensions that are never present (wins over every other option). */
  readonly withoutExtensions?: readonly CodeInput[];
  /** GREASE cipher suite, extensions and list values; default: sometimes. */
  readonly grease?: boolean;
  /** Shuffle the extension order; default: sometimes. */
  readonly shuffleExtensions?: boolean;
  /** A padding extension (RFC 7685); default: sometimes. */
  readonly padding?: boolean;
  /** Split the message over several records (`record.fragments`); default: sometimes. */
  readonly fragment?: boolean;
  /** Unknown extension types with random bodies; default: sometimes. */
  readonly unknownExtensions?: boolean;
}

const TLS13_SUITES = [0x1301, 0x1302, 0x1303] as const;
const TLS12_SUITES = [
  0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035, 0x00ff,
] as const;
/** Groups a real TLS 1.3 server is likely to accept a share for. */
const REAL_SHARE_GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x11ec] as const;

const SERVER_NAME = 0;
const SUPPORTED_GROUPS = 10;
const SIGNATURE_ALGORITHMS = 13;
const PADDING = 21;
const PRE_SHARED_KEY = 41;
const PSK_KEY_EXCHANGE_MODES = 45;
const SUPPORTED_VERSIONS = 43;
const KEY_SHARE = 51;

/** Extensions that may show up when not asked for (every one valid in a first ClientHello). */
const OPTIONAL_TYPES = [5, 11, 16, 18, 22, 23, 27, 28, 35, 45, 49, 50, 17513, 0xff01] as const;

/** A ClientHello with the private halves of its key shares (set with `realKeyShares`), as `probe` takes it. */
export type ClientHelloWithKeyShares = ClientHello & { readonly keyShares?: readonly KeyShare[] };

const KEY_SHARES = new WeakMap<ClientHello, readonly KeyShare[]>();

/**
 * The key shares (with private keys) of a hello made by `clientHelloArb({ realKeyShares: true })`,
 * so a test can finish the key exchange; empty for other hellos.
 */
export function keySharesOf(hello: ClientHello): readonly KeyShare[] {
  return KEY_SHARES.get(hello) ?? [];
}

const maybe = (fixed: boolean | undefined): fc.Arbitrary<boolean> =>
  fixed === undefined ? fc.boolean() : fc.constant(fixed);

function uniqueCodes(values: readonly number[]): number[] {
  return [...new Set(values)];
}

/**
 * ClientHellos that encode and strictly parse back to themselves, within `options`.
 * Shrinking goes toward fewer extensions, shorter lists and no GREASE, padding or
 * fragmentation.
 * @example
 * fc.assert(fc.property(clientHelloArb({ serverName: null, versions: ['TLS1.3'] }), (hello) => {
 *   expect(hello.extensions?.some((e) => e.type === 0)).toBe(false);
 * }));
 */
export function clientHelloArb(options: ClientHelloArbOptions = {}): fc.Arbitrary<ClientHelloWithKeyShares> {
  const tls13 = options.validForTls13 ?? false;
  const without = new Set((options.withoutExtensions ?? []).map(extensionTypeOf));
  const withTypes = new Set((options.withExtensions ?? []).map(extensionTypeOf));
  if (options.serverName === null) without.add(SERVER_NAME);
  for (const t of withTypes) {
    if (without.has(t)) throw new TypeError(`extension ${t} is both in withExtensions and excluded`);
  }
  // A valid hello offering pre_shared_key also sends psk_key_exchange_modes (RFC 8446 §4.2.9).
  if (withTypes.has(PRE_SHARED_KEY) && !without.has(PSK_KEY_EXCHANGE_MODES))
    withTypes.add(PSK_KEY_EXCHANGE_MODES);
  const versions = options.versions?.map((v) => lookupVersion(v));
  const groups = options.groups?.map((g) => lookupGroup(g));
  const suites = options.cipherSuites?.map((s) => lookupCipherSuite(s));
  const schemes = options.signatureAlgorithms?.map((s) => lookupSignatureScheme(s));
  if (tls13 && versions && !versions.includes(0x0304)) {
    throw new TypeError('validForTls13 needs 0x0304 among "versions"');
  }
  if (options.realKeyShares && groups && !groups.some(isSupportedKeyShareGroup)) {
    throw new TypeError('realKeyShares needs a group hellokit can make a key share for among "groups"');
  }
  const shareGroups = options.realKeyShares ? REAL_SHARE_GROUPS : COMMON_GROUPS;

  const optionalBodies: Record<string, fc.Arbitrary<Uint8Array | undefined>> = {};
  for (const type of new Set<number>([...OPTIONAL_TYPES, ...withTypes, SERVER_NAME])) {
    if (without.has(type) || type === PADDING) continue;
    const body = extensionBodyArb(type, 'client_hello') ?? fc.uint8Array({ maxLength: 16 });
    const always = withTypes.has(type) || (type === SERVER_NAME && options.serverName !== undefined);
    optionalBodies[String(type)] = always ? body : fc.option(body, { nil: undefined, freq: 2 });
  }

  const parts = fc.record({
    legacyVersion: tls13 ? fc.constant(0x0303) : fc.constantFrom(0x0303, 0x0301, 0x0302),
    random: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    legacySessionId: fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ minLength: 0, maxLength: 32 }),
    ),
    suites: suites
      ? fc.constant(suites)
      : fc
          .record({
            tls13: tls13
              ? fc.subarray([...TLS13_SUITES], { minLength: 1 })
              : fc.subarray([...TLS13_SUITES], { minLength: 0 }),
            tls12: fc.subarray([...TLS12_SUITES], { minLength: tls13 ? 0 : 1 }),
            // GREASE values come only from the grease option.
            other: fc.uniqueArray(
              fc
                .integer({ min: 0, max: 0xffff })
                .filter((v) => (v & 0x0f0f) !== 0x0a0a || v >> 8 !== (v & 0xff)),
              { maxLength: 3 },
            ),
          })
          .map((s) => uniqueCodes([...s.tls13, ...s.tls12, ...s.other])),
    groups: groups
      ? fc.constant(groups)
      : fc.subarray([...(tls13 ? shareGroups : COMMON_GROUPS)], { minLength: 1, maxLength: 5 }),
    schemes: schemes ? fc.constant(schemes) : fc.subarray([...COMMON_SIGNATURE_SCHEMES], { minLength: 1 }),
    versions: versions
      ? fc.constant(versions)
      : tls13
        ? fc.constantFrom([0x0304], [0x0304, 0x0303])
        : fc.subarray([...COMMON_VERSIONS], { minLength: 1 }),
    versionsPresent: versions || tls13 ? fc.constant(true) : fc.boolean(),
    groupsPresent: groups || tls13 ? fc.constant(true) : fc.boolean(),
    schemesPresent: schemes || tls13 ? fc.constant(true) : fc.boolean(),
    keySharePresent: tls13 ? fc.constant(true) : fc.boolean(),
    keyShareCount: fc.integer({ min: 1, max: 2 }),
    keyShareSeed: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    optional: fc.record(optionalBodies),
    grease: maybe(options.grease),
    greaseValues: fc.array(fc.constantFrom(...GREASE_VALUES), { minLength: 5, maxLength: 5 }),
    greaseExtensions: fc.tuple(greaseExtensionArb(), greaseExtensionArb()),
    unknown:
      options.unknownExtensions === false
        ? fc.constant([])
        : fc.uniqueArray(unknownExtensionArb(), {
            maxLength: options.unknownExtensions ? 3 : 2,
            minLength: options.unknownExtensions ? 1 : 0,
            selector: (e) => e.type,
          }),
    shuffle: maybe(options.shuffleExtensions),
    orderKeys: fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
    padding: without.has(PADDING)
      ? fc.constant(false)
      : maybe(options.padding ?? (withTypes.has(PADDING) || undefined)),
    paddingLength: fc.integer({ min: 0, max: 300 }),
    fragment: maybe(options.fragment),
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 3 }),
  });

  return parts.map((p) => {
    const extensions = new Map<number, Uint8Array>();
    const keyShares: KeyShare[] = [];
    const g = p.grease;
    const greaseAt = (i: number): number => p.greaseValues[i];
    for (const [type, body] of Object.entries(p.optional)) if (body) extensions.set(Number(type), body);
    if (typeof options.serverName === 'string' && !without.has(SERVER_NAME)) {
      extensions.set(SERVER_NAME, serverNameBodyFor(options.serverName));
    }
    const need = (type: number, present: boolean): boolean =>
      !without.has(type) && (present || withTypes.has(type));
    if (need(SUPPORTED_VERSIONS, p.versionsPresent)) {
      const list = versions ? versions : g ? [greaseAt(0), ...p.versions] : p.versions;
      extensions.set(SUPPORTED_VERSIONS, supportedVersionsBodyFor(list));
    }
    if (need(SUPPORTED_GROUPS, p.groupsPresent)) {
      extensions.set(
        SUPPORTED_GROUPS,
        u16ListBodyFor(groups ? groups : g ? [greaseAt(1), ...p.groups] : p.groups),
      );
    }
    if (need(SIGNATURE_ALGORITHMS, p.schemesPresent))
      extensions.set(SIGNATURE_ALGORITHMS, u16ListBodyFor(p.schemes));
    if (need(KEY_SHARE, p.keySharePresent)) {
      const random = seededRandom(p.keyShareSeed);
      const candidates = options.realKeyShares ? p.groups.filter(isSupportedKeyShareGroup) : p.groups;
      const entries: { group: number; keyExchange: Uint8Array }[] = [];
      if (g && !groups) entries.push({ group: greaseAt(1), keyExchange: Uint8Array.of(0) });
      for (const group of candidates.slice(0, p.keyShareCount)) {
        if (options.realKeyShares) {
          const share = generateKeyShare(group, random);
          keyShares.push(share);
          entries.push({ group, keyExchange: share.keyExchange });
        } else {
          const length = isSupportedKeyShareGroup(group) ? keyShareSizes(group).clientShareLength : 32;
          entries.push({ group, keyExchange: random(length) });
        }
      }
      extensions.set(KEY_SHARE, keyShareBodyFor(entries));
    }

    let list: Extension[] = [];
    for (const [type, body] of extensions) {
      if (type === PRE_SHARED_KEY) continue;
      const value = decodeExtensionValue(type, body, 'client_hello');
      list.push(value === undefined ? { type, body } : { type, body, value });
    }
    for (const ext of p.unknown) if (!extensions.has(ext.type) && !without.has(ext.type)) list.push(ext);
    if (p.shuffle) {
      const keyed = list.map((ext, i) => ({ ext, key: p.orderKeys[i % p.orderKeys.length] * 64 + i }));
      keyed.sort((a, b) => a.key - b.key);
      list = keyed.map((k) => k.ext);
    }
    if (g) {
      const [first, last] = p.greaseExtensions;
      list.unshift(first);
      if (last.type !== first.type) list.push(last);
    }
    const psk = extensions.get(PRE_SHARED_KEY);

    let suiteList = p.suites;
    if (g && !suites) suiteList = [greaseAt(2), ...suiteList.filter((s) => s !== greaseAt(2))];
    const base = {
      legacyVersion: p.legacyVersion,
      random: p.random,
      legacySessionId: p.legacySessionId,
      cipherSuites: suiteList,
      legacyCompressionMethods: [0],
      extensions: list,
    };
    if (p.padding) list.push({ type: PADDING, body: new Uint8Array(p.paddingLength) });
    if (psk) list.push({ type: PRE_SHARED_KEY, body: psk, ...extensionValue(PRE_SHARED_KEY, psk) });

    const length = encodeClientHelloMessage(base).length;
    let record: RecordFraming = { version: 0x0301 };
    if (p.fragment && length > 1) {
      const points = [
        ...new Set(p.cuts.map((c) => Math.max(1, Math.min(length - 1, Math.floor((c * length) / 1000))))),
      ];
      points.sort((a, b) => a - b);
      const sizes: number[] = [];
      let at = 0;
      for (const point of points) {
        sizes.push(point - at);
        at = point;
      }
      sizes.push(length - at);
      record = { version: 0x0301, fragments: sizes };
    }
    const hello: ClientHelloWithKeyShares =
      keyShares.length > 0 ? { ...base, record, keyShares } : { ...base, record };
    if (keyShares.length > 0) KEY_SHARES.set(hello, keyShares);
    return hello;
  });
}

function extensionValue(type: number, body: Uint8Array): { value?: unknown } {
  const value = decodeExtensionValue(type, body, 'client_hello');
  return value === undefined ? {} : { value };
}
