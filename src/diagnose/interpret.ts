/**
 * The interpretation: from the answers to the probe plan, findings in plain words, each
 * with the probes that show it and, where there is one, what a client can do.
 */
import { cipherSuiteName, groupName } from '../iana/lookup.ts';
import { certificateChecks } from './certificates.ts';
import type { AnswerAlert, Evidence, Finding, ProbeAnswer, ProbeSpec, Severity } from './types.ts';

/** A probe and what it got. */
export interface ProbeRun {
  readonly spec: ProbeSpec;
  readonly answer: ProbeAnswer;
}

const VERSION_NAMES: Readonly<Record<number, string>> = {
  772: 'TLS 1.3',
  771: 'TLS 1.2',
  770: 'TLS 1.1',
  769: 'TLS 1.0',
  768: 'SSL 3.0',
};

/** `TLS 1.3`, or the hex code for anything else. */
export function versionLabel(version: number): string {
  return VERSION_NAMES[version] ?? `0x${version.toString(16).padStart(4, '0')}`;
}

/** True when the server went on with the handshake (a ServerHello or a HelloRetryRequest). */
export function accepted(answer: ProbeAnswer | undefined): boolean {
  return (
    answer !== undefined && (answer.outcome === 'server_hello' || answer.outcome === 'hello_retry_request')
  );
}

/** `alert 80 internal_error`. */
export function alertLabel(alert: AnswerAlert): string {
  return `${alert.level === 1 ? 'warning ' : ''}alert ${alert.description} ${alert.name}`;
}

/** What came back, in a few words: `TLS 1.3, TLS_AES_128_GCM_SHA256, x25519` or `alert 40 handshake_failure`. */
export function describeAnswer(answer: ProbeAnswer): string {
  switch (answer.outcome) {
    case 'server_hello': {
      const sh = answer.serverHello;
      if (!sh) return 'a ServerHello';
      const parts = [versionLabel(sh.version), sh.cipherSuiteName || cipherSuiteName(sh.cipherSuite)];
      if (sh.groupName) parts.push(sh.groupName);
      if (sh.alpn) parts.push(`ALPN ${sh.alpn}`);
      return parts.join(', ');
    }
    case 'hello_retry_request': {
      const g = answer.helloRetryRequest?.selectedGroupName;
      return `a HelloRetryRequest${g ? ` for ${g}` : ''}`;
    }
    case 'alert':
      return answer.alert ? alertLabel(answer.alert) : 'an alert';
    case 'closed':
      return 'the connection closed without an alert';
    case 'reset':
      return 'the connection was reset';
    case 'timeout':
      return 'no answer in time';
    case 'not_tls':
      return 'an answer that is not TLS';
    case 'connect_failed':
      return `no connection${answer.error ? ` (${answer.error})` : ''}`;
  }
}

/** What the probe sent, in words, with the hello's size when known. */
function describeSent(run: ProbeRun): string {
  const size = run.answer.helloLength;
  const sni = run.spec.serverName === null ? 'no SNI' : `SNI ${run.spec.serverName}`;
  return `${run.spec.label} (${sni}${size ? `, ${size}-byte hello` : ''})`;
}

function evidence(run: ProbeRun): Evidence {
  return {
    probe: run.spec.id,
    sent: describeSent(run),
    got: describeAnswer(run.answer),
    outcome: run.answer.outcome,
    ...(run.answer.alert ? { alert: pickAlert(run.answer.alert) } : {}),
  };
}

function pickAlert(alert: AnswerAlert): AnswerAlert {
  return { level: alert.level, description: alert.description, name: alert.name };
}

function finding(
  id: string,
  severity: Severity,
  explanation: string,
  runs: readonly (ProbeRun | undefined)[],
  extra: Record<string, unknown> = {},
  fix?: string,
): Finding {
  return {
    id,
    severity,
    explanation,
    evidence: runs.filter((r): r is ProbeRun => r !== undefined).map(evidence),
    ...(fix ? { fix } : {}),
    ...extra,
  };
}

