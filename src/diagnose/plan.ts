/**
 * The probe plan: which hellos diagnose sends, each varying one thing from a modern
 * baseline so that a difference in the answer points at that one thing.
 */
import type { ProbeSpec } from './types.ts';

const TLS13 = 0x0304;
const TLS12 = 0x0303;
const TLS11 = 0x0302;
const TLS10 = 0x0301;

/** TLS 1.3 suites (RFC 8446 §B.4). */
export const TLS13_SUITES: readonly number[] = [0x1301, 0x1302, 0x1303];
/** ECDHE-ECDSA suites: AES-GCM, ChaCha20-Poly1305, then AES-CBC. */
export const ECDHE_ECDSA_SUITES: readonly number[] = [0xc02b, 0xc02c, 0xcca9, 0xc009, 0xc00a, 0xc023, 0xc024];
/** ECDHE-RSA suites. */
export const ECDHE_RSA_SUITES: readonly number[] = [0xc02f, 0xc030, 0xcca8, 0xc013, 0xc014, 0xc027, 0xc028];
/** Static RSA key exchange (no forward secrecy). */
export const RSA_KX_SUITES: readonly number[] = [0x009c, 0x009d, 0x002f, 0x0035, 0x003c, 0x003d];
/** Finite-field DHE with RSA signatures. */
export const DHE_RSA_SUITES: readonly number[] = [0x009e, 0x009f, 0xccaa, 0x0033, 0x0039, 0x0067, 0x006b];
/** Every suite above whose cipher is an AEAD (GCM, ChaCha20-Poly1305). */
export const AEAD_SUITES: readonly number[] = [
  0xc02b, 0xc02c, 0xcca9, 0xc02f, 0xc030, 0xcca8, 0x009e, 0x009f, 0xccaa, 0x009c, 0x009d,
];
/** Every suite above whose cipher is CBC with HMAC. */
export const CBC_SUITES: readonly number[] = [
  0xc009, 0xc00a, 0xc023, 0xc024, 0xc013, 0xc014, 0xc027, 0xc028, 0x0033, 0x0039, 0x0067, 0x006b, 0x002f,
  0x0035, 0x003c, 0x003d,
];
/** Suites TLS 1.0 and 1.1 servers accept (no GCM, no SHA-256 MACs). */
export const LEGACY_SUITES: readonly number[] = [
  0xc009, 0xc00a, 0xc013, 0xc014, 0x0033, 0x0039, 0x002f, 0x0035, 0x000a,
];
/** x25519, secp256r1, secp384r1, secp521r1. */
export const CLASSIC_GROUPS: readonly number[] = [0x001d, 0x0017, 0x0018, 0x0019];
/** X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem), the hybrid browsers send. */
export const X25519MLKEM768 = 0x11ec;

const TLS12_ALL: readonly number[] = [
  ...ECDHE_ECDSA_SUITES,
  ...ECDHE_RSA_SUITES,
  ...DHE_RSA_SUITES,
  ...RSA_KX_SUITES,
];

/** Options for {@link diagnosePlan}. */
export interface PlanOptions {
  /** The name to send as SNI; null when there is none to send (an IP target without --sni). */
  readonly serverName: string | null;
  /** An IP literal to send as SNI in the `sni.ip` probe (default 127.0.0.1). */
  readonly ipLiteral?: string;
  /** A name the server surely does not serve (default `unknown.hellokit.invalid`). */
  readonly unknownName?: string;
}

/**
 * Every probe diagnose sends, baseline first. Apart from the SNI probes, each sends
 * `serverName`.
 * @example diagnosePlan({ serverName: 'example.com' }).map((p) => p.id)
 */
