/**
 * diagnose starts from a hello the server accepts, names the cause of a refused baseline,
 * reads the whole answer (an alert after the ServerHello is a refusal) and never reads an
 * answer with server violations as support. Fake ProbeFns stand in for servers here; the
 * same behaviours are checked on real servers in test/node/diagnose-*.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { accepted, acceptedAsOffered } from '../../src/diagnose/answer.ts';
import { VARIATIONS } from '../../src/diagnose/plan.ts';
import { RULES } from '../../src/diagnose/rules.ts';
import { diagnose } from '../../src/diagnose/run.ts';
import type { ProbeAnswer, ProbeSpec } from '../../src/diagnose/types.ts';
import type { ServerViolation } from '../../src/probe/violations.ts';

const sh = (version: number, cipherSuite: number, alpn: string | null = null): ProbeAnswer => ({
  outcome: 'server_hello',
  serverHello: { version, cipherSuite, cipherSuiteName: '', group: 0x1d, groupName: 'x25519', alpn },
});
const alert = (description: number, name: string): ProbeAnswer => ({
  outcome: 'alert',
  alert: { level: 2, description, name },
});
const CBC = [0xc009, 0xc00a, 0xc023, 0xc024, 0xc013, 0xc014, 0xc027, 0xc028];

async function run(answer: (spec: ProbeSpec) => ProbeAnswer, serverName: string | null = 'x.test') {
  const sent: ProbeSpec[] = [];
  const d = await diagnose(
    async (spec) => {
      sent.push(spec);
      return answer(spec);
    },
    { target: 'x.test:443', serverName },
  );
  return { d, sent, ids: d.findings.map((f) => f.id) };
}

/** A GnuTLS-like server with CBC suites only and TLS 1.3 on: any hello offering TLS 1.3 gets alert 40. */
function tls13Intolerant(spec: ProbeSpec): ProbeAnswer {
  if (spec.versions.includes(0x0304)) return alert(40, 'handshake_failure');
  if (!spec.versions.includes(0x0303)) return alert(70, 'protocol_version');
  const suite = spec.cipherSuites.find((s) => CBC.includes(s));
  if (suite === undefined) return alert(40, 'handshake_failure');
  return sh(0x0303, suite, spec.alpn?.includes('http/1.1') ? 'http/1.1' : null);
}

describe('the working hello', () => {
  test('a server that refuses every hello gets one finding listing what was tried, and nothing else is sent', async () => {
    const { d, sent, ids } = await run(() => alert(40, 'handshake_failure'));
    expect(ids).toEqual(['handshake_refused']);
    const all = ['baseline', 'fallback.tls12', 'fallback.legacy', 'fallback.tls13', 'fallback.tls12_rare'];
    expect(sent.map((s) => s.id)).toEqual(all);
    expect(d.findings[0].tried).toEqual(all);
    expect(d.findings[0].explanation).toMatch(/none of the 5 hellos tried/);
    expect(d.findings[0].explanation).not.toMatch(/ALPN/);
    expect(d.probes).toHaveLength(5);
    expect(d.working).toBeNull();
  });

  test('every variation is a change of the working hello: a TLS 1.2-only working hello stays TLS 1.2 in ALPN and GREASE probes', async () => {
    const { d, sent } = await run(tls13Intolerant);
    expect(d.working).toBe('fallback.tls12');
    for (const id of ['alpn.h2', 'alpn.unknown', 'grease', 'fragmented', 'sni.none'] as const) {
      expect(sent.find((s) => s.id === id)?.versions).toEqual([0x0303]);
    }
    // no TLS 1.3 groups are probed on a server that speaks no TLS 1.3, and "TLS 1.2 only" would
    // repeat the working hello itself
    expect(sent.map((s) => s.id)).not.toContain('group.x25519');
    expect(sent.map((s) => s.id)).not.toContain('version.tls1.2');
    expect(d.findings.find((f) => f.id === 'versions')?.evidence[0].probe).toBe('fallback.tls12');
  });
});

