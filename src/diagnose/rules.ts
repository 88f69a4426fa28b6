/**
 * diagnose's rules, one row each: the variation probes it reads (by their typed ids, so the
 * compiler keeps the rules and the plan in step) and how it reads them. Every rule sees the
 * working hello; variations are changes of it, so each finding says what one change did.
 */
import { groupName, versionName } from '../iana/lookup.ts';
import { accepted, alertLabel, describeAnswer, pickAlert, refusalAlert } from './answer.ts';
import { type Cause, featureFix, featureKind, featureWhat } from './bisect.ts';
import { certificateChecks } from './certificates.ts';
import { finding, list, orList, type ProbeRun } from './finding.ts';
import { TLS10, TLS11, TLS12, TLS13, type VariationId } from './plan.ts';
import type { AnswerAlert, AnswerCertificate, Finding, Severity } from './types.ts';

/** What the rules read: the hellos tried, the one that works, the cause search, the variations. */
export interface Observations {
  /** The candidate hellos sent, in order, until one was accepted (or all were refused). */
  readonly tried: readonly ProbeRun[];
  /** The first accepted candidate: the hello every variation changes. */
  readonly working?: ProbeRun;
  /** Bisection between the refused baseline and the working hello, when it ran. */
  readonly cause?: Cause;
  /** The variations sent, by id. */
  readonly variations: { readonly [K in VariationId]?: ProbeRun };
  /** Every run (for rules over all answers, such as server violations). */
  readonly all: readonly ProbeRun[];
  /** Every certificate chain found, when certificate discovery ran. */
  readonly certificateChains?: readonly DiscoveredChain[];
}

/**
 * A certificate chain found by discovery, with the hellos that got it (the shape of
 * `CertificateChain` in certificate-discovery.ts).
 */
export interface DiscoveredChain {
  readonly certificates: readonly AnswerCertificate[];
  readonly hellos: readonly {
    readonly probe: string;
    readonly label: string;
    readonly serverName: string | null;
    readonly version: number;
    readonly cipherSuite: number;
  }[];
}

/** What a rule gets besides its probes. */
export interface RuleContext {
  readonly working: ProbeRun;
  readonly observations: Observations;
  /** Certificates are checked against this time (ms since the epoch). */
  readonly now: number;
}

/** The probes a rule reads, by id (undefined: not sent). */
export type RuleProbes<R extends VariationId> = { readonly [K in R]: ProbeRun | undefined };

/** One rule: the probes it reads and the findings it makes of them. */
export interface Rule<R extends VariationId = VariationId> {
  /** The finding ids it can make. */
  readonly findings: readonly string[];
  readonly reads: readonly R[];
  readonly check: (probes: RuleProbes<R>, ctx: RuleContext) => Finding | readonly Finding[] | null;
}

function rule<const R extends VariationId>(r: Rule<R>): Rule<R> {
  return r;
}

const alertField = (run: ProbeRun | undefined): Record<string, unknown> => {
  const a = run ? refusalAlert(run.answer) : undefined;
  return a ? { alert: pickAlert(a) } : {};
};

