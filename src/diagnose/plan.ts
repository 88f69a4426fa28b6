/**
 * The probe plan: the hellos diagnose tries until the server accepts one (the modern
 * baseline first, then narrower ones), and the variations it sends next, each changing one
 * thing of that working hello so that a difference in the answer points at that one thing.
 * Every probe id is a member of {@link ProbeId}: the rules name the probes they read by it.
 */
import { DEFAULT_OPTIONS } from '../builder/client-hello.ts';
import { encodeClientHelloMessage } from '../handshake/client-hello.ts';
import type { CipherSuiteInfo } from '../iana/cipher-suite-types.ts';
import { NAMED_GROUP } from '../iana/groups.ts';
import { cipherSuiteInfo } from '../iana/lookup.ts';
import { SIGNATURE_SCHEME as S } from '../iana/signature-schemes.ts';
import { helloForSpec } from './spec-hello.ts';
import type { ProbeSpec } from './types.ts';

export const TLS13 = 0x0304;
export const TLS12 = 0x0303;
export const TLS11 = 0x0302;
export const TLS10 = 0x0301;

/** The TLS 1.3 AES-GCM suites: all a FIPS-mode client offers besides AES-CCM (ChaCha20 is not FIPS-approved). */
const TLS13_AES_GCM_SUITES: readonly number[] = [0x1301, 0x1302];
/** TLS_CHACHA20_POLY1305_SHA256. */
const TLS13_CHACHA20_SUITES: readonly number[] = [0x1303];
/** The TLS 1.3 AES-CCM suites (IoT clients). */
const TLS13_AES_CCM_SUITES: readonly number[] = [0x1304, 0x1305];
/** The TLS 1.3 suites every modern client offers (AES-GCM and ChaCha20-Poly1305). */
export const TLS13_SUITES: readonly number[] = [...TLS13_AES_GCM_SUITES, ...TLS13_CHACHA20_SUITES];
/** Every TLS 1.3 suite (RFC 8446 §B.4): the above and the AES-CCM ones few clients offer. */
export const TLS13_ALL_SUITES: readonly number[] = [...TLS13_SUITES, ...TLS13_AES_CCM_SUITES];
/** ECDHE-ECDSA suites: AES-GCM, ChaCha20-Poly1305, then AES-CBC. */
export const ECDHE_ECDSA_SUITES: readonly number[] = [0xc02b, 0xc02c, 0xcca9, 0xc009, 0xc00a, 0xc023, 0xc024];
/** ECDHE-RSA suites. */
export const ECDHE_RSA_SUITES: readonly number[] = [0xc02f, 0xc030, 0xcca8, 0xc013, 0xc014, 0xc027, 0xc028];
/** Static RSA key exchange (no forward secrecy). */
export const RSA_KX_SUITES: readonly number[] = [0x009c, 0x009d, 0x002f, 0x0035, 0x003c, 0x003d];
/** Finite-field DHE with RSA signatures. */
export const DHE_RSA_SUITES: readonly number[] = [0x009e, 0x009f, 0xccaa, 0x0033, 0x0039, 0x0067, 0x006b];
/** Every TLS 1.2 suite above: ECDHE-ECDSA, ECDHE-RSA, DHE-RSA, then plain RSA (AEAD and CBC). */
export const TLS12_ALL: readonly number[] = [
  ...ECDHE_ECDSA_SUITES,
  ...ECDHE_RSA_SUITES,
  ...DHE_RSA_SUITES,
  ...RSA_KX_SUITES,
];
/**
 * TLS 1.2 suites few clients offer, which a server may still be set to alone: AES-CCM (RFC
 * 7251, RFC 6655; the IoT profile of RFC 7925 makes CCM_8 mandatory), ARIA and Camellia
 * (national profiles), 3DES. Only the last fallback hello offers them, after {@link TLS12_ALL}:
 * the other hellos stay short (the TLS 1.2 fallback under 256 bytes for most names, below the
 * range some F5 terminators hang on).
 */
