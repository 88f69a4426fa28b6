/**
 * Two ClientHellos, field by field: what one client offers that the other does not. The
 * question behind most "works with curl, fails with my proxy" reports is which field of the
 * hello differs, and a JA3/JA4 mismatch only says that something does.
 *
 * By default the fields that change on every connection of the same client are left out:
 * GREASE values (folded to `GREASE`, so their positions still count), the random, the
 * session id's bytes, key share keys, padding, ECH payloads, PSK identities and binders,
 * session tickets' and cookies' contents. `exact: true` compares every byte.
 */
import { equalBytes, toHex } from '../bytes/hex.ts';
import { jsonView } from '../bytes/json-view.ts';
import type { Extension } from '../extensions/types.ts';
import {
  alpnProtocols,
  ecPointFormats,
  keyShareGroups,
  serverName,
  signatureAlgorithms,
  supportedGroups,
  supportedVersions,
  u16Values,
  vectorContent,
} from '../handshake/hello-fields.ts';
import type { ClientHello } from '../handshake/types.ts';
import { EXTENSION_TYPE } from '../iana/extension-types.ts';
import { isGreaseAlpn, isGreaseByte } from '../iana/grease.ts';
import {
  cipherSuiteName,
  compressionMethodName,
  ecPointFormatName,
  extensionTypeName,
  groupName,
  pskKeyExchangeModeName,
  signatureSchemeName,
  versionName,
} from '../iana/lookup.ts';
import { isGrease } from './grease.ts';

/** One way two ClientHellos differ. */
export interface HelloDifference {
  /**
   * What differs: `record`, `legacy_version`, `random`, `legacy_session_id`, `cipher_suites`,
   * `legacy_compression_methods`, `extensions` (which ones, in which order), `trailing`, or an
   * extension's IANA name (`server_name`, `supported_groups`, `key_share`, …) for its content.
   */
  readonly field: string;
  /** The field in the first hello: names for codes, null when absent. */
  readonly a: unknown;
  /** The field in the second hello. */
  readonly b: unknown;
  /** Lists: the items only the first hello has (GREASE folded unless exact); all of them when only it has the list. */
  readonly onlyInA?: readonly string[];
  /** Lists: the items only the second hello has. */
  readonly onlyInB?: readonly string[];
  /** Lists: the items both have are in another order. */
  readonly reordered?: boolean;
  /** One line for a person: `cipher_suites: only in a: TLS_RSA_WITH_AES_128_CBC_SHA`. */
  readonly summary: string;
}

/** Options for {@link diffClientHellos}. */
export interface HelloDiffOptions {
  /** Compare every byte, GREASE values and per-connection fields included. Default false. */
  readonly exact?: boolean;
}

/** What a default (not exact) diff leaves out, for a footer under its output. */
export const PER_CONNECTION_FIELDS: readonly string[] = [
  'GREASE values',
  'random',
  'session id bytes',
  'key share keys',
  'padding',
  'ECH payloads',
  'PSK identities and binders',
  'ticket and cookie bytes',
];

const EXT = EXTENSION_TYPE;

/** A list extension: how to read its codes from a body, and how to name one (GREASE aside). */
interface ListReading {
  readonly read: (body: Uint8Array) => readonly number[];
  readonly name: (code: number) => string;
  /** The GREASE test for its codes (one-byte values for psk_key_exchange_modes). */
  readonly grease: (code: number) => boolean;
}

/** Extensions whose content is a list, read the same way in both hellos and named item by item. */
const LIST_EXTENSIONS: ReadonlyMap<number, ListReading> = new Map([
  [EXT.supported_versions, { read: supportedVersions, name: versionName, grease: isGrease }],
  [EXT.supported_groups, { read: supportedGroups, name: groupName, grease: isGrease }],
  [EXT.key_share, { read: keyShareGroups, name: groupName, grease: isGrease }],
  [EXT.signature_algorithms, { read: signatureAlgorithms, name: signatureSchemeName, grease: isGrease }],
  [EXT.signature_algorithms_cert, { read: signatureAlgorithms, name: signatureSchemeName, grease: isGrease }],
  [
    EXT.delegated_credential,
    { read: (b: Uint8Array) => u16Values(vectorContent(b, 2)), name: signatureSchemeName, grease: isGrease },
  ],
  [EXT.ec_point_formats, { read: ecPointFormats, name: ecPointFormatName, grease: isGrease }],
  [
    EXT.psk_key_exchange_modes,
    {
      read: (b: Uint8Array) => Array.from(vectorContent(b, 1)),
      name: pskKeyExchangeModeName,
      grease: isGreaseByte,
    },
  ],
]);