/** The refused baseline and the working hello's cause, in words. */
const refusalCause = rule({
  findings: ['intolerance', 'baseline_refused'],
  reads: [],
  check: (_, { working, observations }) => {
    const baseline = observations.tried[0];
    const cause = observations.cause;
    if (!baseline || baseline === working || !cause) return null;
    const refused = baseline.spec;
    const got = describeAnswer(baseline.answer);
    const evidenceRuns = [baseline, working, ...(cause.shown ? [cause.shown] : [])];
    if (cause.feature === null) {
      return finding(
        'baseline_refused',
        'error',
        `The server refuses a modern hello (${refused.label}: ${got}) but accepts ${working.spec.label}; no single difference between the two is the cause (${list(cause.differing)} together).`,
        [baseline, working, ...cause.runs],
        { differing: cause.differing, ...alertField(baseline) },
        `Send a hello like the one that works: ${working.spec.label}.`,
      );
    }
    const what = featureWhat(cause.feature, cause.shown?.spec ?? refused);
    const shownGot = cause.shown ? describeAnswer(cause.shown.answer) : got;
    const fix = featureFix(cause.feature, cause.shown?.spec ?? refused, working.spec);
    const kind = featureKind(cause.feature);
    const capital = `${what.charAt(0).toUpperCase()}${what.slice(1)}`;
    const explanation =
      kind === 'intolerance'
        ? `${capital} is what the server refuses: a modern hello gets ${got}, ${working.spec.label} connects (${describeAnswer(working.answer)}), and the same hello with only that change gets ${shownGot}.`
        : `The server refuses a modern hello (${refused.label}: ${got}) for ${what}: ${working.spec.label} connects (${describeAnswer(working.answer)}).`;
    return finding(
      kind === 'intolerance' ? 'intolerance' : 'baseline_refused',
      'error',
      explanation,
      evidenceRuns,
      { feature: cause.feature, ...alertField(cause.shown ?? baseline) },
      fix,
    );
  },
});

const sni = rule({
  findings: ['sni_required', 'sni_optional', 'sni_unknown_name', 'sni_ip_literal'],
  reads: ['sni.none', 'sni.unknown', 'sni.ip'],
  check: (p, { working }) => {
    const without = p['sni.none'];
    const name = working.spec.serverName;
    if (!without || name === null) return null;
    const out: Finding[] = [];
    const noneOk = accepted(without.answer);
    if (!noneOk) {
      out.push(
        finding(
          'sni_required',
          'error',
          `The server needs SNI: without a name it answers ${describeAnswer(without.answer)}, with ${name} it answers ${describeAnswer(working.answer)}.`,
          [working, without, p['sni.unknown'], p['sni.ip']],
          {
            alert: refusalAlert(without.answer) ? pickAlert(refusalAlert(without.answer)!) : null,
            withSni: working.answer.outcome,
            withoutSni: without.answer.outcome,
          },
          `Send the host name as SNI (Node: tls.connect({ servername: '${name}' }); curl: use the name in the URL, with --connect-to or --resolve to pick the address, not https://IP/).`,
        ),
      );
    } else {
      out.push(
        finding(
          'sni_optional',
          'info',
          `The server answers hellos with or without SNI (without it: ${describeAnswer(without.answer)}).`,
          [working, without],
          { withSni: working.answer.outcome, withoutSni: without.answer.outcome },
        ),
      );
    }
    // When SNI is required, an unknown name or an IP literal that gets the same answer as no
    // name at all says nothing new (it is in sni_required's evidence).
    const sameAsNone = (run: ProbeRun) =>
      !noneOk &&
      run.answer.outcome === without.answer.outcome &&
      refusalAlert(run.answer)?.description === refusalAlert(without.answer)?.description;
    const unknown = p['sni.unknown'];
    if (unknown && !accepted(unknown.answer) && !sameAsNone(unknown)) {
      out.push(
        finding(
          'sni_unknown_name',
          'info',
          `A hello naming a host the server does not serve gets ${describeAnswer(unknown.answer)}.`,
          [working, unknown],
          alertField(unknown),
          'Send the exact host name the server serves.',
        ),
      );
    }
    const ip = p['sni.ip'];
    if (ip && !accepted(ip.answer) && !sameAsNone(ip)) {
      out.push(
        finding(
          'sni_ip_literal',
          'warning',
          `A client that sends an IP address as SNI (RFC 6066 forbids it, some proxies do it) gets ${describeAnswer(ip.answer)}.`,
          [working, ip],
          alertField(ip),
          'Send the host name as SNI, never an IP address; leave SNI out only if the server allows it.',
        ),
      );
    }
    return out;
  },
});

