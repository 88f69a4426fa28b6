/**
 * Options that stay coherent: key shares that follow the groups, TLS 1.3-only extensions
 * left out of a TLS 1.2 hello, and one table of the contradictions between suites,
 * versions, signature schemes, groups and key shares that make the builder refuse (each
 * row names the two fields that disagree). A field forged on purpose is not checked.
 */
import { isSupportedKeyShareGroup } from '../crypto/key-share.ts';
import { isGrease } from '../iana/grease.ts';
import { cipherSuiteInfo, groupInfo, groupName, signatureSchemeInfo, versionName } from '../iana/lookup.ts';

const TLS13 = 0x0304;

/**
 * The key shares a client sends for `groups` when the caller names no key shares: a share
 * for the first group, or for the first two when the first is a post-quantum hybrid and the
 * second a classic group (as Chrome and Firefox send X25519MLKEM768 and X25519). Groups
 * hellokit cannot compute a share for are passed over; none at all gives an empty
 * client_shares, which asks the server for a HelloRetryRequest.
 * @example keySharesFollowingGroups([0x001d, 0x0018]) // [0x001d]
 * @example keySharesFollowingGroups([0x11ec, 0x001d, 0x0017]) // [0x11ec, 0x001d]
 */
export function keySharesFollowingGroups(groups: readonly number[]): number[] {
  const usable = groups.filter(isSupportedKeyShareGroup);
  const [first, second] = usable;
  if (first === undefined) return [];
  const kind = (g: number) => groupInfo(g)?.kind;
  if (
    kind(first) === 'hybrid' &&
    second !== undefined &&
    (kind(second) === 'ecdhe' || kind(second) === 'ffdhe')
  )
    return [first, second];
  return [first];
}

/**
 * Extensions that only TLS 1.3 defines for a ClientHello (RFC 8446 §4.2 table, RFC 8879,
 * draft-ietf-tls-esni, draft-vvv-tls-alps, RFC 9345): `tls: '1.2'` leaves them out.
 */
export const TLS13_ONLY_EXTENSIONS: ReadonlySet<number> = new Set([
  27, // compress_certificate
  34, // delegated_credential
  41, // pre_shared_key
  42, // early_data
  43, // supported_versions
  44, // cookie
  45, // psk_key_exchange_modes
  47, // certificate_authorities
  49, // post_handshake_auth
  51, // key_share
  17513, // application_settings
  17613, // application_settings (new code point)
  0xfe0d, // encrypted_client_hello
]);

/** An option a coherence rule reads, by its `ClientHelloOptions` name. */
export type CoherentField =
  | 'cipherSuites'
  | 'versions'
  | 'tls'
  | 'groups'
  | 'keyShares'
  | 'signatureAlgorithms';

/** What the rules read: wire codes after presets and `tls` are applied. */
export interface CoherenceInput {
  /** The versions offered: supported_versions without GREASE, or legacy_version when absent. */
  readonly versions: readonly number[];
  /** The option the versions came from, for the message (`tls` when the caller set it). */
  readonly versionsField: 'versions' | 'tls';
  readonly cipherSuites: readonly number[];
  readonly groups: readonly number[] | null;
  readonly keyShares: readonly number[] | null;
  readonly signatureAlgorithms: readonly number[] | null;
  /** Fields a forging option set (a raw body, a replaced or removed extension, raw suites). */
  readonly forged: ReadonlySet<CoherentField>;
}

/** One contradiction: the two fields, and the problem (null when there is none). */
interface CoherenceRule {
  readonly fields: (i: CoherenceInput) => readonly [CoherentField, CoherentField];
  readonly check: (i: CoherenceInput) => string | null;
}

const hex = (code: number) => `0x${code.toString(16).padStart(4, '0')}`;
const versionList = (vs: readonly number[]) => vs.map((v) => versionName(v)).join(', ');