function list(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function orList(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/**
 * Findings from the answers to the plan's probes, worst first. Probes that did not run
 * (left out by the time budget) leave out the findings that need them. Certificates are
 * checked against `now` (ms since the epoch).
 * @example interpret(runs).map((f) => f.id) // ['sni_required', 'tls12_auth', 'versions', ...]
 */
export function interpret(runs: readonly ProbeRun[], now: number = Date.now()): Finding[] {
  const by = new Map(runs.map((r) => [r.spec.id, r]));
  const get = (id: string) => by.get(id);
  const ok = (id: string) => accepted(get(id)?.answer);
  const findings: Finding[] = [];
  const baseline = get('baseline');
  if (!baseline) return findings;

  if (baseline.answer.outcome === 'connect_failed') {
    findings.push(
      finding(
        'unreachable',
        'error',
        `Could not connect to the server${baseline.answer.error ? `: ${baseline.answer.error}` : ''}.`,
        [baseline],
        {},
        'Check the host and port, and that nothing blocks the connection.',
      ),
    );
    return findings;
  }
  if (baseline.answer.outcome === 'not_tls') {
    findings.push(
      finding(
        'not_tls',
        'error',
        'The server answered with something that is not TLS.',
        [baseline],
        {},
        'Check the port: it may serve plain HTTP or another protocol.',
      ),
    );
    return findings;
  }

  findings.push(...sniFindings(get, ok));
  const baselineOk = accepted(baseline.answer);
  if (!baselineOk && !findings.some((f) => f.id === 'sni_required')) {
    findings.push(
      finding(
        'handshake_refused',
        'error',
        `The server refused a modern hello (TLS 1.3 and 1.2, common suites and groups): ${describeAnswer(baseline.answer)}.`,
        [baseline],
        baseline.answer.alert ? { alert: pickAlert(baseline.answer.alert) } : {},
      ),
    );
  }
  const versions = versionsFinding(get);
  if (versions) findings.push(versions);
  const auth = tls12AuthFinding(get, ok);
  if (auth) findings.push(auth);
  const ciphers = tls12CiphersFinding(get, ok);
  if (ciphers) findings.push(ciphers);
  const groups = groupsFinding(get, ok);
  if (groups) findings.push(groups);
  const pq = pqFinding(get);
  if (pq) findings.push(pq);
  const alpn = alpnFinding(get);
  if (alpn) findings.push(alpn);
  const without = get('sni.none');
  for (const c of certificateChecks(
    baseline.spec.serverName,
    baselineOk ? baseline.answer : undefined,
    accepted(without?.answer) ? without?.answer : undefined,
    now,
  )) {
    const runs = c.id === 'cert_without_sni' ? [baseline, without] : [baseline];
    findings.push(finding(c.id, c.severity, c.explanation, runs, c.extra, c.fix));
  }
  if (baselineOk) findings.push(...toleranceFindings(get));

  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank[a.f.severity] - rank[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

type Get = (id: string) => ProbeRun | undefined;
type Ok = (id: string) => boolean;

function sniFindings(get: Get, ok: Ok): Finding[] {
  const out: Finding[] = [];
  const withName = get('baseline');
  const without = get('sni.none');
  const unknown = get('sni.unknown');
  const ip = get('sni.ip');
  if (!withName || !without) return out;
  const name = withName.spec.serverName;
  if (name === null) {
    if (!accepted(without.answer)) {
      out.push(
        finding(
          'sni_untested',
          'warning',
          `Without SNI the server answered ${describeAnswer(without.answer)}; it may need a host name, so run again with --sni NAME.`,
          [without],
          without.answer.alert ? { alert: pickAlert(without.answer.alert) } : {},
          'Send the server’s host name as SNI.',
        ),
      );
    }
    return out;
  }
  if (ok('baseline') && !ok('sni.none')) {
    out.push(
      finding(
        'sni_required',
        'error',
        `The server needs SNI: without a name it answers ${describeAnswer(without.answer)}, with ${name} it answers ${describeAnswer(withName.answer)}.`,
        [withName, without, unknown, ip],
        {
          alert: without.answer.alert ? pickAlert(without.answer.alert) : null,
          withSni: withName.answer.outcome,
          withoutSni: without.answer.outcome,
        },
        `Send the host name as SNI (Node: tls.connect({ servername: '${name}' }); curl: use the name in the URL, with --connect-to or --resolve to pick the address, not https://IP/).`,
      ),
    );
  } else if (ok('baseline') && ok('sni.none')) {
    out.push(
      finding(
        'sni_optional',
        'info',
        `The server answers hellos with or without SNI (without it: ${describeAnswer(without.answer)}).`,
        [withName, without],
        { withSni: withName.answer.outcome, withoutSni: without.answer.outcome },
      ),
    );
  }
  // When SNI is required, an unknown name or an IP literal that gets the same answer as no
  // name at all says nothing new (it is in sni_required's evidence).
  const sameAsNone = (run: ProbeRun) =>
    !ok('sni.none') &&
    run.answer.outcome === without.answer.outcome &&
    run.answer.alert?.description === without.answer.alert?.description;
  if (ok('baseline') && unknown && !accepted(unknown.answer) && !sameAsNone(unknown)) {
    out.push(
      finding(
        'sni_unknown_name',
        'info',
        `A hello naming a host the server does not serve gets ${describeAnswer(unknown.answer)}.`,
        [unknown],
        unknown.answer.alert ? { alert: pickAlert(unknown.answer.alert) } : {},
        'Send the exact host name the server serves.',
      ),
    );
  }
  if (ok('baseline') && ip && !accepted(ip.answer) && !sameAsNone(ip)) {
    out.push(
      finding(
        'sni_ip_literal',
        'warning',
        `A client that sends an IP address as SNI (RFC 6066 forbids it, some proxies do it) gets ${describeAnswer(ip.answer)}.`,
        [ip],
        ip.answer.alert ? { alert: pickAlert(ip.answer.alert) } : {},
        'Send the host name as SNI, never an IP address; leave SNI out only if the server allows it.',
      ),
    );
  }
  return out;
}

function versionAccepted(run: ProbeRun | undefined, version: number): boolean {
  if (!run || !accepted(run.answer)) return false;
  const sh = run.answer.serverHello;
  return run.answer.outcome === 'hello_retry_request' || sh === undefined || sh.version === version;
}

function versionsFinding(get: Get): Finding | null {
  const rows: [string, number][] = [
    ['version.tls1.3', 0x0304],
    ['version.tls1.2', 0x0303],
    ['version.tls1.1', 0x0302],
    ['version.tls1.0', 0x0301],
  ];
  const runs = rows.map(([id]) => get(id));
  if (runs.every((r) => r === undefined)) return null;
  const acceptedVersions: string[] = [];
  const rejected: string[] = [];
  rows.forEach(([id, v]) => {
    const run = get(id);
    if (!run) return;
    (versionAccepted(run, v) ? acceptedVersions : rejected).push(versionLabel(v));
  });
  const legacy = acceptedVersions.filter((v) => v === 'TLS 1.0' || v === 'TLS 1.1');
  const no13 = rejected.includes('TLS 1.3');
  let severity: Severity = 'info';
  let explanation: string;
  let fix: string | undefined;
  if (acceptedVersions.length === 0) {
    severity = 'error';
    explanation = `The server accepted none of ${orList(rejected)} when offered alone.`;
  } else {
    explanation = `The server speaks ${list(acceptedVersions)}${rejected.length ? `, not ${orList(rejected)}` : ''}.`;
    if (legacy.length > 0) {
      severity = 'warning';
      explanation = `${explanation.slice(0, -1)}; ${list(legacy)} ${legacy.length > 1 ? 'are' : 'is'} deprecated (RFC 8996).`;
    } else if (no13) {
      severity = 'warning';
      fix = 'Clients must offer TLS 1.2 to connect.';
    }
  }
  return finding('versions', severity, explanation, runs, { accepted: acceptedVersions, rejected }, fix);
}

function tls12AuthFinding(get: Get, ok: Ok): Finding | null {
  const ecdsa = get('tls12.ecdsa_auth');
  const rsa = get('tls12.rsa_auth');
  if (!ecdsa || !rsa) return null;
  if (!ok('tls12.ecdsa_auth') && !ok('tls12.rsa_auth')) return null;
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
      alerts[name] = run.answer.alert ? pickAlert(run.answer.alert) : null;
    }
  }
  const alert = rejected.length > 0 ? alerts[rejected[0]] : null;
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
    { accepted: acceptedAuth, rejected, alert, alerts },
    `Offer ${only} suites (e.g. ${suggestion}) or TLS 1.3; a client limited to ${lacking} suites cannot connect.`,
  );
}

function tls12CiphersFinding(get: Get, ok: Ok): Finding | null {
  const rows: [string, string][] = [
    ['tls12.ecdsa_auth', 'ECDHE-ECDSA'],
    ['tls12.ecdhe_rsa', 'ECDHE-RSA'],
    ['tls12.rsa_kx', 'RSA key exchange'],
    ['tls12.dhe', 'DHE'],
    ['tls12.aead', 'AEAD'],
    ['tls12.cbc', 'CBC'],
  ];
  const runs = rows.map(([id]) => get(id));
  if (runs.some((r) => r === undefined)) return null;
  if (!ok('version.tls1.2') && !rows.some(([id]) => ok(id))) return null;
  const acceptedFamilies = rows.filter(([id]) => ok(id)).map(([, n]) => n);
  const rejected = rows.filter(([id]) => !ok(id)).map(([, n]) => n);
  const weak = acceptedFamilies.includes('RSA key exchange');
  const cbc = acceptedFamilies.includes('CBC');
  const notes: string[] = [];
  if (weak) notes.push('plain RSA key exchange has no forward secrecy');
  if (cbc) notes.push('CBC suites are legacy');
  return finding(
    'tls12_ciphers',
    weak ? 'warning' : 'info',
    `In TLS 1.2 the server accepts ${list(acceptedFamilies)} suites${rejected.length ? `, not ${orList(rejected)}` : ''}${notes.length ? ` (${notes.join('; ')})` : ''}.`,
    runs,
    { accepted: acceptedFamilies, rejected },
  );
}

const GROUP_PROBES: readonly [string, string][] = [
  ['group.x25519', 'x25519'],
  ['group.secp256r1', 'secp256r1'],
  ['group.secp384r1', 'secp384r1'],
];

function groupsFinding(get: Get, ok: Ok): Finding | null {
  const runs = GROUP_PROBES.map(([id]) => get(id));
  if (runs.some((r) => r === undefined)) return null;
  if (!GROUP_PROBES.some(([id]) => ok(id)) && !ok('version.tls1.3')) return null;
  const acceptedGroups = GROUP_PROBES.filter(([id]) => ok(id)).map(([, n]) => n);
  const rejected = GROUP_PROBES.filter(([id]) => !ok(id)).map(([, n]) => n);
  const explanation =
    acceptedGroups.length === 0
      ? 'In TLS 1.3 the server accepted none of x25519, secp256r1 or secp384r1 offered alone.'
      : `In TLS 1.3 the server accepts ${list(acceptedGroups)}${rejected.length ? `, not ${orList(rejected)}` : ''}.`;
  return finding('tls13_groups', acceptedGroups.length === 0 ? 'warning' : 'info', explanation, runs, {
    accepted: acceptedGroups,
    rejected,
  });
}

function pqFinding(get: Get): Finding | null {
  const alone = get('group.X25519MLKEM768');
  const mixed = get('pq.hybrid');
  if (!alone && !mixed) return null;
  const supported = accepted(alone?.answer);
  const chosen = mixed?.answer.serverHello?.group ?? null;
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
  const fallback =
    mixed && accepted(mixed.answer) && chosenName
      ? `; a client offering it next to x25519 gets ${chosenName}`
      : '';
  return finding(
    'pq_hybrid',
    'info',
    `The server does not support the post-quantum hybrid X25519MLKEM768${fallback}.`,
    [alone, mixed],
    { supported: false, chosenGroup: chosenName },
  );
}

function alpnFinding(get: Get): Finding | null {
  const h2 = get('alpn.h2');
  const unknown = get('alpn.unknown');
  if (!h2) return null;
  const chosen = h2.answer.serverHello?.alpn ?? null;
  const parts: string[] = [];
  if (!accepted(h2.answer)) parts.push(`a hello offering h2 and http/1.1 gets ${describeAnswer(h2.answer)}`);
  else if (chosen) parts.push(`the server picks ${chosen} from h2 and http/1.1`);
  else if (
    h2.answer.outcome === 'server_hello' &&
    h2.answer.serverHello?.version === 0x0304 &&
    chosen === null
  )
    parts.push('the server picks no protocol from h2 and http/1.1 (or keeps it in encrypted extensions)');
  else parts.push('the server picks no protocol from h2 and http/1.1');
  let severity: Severity = 'info';
  if (unknown) {
    if (accepted(unknown.answer)) parts.push('a client offering only a protocol it lacks still connects');
    else {
      parts.push(`a client offering only a protocol it lacks gets ${describeAnswer(unknown.answer)}`);
      if (!accepted(h2.answer)) severity = 'warning';
    }
  }
  const text = parts.join('; ');
  return finding('alpn', severity, `${text.charAt(0).toUpperCase()}${text.slice(1)}.`, [h2, unknown], {
    chosen,
    unknownProtocol: unknown ? (accepted(unknown.answer) ? 'ignored' : unknown.answer.outcome) : null,
    ...(unknown?.answer.alert ? { alert: pickAlert(unknown.answer.alert) } : {}),
  });
}

function toleranceFindings(get: Get): Finding[] {
  const out: Finding[] = [];
  const passed: string[] = [];
  const check = (
    ids: readonly string[],
    id: string,
    what: string,
    explain: (got: string) => string,
    fix: string,
  ): void => {
    const runs = ids.map(get).filter((r): r is ProbeRun => r !== undefined);
    if (runs.length === 0) return;
    const failed = runs.filter((r) => !accepted(r.answer));
    if (failed.length === 0) {
      passed.push(what);
      return;
    }
    const f = failed[0];
    out.push(
      finding(
        id,
        'error',
        explain(describeAnswer(f.answer)),
        [get('baseline'), ...runs],
        f.answer.alert ? { alert: pickAlert(f.answer.alert) } : {},
        fix,
      ),
    );
  };
  check(
    ['grease'],
    'grease_intolerance',
    'GREASE',
    (got) =>
      `The server (or a middlebox in front of it) fails hellos with GREASE values (RFC 8701): ${got}, while the same hello without them works.`,
    'Turn GREASE off in the client for this server, and report the intolerance to its operator.',
  );
  check(
    ['padding.256_511'],
    'padding_intolerance',
    'a 300-byte hello',
    (got) =>
      `A hello of 256 to 511 bytes gets ${got} (a known F5 bug): clients must pad such hellos to 512 bytes.`,
    'Pad the ClientHello to at least 512 bytes with the padding extension (RFC 7685), as BoringSSL does.',
  );
  check(
    ['large.padded', 'pq.hybrid'],
    'large_hello_intolerance',
    'a 1.8 KB hello in two TCP segments',
    (got) => `A hello larger than one TCP segment (post-quantum key shares make them ~1.8 KB) gets ${got}.`,
    'Leave out post-quantum key shares for this server (offer the hybrid in supported_groups only), or keep the hello under ~1400 bytes.',
  );
  check(
    ['fragmented'],
    'fragmentation_intolerance',
    'a hello split over 3 records',
    (got) =>
      `A hello split over several TLS records gets ${got}: something in the path reads only the first record.`,
    'Send the ClientHello in one record.',
  );
  if (passed.length > 0 && out.length === 0) {
    out.push(
      finding(
        'tolerance',
        'info',
        `The server tolerates ${list(passed)}.`,
        ['grease', 'padding.256_511', 'large.padded', 'pq.hybrid', 'fragmented'].map(get),
        { passed },
      ),
    );
  }
  return out;
}