const VERSION_PROBES = [
  ['version.tls1.3', TLS13],
  ['version.tls1.2', TLS12],
  ['version.tls1.1', TLS11],
  ['version.tls1.0', TLS10],
] as const;

/** True when `run` was accepted with `version` negotiated (an HRR counts: it goes on in TLS 1.3). */
export function versionAccepted(run: ProbeRun | undefined, version: number): boolean {
  if (!run || !accepted(run.answer)) return false;
  if (run.answer.outcome === 'hello_retry_request') return version === TLS13;
  const sh = run.answer.serverHello;
  return sh === undefined || sh.version === version;
}

/** The versions the server speaks: the version probes, and the working hello's own version. */
export function spokenVersions(o: Observations): number[] {
  const versions: number[] = VERSION_PROBES.filter(([id, v]) => versionAccepted(o.variations[id], v)).map(
    ([, v]) => v,
  );
  const own = o.working?.answer.serverHello?.version;
  if (own !== undefined && accepted(o.working?.answer) && !versions.includes(own)) versions.push(own);
  return versions.sort((a, b) => b - a);
}

const versions = rule({
  findings: ['versions'],
  reads: ['version.tls1.3', 'version.tls1.2', 'version.tls1.1', 'version.tls1.0'],
  check: (p, { observations }) => {
    const runs = VERSION_PROBES.map(([id]) => p[id]);
    if (runs.every((r) => r === undefined)) return null;
    const spoken = spokenVersions(observations);
    const acceptedVersions = spoken.map(versionName);
    const rejected = VERSION_PROBES.filter(([id, v]) => p[id] && !spoken.includes(v)).map(([, v]) =>
      versionName(v),
    );
    const legacy = spoken.filter((v) => v < TLS12).map(versionName);
    let severity: Severity = 'info';
    let explanation = `The server speaks ${list(acceptedVersions)}${rejected.length ? `, not ${orList(rejected)}` : ''}.`;
    let fix: string | undefined;
    if (legacy.length > 0) {
      severity = 'warning';
      explanation = `${explanation.slice(0, -1)}; ${list(legacy)} ${legacy.length > 1 ? 'are' : 'is'} deprecated (RFC 8996).`;
    } else if (!spoken.includes(TLS13)) {
      severity = 'warning';
      const intolerant = observations.cause?.feature === 'tls13';
      explanation = `${explanation.slice(0, -1)}${intolerant ? ', and refuses hellos that offer TLS 1.3 (see intolerance)' : ''}.`;
      if (!intolerant)
        fix = 'A client offering only TLS 1.3 cannot connect: it must also offer TLS 1.2 (most do).';
    }
    return finding(
      'versions',
      severity,
      explanation,
      [observations.working, ...runs],
      { accepted: acceptedVersions, rejected },
      fix,
    );
  },
});

const tls12Auth = rule({
  findings: ['tls12_auth'],
  reads: ['tls12.ecdsa_auth', 'tls12.rsa_auth'],
  check: (p, { observations }) => {
    const ecdsa = p['tls12.ecdsa_auth'];
    const rsa = p['tls12.rsa_auth'];
    if (!ecdsa || !rsa) return null;
    const acceptedAuth: string[] = [];
    const rejected: string[] = [];
    const alerts: Record<string, AnswerAlert | null> = {};
    for (const [name, run] of [
      ['ECDSA', ecdsa],
      ['RSA', rsa],
    ] as const) {
      if (accepted(run.answer)) acceptedAuth.push(name);
      else {
        rejected.push(name);
        const a = refusalAlert(run.answer);
        alerts[name] = a ? pickAlert(a) : null;
      }
    }
    if (acceptedAuth.length === 0) return null;
    if (rejected.length === 0) {
      return finding(
        'tls12_auth',
        'info',
        'In TLS 1.2 the server accepts both ECDSA- and RSA-authenticated suites.',
        [ecdsa, rsa],
        { accepted: acceptedAuth, rejected, alert: null, alerts },
      );
    }
    const only = acceptedAuth[0];
    const lacking = rejected[0];
    const got = describeAnswer(lacking === 'RSA' ? rsa.answer : ecdsa.answer);
    const suggestion =
      only === 'ECDSA' ? 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' : 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256';
    return finding(
      'tls12_auth',
      'warning',
      `In TLS 1.2 the server has only ${only} authentication (an ${only} certificate): a client offering only ${lacking} suites gets ${got}.`,
      [ecdsa, rsa],
      { accepted: acceptedAuth, rejected, alert: alerts[lacking], alerts },
      `Offer ${only} suites (e.g. ${suggestion})${spokenVersions(observations).includes(TLS13) ? ' or TLS 1.3' : ''}; a client limited to ${lacking} suites cannot connect.`,
    );
  },
});