/** True when a suite could be negotiated in one of `versions` (unknown suites: assume yes). */
function suiteFits(suite: number, versions: readonly number[]): boolean {
  if (isGrease(suite)) return false;
  const info = cipherSuiteInfo(suite);
  if (!info) return true;
  if (info.scsv) return false;
  return versions.some((v) => v >= info.minVersion && v <= info.maxVersion);
}

const RULES: readonly CoherenceRule[] = [
  {
    fields: (i) => ['cipherSuites', i.versionsField],
    check: (i) => {
      // A version hellokit has no suite table for (a future 0x0305) could take any suite.
      const known = i.versions.filter((v) => v >= 0x0300 && v <= TLS13);
      if (known.length < i.versions.length) return null;
      return i.cipherSuites.some((s) => suiteFits(s, known))
        ? null
        : `no cipher suite can be negotiated in ${versionList(known)}`;
    },
  },
  {
    fields: () => ['keyShares', 'groups'],
    check: (i) => {
      if (!i.keyShares || i.keyShares.length === 0) return null;
      if (!i.groups) return 'key shares are sent but supported_groups is left out (RFC 8446 §9.2)';
      const missing = i.keyShares.find((g) => !i.groups!.includes(g));
      if (missing !== undefined)
        return `a key share for ${groupName(missing)}, a group not offered in groups (RFC 8446 §4.2.8)`;
      const positions = i.keyShares.map((g) => i.groups!.indexOf(g));
      if (positions.some((p, k) => k > 0 && p <= positions[k - 1]))
        return 'key shares must be in the order of groups, each once (RFC 8446 §4.2.8)';
      return null;
    },
  },
  {
    fields: () => ['keyShares', 'versions'],
    check: (i) =>
      i.versions.includes(TLS13) && i.keyShares === null && i.groups !== null
        ? 'TLS 1.3 with supported_groups needs a key_share (RFC 8446 §9.2); [] asks for a HelloRetryRequest'
        : null,
  },
  {
    fields: () => ['signatureAlgorithms', 'versions'],
    check: (i) => {
      if (!i.versions.includes(TLS13)) return null;
      if (i.signatureAlgorithms === null) return 'TLS 1.3 needs signature_algorithms (RFC 8446 §9.2)';
      const only13 = i.versions.every((v) => v === TLS13);
      const usable = i.signatureAlgorithms.some(
        (s) => !isGrease(s) && signatureSchemeInfo(s)?.legacy !== true,
      );
      return only13 && !usable
        ? 'only legacy schemes (SHA-1, SHA-224, DSA) for a TLS 1.3-only hello (RFC 8446 §4.2.3)'
        : null;
    },
  },
];

/**
 * Throws on the first contradiction between two options, naming both; fields set through a
 * forging option are not checked.
 * @throws {TypeError} e.g. `"keyShares" and "groups" disagree: a key share for secp256r1, a group not offered in groups (RFC 8446 §4.2.8)`
 */
export function checkCoherence(input: CoherenceInput): void {
  for (const rule of RULES) {
    const [a, b] = rule.fields(input);
    if (input.forged.has(a) || input.forged.has(b)) continue;
    const problem = rule.check(input);
    if (problem !== null) throw new TypeError(`"${a}" and "${b}" disagree: ${problem}`);
  }
}

/**
 * Throws on an empty list where the wire forbids one (`<2..>` vectors); `null` is how to
 * leave the extension out.
 * @throws {RangeError}
 */
export function checkNotEmpty(
  field: string,
  list: readonly unknown[] | null | undefined,
  extension: string,
): void {
  if (list && list.length === 0)
    throw new RangeError(
      `"${field}" is empty; an empty ${extension} is a decode_error (use null to leave it out)`,
    );
}

/**
 * Throws when a list names one code twice.
 * @throws {RangeError}
 */
export function checkNoRepeats(
  field: string,
  list: readonly number[] | null,
  name: (c: number) => string,
): void {
  if (!list) return;
  const seen = new Set<number>();
  for (const c of list) {
    if (seen.has(c)) throw new RangeError(`"${field}" lists ${name(c)} (${hex(c)}) twice`);
    seen.add(c);
  }
}