export const RARE_TLS12_SUITES: readonly number[] = [
  // ECDHE-ECDSA: AES-CCM, ARIA-GCM, Camellia-GCM, Camellia-CBC, 3DES.
  0xc0ac, 0xc0ad, 0xc0ae, 0xc0af, 0xc05c, 0xc05d, 0xc086, 0xc087, 0xc072, 0xc073, 0xc008,
  // ECDHE-RSA
  0xc060, 0xc061, 0xc08a, 0xc08b, 0xc076, 0xc077, 0xc012,
  // DHE-RSA
  0xc09e, 0xc09f, 0xc0a2, 0xc0a3, 0xc052, 0xc053, 0xc07c, 0xc07d, 0x0045, 0x0088, 0x0016,
  // RSA key exchange
  0xc09c, 0xc09d, 0xc0a0, 0xc0a1, 0xc050, 0xc051, 0xc07a, 0xc07b, 0x0041, 0x0084, 0x000a,
];
/** A family of TLS 1.2 suites, told by the IANA table's row of a suite. */
export type SuiteFamily = (info: CipherSuiteInfo) => boolean;
/** The suites of `from` in `family` (a code the table lacks is in none). */
export function suitesOf(from: readonly number[], family: SuiteFamily): number[] {
  return from.filter((code) => {
    const info = cipherSuiteInfo(code);
    return info !== undefined && family(info);
  });
}
const isAead: SuiteFamily = (s) => s.mac === 'AEAD';
const isCbc: SuiteFamily = (s) => s.cipher.includes('CBC');
/** AES (GCM, CCM or CBC): what a client without ChaCha20-Poly1305 offers (FIPS-mode builds). */
const isAes: SuiteFamily = (s) => s.cipher.startsWith('AES');
/** Every suite of {@link TLS12_ALL} whose cipher is an AEAD (GCM, ChaCha20-Poly1305). */
export const AEAD_SUITES: readonly number[] = suitesOf(TLS12_ALL, isAead);
/** Every suite of {@link TLS12_ALL} whose cipher is CBC with HMAC. */
export const CBC_SUITES: readonly number[] = suitesOf(TLS12_ALL, isCbc);
/** Suites TLS 1.0 and 1.1 servers accept (no GCM, no SHA-256 MACs). */
export const LEGACY_SUITES: readonly number[] = [
  0xc009, 0xc00a, 0xc013, 0xc014, 0x0033, 0x0039, 0x002f, 0x0035, 0x000a,
];
/** x25519, secp256r1, secp384r1, secp521r1. */
export const CLASSIC_GROUPS: readonly number[] = [0x001d, 0x0017, 0x0018, 0x0019];
/**
 * The groups the fallback hellos offer: the classic ones, x448 and the RFC 7919 finite-field
 * groups, so that a server with only x448 or only FFDHE still finds one in common.
 */
export const FALLBACK_GROUPS: readonly number[] = [
  ...CLASSIC_GROUPS,
  NAMED_GROUP.x448,
  NAMED_GROUP.ffdhe2048,
  NAMED_GROUP.ffdhe3072,
];
/**
 * The signature_algorithms the fallback hellos offer: every scheme a certificate key can need,
 * so that a server whose key only a few clients can use (an RSA-PSS key needs rsa_pss_pss_*, a
 * P-521 key ecdsa_secp521r1_sha512 in TLS 1.3, an Ed448 key ed448) still finds one, and the
 * bisection can name the schemes the modern hello lacks.
 */
export const FALLBACK_SIGNATURE_ALGORITHMS: readonly number[] = [
  S.ecdsa_secp256r1_sha256,
  S.rsa_pss_rsae_sha256,
  S.rsa_pkcs1_sha256,
  S.ecdsa_secp384r1_sha384,
  S.rsa_pss_rsae_sha384,
  S.rsa_pkcs1_sha384,
  S.ecdsa_secp521r1_sha512,
  S.rsa_pss_rsae_sha512,
  S.rsa_pkcs1_sha512,
  S.rsa_pss_pss_sha256,
  S.rsa_pss_pss_sha384,
  S.rsa_pss_pss_sha512,
  S.ed25519,
  S.ed448,
  S.ecdsa_sha1,
  S.rsa_pkcs1_sha1,
];
/**
 * The signature_algorithms of the modern hello: the builder's defaults without EdDSA, as
 * browsers send them (Chrome, Firefox and Safari offer neither ed25519 nor ed448). A server
 * whose only certificate is Ed25519 refuses every browser; it refuses this hello too, and the
 * bisection names signature_algorithms.
 */