/** Which of a table's probes were accepted, by the names the table gives them; null when one did not run. */
function sortOut<R extends VariationId>(
  table: readonly (readonly [R, string])[],
  p: RuleProbes<R>,
): { runs: ProbeRun[]; accepted: string[]; rejected: string[] } | null {
  const runs = table.map(([id]) => p[id]);
  if (runs.some((r) => r === undefined)) return null;
  return {
    runs: runs as ProbeRun[],
    accepted: table.filter(([id]) => accepted(p[id]?.answer)).map(([, n]) => n),
    rejected: table.filter(([id]) => !accepted(p[id]?.answer)).map(([, n]) => n),
  };
}

const CIPHER_FAMILIES = [
  ['tls12.ecdsa_auth', 'ECDHE-ECDSA'],
  ['tls12.ecdhe_rsa', 'ECDHE-RSA'],
  ['tls12.rsa_kx', 'RSA key exchange'],
  ['tls12.dhe', 'DHE'],
  ['tls12.aead', 'AEAD'],
  ['tls12.cbc', 'CBC'],
] as const;

const tls12Ciphers = rule({
  findings: ['tls12_ciphers'],
  reads: CIPHER_FAMILIES.map(([id]) => id),
  check: (p) => {
    const sorted = sortOut(CIPHER_FAMILIES, p);
    if (!sorted || sorted.accepted.length === 0) return null;
    const { runs, accepted: acceptedFamilies, rejected } = sorted;
    const weak = acceptedFamilies.includes('RSA key exchange');
    const notes: string[] = [];
    if (weak) notes.push('plain RSA key exchange has no forward secrecy');
    if (acceptedFamilies.includes('CBC')) notes.push('CBC suites are legacy');
    return finding(
      'tls12_ciphers',
      weak ? 'warning' : 'info',
      `In TLS 1.2 the server accepts ${list(acceptedFamilies)} suites${rejected.length ? `, not ${orList(rejected)}` : ''}${notes.length ? ` (${notes.join('; ')})` : ''}.`,
      runs,
      { accepted: acceptedFamilies, rejected },
    );
  },
});

const GROUP_PROBES = [
  ['group.x25519', 'x25519'],
  ['group.secp256r1', 'secp256r1'],
  ['group.secp384r1', 'secp384r1'],
] as const;

const tls13Groups = rule({
  findings: ['tls13_groups'],
  reads: GROUP_PROBES.map(([id]) => id),
  check: (p) => {
    const sorted = sortOut(GROUP_PROBES, p);
    if (!sorted) return null;
    const { runs, accepted: acceptedGroups, rejected } = sorted;
    const explanation =
      acceptedGroups.length === 0
        ? 'In TLS 1.3 the server accepted none of x25519, secp256r1 or secp384r1 offered alone.'
        : `In TLS 1.3 the server accepts ${list(acceptedGroups)}${rejected.length ? `, not ${orList(rejected)}` : ''}.`;
    return finding('tls13_groups', acceptedGroups.length === 0 ? 'warning' : 'info', explanation, runs, {
      accepted: acceptedGroups,
      rejected,
    });
  },
});