/** Extensions whose bytes are per connection: compared by presence and shape only unless exact. */
const PER_CONNECTION: ReadonlySet<number> = new Set([
  EXT.padding,
  EXT.session_ticket,
  EXT.pre_shared_key,
  EXT.cookie,
  EXT.encrypted_client_hello,
]);

/**
 * How `a` and `b` differ, field by field, in wire order of the fields: record framing,
 * fixed fields, which extensions are sent in which order, then each extension's content
 * (SNI, versions, groups, key share groups, signature algorithms, ALPN first). Empty when
 * the two hellos offer the same things.
 *
 * @example
 * for (const d of diffClientHellos(curlHello, proxyHello)) console.log(d.summary);
 * // server_name: a: example.test, b: (none)
 */
export function diffClientHellos(
  a: ClientHello,
  b: ClientHello,
  options: HelloDiffOptions = {},
): HelloDifference[] {
  const exact = options.exact ?? false;
  const code16 = (name: (c: number) => string) => (c: number) => (!exact && isGrease(c) ? 'GREASE' : name(c));
  const out: HelloDifference[] = [];
  const push = (d: HelloDifference | null) => {
    if (d) out.push(d);
  };

  push(compareValue('record', recordShape(a, exact), recordShape(b, exact)));
  push(compareValue('legacy_version', versionName(a.legacyVersion), versionName(b.legacyVersion)));
  if (exact) push(compareValue('random', toHex(a.random), toHex(b.random)));
  push(
    exact
      ? compareValue('legacy_session_id', toHex(a.legacySessionId), toHex(b.legacySessionId))
      : compareValue(
          'legacy_session_id',
          `${a.legacySessionId.length} bytes`,
          `${b.legacySessionId.length} bytes`,
        ),
  );
  push(
    compareList(
      'cipher_suites',
      a.cipherSuites.map(code16(cipherSuiteName)),
      b.cipherSuites.map(code16(cipherSuiteName)),
    ),
  );
  push(
    compareList(
      'legacy_compression_methods',
      a.legacyCompressionMethods.map(compressionMethodName),
      b.legacyCompressionMethods.map(compressionMethodName),
    ),
  );
  const extensionName = code16(extensionTypeName);
  push(
    compareList(
      'extensions',
      a.extensions === null ? null : a.extensions.map((e) => extensionName(e.type)),
      b.extensions === null ? null : b.extensions.map((e) => extensionName(e.type)),
    ),
  );

  const extA = firstExtensions(a);
  const extB = firstExtensions(b);
  /** `read` applied to the body of the first extension of `type`, or null when there is none. */
  const both = <T>(type: number, read: (body: Uint8Array) => T): [T | null, T | null] => {
    const [x, y] = [extA.get(type), extB.get(type)];
    return [x ? read(x.body) : null, y ? read(y.body) : null];
  };
  push(compareValue('server_name', ...both(EXT.server_name, serverName)));
  for (const [type, list] of LIST_EXTENSIONS) {
    const one = (c: number) => (!exact && list.grease(c) ? 'GREASE' : list.name(c));
    push(compareList(extensionTypeName(type), ...both(type, (body) => list.read(body).map(one))));
    if (exact && type === EXT.key_share) push(compareKeys(extA.get(type)?.body, extB.get(type)?.body));
  }
  const alpn = (body: Uint8Array) =>
    alpnProtocols(body).map((p) => (!exact && isGreaseAlpn(p) ? 'GREASE' : p));
  push(
    compareList(
      extensionTypeName(EXT.application_layer_protocol_negotiation),
      ...both(EXT.application_layer_protocol_negotiation, alpn),
    ),
  );

  // Every other extension both hellos carry: its bytes, shown as its typed value when there is one.
  for (const [type, x] of extA) {
    const y = extB.get(type);
    if (
      y === undefined ||
      type === EXT.server_name ||
      type === EXT.application_layer_protocol_negotiation ||
      LIST_EXTENSIONS.has(type)
    )
      continue;
    if (!exact && (isGrease(type) || PER_CONNECTION.has(type))) {
      if (type === EXT.session_ticket || type === EXT.pre_shared_key)
        push(compareValue(extensionTypeName(type), presence(x.body), presence(y.body)));
      continue;
    }
    if (equalBytes(x.body, y.body)) continue;
    const view = (e: Extension) => (e.value === undefined ? toHex(e.body) : jsonView(e.value));
    push(compareValue(extensionName(type), view(x), view(y)));
  }
  if (exact || a.trailing !== undefined || b.trailing !== undefined)
    push(
      compareValue('trailing', a.trailing ? toHex(a.trailing) : null, b.trailing ? toHex(b.trailing) : null),
    );
  return out;
}