export const MODERN_SIGNATURE_ALGORITHMS: readonly number[] = DEFAULT_OPTIONS.signatureAlgorithms
  .filter((name) => !name.startsWith('ed'))
  .map((name) => S[name as keyof typeof S]);
/** X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem), the hybrid browsers send. */
export const X25519MLKEM768 = 0x11ec;

/** Options for {@link candidateHellos} and {@link variationPlan}. */
export interface PlanOptions {
  /** The name to send as SNI; null when there is none to send (an IP target without --sni). */
  readonly serverName: string | null;
  /** An IP literal to send as SNI in the `sni.ip` probe (default 127.0.0.1). */
  readonly ipLiteral?: string;
  /** A name the server surely does not serve (default `unknown.hellokit.invalid`). */
  readonly unknownName?: string;
  /**
   * The working hello's handshake message length (its answer's `helloLength`; built here when
   * not given): a padding variation the hello is already too long for is not sent (padding
   * only adds bytes).
   */
  readonly workingLength?: number;
}

/** The working hello padded to `length` bytes, or unchanged (so not sent) when it is already too long for that. */
function paddedTo(w: ProbeSpec, o: PlanOptions, length: number): ProbeSpec {
  const unpadded = o.workingLength ?? encodeClientHelloMessage(helloForSpec(w).hello).length;
  // The padding extension adds at least its 4-byte header.
  return unpadded + 4 > length ? w : { ...w, padToLength: length };
}

/**
 * The hellos tried until one is accepted, in order: a modern one (the baseline), then
 * narrower ones. The first accepted is the working hello every variation changes.
 */
export const CANDIDATE_IDS = [
  'baseline',
  'fallback.tls12',
  'fallback.legacy',
  'fallback.tls13',
  'fallback.tls12_rare',
] as const;
/** One of {@link CANDIDATE_IDS}. */
export type CandidateId = (typeof CANDIDATE_IDS)[number];

/**
 * The candidate hellos ({@link CANDIDATE_IDS}), each sending `serverName`.
 * @example candidateHellos({ serverName: 'example.com' }).map((p) => p.id) // ['baseline', 'fallback.tls12', 'fallback.legacy', 'fallback.tls13', 'fallback.tls12_rare']
 */
export function candidateHellos(options: PlanOptions): (ProbeSpec & { readonly id: CandidateId })[] {
  const serverName = options.serverName;
  return [
    {
      id: 'baseline',
      label: 'a modern hello (TLS 1.3 and 1.2, AEAD suites, x25519)',
      serverName,
      versions: [TLS13, TLS12],
      cipherSuites: [...TLS13_SUITES, ...ECDHE_ECDSA_SUITES.slice(0, 3), ...ECDHE_RSA_SUITES.slice(0, 3)],
      groups: CLASSIC_GROUPS,
      signatureAlgorithms: MODERN_SIGNATURE_ALGORITHMS,
    },
    {
      id: 'fallback.tls12',
      label: 'a TLS 1.2-only hello with every common suite (AEAD and CBC, ECDHE, DHE, RSA)',
      serverName,
      versions: [TLS12],
      cipherSuites: TLS12_ALL,
      groups: FALLBACK_GROUPS,
      signatureAlgorithms: FALLBACK_SIGNATURE_ALGORITHMS,
    },
    {
      id: 'fallback.legacy',
      label: 'a TLS 1.1/1.0 hello with legacy CBC suites',
      serverName,
      versions: [TLS11, TLS10],
      cipherSuites: LEGACY_SUITES,
      groups: FALLBACK_GROUPS,
      signatureAlgorithms: FALLBACK_SIGNATURE_ALGORITHMS,
    },
    {
      id: 'fallback.tls13',
      label: 'a TLS 1.3-only hello with every TLS 1.3 suite (AES-CCM too) and signature algorithm',
      serverName,
      versions: [TLS13],
      cipherSuites: TLS13_ALL_SUITES,
      groups: FALLBACK_GROUPS,
      signatureAlgorithms: FALLBACK_SIGNATURE_ALGORITHMS,
    },
    {
      id: 'fallback.tls12_rare',
      label: 'a TLS 1.2-only hello adding the rare suites (AES-CCM, ARIA, Camellia, 3DES)',
      serverName,
      versions: [TLS12],
      cipherSuites: [...TLS12_ALL, ...RARE_TLS12_SUITES],
      groups: FALLBACK_GROUPS,
      signatureAlgorithms: FALLBACK_SIGNATURE_ALGORITHMS,
    },
  ];
}