const pqHybrid = rule({
  findings: ['pq_hybrid'],
  reads: ['group.X25519MLKEM768', 'pq.hybrid'],
  check: (p) => {
    const alone = p['group.X25519MLKEM768'];
    const mixed = p['pq.hybrid'];
    if (!alone && !mixed) return null;
    const supported = accepted(alone?.answer);
    const chosen = mixed && accepted(mixed.answer) ? (mixed.answer.serverHello?.group ?? null) : null;
    const chosenName = chosen === null ? null : groupName(chosen);
    if (supported) {
      return finding(
        'pq_hybrid',
        'info',
        'The server supports the post-quantum hybrid X25519MLKEM768.',
        [alone, mixed],
        { supported: true, chosenGroup: chosenName },
      );
    }
    const fallback = chosenName ? `; a client offering it next to x25519 gets ${chosenName}` : '';
    return finding(
      'pq_hybrid',
      'info',
      `The server does not support the post-quantum hybrid X25519MLKEM768${fallback}.`,
      [alone, mixed],
      { supported: false, chosenGroup: chosenName },
    );
  },
});

const alpn = rule({
  findings: ['alpn'],
  reads: ['alpn.h2', 'alpn.unknown'],
  check: (p, { working }) => {
    const h2 = p['alpn.h2'];
    const unknown = p['alpn.unknown'];
    if (!h2) return null;
    const h2Ok = accepted(h2.answer);
    const chosen = h2Ok ? (h2.answer.serverHello?.alpn ?? null) : null;
    const parts: string[] = [];
    let severity: Severity = 'info';
    if (!h2Ok) {
      parts.push(`a hello offering h2 and http/1.1 gets ${describeAnswer(h2.answer)}`);
      severity = 'error';
    } else if (chosen) parts.push(`the server picks ${chosen} from h2 and http/1.1`);
    else parts.push('the server picks no protocol from h2 and http/1.1 (it ignores ALPN)');
    let unknownProtocol: string | null = null;
    if (unknown) {
      if (accepted(unknown.answer)) {
        unknownProtocol = 'ignored';
        parts.push('a client offering only a protocol it lacks still connects, with no protocol chosen');
      } else {
        unknownProtocol = refusalAlert(unknown.answer) ? 'alert' : unknown.answer.outcome;
        const a = refusalAlert(unknown.answer);
        parts.push(
          `a client offering only a protocol it lacks is refused: ${a ? `${alertLabel(a)}${unknown.answer.outcome === 'server_hello' ? ' after the ServerHello' : ''}` : describeAnswer(unknown.answer)}`,
        );
      }
    }
    const text = parts.join('; ');
    return finding(
      'alpn',
      severity,
      `${text.charAt(0).toUpperCase()}${text.slice(1)}.`,
      [working, h2, unknown],
      { chosen, unknownProtocol, ...alertField(h2Ok ? unknown : h2) },
      h2Ok ? undefined : 'Leave ALPN out for this server.',
    );
  },
});

/** A tolerance check: a variation that only changes the hello's shape, never what it offers. */
const TOLERANCE = [
  {
    id: 'grease_intolerance',
    probes: ['grease'],
    passed: 'GREASE',
    explain: (got: string) =>
      `The server (or a middlebox in front of it) fails hellos with GREASE values (RFC 8701): ${got}, while the same hello without them works.`,
    fix: 'Turn GREASE off in the client for this server, and report the intolerance to its operator.',
  },
  {
    id: 'padding_intolerance',
    probes: ['padding.256_511'],
    passed: 'a 300-byte hello',
    explain: (got: string) =>
      `A hello of 256 to 511 bytes gets ${got} (a known F5 bug), while the same hello unpadded works: clients must pad such hellos to 512 bytes.`,
    fix: 'Pad the ClientHello to at least 512 bytes with the padding extension (RFC 7685), as BoringSSL does.',
  },
  {
    id: 'large_hello_intolerance',
    probes: ['large.padded', 'pq.hybrid'],
    passed: 'a 1.8 KB hello in two TCP segments',
    explain: (got: string) =>
      `A hello larger than one TCP segment (post-quantum key shares make them ~1.8 KB) gets ${got}, while the same hello small works.`,
    fix: 'Leave out post-quantum key shares for this server (offer the hybrid in supported_groups only), or keep the hello under ~1400 bytes.',
  },
  {
    id: 'fragmentation_intolerance',
    probes: ['fragmented'],
    passed: 'a hello split over 3 records',
    explain: (got: string) =>
      `A hello split over several TLS records gets ${got}, while the same hello in one record works: something in the path reads only the first record.`,
    fix: 'Send the ClientHello in one record.',
  },
] as const;

