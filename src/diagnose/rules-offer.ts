/** The rules about what the server takes: versions, TLS 1.2 authentication and suites, TLS 1.3 groups, the PQ hybrid. */
import { groupName, versionName } from '../iana/lookup.ts';
import { accepted, describeAnswer, pickAlert, refusalAlert } from './answer.ts';
import { keyTypeOf } from './certificates.ts';
import { finding, list, orList, type ProbeRun } from './finding.ts';
import { TLS10, TLS11, TLS12, TLS13, X25519MLKEM768 } from './plan.ts';
import { type Observations, type Rule, rule, sortOut } from './rule.ts';
import type { AnswerAlert, Severity } from './types.ts';

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

export const versions: Rule<'version.tls1.3' | 'version.tls1.2' | 'version.tls1.1' | 'version.tls1.0'> = rule(
  {
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
      } else if (spoken.includes(TLS13) && !spoken.includes(TLS12) && p['version.tls1.2']) {
        // A TLS 1.3-only server (Mozilla's "modern" profile) breaks every client that stops at
        // TLS 1.2, and the alert it gets (protocol_version, or handshake_failure) says little.
        severity = 'warning';
        explanation = `${explanation.slice(0, -1)}: a client offering only TLS 1.2 gets ${describeAnswer(p['version.tls1.2'].answer)}.`;
        fix =
          'A client must offer TLS 1.3 (OpenSSL 1.1.1, Java 11, Go 1.13, Android 10 and later do); the operator should also enable TLS 1.2 if older clients are meant to connect.';
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
  },
);

export const tls12Auth: Rule<'tls12.ecdsa_auth' | 'tls12.rsa_auth'> = rule({
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
    // The suite the server took from the accepted family, not a fixed one: a CNSA-style server
    // with AES-256-GCM only refuses TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.
    const suggestion =
      (only === 'ECDSA' ? ecdsa : rsa).answer.serverHello?.cipherSuiteName ||
      (only === 'ECDSA'
        ? 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'
        : 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    // An Ed25519 or Ed448 key signs for ECDHE_ECDSA suites too (RFC 8422 §5.1.2).
    const leaf = (only === 'ECDSA' ? ecdsa : rsa).answer.certificates?.[0];
    const keyType = leaf ? keyTypeOf(leaf) : '';
    const certificate = keyType.startsWith('Ed') ? `an ${keyType}` : `an ${only}`;
    return finding(
      'tls12_auth',
      'warning',
      `In TLS 1.2 the server has only ${only} authentication (${certificate} certificate): a client offering only ${lacking} suites gets ${got}.`,
      [ecdsa, rsa],
      { accepted: acceptedAuth, rejected, alert: alerts[lacking], alerts },
      `Offer ${only} suites (e.g. ${suggestion})${spokenVersions(observations).includes(TLS13) ? ' or TLS 1.3' : ''}; a client limited to ${lacking} suites cannot connect.`,
    );
  },
});

const CIPHER_FAMILIES = [
  ['tls12.ecdsa_auth', 'ECDHE-ECDSA'],
  ['tls12.ecdhe_rsa', 'ECDHE-RSA'],
  ['tls12.rsa_kx', 'RSA key exchange'],
  ['tls12.dhe', 'DHE'],
  ['tls12.aead', 'AEAD'],
  ['tls12.cbc', 'CBC'],
] as const;

export const tls12Ciphers: Rule<(typeof CIPHER_FAMILIES)[number][0] | 'tls12.aes'> = rule({
  findings: ['tls12_ciphers'],
  // tls12.aes (every AES suite, none with ChaCha20) is not a family of the list: it tells a
  // ChaCha20-only server from the others.
  reads: [...CIPHER_FAMILIES.map(([id]) => id), 'tls12.aes'],
  check: (p) => {
    const sorted = sortOut(CIPHER_FAMILIES, p);
    if (!sorted || sorted.accepted.length === 0) return null;
    const { runs, accepted: acceptedFamilies, rejected } = sorted;
    const weak = acceptedFamilies.includes('RSA key exchange');
    // Browsers dropped DHE (Chrome 53, Firefox 78): a server whose only TLS 1.2 key exchange is
    // DHE leaves them TLS 1.3 or nothing.
    const dheOnly =
      acceptedFamilies.includes('DHE') &&
      ['ECDHE-ECDSA', 'ECDHE-RSA', 'RSA key exchange'].every((f) => !acceptedFamilies.includes(f));
    const notes: string[] = [];
    if (dheOnly)
      notes.push(
        'browsers offer no DHE suites since Chrome 53 and Firefox 78, so in TLS 1.2 they cannot connect',
      );
    if (weak) notes.push('plain RSA key exchange has no forward secrecy');
    if (acceptedFamilies.includes('CBC')) notes.push('CBC suites are legacy');
    // A ChaCha20-Poly1305-only TLS 1.2 server: a client without ChaCha20 (FIPS-mode builds,
    // whose TLS 1.2 suites are all AES) is refused.
    const aes = p['tls12.aes'];
    const noAes = aes !== undefined && !accepted(aes.answer);
    // A suite the server took in TLS 1.2 (ChaCha20-Poly1305, ARIA, Camellia, ...), from the families.
    const took = runs.find((r) => accepted(r.answer))?.answer.serverHello?.cipherSuiteName;
    if (noAes)
      notes.push(
        `a client offering only AES suites, as FIPS-mode builds do, gets ${describeAnswer(aes.answer)}`,
      );
    return finding(
      'tls12_ciphers',
      weak || dheOnly || noAes ? 'warning' : 'info',
      `In TLS 1.2 the server accepts ${list(acceptedFamilies)} suites${rejected.length ? `, not ${orList(rejected)}` : ''}${notes.length ? ` (${notes.join('; ')})` : ''}.`,
      runs,
      { accepted: acceptedFamilies, rejected },
      noAes
        ? `A client must offer a TLS 1.2 suite the server takes${took ? ` (e.g. ${took})` : ''}; the operator should enable the ECDHE AES-GCM suites (RFC 9325 §4.2), which every TLS 1.2 client offers.`
        : undefined,
    );
  },
});