/** The suites of `spec` that are not TLS 1.3 suites. */
function tls12Suites(spec: ProbeSpec): number[] {
  return spec.cipherSuites.filter((s) => !TLS13_ALL_SUITES.includes(s));
}

/** `working` offering only TLS 1.2, with every common TLS 1.2 suite after its own. */
function onlyTls12(working: ProbeSpec, cipherSuites: readonly number[]): ProbeSpec {
  const { keyShareGroups: _shares, ...rest } = working;
  return { ...rest, versions: [TLS12], cipherSuites };
}

/** `working` offering only TLS 1.3 with these groups (a key share for the first). */
function onlyTls13(working: ProbeSpec, groups: readonly number[], keyShareGroups?: readonly number[]) {
  return {
    ...working,
    versions: [TLS13],
    cipherSuites: TLS13_ALL_SUITES,
    groups,
    ...(keyShareGroups ? { keyShareGroups } : {}),
  };
}

/** What one variation is: a label and the change it makes to the working hello. */
interface Variation {
  /**
   * Set in which wave: `first` always, `tls13`/`tls12` only once that version is known to work,
   * `client_certificate` once TLS 1.3 works and the server asked for a client certificate,
   * `client_certificate_tls12` when it asked and speaks TLS 1.2 but not TLS 1.3.
   */
  readonly wave: 'first' | 'tls13' | 'tls12' | 'client_certificate' | 'client_certificate_tls12';
  /** Sent only when the working hello carries a server name. */
  readonly needsName?: true;
  readonly label: string;
  readonly change: (working: ProbeSpec, options: PlanOptions) => Omit<ProbeSpec, 'id' | 'label'>;
}

/**
 * TLS 1.2 with one family of suites: its common ones, and its rare ones ({@link RARE_TLS12_SUITES})
 * when the working hello offers them (a server that takes only rare suites).
 */
const tls12Family = (label: string, family: SuiteFamily): Variation => {
  const common = suitesOf(TLS12_ALL, family);
  const rare = suitesOf(RARE_TLS12_SUITES, family);
  return {
    wave: 'tls12',
    label: `TLS 1.2, ${label} only`,
    change: (w) => onlyTls12(w, [...common, ...rare.filter((code) => w.cipherSuites.includes(code))]),
  };
};

const tls13Suites = (label: string, suites: readonly number[]): Variation => ({
  wave: 'tls13',
  label: `TLS 1.3 with ${label} only`,
  change: (w) => ({
    ...onlyTls13(w, w.groups, w.versions.includes(TLS13) ? w.keyShareGroups : undefined),
    cipherSuites: suites,
  }),
});

const tls13Group = (group: number, name: string): Variation => ({
  wave: 'tls13',
  label: `TLS 1.3 with ${name} only`,
  change: (w) => onlyTls13(w, [group], [group]),
});

/** The id of each variation probe (a key of {@link VARIATIONS}). */
export type VariationId =
  | 'sni.none'
  | 'sni.unknown'
  | 'sni.ip'
  | 'version.tls1.3'
  | 'version.tls1.2'
  | 'version.tls1.1'
  | 'version.tls1.0'
  | 'tls12.ecdsa_auth'
  | 'tls12.rsa_auth'
  | 'tls12.ecdhe_rsa'
  | 'tls12.rsa_kx'
  | 'tls12.dhe'
  | 'tls12.aead'
  | 'tls12.cbc'
  | 'tls12.aes'
  | 'tls13.aes_gcm'
  | 'tls13.chacha20'
  | 'tls13.aes_ccm'
  | 'group.x25519'
  | 'group.secp256r1'
  | 'group.secp384r1'
  | 'group.X25519MLKEM768'
  | 'pq.hybrid'
  | 'alpn.h2'
  | 'alpn.h2_alone'
  | 'alpn.http1_alone'
  | 'alpn.unknown'
  | 'grease'
  | 'padding.256_511'
  | 'large.padded'
  | 'fragmented'
  | 'client_certificate'
  | 'client_certificate_tls12';