/**
 * An OpenSSL-like server with only TLS 1.0: a hello with supported_versions (hellokit sends it
 * when TLS 1.3 is offered) that does not list TLS 1.0 gets protocol_version; a hello without it
 * is answered in TLS 1.0, whatever its legacy_version.
 */
function tls10Only(spec: ProbeSpec): ProbeAnswer {
  if (spec.versions.includes(0x0304) && !spec.versions.includes(0x0301)) return alert(70, 'protocol_version');
  return sh(0x0301, 0xc013);
}

describe('an answer in a version the hello did not offer', () => {
  test('a TLS 1.2-only hello answered in TLS 1.0 is not the working hello; the cause is the versions offered, not TLS 1.3', async () => {
    const { d, ids } = await run(tls10Only);
    expect(d.working).toBe('fallback.legacy');
    expect(ids).not.toContain('intolerance');
    const cause = d.findings.find((f) => f.id === 'baseline_refused');
    expect(cause).toMatchObject({ severity: 'error', feature: 'versions', alert: { description: 70 } });
    expect(cause?.fix).toMatch(/older versions/);
    const versions = d.findings.find((f) => f.id === 'versions');
    expect(versions).toMatchObject({ accepted: ['TLS 1.0'], rejected: ['TLS 1.3', 'TLS 1.2', 'TLS 1.1'] });
  });

  test('acceptedAsOffered: a ServerHello in a version the hello listed, or an HRR', () => {
    const spec: ProbeSpec = {
      id: 'x',
      label: 'x',
      serverName: null,
      versions: [0x0303],
      cipherSuites: [],
      groups: [],
    };
    expect(acceptedAsOffered(spec, sh(0x0303, 0xc02f))).toBe(true);
    expect(acceptedAsOffered(spec, sh(0x0301, 0xc013))).toBe(false);
    expect(accepted(sh(0x0301, 0xc013))).toBe(true);
    expect(acceptedAsOffered({ ...spec, versions: [0x0304] }, { outcome: 'hello_retry_request' })).toBe(true);
    expect(acceptedAsOffered(spec, alert(40, 'handshake_failure'))).toBe(false);
  });
});

/** An OpenSSL-like server with an RSASSA-PSS key: it signs only with rsa_pss_pss_* in TLS 1.3 and 1.2. */
function rsaPssKey(spec: ProbeSpec): ProbeAnswer {
  if (!spec.signatureAlgorithms?.some((s) => s >= 0x0809 && s <= 0x080b))
    return alert(40, 'handshake_failure');
  return spec.versions.includes(0x0304) ? sh(0x0304, 0x1301) : sh(0x0303, 0xc02f);
}

/** A P-521 key: TLS 1.3 needs ecdsa_secp521r1_sha512 offered, TLS 1.2 only secp521r1 among the groups. */
function p521Key(spec: ProbeSpec): ProbeAnswer {
  if (spec.versions.includes(0x0304))
    return spec.signatureAlgorithms?.includes(0x0603) ? sh(0x0304, 0x1301) : alert(40, 'handshake_failure');
  return spec.groups.includes(0x0019) ? sh(0x0303, 0xc02b) : alert(40, 'handshake_failure');
}

/** TLS 1.3 with AES-CCM suites only, and TLS 1.2: a TLS 1.3 hello without CCM gets alert 40. */
function ccmOnly(spec: ProbeSpec): ProbeAnswer {
  if (spec.versions.includes(0x0304))
    return spec.cipherSuites.includes(0x1304) ? sh(0x0304, 0x1304) : alert(40, 'handshake_failure');
  return sh(0x0303, 0xc02b);
}

