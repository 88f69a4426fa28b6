/**
 * Every certificate a server has: one hello per authentication type (RSA, ECDSA by curve,
 * EdDSA, RSA-PSS) and per SNI (the name, and none), each built from a hello the server is
 * known to accept in that version, so the probes work behind a narrow server (TLS 1.2 with
 * CBC suites only, only X448/P-521, a server that refuses hellos offering TLS 1.3).
 *
 * TLS 1.3 picks the certificate by signature_algorithms (RFC 8446 §4.4.2.2: an ECDSA scheme
 * names its curve). TLS 1.2 picks it by the suite's authentication and signature_algorithms
 * (RFC 5246 §7.4.2); OpenSSL also wants an ECDSA certificate's curve in supported_groups
 * (RFC 8422 §5.1), so the ECDSA hellos add the NIST curves to what the server accepts.
 */
import { CIPHER_SUITES } from '../iana/cipher-suites.ts';
import { signatureSchemeName, versionName } from '../iana/lookup.ts';
import type { AnswerCertificate, ProbeAnswer, ProbeFn, ProbeSpec } from './types.ts';

/** One distinct chain (by its leaf's SHA-256) and the hellos that got it. */
export interface CertificateChain {
  readonly certificates: readonly AnswerCertificate[];
  readonly hellos: readonly {
    readonly probe: string;
    readonly label: string;
    readonly serverName: string | null;
    readonly version: number;
    readonly cipherSuite: number;
  }[];
}

/** One kind of server key, and how a hello asks for it. */
interface AuthenticationType {
  readonly id: string;
  readonly label: string;
  /** TLS 1.3 signature_algorithms that only this kind of key can answer. */
  readonly tls13: readonly number[];
  /** TLS 1.2: the suites' authentication, and the signature_algorithms offered. */
  readonly suiteAuthentication: 'ECDSA' | 'RSA';
  readonly tls12: readonly number[] | null;
}

const NIST_CURVES = [0x0017, 0x0018, 0x0019];
const ECDSA_SCHEMES = [0x0403, 0x0503, 0x0603];
const RSA_PSS_RSAE = [0x0804, 0x0805, 0x0806];
const RSA_PSS_PSS = [0x0809, 0x080a, 0x080b];
const RSA_PKCS1 = [0x0401, 0x0501, 0x0601, 0x0201];
const EDDSA = [0x0807, 0x0808];

/**
 * The kinds asked for. In TLS 1.2 the ECDSA schemes do not name a curve, so one hello asks for
 * ECDSA (`tls12` on the P-256 row only); the other curves are told apart in TLS 1.3.
 */
const AUTHENTICATION_TYPES: readonly AuthenticationType[] = [
  {
    id: 'ecdsa_p256',
    label: 'ECDSA P-256',
    tls13: [0x0403],
    suiteAuthentication: 'ECDSA',
    tls12: ECDSA_SCHEMES,
  },
  { id: 'ecdsa_p384', label: 'ECDSA P-384', tls13: [0x0503], suiteAuthentication: 'ECDSA', tls12: null },
  { id: 'ecdsa_p521', label: 'ECDSA P-521', tls13: [0x0603], suiteAuthentication: 'ECDSA', tls12: null },
  { id: 'eddsa', label: 'EdDSA', tls13: EDDSA, suiteAuthentication: 'ECDSA', tls12: EDDSA },
  {
    id: 'rsa',
    label: 'RSA',
    tls13: RSA_PSS_RSAE,
    suiteAuthentication: 'RSA',
    tls12: [...RSA_PSS_RSAE, ...RSA_PKCS1],
  },
  { id: 'rsa_pss', label: 'RSA-PSS', tls13: RSA_PSS_PSS, suiteAuthentication: 'RSA', tls12: RSA_PSS_PSS },
];

/**
 * Every signature scheme the key types above are asked with: a hello offering these can be
 * answered by any of those keys (a scan's suite questions offer them, so an RSA-PSS or Ed448
 * key does not hide suites).
 */
export const DISCOVERY_SIGNATURE_SCHEMES: readonly number[] = [
  ...new Set(AUTHENTICATION_TYPES.flatMap((t) => [...t.tls13, ...(t.tls12 ?? [])])),
];

const AUTHENTICATION = new Map<number, string>(
  CIPHER_SUITES.filter((s) => !s.keyExchange.includes('PSK')).map((s) => [s.code, s.authentication]),
);