export function diagnosePlan(options: PlanOptions): ProbeSpec[] {
  const sni = options.serverName;
  const base = {
    serverName: sni,
    versions: [TLS13, TLS12],
    cipherSuites: [...TLS13_SUITES, ...ECDHE_ECDSA_SUITES.slice(0, 3), ...ECDHE_RSA_SUITES.slice(0, 3)],
    groups: CLASSIC_GROUPS,
  } as const;
  const tls12 = (id: string, label: string, cipherSuites: readonly number[]): ProbeSpec => ({
    id,
    label,
    serverName: sni,
    versions: [TLS12],
    cipherSuites,
    groups: CLASSIC_GROUPS,
  });
  const tls13Group = (group: number, name: string): ProbeSpec => ({
    id: `group.${name}`,
    label: `TLS 1.3 with ${name} only`,
    serverName: sni,
    versions: [TLS13],
    cipherSuites: TLS13_SUITES,
    groups: [group],
  });
  const plan: ProbeSpec[] = [
    { id: 'baseline', label: 'a modern hello (TLS 1.3 and 1.2, x25519)', ...base },
    { id: 'sni.none', label: 'the same hello without SNI', ...base, serverName: null },
    {
      id: 'sni.unknown',
      label: 'the same hello naming a host the server does not serve',
      ...base,
      serverName: options.unknownName ?? 'unknown.hellokit.invalid',
    },
    {
      id: 'sni.ip',
      label: 'the same hello with an IP address as SNI',
      ...base,
      serverName: options.ipLiteral ?? '127.0.0.1',
    },
    { id: 'version.tls1.3', label: 'TLS 1.3 only', ...base, versions: [TLS13], cipherSuites: TLS13_SUITES },
    tls12('version.tls1.2', 'TLS 1.2 only', TLS12_ALL),
    {
      id: 'version.tls1.1',
      label: 'TLS 1.1 only',
      serverName: sni,
      versions: [TLS11],
      cipherSuites: LEGACY_SUITES,
      groups: CLASSIC_GROUPS,
    },
    {
      id: 'version.tls1.0',
      label: 'TLS 1.0 only',
      serverName: sni,
      versions: [TLS10],
      cipherSuites: LEGACY_SUITES,
      groups: CLASSIC_GROUPS,
    },
    tls12('tls12.ecdsa_auth', 'TLS 1.2, ECDSA-authenticated suites only', ECDHE_ECDSA_SUITES),
    tls12('tls12.rsa_auth', 'TLS 1.2, RSA-authenticated suites only', [
      ...ECDHE_RSA_SUITES,
      ...DHE_RSA_SUITES,
      ...RSA_KX_SUITES,
    ]),
    tls12('tls12.ecdhe_rsa', 'TLS 1.2, ECDHE-RSA suites only', ECDHE_RSA_SUITES),
    tls12('tls12.rsa_kx', 'TLS 1.2, plain RSA key exchange only', RSA_KX_SUITES),
    tls12('tls12.dhe', 'TLS 1.2, DHE suites only', DHE_RSA_SUITES),
    tls12('tls12.aead', 'TLS 1.2, AEAD suites only', AEAD_SUITES),
    tls12('tls12.cbc', 'TLS 1.2, CBC suites only', CBC_SUITES),
    tls13Group(0x001d, 'x25519'),
    tls13Group(0x0017, 'secp256r1'),
    tls13Group(0x0018, 'secp384r1'),
    tls13Group(X25519MLKEM768, 'X25519MLKEM768'),
    {
      id: 'pq.hybrid',
      label:
        'a browser-like hello with X25519MLKEM768 and x25519 key shares (about 1.5 KB, two TCP segments)',
      ...base,
      groups: [X25519MLKEM768, ...CLASSIC_GROUPS],
      keyShareGroups: [X25519MLKEM768, 0x001d],
      segmentBytes: 1000,
    },
    { id: 'alpn.h2', label: 'the baseline offering ALPN h2 and http/1.1', ...base, alpn: ['h2', 'http/1.1'] },
    {
      id: 'alpn.unknown',
      label: 'the baseline offering only an unknown ALPN protocol',
      ...base,
      alpn: ['hellokit-x'],
    },
    { id: 'grease', label: 'the baseline with GREASE values', ...base, grease: true },
    {
      id: 'padding.256_511',
      label: 'the baseline padded to 300 bytes (the 256–511-byte range)',
      ...base,
      padToLength: 300,
    },
    {
      id: 'large.padded',
      label: 'the baseline padded to 1800 bytes, written as two TCP segments',
      ...base,
      padToLength: 1800,
      segmentBytes: 1000,
    },
    { id: 'fragmented', label: 'the baseline split over 3 records', ...base, records: 3 },
  ];
  return plan;
}
