/**
 * The cause of a refusal: when the modern hello is refused and a narrower one works, the
 * features in which the two differ are added to the working hello by bisection until one
 * feature's presence is shown to turn an accepted hello into a refused one.
 */
import { DEFAULT_OPTIONS } from '../builder/client-hello.ts';
import {
  cipherSuiteInfo,
  cipherSuiteName,
  groupName,
  signatureSchemeName,
  versionName,
} from '../iana/lookup.ts';
import { acceptedAsOffered } from './answer.ts';
import { list } from './finding.ts';
import { type CauseProbeId, TLS13, TLS13_ALL_SUITES } from './plan.ts';
import type { ProbeAnswer, ProbeSpec } from './types.ts';

/** One way two hellos can differ, and how to give the working one the refused one's value. */
interface HelloFeature {
  /** The feature as a noun (`signature algorithms`), for "the working hello's …". */
  readonly noun: string;
  /** What the feature is, as the explanation names it when it is the cause. */
  readonly what: (refused: ProbeSpec) => string;
  /**
   * `intolerance`: its presence alone makes the server refuse (a fault of the server or a
   * middlebox); `parameters`: the refused hello lacks something the server needs.
   */
  readonly kind: 'intolerance' | 'parameters';
  readonly differs: (refused: ProbeSpec, working: ProbeSpec) => boolean;
  /** `working` with the refused hello's value of this feature. */
  readonly take: (working: ProbeSpec, refused: ProbeSpec) => ProbeSpec;
  /**
   * What a client can do when this feature is the cause; `got` is the working hello's answer,
   * so the fix can name the suite or group the server took.
   */
  readonly fix: (refused: ProbeSpec, working: ProbeSpec, got?: ProbeAnswer) => string;
}

const offers13 = (s: ProbeSpec) => s.versions.includes(TLS13);
const below13 = (s: ProbeSpec) => s.versions.filter((v) => v !== TLS13);
const suites12 = (s: ProbeSpec) => s.cipherSuites.filter((c) => !TLS13_ALL_SUITES.includes(c));
const suites13 = (s: ProbeSpec) => s.cipherSuites.filter((c) => TLS13_ALL_SUITES.includes(c));
/** The key exchanges of TLS 1.2 suites (`ECDHE`, `DHE`, `RSA`), each once, in the suites' order. */
const keyExchanges = (suites: readonly number[]) => [
  ...new Set(suites.map((c) => cipherSuiteInfo(c)?.keyExchange ?? 'unknown')),
];
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A field copied as it is. */
function field<K extends 'alpn' | 'grease' | 'padToLength' | 'records' | 'segmentBytes' | 'serverName'>(
  key: K,
  noun: string,
  what: (refused: ProbeSpec) => string,
  fix: string,
): HelloFeature {
  return {
    noun,
    what,
    kind: 'intolerance',
    differs: (r, w) => !same(r[key], w[key]),
    take: (w, r) => ({ ...w, [key]: r[key] }),
    fix: () => fix,
  };
}

/** The id of each feature (a key of {@link HELLO_FEATURES}). */
export type FeatureId =
  | 'tls13'
  | 'versions'
  | 'cipher_suites'
  | 'groups'
  | 'signature_algorithms'
  | 'tls13_suites'
  | 'grease'
  | 'alpn'
  | 'padToLength'
  | 'records'
  | 'segmentBytes'
  | 'serverName'
  | 'size';

/**
 * The features bisection looks at, in the order it splits them. A feature id is reported in
 * the `intolerance` finding's `feature` field.
 */