const tolerance = rule({
  findings: [...TOLERANCE.map((t) => t.id), 'tolerance'],
  reads: ['grease', 'padding.256_511', 'large.padded', 'pq.hybrid', 'fragmented'],
  check: (p, { working }) => {
    const out: Finding[] = [];
    const passed: string[] = [];
    for (const t of TOLERANCE) {
      const runs = t.probes.map((id) => p[id]).filter((r): r is ProbeRun => r !== undefined);
      if (runs.length === 0) continue;
      const failed = runs.find((r) => !accepted(r.answer));
      if (!failed) {
        passed.push(t.passed);
        continue;
      }
      out.push(
        finding(
          t.id,
          'error',
          t.explain(describeAnswer(failed.answer)),
          [working, ...runs],
          alertField(failed),
          t.fix,
        ),
      );
    }
    if (passed.length > 0 && out.length === 0) {
      out.push(
        finding(
          'tolerance',
          'info',
          `The server tolerates ${list(passed)}.`,
          [p.grease, p['padding.256_511'], p['large.padded'], p['pq.hybrid'], p.fragmented],
          { passed },
        ),
      );
    }
    return out;
  },
});

/**
 * Certificate findings. With discovery, every chain is checked (once per distinct finding,
 * with the probes that got the chain); without it, the working hello's chain and the one
 * sent without SNI.
 */
const certificates = rule({
  findings: [
    'certificate',
    'cert_name_mismatch',
    'cert_expired',
    'cert_not_yet_valid',
    'cert_expiring',
    'cert_self_signed',
    'cert_chain',
    'cert_without_sni',
  ],
  reads: ['sni.none'],
  check: (p, { working, observations, now }) => {
    const without = p['sni.none'];
    const chains = observations.certificateChains;
    if (chains === undefined || chains.length === 0) {
      return certificateChecks(
        working.spec.serverName,
        working.answer,
        accepted(without?.answer) ? without?.answer : undefined,
        now,
      ).map((c) =>
        finding(
          c.id,
          c.severity,
          c.explanation,
          c.id === 'cert_without_sni' ? [working, without] : [working],
          c.extra,
          c.fix,
        ),
      );
    }
    const seen = new Map<string, Finding>();
    for (const chain of chains) {
      const named = chain.hellos.find((h) => h.serverName !== null)?.serverName ?? null;
      const runs = chain.hellos.map((h) => observations.all.find((r) => r.spec.id === h.probe));
      for (const c of certificateChecks(
        named,
        { outcome: 'server_hello', certificates: chain.certificates },
        undefined,
        now,
      )) {
        const key = `${c.id} ${c.explanation}`;
        if (!seen.has(key)) seen.set(key, finding(c.id, c.severity, c.explanation, runs, c.extra, c.fix));
      }
    }
    return [...seen.values()];
  },
});

/** Every rule that reads the variations of a working hello, in report order (before severity). */
export const RULES: readonly Rule[] = [
  refusalCause,
  sni,
  versions,
  tls12Auth,
  tls12Ciphers,
  tls13Groups,
  pqHybrid,
  alpn,
  certificates,
  tolerance,
];
