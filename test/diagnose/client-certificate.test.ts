/**
 * The client_certificate rule with fake servers: the extra probe is sent only to a server that
 * asks for a certificate (in TLS 1.3, or TLS 1.2 when the server has no TLS 1.3), and its answer
 * decides the severity. Real servers
 * are in test/node/client-certificate.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { diagnose } from '../../src/diagnose/run.ts';
import type { AnswerClientCertificate, ProbeAnswer, ProbeSpec } from '../../src/diagnose/types.ts';

const CA = 'CN=client-ca.test';

/** A server speaking `versions` that asks for a certificate (when `verdict` is not null) and answers the client_certificate probe with it. */
function server(versions: number[], verdict: AnswerClientCertificate | null) {
  return (spec: ProbeSpec): ProbeAnswer => {
    const version = spec.versions.find((v) => versions.includes(v));
    if (version === undefined)
      return { outcome: 'alert', alert: { level: 2, description: 70, name: 'protocol_version' } };
    const answer: ProbeAnswer = {
      outcome: 'server_hello',
      serverHello: {
        version,
        cipherSuite: 0x1301,
        cipherSuiteName: '',
        group: 0x1d,
        groupName: 'x25519',
        alpn: null,
      },
    };
    if (!verdict) return answer;
    // Every other probe stops at the server Finished: the request is seen, not answered.
    const asked = { status: 'requested', certificateAuthorities: verdict.certificateAuthorities } as const;
    if (!spec.answerCertificateRequest) return { ...answer, clientCertificate: asked };
    return {
      ...answer,
      clientCertificate: verdict,
      ...(verdict.alert ? { alert: verdict.alert } : {}),
    };
  };
}

async function run(answer: (spec: ProbeSpec) => ProbeAnswer) {
  const sent: ProbeSpec[] = [];
  const d = await diagnose(
    async (spec) => {
      sent.push(spec);
      return answer(spec);
    },
    { target: 'x.test:443', serverName: 'x.test' },
  );
  return { d, sent, finding: d.findings.find((f) => f.id === 'client_certificate') };
}

const TLS = [0x0304, 0x0303];
const alert116 = { level: 2, description: 116, name: 'certificate_required' };

describe('client_certificate', () => {
  test('required: an error with the alert and the CA, from one TLS 1.3 probe that answers the request', async () => {
    const { finding, sent } = await run(
      server(TLS, { status: 'required', answer: 'alert', alert: alert116, certificateAuthorities: [CA] }),
    );
    const probes = sent.filter((s) => s.answerCertificateRequest);
    expect(probes.map((s) => s.id)).toEqual(['client_certificate']);
    expect(probes[0].versions).toEqual([0x0304]);
    expect(finding).toMatchObject({
      severity: 'error',
      status: 'required',
      answer: 'alert',
      alert: alert116,
      certificateAuthorities: [CA],
    });
    expect(finding?.evidence.map((e) => e.probe)).toEqual(['baseline', 'client_certificate']);
    expect(finding?.explanation).toContain('alert 116 certificate_required');
    expect(finding?.explanation).toContain(CA);
  });

  test('optional: info, no fix', async () => {
    const { finding } = await run(
      server(TLS, { status: 'optional', answer: 'new_session_ticket', certificateAuthorities: [] }),
    );
    expect(finding).toMatchObject({ severity: 'info', status: 'optional', answer: 'new_session_ticket' });
    expect(finding?.fix).toBeUndefined();
    expect(finding?.explanation).toContain('names no CA');
  });

  test('a TLS 1.2-only server: one TLS 1.2 probe answers the request, and its answer decides', async () => {
    const alert40 = { level: 2, description: 40, name: 'handshake_failure' };
    const { finding, sent } = await run(
      server([0x0303], { status: 'required', answer: 'alert', alert: alert40, certificateAuthorities: [CA] }),
    );
    const probes = sent.filter((s) => s.answerCertificateRequest);
    expect(probes.map((s) => s.id)).toEqual(['client_certificate_tls12']);
    expect(probes[0].versions).toEqual([0x0303]);
    expect(finding).toMatchObject({ severity: 'error', status: 'required', alert: alert40 });
    expect(finding?.explanation).not.toContain('after its Finished');
  });

  test('a TLS 1.2 probe that could not tell: a warning that says why', async () => {
    const { finding } = await run(server([0x0303], { status: 'requested', certificateAuthorities: [CA] }));
    expect(finding).toMatchObject({ severity: 'warning', status: 'requested' });
    expect(finding?.explanation).toMatch(/the TLS 1\.2 probe could not tell/);
  });

  test('a probe that could not tell: a warning that says why', async () => {
    const { finding } = await run(server(TLS, { status: 'requested', certificateAuthorities: [CA] }));
    expect(finding).toMatchObject({ severity: 'warning', status: 'requested' });
    expect(finding?.explanation).toMatch(/the TLS 1\.3 probe could not tell/);
  });

  test('a server that asks for no certificate: no finding and no extra probe', async () => {
    const { finding, sent } = await run(server(TLS, null));
    expect(finding).toBeUndefined();
    expect(sent.map((s) => s.id)).not.toContain('client_certificate');
  });
});