export const HELLO_FEATURES: { readonly [K in FeatureId]: HelloFeature } = {
  tls13: {
    noun: 'TLS 1.3 offer',
    what: () => 'offering TLS 1.3',
    kind: 'intolerance',
    differs: (r, w) => offers13(r) !== offers13(w),
    take: (w, r) =>
      offers13(r)
        ? {
            ...w,
            versions: [TLS13, ...below13(w)],
            cipherSuites: [...suites13(r), ...suites12(w)],
            ...(r.keyShareGroups ? { keyShareGroups: r.keyShareGroups } : {}),
          }
        : { ...w, versions: below13(w), cipherSuites: suites12(w) },
    fix: () =>
      'A client must offer TLS 1.2 alone to connect (e.g. curl --tls-max 1.2, openssl s_client -tls1_2, Node maxVersion: "TLSv1.2"); the operator should enable a TLS 1.3 cipher suite or turn TLS 1.3 off, so that a hello offering it falls back to TLS 1.2.',
  },
  versions: {
    noun: 'versions below TLS 1.3',
    what: (r) =>
      below13(r).length
        ? `offering only ${below13(r).map(versionName).join(', ')} below TLS 1.3`
        : 'offering nothing below TLS 1.3',
    kind: 'parameters',
    differs: (r, w) => !same(below13(r), below13(w)),
    take: (w, r) => ({ ...w, versions: [...(offers13(w) ? [TLS13] : []), ...below13(r)] }),
    fix: () => 'Offer the older versions the server speaks (see versions).',
  },
  cipher_suites: {
    noun: 'TLS 1.2 cipher suites',
    what: (r) =>
      `offering only its ${suites12(r).length} TLS 1.2 cipher suites (${list(keyExchanges(suites12(r)))} key exchange)`,
    kind: 'parameters',
    differs: (r, w) => !same(suites12(r), suites12(w)),
    take: (w, r) => ({ ...w, cipherSuites: [...suites13(w), ...suites12(r)] }),
    fix: (_r, _w, got) => {
      const suite = got?.serverHello?.cipherSuite;
      const example =
        suite === undefined || TLS13_ALL_SUITES.includes(suite)
          ? ''
          : `, e.g. ${cipherSuiteName(suite)} (${cipherSuiteInfo(suite)?.keyExchange ?? 'its'} key exchange), which the working hello got`;
      return `Offer the TLS 1.2 suites the server takes${example} (see tls12_ciphers).`;
    },
  },
  groups: {
    noun: 'groups',
    what: (r) => `offering only the groups ${r.groups.map(groupName).join(', ')}`,
    kind: 'parameters',
    differs: (r, w) => !same(r.groups, w.groups),
    take: (w, r) => ({ ...w, groups: r.groups }),
    fix: (_r, _w, got) => {
      const group = got?.serverHello?.group ?? got?.helloRetryRequest?.selectedGroup ?? null;
      return group === null
        ? 'Offer the groups the server takes.'
        : `Offer the groups the server takes: it took ${groupName(group)} from the working hello (see tls13_groups and scan).`;
    },
  },
  signature_algorithms: {
    noun: 'signature algorithms',
    what: (r) =>
      r.signatureAlgorithms
        ? `offering only the signature algorithms ${r.signatureAlgorithms.map(signatureSchemeName).join(', ')}`
        : `offering only the signature algorithms ${DEFAULT_OPTIONS.signatureAlgorithms.join(', ')}`,
    kind: 'parameters',
    differs: (r, w) => !same(r.signatureAlgorithms, w.signatureAlgorithms),
    take: (w, r) => {
      const { signatureAlgorithms: _own, ...rest } = w;
      return r.signatureAlgorithms ? { ...rest, signatureAlgorithms: r.signatureAlgorithms } : rest;
    },
    fix: () =>
      "Offer the signature algorithms the server's certificate key needs (see the certificate findings): rsa_pss_pss_* for an RSA-PSS key, ecdsa_secp521r1_sha512 for a P-521 key in TLS 1.3, ed25519 or ed448 for an EdDSA key. Browsers offer few of these (no EdDSA at all), so the operator should serve an ECDSA P-256/P-384 or RSA (rsaEncryption) certificate too.",
  },
  tls13_suites: {
    // Not bisected: when offering TLS 1.3 is the cause, a control with every TLS 1.3 suite
    // (see bisectRefusal) tells a server without the common ones from an intolerant one.
    noun: 'TLS 1.3 cipher suites',
    what: (r) => `offering only the TLS 1.3 suites ${suites13(r).map(cipherSuiteName).join(', ')}`,
    kind: 'parameters',
    differs: () => false,
    take: (w, r) => HELLO_FEATURES.tls13.take(w, r),
    fix: () =>
      'Offer the TLS 1.3 suites the server takes (see scan): it has none of AES-GCM and ChaCha20-Poly1305, which most clients offer alone, so the operator should enable TLS_AES_128_GCM_SHA256.',
  },
  grease: field(
    'grease',
    'GREASE',
    () => 'sending GREASE values (RFC 8701)',
    'Turn GREASE off for this server, and report the intolerance to its operator.',
  ),
  alpn: field(
    'alpn',
    'ALPN',
    (r) => `offering ALPN ${(r.alpn ?? []).join(', ') || '(none)'}`,
    'Leave ALPN out for this server, or offer a protocol it serves.',
  ),
  padToLength: field(
    'padToLength',
    'padding',
    (r) => `padding the hello to ${r.padToLength} bytes`,
    'Keep the hello out of the size range the server refuses (pad 256–511-byte hellos to 512, RFC 7685).',
  ),
  records: field(
    'records',
    'record split',
    (r) => `splitting the hello over ${r.records} records`,
    'Send the ClientHello in one record.',
  ),
  segmentBytes: field(
    'segmentBytes',
    'TCP segments',
    () => 'writing the hello in several TCP segments',
    'Keep the hello small enough for one TCP segment.',
  ),
  serverName: field(
    'serverName',
    'SNI',
    (r) => (r.serverName === null ? 'leaving SNI out' : `sending the name ${r.serverName} as SNI`),
    'Send the host name the server serves as SNI.',
  ),
  size: {
    // Not bisected: the control after bisection (see bisectRefusal) finds it.
    noun: 'length',
    what: (r) => `making the hello ${r.padToLength} bytes long (${sizeRange(r.padToLength ?? 0)})`,
    kind: 'intolerance',
    differs: () => false,
    take: (w, r) => ({ ...w, padToLength: r.padToLength }),
    fix: (r) =>
      (r.padToLength ?? 0) < 512
        ? 'Pad a ClientHello of 256 to 511 bytes to 512 bytes or more with the padding extension (RFC 7685), as BoringSSL does: the server (or an F5 in front of it) refuses that range.'
        : 'Keep the ClientHello under 512 bytes for this server: fewer suites, no post-quantum key shares.',
  },
};