/** The hello asking `base`'s server for a `type` key with SNI `serverName`, or null when `base` cannot. */
function specFor(base: ProbeSpec, type: AuthenticationType, serverName: string | null): ProbeSpec | null {
  const version = Math.max(...base.versions);
  const sni = serverName === null ? 'no SNI' : `SNI ${serverName}`;
  const id = `cert.${versionName(version).replace(/\W/g, '').toLowerCase()}.${type.id}.${serverName === null ? 'nosni' : 'sni'}`;
  const common = {
    id,
    serverName,
    versions: [version],
    readCertificates: true,
    ...(base.keyShareGroups ? { keyShareGroups: base.keyShareGroups } : {}),
  };
  if (version === 0x0304) {
    const schemes = type.tls13.map(signatureSchemeName).join(', ');
    return {
      ...common,
      label: `${versionName(version)}, ${type.label} (${schemes}), ${sni}`,
      cipherSuites: base.cipherSuites,
      groups: base.groups,
      signatureAlgorithms: type.tls13,
    };
  }
  if (type.tls12 === null) return null;
  const suites = base.cipherSuites.filter((s) => AUTHENTICATION.get(s) === type.suiteAuthentication);
  if (suites.length === 0) return null;
  // Before TLS 1.2 there is no signature_algorithms: the suites alone say RSA or ECDSA.
  if (version < 0x0303 && type.tls12 !== ECDSA_SCHEMES && type.id !== 'rsa') return null;
  const groups =
    type.suiteAuthentication === 'ECDSA'
      ? [...base.groups, ...NIST_CURVES.filter((c) => !base.groups.includes(c))]
      : base.groups;
  const label = type.suiteAuthentication === 'ECDSA' && type.tls12 === ECDSA_SCHEMES ? 'ECDSA' : type.label;
  return {
    ...common,
    label: `${versionName(version)}, ${label} suites${version === 0x0303 ? ` and ${label} signature_algorithms` : ''}, ${sni}`,
    cipherSuites: suites,
    groups,
    signatureAlgorithms: type.tls12,
  };
}

/** The key of a chain: its leaf's SHA-256 (or, lacking one, its subject and validity). */
function chainKey(leaf: AnswerCertificate): string {
  return leaf.sha256 ?? `${leaf.subject}|${leaf.notBefore ?? ''}|${leaf.notAfter ?? ''}`;
}

/**
 * Finds every certificate chain the server sends: for each hello in `accepted` (one per
 * version the server speaks, as it accepted it), one hello per key type and per SNI (the name,
 * and none). Each distinct chain is reported once, with every hello that got it.
 * @example
 * const chains = await discoverCertificates(probe, { serverName: 'example.test', accepted: [tls13Hello, tls12Hello] });
 * chains.map((c) => c.certificates[0].subject)
 */
export async function discoverCertificates(
  probe: ProbeFn,
  options: { serverName: string | null; accepted: readonly ProbeSpec[] },
): Promise<CertificateChain[]> {
  const names = options.serverName === null ? [null] : [options.serverName, null];
  const specs = options.accepted.flatMap((base) =>
    names.flatMap((name) =>
      AUTHENTICATION_TYPES.map((type) => specFor(base, type, name)).filter((s): s is ProbeSpec => s !== null),
    ),
  );
  const answers: ProbeAnswer[] = await Promise.all(specs.map((spec) => probe(spec)));
  const chains = new Map<
    string,
    { certificates: readonly AnswerCertificate[]; hellos: CertificateChain['hellos'][number][] }
  >();
  specs.forEach((spec, i) => {
    const answer = answers[i];
    const leaf = answer.certificates?.[0];
    // A fatal alert after the certificate is a refusal of this hello (Go sends its certificate,
    // then fails to sign with any offered scheme): the chain is counted only for hellos that work.
    if (!leaf || !answer.serverHello || answer.alert?.level === 2) return;
    const key = chainKey(leaf);
    let chain = chains.get(key);
    if (!chain) {
      chain = { certificates: answer.certificates ?? [], hellos: [] };
      chains.set(key, chain);
    }
    chain.hellos.push({
      probe: spec.id,
      label: spec.label,
      serverName: spec.serverName,
      version: answer.serverHello.version,
      cipherSuite: answer.serverHello.cipherSuite,
    });
  });
  return [...chains.values()];
}
