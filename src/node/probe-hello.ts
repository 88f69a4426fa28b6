/**
 * The hellos the probe sends when the caller gives none, and the second ClientHello that
 * answers a HelloRetryRequest (RFC 8446 §4.1.2: same hello, new key share for the requested
 * group, the cookie echoed, early_data removed).
 *
 * The builder in src/build is the full-featured way to make hellos (presets, every field);
 * this is a small, self-contained default so the probe and the CLI work on their own.
 */
import { Writer } from '../bytes/writer.ts';
import { generateKeyShare, type KeyShare } from '../crypto/key-share.ts';
import { type RandomSource, systemRandom } from '../crypto/random.ts';
import type { Extension } from '../extensions/types.ts';
import { encodeClientHelloMessage } from '../handshake/client-hello.ts';
import type { ClientHello } from '../handshake/types.ts';

/** Extension type codes the probe reads or writes by hand (IANA). */
export const EXT = {
  server_name: 0,
  status_request: 5,
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  alpn: 16,
  signed_certificate_timestamp: 18,
  padding: 21,
  extended_master_secret: 23,
  session_ticket: 35,
  pre_shared_key: 41,
  early_data: 42,
  supported_versions: 43,
  cookie: 44,
  psk_key_exchange_modes: 45,
  key_share: 51,
  renegotiation_info: 0xff01,
} as const;

/** TLS 1.3 suites, then ECDHE-ECDSA and ECDHE-RSA AEAD suites (what current browsers offer first). */
export const DEFAULT_CIPHER_SUITES: readonly number[] = [
  0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
];
/** x25519, secp256r1, secp384r1, secp521r1. */
export const DEFAULT_GROUPS: readonly number[] = [0x001d, 0x0017, 0x0018, 0x0019];
/** ECDSA, RSA-PSS, RSA-PKCS1 and EdDSA schemes. */
export const DEFAULT_SIGNATURE_ALGORITHMS: readonly number[] = [
  0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0807, 0x0808,
];

/** Fields for the probe's own hello (used when no `hello` is given). */
export interface ProbeHelloOptions {
  /** SNI host name; `null` or absent sends no server_name extension. */
  readonly serverName?: string | null;
  /** Versions offered, highest first (default TLS 1.3 and 1.2). Only 1.2: no supported_versions. */
  readonly versions?: readonly number[];
  readonly cipherSuites?: readonly number[];
  /** supported_groups (default x25519, P-256, P-384, P-521). */
  readonly groups?: readonly number[];
  /** Groups to send key shares for (TLS 1.3; default the first of `groups`). */
  readonly keyShareGroups?: readonly number[];
  readonly signatureAlgorithms?: readonly number[];
  /** ALPN protocols, e.g. `['h2', 'http/1.1']`. */
  readonly alpn?: readonly string[];
  /** Add GREASE values (RFC 8701) to suites, groups, versions and extensions. */
  readonly grease?: boolean;
  /** Add a padding extension (RFC 7685) with this many zero bytes. */
  readonly padding?: number;
  /** A 32-byte legacy_session_id as in middlebox compatibility mode (default true when TLS 1.3 is offered). */
  readonly compatibilitySessionId?: boolean;
  /** Randomness for the random, session id and key shares (default the system CSPRNG). */
  readonly random?: RandomSource;
}

function ext(type: number, body: (w: Writer) => void): Extension {
  const w = new Writer(64);
  body(w);
  return { type, body: w.finish() };
}

function keyShareBody(shares: readonly KeyShare[], greaseGroup?: number): Uint8Array {
  const w = new Writer(128);
  w.prefixed(2, 'client_shares', (w) => {
    if (greaseGroup !== undefined) {
      w.u16(greaseGroup, 'group');
      w.vector(2, 'key_exchange', new Uint8Array([0]));
    }
    for (const s of shares) {
      w.u16(s.group, 'group');
      w.vector(2, 'key_exchange', s.keyExchange);
    }
  });
  return w.finish();
}