describe('TLS 1.3 suites few clients offer', () => {
  test('TLS 1.3 with AES-CCM only is not intolerance: the cause is the TLS 1.3 suites, and TLS 1.3 is spoken', async () => {
    const { d, ids } = await run(ccmOnly);
    expect(ids).not.toContain('intolerance');
    const cause = d.findings.find((f) => f.id === 'baseline_refused');
    expect(cause).toMatchObject({ feature: 'tls13_suites', alert: { description: 40 } });
    expect(cause?.explanation).toMatch(/for offering only the TLS 1\.3 suites TLS_AES_128_GCM_SHA256/);
    expect(d.findings.find((f) => f.id === 'versions')?.accepted).toEqual(['TLS 1.3', 'TLS 1.2']);
    expect(ids).not.toContain('large_hello_intolerance');
  });

  test('a TLS 1.3-only server with AES-CCM only: the TLS 1.3 fallback reaches it', async () => {
    const { d } = await run((spec) =>
      spec.versions.includes(0x0304) ? ccmOnly(spec) : alert(70, 'protocol_version'),
    );
    expect(d.working).toBe('fallback.tls13');
    expect(d.findings.map((f) => f.id)).not.toContain('handshake_refused');
  });
});

describe('signature algorithms a certificate key needs', () => {
  test('an RSA-PSS key: the fallback offers rsa_pss_pss_*, and bisection names the signature algorithms', async () => {
    const { d } = await run(rsaPssKey);
    expect(d.working).toBe('fallback.tls12');
    const cause = d.findings.find((f) => f.id === 'baseline_refused');
    expect(cause).toMatchObject({ feature: 'signature_algorithms', alert: { description: 40 } });
    expect(cause?.explanation).toMatch(/offering only the signature algorithms ecdsa_secp256r1_sha256/);
    expect(cause?.fix).toMatch(/rsa_pss_pss_/);
    expect(d.findings.find((f) => f.id === 'versions')?.accepted).toEqual(['TLS 1.3', 'TLS 1.2']);
  });

  test('a P-521 key: no single difference breaks the working hello, and the two that repair the modern one are named', async () => {
    const { d, sent } = await run(p521Key);
    const cause = d.findings.find((f) => f.id === 'baseline_refused');
    expect(cause?.feature).toBeUndefined();
    expect(cause?.repairs).toEqual(['tls13', 'signature_algorithms']);
    expect(cause?.explanation).toMatch(
      /takes the working hello's TLS 1\.3 offer or signature algorithms alone/,
    );
    expect(sent.filter((s) => s.id.startsWith('cause.repair.')).length).toBe(
      (cause?.differing as string[] | undefined)?.length,
    );
  });
});