/** The size range a hello's length falls in: servers and middleboxes have refused each. */
function sizeRange(length: number): string {
  return length < 256 ? 'under 256 bytes' : length < 512 ? 'the 256–511-byte range' : '512 bytes or more';
}

/** The id of a hello feature. */

/** A bisection probe and its answer. */
export interface CauseRun {
  readonly spec: ProbeSpec & { readonly id: CauseProbeId };
  readonly answer: ProbeAnswer;
}

/** What bisection found. */
export interface Cause {
  /** The feature whose presence makes the difference; null when no single one does (or none differs). */
  readonly feature: FeatureId | null;
  /** The features the two hellos differ in. */
  readonly differing: readonly FeatureId[];
  /** The probe that shows it: the working hello plus that one feature, refused. */
  readonly shown?: CauseRun;
  /** Every bisection probe, in the order sent. */
  readonly runs: readonly CauseRun[];
  /** True when the time budget stopped the search before it ended (`feature` is then null). */
  readonly unfinished?: true;
  /**
   * When no single feature is the cause: the features of the working hello that, each given
   * alone to the refused hello, make it accepted (a P-521 key in TLS 1.3 needs
   * ecdsa_secp521r1_sha512: the modern hello works without TLS 1.3, or with the fallback's
   * signature algorithms, while neither feature alone breaks the working hello).
   */
  readonly repairs?: readonly FeatureId[];
}

/** The feature as a noun, for "the working hello's …". */
export function featureNoun(feature: FeatureId): string {
  return HELLO_FEATURES[feature].noun;
}

/** Describes a feature of `refused` in words, for explanations. */
export function featureWhat(feature: FeatureId, refused: ProbeSpec): string {
  return HELLO_FEATURES[feature].what(refused);
}

/** Whether a feature is an intolerance (its presence alone is refused) or a missing parameter. */
export function featureKind(feature: FeatureId): 'intolerance' | 'parameters' {
  return HELLO_FEATURES[feature].kind;
}

/** The fix for a feature found as the cause (`got`: the working hello's answer). */
export function featureFix(
  feature: FeatureId,
  refused: ProbeSpec,
  working: ProbeSpec,
  got?: ProbeAnswer,
): string {
  return HELLO_FEATURES[feature].fix(refused, working, got);
}

/**
 * Finds, in at most ⌈log2 n⌉ + 1 probes for n differing features, the one feature of
 * `refused` that makes `working` refused once added: half the features are added; a refusal
 * keeps that half, an acceptance the other; the last one left is sent alone to confirm. When
 * that confirming hello fell into another size range (under 256, 256–511, 512 bytes or more)
 * than the working one, one more probe, the working hello padded to the same length, tells
 * whether the size is the cause (`size`). When offering TLS 1.3 is left, one probe with every
 * TLS 1.3 suite tells a server without the common suites (`tls13_suites`) from an intolerant
 * one. When no single feature is the cause, each of the working hello's features is given alone
 * to the refused hello (`repairs`). `probe` returning undefined (not sent: the time budget ran
 * out) ends the search unfinished.
 * @example const cause = await bisectRefusal(probe, modern, tls12Only); cause.feature // 'tls13'
 */