function pickGrease(random: RandomSource, count: number): number[] {
  const bytes = random(count);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    let v = ((bytes[i] & 0xf0) | 0x0a) * 0x101;
    // two GREASE extensions in one hello must differ (RFC 8701 §3 says MUST NOT repeat)
    while (out.includes(v)) v = (((v >> 8) + 0x10) & 0xff) * 0x101;
    out.push(v);
  }
  return out;
}

/**
 * A complete, valid ClientHello with real key shares, for probing.
 * @example
 * const hello = probeHello({ serverName: 'example.test', versions: [0x0304] });
 * hello.keyShares[0].group // 0x001d
 */
export function probeHello(options: ProbeHelloOptions = {}): ClientHello & { keyShares: KeyShare[] } {
  const random = options.random ?? systemRandom;
  const versions = options.versions ?? [0x0304, 0x0303];
  const tls13 = versions.includes(0x0304);
  const groups = options.groups ?? DEFAULT_GROUPS;
  const suites = options.cipherSuites ?? DEFAULT_CIPHER_SUITES;
  const grease = options.grease ? pickGrease(random, 6) : undefined;
  const keyShareGroups = tls13 ? (options.keyShareGroups ?? groups.slice(0, 1)) : [];
  const keyShares = keyShareGroups.map((g) => generateKeyShare(g, random));
  const extensions: Extension[] = [];
  if (grease) extensions.push({ type: grease[0], body: new Uint8Array(0) });
  if (options.serverName) {
    const name = new TextEncoder().encode(options.serverName);
    extensions.push(
      ext(EXT.server_name, (w) =>
        w.prefixed(2, 'server_name_list', (w) => {
          w.u8(0, 'name_type');
          w.vector(2, 'host_name', name);
        }),
      ),
    );
  }
  extensions.push(ext(EXT.extended_master_secret, () => {}));
  extensions.push(ext(EXT.renegotiation_info, (w) => w.u8(0, 'renegotiated_connection')));
  extensions.push(
    ext(EXT.supported_groups, (w) =>
      w.prefixed(2, 'named_group_list', (w) => {
        if (grease) w.u16(grease[1], 'group');
        for (const g of groups) w.u16(g, 'group');
      }),
    ),
  );
  extensions.push(ext(EXT.ec_point_formats, (w) => w.vector(1, 'ec_point_format_list', new Uint8Array([0]))));
  extensions.push(ext(EXT.session_ticket, () => {}));
  if (options.alpn && options.alpn.length > 0) {
    const alpn = options.alpn;
    extensions.push(
      ext(EXT.alpn, (w) =>
        w.prefixed(2, 'protocol_name_list', (w) => {
          for (const p of alpn) w.vector(1, 'protocol_name', new TextEncoder().encode(p));
        }),
      ),
    );
  }
  extensions.push(
    ext(EXT.status_request, (w) => {
      w.u8(1, 'status_type');
      w.u16(0, 'responder_id_list');
      w.u16(0, 'request_extensions');
    }),
  );
  const sigalgs = options.signatureAlgorithms ?? DEFAULT_SIGNATURE_ALGORITHMS;
  extensions.push(
    ext(EXT.signature_algorithms, (w) =>
      w.prefixed(2, 'supported_signature_algorithms', (w) => {
        for (const s of sigalgs) w.u16(s, 'signature_scheme');
      }),
    ),
  );
  if (tls13) {
    extensions.push({ type: EXT.key_share, body: keyShareBody(keyShares, grease?.[2]) });
    extensions.push(ext(EXT.psk_key_exchange_modes, (w) => w.vector(1, 'ke_modes', new Uint8Array([1]))));
    extensions.push(
      ext(EXT.supported_versions, (w) =>
        w.prefixed(1, 'versions', (w) => {
          if (grease) w.u16(grease[3], 'version');
          for (const v of versions) w.u16(v, 'version');
        }),
      ),
    );
  }
  if (grease) extensions.push({ type: grease[4], body: new Uint8Array([0]) });
  if (options.padding !== undefined && options.padding >= 0) {
    extensions.push({ type: EXT.padding, body: new Uint8Array(options.padding) });
  }
  const compat = options.compatibilitySessionId ?? tls13;
  return {
    legacyVersion: 0x0303,
    random: random(32),
    legacySessionId: compat ? random(32) : new Uint8Array(0),
    cipherSuites: grease ? [grease[5], ...suites] : [...suites],
    legacyCompressionMethods: [0],
    extensions,
    record: { version: 0x0301 },
    keyShares,
  };
}