describe('the cause of a refused baseline', () => {
  test('a TLS 1.3-intolerant server: intolerance names offering TLS 1.3, and versions gives no wrong fix', async () => {
    const { d, ids, sent } = await run(tls13Intolerant);
    const f = d.findings.find((x) => x.id === 'intolerance');
    expect(f).toMatchObject({ severity: 'error', feature: 'tls13', alert: { description: 40 } });
    expect(f?.explanation).toMatch(/^Offering TLS 1\.3 is what the server refuses/);
    expect(f?.fix).toMatch(/TLS 1\.2 alone/);
    expect(f?.evidence.map((e) => e.probe)).toEqual(['baseline', 'fallback.tls12', 'cause.tls13']);
    const v = d.findings.find((x) => x.id === 'versions');
    expect(v?.accepted).toEqual(['TLS 1.2']);
    expect(v?.fix).toBeUndefined();
    expect(v?.explanation).toMatch(/refuses hellos that offer TLS 1\.3/);
    expect(ids).not.toContain('handshake_refused');
    // bisection over the differing features (TLS 1.3, the TLS 1.2 suites, the groups, the
    // signature algorithms): two probes, then a control with every TLS 1.3 suite (AES-CCM too),
    // also refused, which tells intolerance from missing TLS 1.3 suites
    expect(sent.filter((s) => s.id.startsWith('cause.')).map((s) => s.id)).toEqual([
      'cause.tls13+cipher_suites',
      'cause.tls13',
      'cause.tls13_suites',
    ]);
    expect(d.probes.length).toBeLessThan(30);
  });

  test('a server whose only fault is missing suites gets baseline_refused naming the suites, not intolerance', async () => {
    // TLS 1.2 only, tolerant of a hello that offers TLS 1.3, CBC suites only
    const { d, ids } = await run((spec) => tls13Intolerant({ ...spec, versions: [0x0303] }));
    expect(ids).not.toContain('intolerance');
    const f = d.findings.find((x) => x.id === 'baseline_refused');
    expect(f?.feature).toBe('cipher_suites');
    expect(f?.explanation).toMatch(/TLS 1\.2 cipher suites/);
  });

  test('a server whose fault is not one feature gets baseline_refused listing the differences', async () => {
    // accepts only a hello without TLS 1.3 that offers CBC suites, and refuses CBC when TLS 1.3 is offered
    const { d } = await run((spec) =>
      spec.versions.includes(0x0304) && spec.cipherSuites.some((s) => CBC.includes(s))
        ? sh(0x0303, 0xc013)
        : tls13Intolerant(spec),
    );
    const f = d.findings.find((x) => x.id === 'baseline_refused');
    expect(f).toBeDefined();
  });

  test('a hello grown into the 256–511-byte range by the feature is told apart from the feature: intolerance names the size', async () => {
    // An F5-like path: hellos of 256 to 511 bytes get no answer. A long name puts the modern hello in range.
    const name = `${'h'.repeat(37)}.f5.test`; // 45 bytes: the modern hello lands in range, the TLS 1.2 one not
    const length = (spec: ProbeSpec) =>
      Math.max(
        100 +
          4 * spec.cipherSuites.length +
          (spec.versions.includes(0x0304) ? 80 : 0) +
          (spec.serverName?.length ?? 0),
        spec.padToLength ?? 0,
      );
    const { d, sent } = await run((spec) => {
      const helloLength = length(spec);
      if (helloLength >= 256 && helloLength < 512) return { outcome: 'timeout', helloLength };
      return { ...(spec.versions.includes(0x0304) ? sh(0x0304, 0x1301) : sh(0x0303, 0xc02b)), helloLength };
    }, name);
    expect(d.working).toBe('fallback.tls12');
    const f = d.findings.find((x) => x.id === 'intolerance');
    expect(f?.feature).toBe('size');
    expect(f?.explanation).toMatch(
      /^Making the hello \d+ bytes long \(the 256–511-byte range\) is what the server refuses/,
    );
    expect(f?.fix).toMatch(/512 bytes or more/);
    expect(sent.filter((s) => s.id.startsWith('cause.')).map((s) => s.id)).toEqual([
      'cause.tls13+cipher_suites',
      'cause.tls13',
      'cause.tls13_suites',
      'cause.size',
    ]);
    expect(d.findings.map((x) => x.id)).toContain('padding_intolerance');
  });

  test('a time budget that ends during bisection claims no cause', async () => {
    let started = 0;
    const d = await diagnose(
      async (spec) => {
        started++;
        return tls13Intolerant(spec);
      },
      { target: 'x.test:443', serverName: 'x.test', shouldStop: () => started >= 2 },
    );
    expect(d.probes.map((p) => p.spec.id)).toEqual(['baseline', 'fallback.tls12']);
    expect(d.findings.map((f) => f.id)).not.toContain('intolerance');
    const f = d.findings.find((x) => x.id === 'baseline_refused');
    expect(f?.explanation).toMatch(/time budget ran out/);
    expect(d.skipped[0]).toMatch(/^cause\./);
  });

  test('the working baseline needs no bisection', async () => {
    const { sent } = await run((spec) =>
      spec.versions.includes(0x0304) ? sh(0x0304, 0x1301) : sh(0x0303, 0xc02b),
    );
    expect(sent.some((s) => s.id.startsWith('cause.'))).toBe(false);
  });
});