export async function bisectRefusal(
  probe: (spec: ProbeSpec) => Promise<ProbeAnswer | undefined>,
  refused: ProbeSpec,
  working: ProbeSpec,
  /** The working hello's length in bytes (its answer's `helloLength`), when known. */
  workingLength?: number,
): Promise<Cause> {
  const features = (Object.keys(HELLO_FEATURES) as FeatureId[]).filter((f) =>
    HELLO_FEATURES[f].differs(refused, working),
  );
  const runs: CauseRun[] = [];
  const unfinished: Cause = { feature: null, differing: features, runs, unfinished: true };
  /** Sends one bisection probe and keeps its run; undefined when the budget stopped it. */
  const sendSpec = async (hello: ProbeSpec, id: CauseProbeId, label: string) => {
    const spec = { ...hello, id, label };
    const answer = await probe(spec);
    if (answer === undefined) return undefined;
    const run: CauseRun = { spec, answer };
    runs.push(run);
    return run;
  };
  /** The working hello with `from`'s value of each feature in `set`. */
  const send = (set: readonly FeatureId[], from: ProbeSpec = refused): Promise<CauseRun | undefined> => {
    let spec: ProbeSpec = working;
    for (const f of set) spec = HELLO_FEATURES[f].take(spec, from);
    const label = `the working hello, ${set.map((f) => featureWhat(f, from)).join(' and ')}`;
    return sendSpec(spec, `cause.${set.join('+')}`, label);
  };
  /** No single feature breaks the working hello: which one alone repairs the refused hello? */
  const noSingleCause = async (): Promise<Cause> => {
    const repairs: FeatureId[] = [];
    for (const f of features) {
      const label = `the refused hello with the working hello's ${featureNoun(f)}`;
      const run = await sendSpec(HELLO_FEATURES[f].take(refused, working), `cause.repair.${f}`, label);
      if (!run) return unfinished;
      if (acceptedAsOffered(run.spec, run.answer)) repairs.push(f);
    }
    return { feature: null, differing: features, runs, ...(repairs.length ? { repairs } : {}) };
  };
  let left = features;
  while (left.length > 1) {
    const half = left.slice(0, Math.ceil(left.length / 2));
    const run = await send(half);
    if (!run) return unfinished;
    left = acceptedAsOffered(run.spec, run.answer) ? left.slice(half.length) : half;
  }
  if (left.length === 0) return { feature: null, differing: features, runs };
  const tested = runs.find((r) => r.spec.id === `cause.${left[0]}`) ?? (await send(left));
  if (!tested) return unfinished;
  if (acceptedAsOffered(tested.spec, tested.answer)) return noSingleCause();
  // A server with TLS 1.3 but none of the common TLS 1.3 suites (AES-CCM only) refuses the
  // working hello plus TLS 1.3 just as an intolerant one does; every TLS 1.3 suite tells them apart.
  if (left[0] === 'tls13' && suites13(refused).length < TLS13_ALL_SUITES.length && offers13(refused)) {
    const control = await send(['tls13_suites'], {
      ...refused,
      cipherSuites: [...TLS13_ALL_SUITES, ...suites12(refused)],
    });
    if (!control) return unfinished;
    if (acceptedAsOffered(control.spec, control.answer))
      return { feature: 'tls13_suites', differing: features, shown: tested, runs };
  }
  // Adding a feature also makes the hello longer: when that moves it into another size range,
  // the working hello padded to the same length tells whether the size is the cause. (A
  // refused hello shorter than the working one cannot be matched so: padding only adds.)
  const grownTo = tested.answer.helloLength;
  if (
    grownTo !== undefined &&
    workingLength !== undefined &&
    grownTo > workingLength &&
    left[0] !== 'padToLength' &&
    sizeRange(grownTo) !== sizeRange(workingLength)
  ) {
    const padded = { ...working, padToLength: grownTo };
    const control = await send(['size'], padded);
    if (!control) return unfinished;
    if (!acceptedAsOffered(control.spec, control.answer))
      return { feature: 'size', differing: features, shown: control, runs };
  }
  return { feature: left[0], differing: features, shown: tested, runs };
}