/**
 * Every variation of the working hello, by probe id. Each changes one thing; the label says
 * what, after "the working hello".
 */
export const VARIATIONS: { readonly [K in VariationId]: Variation } = {
  'sni.none': {
    wave: 'first',
    needsName: true,
    label: 'the working hello without SNI',
    change: (w) => ({ ...w, serverName: null }),
  },
  'sni.unknown': {
    wave: 'first',
    needsName: true,
    label: 'the working hello naming a host the server does not serve',
    change: (w, o) => ({ ...w, serverName: o.unknownName ?? 'unknown.hellokit.invalid' }),
  },
  'sni.ip': {
    wave: 'first',
    needsName: true,
    label: 'the working hello with an IP address as SNI',
    change: (w, o) => ({ ...w, serverName: o.ipLiteral ?? '127.0.0.1' }),
  },
  'version.tls1.3': {
    wave: 'first',
    label: 'TLS 1.3 only',
    change: (w) => onlyTls13(w, w.groups, w.versions.includes(TLS13) ? w.keyShareGroups : undefined),
  },
  'version.tls1.2': {
    wave: 'first',
    label: 'TLS 1.2 only',
    change: (w) => onlyTls12(w, [...new Set([...tls12Suites(w), ...TLS12_ALL])]),
  },
  'version.tls1.1': {
    wave: 'first',
    label: 'TLS 1.1 only',
    change: (w) => ({ ...onlyTls12(w, LEGACY_SUITES), versions: [TLS11] }),
  },
  'version.tls1.0': {
    wave: 'first',
    label: 'TLS 1.0 only',
    change: (w) => ({ ...onlyTls12(w, LEGACY_SUITES), versions: [TLS10] }),
  },
  'tls12.ecdsa_auth': tls12Family('ECDSA-authenticated suites', (c) => c.authentication === 'ECDSA'),
  'tls12.rsa_auth': tls12Family('RSA-authenticated suites', (c) => c.authentication === 'RSA'),
  'tls12.ecdhe_rsa': tls12Family(
    'ECDHE-RSA suites',
    (c) => c.keyExchange === 'ECDHE' && c.authentication === 'RSA',
  ),
  'tls12.rsa_kx': tls12Family('plain RSA key exchange', (c) => c.keyExchange === 'RSA'),
  'tls12.dhe': tls12Family('DHE suites', (c) => c.keyExchange === 'DHE'),
  'tls12.aead': tls12Family('AEAD suites', isAead),
  'tls12.cbc': tls12Family('CBC suites', isCbc),
  'tls12.aes': tls12Family('AES suites (no ChaCha20-Poly1305)', isAes),
  'tls13.aes_gcm': tls13Suites('the AES-GCM suites', TLS13_AES_GCM_SUITES),
  'tls13.chacha20': tls13Suites('TLS_CHACHA20_POLY1305_SHA256', TLS13_CHACHA20_SUITES),
  'tls13.aes_ccm': tls13Suites('the AES-CCM suites', TLS13_AES_CCM_SUITES),
  'group.x25519': tls13Group(0x001d, 'x25519'),
  'group.secp256r1': tls13Group(0x0017, 'secp256r1'),
  'group.secp384r1': tls13Group(0x0018, 'secp384r1'),
  'group.X25519MLKEM768': tls13Group(X25519MLKEM768, 'X25519MLKEM768'),
  'pq.hybrid': {
    wave: 'tls13',
    label: 'the working hello with X25519MLKEM768 and x25519 key shares (about 1.5 KB, two TCP segments)',
    change: (w) => ({
      ...w,
      versions: w.versions.includes(TLS13) ? w.versions : [TLS13, ...w.versions],
      cipherSuites: w.versions.includes(TLS13) ? w.cipherSuites : [...TLS13_ALL_SUITES, ...w.cipherSuites],
      groups: [X25519MLKEM768, ...w.groups.filter((g) => g !== X25519MLKEM768)],
      keyShareGroups: [X25519MLKEM768, 0x001d],
      segmentBytes: 1000,
    }),
  },
  'alpn.h2': {
    wave: 'first',
    label: 'the working hello offering ALPN h2 and http/1.1',
    change: (w) => ({ ...w, alpn: ['h2', 'http/1.1'] }),
  },
  // An h2-only server (gRPC, `openssl s_server -alpn h2`) refuses a client offering only
  // http/1.1 with no_application_protocol (120); an HTTP/1.1-only one refuses a gRPC client.
  'alpn.h2_alone': {
    wave: 'first',
    label: 'the working hello offering only ALPN h2',
    change: (w) => ({ ...w, alpn: ['h2'] }),
  },
  'alpn.http1_alone': {
    wave: 'first',
    label: 'the working hello offering only ALPN http/1.1',
    change: (w) => ({ ...w, alpn: ['http/1.1'] }),
  },
  'alpn.unknown': {
    wave: 'first',
    label: 'the working hello offering only an unknown ALPN protocol',
    change: (w) => ({ ...w, alpn: ['hellokit-x'] }),
  },
  grease: {
    wave: 'first',
    label: 'the working hello with GREASE values',
    change: (w) => ({ ...w, grease: true }),
  },
  'padding.256_511': {
    wave: 'first',
    label: 'the working hello padded to 300 bytes (the 256–511-byte range)',
    change: (w, o) => paddedTo(w, o, 300),
  },
  'large.padded': {
    wave: 'first',
    label: 'the working hello padded to 1800 bytes, written as two TCP segments',
    change: (w, o) => {
      const padded = paddedTo(w, o, 1800);
      return padded === w ? w : { ...padded, segmentBytes: 1000 };
    },
  },
  fragmented: {
    wave: 'first',
    label: 'the working hello split over 3 records',
    change: (w) => ({ ...w, records: 3 }),
  },
  client_certificate: {
    wave: 'client_certificate',
    label:
      'TLS 1.3 only, answering the CertificateRequest as a client without a certificate (an empty Certificate)',
    change: (w) => ({
      ...onlyTls13(w, w.groups, w.versions.includes(TLS13) ? w.keyShareGroups : undefined),
      answerCertificateRequest: true,
    }),
  },
  client_certificate_tls12: {
    wave: 'client_certificate_tls12',
    label:
      'TLS 1.2 only, answering the CertificateRequest as a client without a certificate (an empty Certificate, then its Finished)',
    change: (w) => ({ ...onlyTls12(w, tls12Suites(w)), answerCertificateRequest: true }),
  },
};