/**
 * The ClientHello that answers a HelloRetryRequest: `hello` with its key_share replaced by
 * `newShares` (when the server selected a group), the HRR's cookie extension echoed right
 * after key_share, and early_data and pre_shared_key removed (a PSK binder would need the
 * new transcript). Forged lengths are dropped; the record version becomes 0x0303 and the
 * number of records is kept.
 */
export function secondClientHello(
  hello: ClientHello,
  newShares: readonly KeyShare[] | null,
  cookieBody: Uint8Array | null,
): ClientHello {
  const out: Extension[] = [];
  let cookieAdded = false;
  for (const e of hello.extensions ?? []) {
    if (e.type === EXT.early_data || e.type === EXT.pre_shared_key || e.type === EXT.cookie) continue;
    if (e.type === EXT.key_share) {
      out.push(
        newShares ? { type: EXT.key_share, body: keyShareBody(newShares) } : { type: e.type, body: e.body },
      );
      if (cookieBody) {
        out.push({ type: EXT.cookie, body: cookieBody });
        cookieAdded = true;
      }
      continue;
    }
    out.push({ type: e.type, body: e.body });
  }
  if (cookieBody && !cookieAdded) out.push({ type: EXT.cookie, body: cookieBody });
  const second: ClientHello = {
    legacyVersion: hello.legacyVersion,
    random: hello.random,
    legacySessionId: hello.legacySessionId,
    cipherSuites: hello.cipherSuites,
    legacyCompressionMethods: hello.legacyCompressionMethods,
    extensions: out,
    record: { version: 0x0303 },
  };
  const records = hello.record?.fragments?.length ?? 1;
  if (records <= 1) return second;
  // The message length changed, so split it into as many near-equal records as the first hello used.
  const length = encodeClientHelloMessage(second).length;
  const count = Math.min(records, length);
  const base = Math.floor(length / count);
  const fragments = Array.from({ length: count }, (_, i) => base + (i < length % count ? 1 : 0));
  return { ...second, record: { version: 0x0303, fragments } };
}

/** The extension of `type` in `extensions`, if present. */
export function findExtension(extensions: readonly Extension[] | null, type: number): Extension | undefined {
  return extensions?.find((e) => e.type === type);
}

/** The SNI host name a hello carries, or null (read from the raw body). */
export function helloServerName(hello: ClientHello): string | null {
  const e = findExtension(hello.extensions, EXT.server_name);
  if (!e || e.body.length < 5) return null;
  const b = e.body;
  const len = (b[3] << 8) | b[4];
  if (b[2] !== 0 || 5 + len > b.length) return null;
  return new TextDecoder().decode(b.subarray(5, 5 + len));
}

/** The versions a hello offers: supported_versions, or legacy_version when it has none. */
export function helloVersions(hello: ClientHello): number[] {
  const e = findExtension(hello.extensions, EXT.supported_versions);
  if (!e) return [hello.legacyVersion];
  const out: number[] = [];
  for (let i = 1; i + 1 < e.body.length && i < 1 + e.body[0]; i += 2)
    out.push((e.body[i] << 8) | e.body[i + 1]);
  return out;
}

/** The groups of the key_share entries a hello carries. */
export function helloKeyShareGroups(hello: ClientHello): number[] {
  const e = findExtension(hello.extensions, EXT.key_share);
  if (!e || e.body.length < 2) return [];
  const out: number[] = [];
  let at = 2;
  while (at + 4 <= e.body.length) {
    out.push((e.body[at] << 8) | e.body[at + 1]);
    at += 4 + ((e.body[at + 2] << 8) | e.body[at + 3]);
  }
  return out;
}