describe('reading the whole answer', () => {
  const caddyLike = (spec: ProbeSpec): ProbeAnswer => {
    if (spec.alpn?.[0] === 'hellokit-x') {
      return {
        ...sh(0x0304, 0x1301),
        alert: { level: 2, description: 120, name: 'no_application_protocol' },
      };
    }
    return spec.versions.includes(0x0304) ? sh(0x0304, 0x1301, spec.alpn ? 'h2' : null) : sh(0x0303, 0xc02b);
  };

  test('a ServerHello followed by a fatal alert is a refusal with that alert', async () => {
    expect(
      accepted(
        caddyLike({
          id: 'x',
          label: '',
          serverName: 'x',
          versions: [0x0304],
          cipherSuites: [],
          groups: [],
          alpn: ['hellokit-x'],
        }),
      ),
    ).toBe(false);
    const { d } = await run(caddyLike);
    const f = d.findings.find((x) => x.id === 'alpn');
    expect(f).toMatchObject({ chosen: 'h2', unknownProtocol: 'alert', alert: { description: 120 } });
    expect(f?.explanation).toMatch(/is refused: alert 120 no_application_protocol after the ServerHello/);
    expect(f?.explanation).not.toMatch(/still connects/);
  });

  test('a warning alert after the ServerHello (s_server unrecognized_name) is not a refusal', () => {
    expect(
      accepted({ ...sh(0x0303, 0xc02b), alert: { level: 1, description: 112, name: 'unrecognized_name' } }),
    ).toBe(true);
  });

  test('a server that ignores ALPN: the alpn finding says so, with no refusal', async () => {
    const { d } = await run((spec) =>
      spec.versions.includes(0x0304) ? sh(0x0304, 0x1301) : sh(0x0303, 0xc02b),
    );
    const f = d.findings.find((x) => x.id === 'alpn');
    expect(f).toMatchObject({ severity: 'info', chosen: null, unknownProtocol: 'ignored' });
    expect(f?.alert).toBeUndefined();
  });
});

describe('server violations', () => {
  const violation: ServerViolation = {
    rule: 'hrr_not_tls13',
    message: 'a HelloRetryRequest answers a hello that offers no TLS 1.3',
    rfc: 'RFC 8446 §4.1.4',
  };
  const hrrToLegacy = (spec: ProbeSpec): ProbeAnswer => {
    if (!spec.versions.includes(0x0304) && !spec.versions.includes(0x0303)) {
      return {
        outcome: 'hello_retry_request',
        helloRetryRequest: { selectedGroup: 0x17, selectedGroupName: 'secp256r1' },
        violations: [violation],
      };
    }
    return spec.versions.includes(0x0304) ? sh(0x0304, 0x1301) : sh(0x0303, 0xc02b);
  };

  test('an HRR answering a TLS 1.0-only hello is a server_violation, not TLS 1.0 support', async () => {
    const { d, ids } = await run(hrrToLegacy);
    const v = d.findings.find((x) => x.id === 'versions');
    expect(v?.accepted).toEqual(['TLS 1.3', 'TLS 1.2']);
    expect(v?.rejected).toEqual(['TLS 1.1', 'TLS 1.0']);
    const found = d.findings.filter((x) => x.id === 'server_violation');
    expect(found).toHaveLength(1); // one per rule, although TLS 1.1 and TLS 1.0 both got it
    expect(found[0]).toMatchObject({ severity: 'error', rule: 'hrr_not_tls13', rfc: 'RFC 8446 §4.1.4' });
    expect(found[0].evidence.map((e) => e.probe).sort()).toEqual(['version.tls1.0', 'version.tls1.1']);
    expect(ids[0]).toBe('server_violation');
  });

  test('an HRR with violations answering a TLS 1.2-only hello is not TLS 1.2 support', async () => {
    const { d } = await run((spec) =>
      spec.versions.includes(0x0304)
        ? sh(0x0304, 0x1301)
        : { outcome: 'hello_retry_request', violations: [{ ...violation, rule: 'hrr_not_tls13' }] },
    );
    expect(d.findings.find((x) => x.id === 'versions')?.accepted).toEqual(['TLS 1.3']);
    expect(d.findings.find((x) => x.id === 'tls12_auth')).toBeUndefined();
  });
});