const TLS13_CIPHER_PROBES = [
  ['tls13.aes_gcm', 'AES-GCM'],
  ['tls13.chacha20', 'ChaCha20-Poly1305'],
  ['tls13.aes_ccm', 'AES-CCM'],
] as const;

export const tls13Ciphers: Rule<(typeof TLS13_CIPHER_PROBES)[number][0]> = rule({
  findings: ['tls13_ciphers'],
  reads: TLS13_CIPHER_PROBES.map(([id]) => id),
  check: (p) => {
    const sorted = sortOut(TLS13_CIPHER_PROBES, p);
    if (!sorted || sorted.accepted.length === 0) return null;
    const { runs, accepted: acceptedFamilies, rejected } = sorted;
    const text = `In TLS 1.3 the server accepts ${list(acceptedFamilies)} suites${rejected.length ? `, not ${orList(rejected)}` : ''}`;
    const aesGcm = p['tls13.aes_gcm'];
    // RFC 8446 §9.1 makes TLS_AES_128_GCM_SHA256 mandatory, and FIPS-mode clients have no ChaCha20.
    if (aesGcm && !accepted(aesGcm.answer)) {
      return finding(
        'tls13_ciphers',
        'warning',
        `${text}: a client offering only AES-GCM (FIPS-mode builds; RFC 8446 §9.1 makes TLS_AES_128_GCM_SHA256 mandatory) gets ${describeAnswer(aesGcm.answer)}.`,
        runs,
        { accepted: acceptedFamilies, rejected },
        `A client must offer ${orList(acceptedFamilies)} in TLS 1.3; the operator should enable TLS_AES_128_GCM_SHA256.`,
      );
    }
    return finding('tls13_ciphers', 'info', `${text}.`, runs, { accepted: acceptedFamilies, rejected });
  },
});

const GROUP_PROBES = [
  ['group.x25519', 'x25519'],
  ['group.secp256r1', 'secp256r1'],
  ['group.secp384r1', 'secp384r1'],
] as const;

/**
 * Groups a TLS 1.3 answer of the diagnosis went on with (a ServerHello's, or the one a
 * HelloRetryRequest asks for), from any accepted hello: the working hello and its variations.
 */
function tls13GroupsSeen(o: Observations): string[] {
  const seen = new Set<string>();
  for (const run of [o.working, ...Object.values(o.variations)]) {
    if (!run || !accepted(run.answer)) continue;
    const { serverHello: sh, helloRetryRequest: hrr } = run.answer;
    const code = sh ? (sh.version === TLS13 ? sh.group : null) : (hrr?.selectedGroup ?? null);
    // The hybrid has its own finding (pq_hybrid).
    if (code !== null && code !== undefined && code !== X25519MLKEM768) seen.add(groupName(code));
  }
  return [...seen];
}

export const tls13Groups: Rule<(typeof GROUP_PROBES)[number][0]> = rule({
  findings: ['tls13_groups'],
  reads: GROUP_PROBES.map(([id]) => id),
  check: (p, { observations }) => {
    const sorted = sortOut(GROUP_PROBES, p);
    if (!sorted) return null;
    const { runs, accepted: acceptedGroups, rejected } = sorted;
    const probed: readonly string[] = GROUP_PROBES.map(([, name]) => name);
    // A server with only ffdhe2048, x448 or P-521 takes none of the three alone: the group it
    // took from a wider hello is what a client must offer.
    const others = tls13GroupsSeen(observations).filter((g) => !probed.includes(g));
    if (acceptedGroups.length === 0) {
      const took = others.length ? `; it took ${orList(others)} from a hello offering more groups` : '';
      return finding(
        'tls13_groups',
        'warning',
        `In TLS 1.3 the server accepted none of x25519, secp256r1 or secp384r1 offered alone (${describeAnswer(runs[0].answer)})${took}.`,
        runs,
        { accepted: acceptedGroups, rejected, others },
        `A client must offer ${others.length ? orList(others) : 'a group the server takes'} in supported_groups; the operator should enable x25519 and secp256r1 (RFC 8446 §9.1), which nearly every TLS 1.3 client offers.`,
      );
    }
    const also = others.length ? `; it also took ${list(others)} from a hello offering more groups` : '';
    return finding(
      'tls13_groups',
      'info',
      `In TLS 1.3 the server accepts ${list(acceptedGroups)}${rejected.length ? `, not ${orList(rejected)}` : ''}${also}.`,
      runs,
      { accepted: acceptedGroups, rejected, others },
    );
  },
});

export const pqHybrid: Rule<'group.X25519MLKEM768' | 'pq.hybrid'> = rule({
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