/** The id of a variation probe. */
/** The id of a bisection probe: `cause.` and the features it adds to the working hello. */
export type CauseProbeId = `cause.${string}`;
/** Every probe id diagnose sends. */
export type ProbeId = CandidateId | VariationId | CauseProbeId;

/** A variation, ready to send. */
export type VariationSpec = ProbeSpec & { readonly id: VariationId };

/**
 * The variations of `working` sent in `wave` (`first`: SNI, versions, ALPN, tolerance;
 * `tls13`: groups and the PQ hybrid, once TLS 1.3 works; `tls12`: suite families, once TLS
 * 1.2 works). SNI variations need a name in the working hello; a variation that would send
 * the working hello unchanged is left out.
 * @example variationPlan(working, 'first', { serverName: 'example.com' }).map((p) => p.id)
 */
export function variationPlan(
  working: ProbeSpec,
  wave: Variation['wave'],
  options: PlanOptions,
): VariationSpec[] {
  const out: VariationSpec[] = [];
  const { id: _id, label: _label, ...unchanged } = working;
  for (const [id, v] of Object.entries(VARIATIONS) as [VariationId, Variation][]) {
    if (v.wave !== wave || (v.needsName && working.serverName === null)) continue;
    const { id: _from, label: _fromLabel, ...changed } = v.change(working, options) as ProbeSpec;
    // A variation that changes nothing (TLS 1.2 only, when the working hello is just that) would
    // only repeat the working hello's answer.
    if (JSON.stringify(changed) === JSON.stringify(unchanged)) continue;
    out.push({ ...changed, id, label: v.label });
  }
  return out;
}