test('a server whose every answer breaks an RFC rule: handshake_refused says so, with one server_violation', async () => {
  const { d, ids } = await run((spec) => ({
    ...(spec.versions.includes(0x0304) ? sh(0x0304, 0x1301) : sh(0x0303, 0xc02b)),
    violations: [
      { rule: 'session_id_not_echoed', message: 'the session id is not echoed', rfc: 'RFC 8446 §4.1.3' },
    ],
  }));
  expect(ids).toEqual(['handshake_refused', 'server_violation']);
  expect(d.findings[0].explanation).toMatch(/without breaking an RFC \(see server_violation\)/);
  expect(d.findings[1].evidence).toHaveLength(5);
});

describe('the rule table', () => {
  test('every probe a rule reads is a variation of the plan', () => {
    for (const rule of RULES) for (const id of rule.reads) expect(Object.keys(VARIATIONS)).toContain(id);
  });

  test('docs/diagnose.md lists every finding a rule can make', () => {
    const docs = readFileSync(join(process.cwd(), 'docs', 'diagnose.md'), 'utf8');
    const ids = [
      ...RULES.flatMap((r) => r.findings),
      'handshake_refused',
      'server_violation',
      'unreachable',
      'not_tls',
    ];
    for (const id of ids) expect(docs).toContain(`\`${id}\``);
  });

  test('the accepted hellos hold one hello per version the server speaks', async () => {
    const { d } = await run((spec) =>
      spec.versions.includes(0x0304) ? sh(0x0304, 0x1301) : sh(0x0303, 0xc02b),
    );
    expect(d.accepted.map((s) => s.id)).toEqual(['baseline', 'version.tls1.2']);
  });
});

describe('certificate discovery', () => {
  test('gets the accepted hellos and the probe; every chain it returns is checked', async () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    const leaf = (subject: string, notAfter: string) => ({
      subject,
      subjectAltNames: ['DNS:x.test'],
      issuer: subject,
      notBefore: '2026-01-01T00:00:00Z',
      notAfter,
      selfSigned: false,
    });
    let given: readonly ProbeSpec[] = [];
    const d = await diagnose(
      async (spec) => (spec.versions.includes(0x0304) ? sh(0x0304, 0x1301) : sh(0x0303, 0xc02b)),
      {
        target: 'x.test:443',
        serverName: 'x.test',
        checkedAt: now,
        discoverCertificates: async (probe, options) => {
          given = options.accepted;
          const answer = await probe({ ...options.accepted[1], id: 'cert.rsa', label: 'RSA suites' });
          expect(answer.outcome).toBe('server_hello');
          const hello = (probe: string) => ({
            probe,
            label: '',
            serverName: 'x.test',
            version: 0x0303,
            cipherSuite: 0xc02f,
          });
          return [
            {
              certificates: [leaf('CN=ecdsa', '2027-01-01T00:00:00Z'), leaf('CN=ca', '2030-01-01T00:00:00Z')],
              hellos: [hello('baseline')],
            },
            {
              certificates: [leaf('CN=rsa', '2026-05-01T00:00:00Z'), leaf('CN=ca', '2030-01-01T00:00:00Z')],
              hellos: [hello('cert.rsa')],
            },
          ];
        },
      },
    );
    expect(given.map((s) => s.id)).toEqual(['baseline', 'version.tls1.2']);
    expect(d.probes.map((p) => p.spec.id)).toContain('cert.rsa');
    const expired = d.findings.find((f) => f.id === 'cert_expired');
    expect(expired?.evidence.map((e) => e.probe)).toEqual(['cert.rsa']);
    expect(d.findings.map((f) => f.id)).toContain('certificate');
  });
});