/** The record framing: layer version and, exact, the fragment sizes; else how many records. */
function recordShape(hello: ClientHello, exact: boolean): string {
  const r = hello.record ?? { version: 0x0301 };
  const sizes = r.fragments;
  const records = sizes === undefined ? 1 : sizes.length;
  const shape = exact && sizes !== undefined ? ` (fragments ${sizes.join(', ')})` : '';
  return `${versionName(r.version)}, ${records} record${records === 1 ? '' : 's'}${shape}`;
}

function presence(body: Uint8Array): string {
  return body.length === 0 ? 'empty' : 'not empty';
}

/** The first extension of each type, in wire order. */
function firstExtensions(hello: ClientHello): Map<number, Extension> {
  const m = new Map<number, Extension>();
  for (const e of hello.extensions ?? []) if (!m.has(e.type)) m.set(e.type, e);
  return m;
}

/** key_share key bytes, group by group (exact only: they are fresh on every connection). */
function compareKeys(a: Uint8Array | undefined, b: Uint8Array | undefined): HelloDifference | null {
  if (a === undefined || b === undefined || equalBytes(a, b)) return null;
  return compareValue('key_share.key_exchange', toHex(a), toHex(b));
}

function show(v: unknown): string {
  if (v === null) return '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function compareValue(field: string, a: unknown, b: unknown): HelloDifference | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  return { field, a, b, summary: `${field}: a: ${show(a)}, b: ${show(b)}` };
}

/**
 * Two lists (null when the extension is absent): what only one side has, counted as a
 * multiset (two GREASE entries are two), and whether the shared items come in another order.
 */
function compareList(
  field: string,
  a: readonly string[] | null,
  b: readonly string[] | null,
): HelloDifference | null {
  if (a === null && b === null) return null;
  if (a === null || b === null) {
    const list = (a ?? b)!;
    return {
      field,
      a,
      b,
      onlyInA: a ?? [],
      onlyInB: b ?? [],
      reordered: false,
      summary: `${field}: only ${a === null ? 'b' : 'a'} has it${list.length > 0 ? ` (${list.join(', ')})` : ''}`,
    };
  }
  if (a.length === b.length && a.every((x, i) => x === b[i])) return null;
  const onlyInA = minus(a, b);
  const onlyInB = minus(b, a);
  const sharedA = minus(a, onlyInA);
  const sharedB = minus(b, onlyInB);
  const reordered = !sharedA.every((x, i) => x === sharedB[i]);
  const parts: string[] = [];
  if (onlyInA.length > 0) parts.push(`only in a: ${onlyInA.join(', ')}`);
  if (onlyInB.length > 0) parts.push(`only in b: ${onlyInB.join(', ')}`);
  if (reordered)
    parts.push(
      onlyInA.length + onlyInB.length === 0 ? 'same items, another order' : 'shared items in another order',
    );
  return { field, a, b, onlyInA, onlyInB, reordered, summary: `${field}: ${parts.join('; ')}` };
}

/** `from` without one occurrence of each item of `remove`, order kept. */
function minus(from: readonly string[], remove: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const x of remove) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of from) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}
