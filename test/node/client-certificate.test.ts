/**
 * Client certificates (mutual TLS) on real servers: what the CertificateRequest asks for, and
 * whether a client without a certificate gets in. What each server does was settled first with
 * `openssl s_client -tls1_3` / `-tls1_2` without a certificate (OpenSSL 3.0.19, nginx 1.22.1,
 * Caddy 2.6.2, GnuTLS 3.7.9, HAProxy 2.6.12, Node 20 / OpenSSL 3):
 *
 * | peer, clientCertificate | TLS 1.3, after the empty Certificate | TLS 1.2, after the empty Certificate and the client Finished |
 * |---|---|---|
 * | openssl required (-Verify 1) | fatal alert 116 certificate_required | fatal alert 40 handshake_failure |
 * | openssl optional (-verify 1) | two NewSessionTickets, HTTP 200 | NewSessionTicket, HTTP 200 |
 * | nginx required (ssl_verify_client on) | two NewSessionTickets, then HTTP 400 "No required SSL certificate was sent" | NewSessionTicket, HTTP 400 |
 * | nginx optional | two NewSessionTickets, HTTP 200 | NewSessionTicket, HTTP 200 |
 * | caddy required (require_and_verify) | fatal alert 42 bad_certificate | fatal alert 42 bad_certificate |
 * | caddy optional (verify_if_given) | NewSessionTicket, HTTP 200 | NewSessionTicket, HTTP 200 |
 * | gnutls required (--require-client-cert) | fatal alert 116 certificate_required | fatal alert 50 decode_error |
 * | gnutls optional (--verify-client-cert) | two NewSessionTickets, HTTP 200 | NewSessionTicket, HTTP 200 |
 * | haproxy required (verify required) | fatal alert 116 certificate_required | fatal alert 40 handshake_failure |
 * | haproxy optional (verify optional) | two NewSessionTickets, HTTP 200 | NewSessionTicket, HTTP 200 |
 * | node required (rejectUnauthorized) | fatal alert 116 certificate_required | fatal alert 40 handshake_failure |
 * | node optional | application data (its HTTP answer) and NewSessionTickets | NewSessionTicket, HTTP 200 |
 *
 * Every one names the CA in its CertificateRequest (s_client: "Acceptable client certificate
 * CA names: CN = client-ca.hellokit.test"). nginx's `on` is enforced by HTTP, not TLS: at the
 * TLS level a client without a certificate gets in, and that is what hellokit reports.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, test } from 'vitest';
import type { Diagnosis } from '../../src/diagnose/types.ts';
import { diagnoseTarget } from '../../src/node/diagnose.ts';
import { probe } from '../../src/node/probe.ts';
import type { ProbeOptions } from '../../src/probe/types.ts';
import { cli } from '../cli/run.ts';
import {
  describePeer,
  type PeerKind,
  type PeerOptions,
  startPeer,
  stopAll,
  withPeer,
} from '../peers/index.ts';

afterAll(stopAll);

const CA = 'CN=client-ca.hellokit.test';

async function probePeer(kind: PeerKind, peerOptions: PeerOptions, options: ProbeOptions) {
  return withPeer(kind, peerOptions, (peer) =>
    probe(`${peer.host}:${peer.port}`, { serverName: 'hellokit.test', ...options }),
  );
}

async function diagnosePeer(kind: PeerKind, options: PeerOptions): Promise<Diagnosis> {
  return withPeer(kind, options, (peer) =>
    diagnoseTarget(`${peer.host}:${peer.port}`, {
      serverName: 'hellokit.test',
      timeoutMs: 30_000,
      discoverCertificates: false,
    }),
  );
}

const TLS13 = { hello: { tls: '1.3' as const }, answerCertificateRequest: true };

/** What the probe must report in TLS 1.3 after answering with an empty Certificate (the table above). */
const TLS13_VERDICTS: readonly {
  kind: PeerKind;
  mode: 'required' | 'optional';
  status: 'required' | 'optional';
  answer: string;
  alert?: number;
}[] = [
  { kind: 'openssl', mode: 'required', status: 'required', answer: 'alert', alert: 116 },
  { kind: 'openssl', mode: 'optional', status: 'optional', answer: 'new_session_ticket' },
  // ssl_verify_client on: the handshake completes; nginx refuses later, in HTTP (400).
  { kind: 'nginx', mode: 'required', status: 'optional', answer: 'new_session_ticket' },
  { kind: 'nginx', mode: 'optional', status: 'optional', answer: 'new_session_ticket' },
  { kind: 'caddy', mode: 'required', status: 'required', answer: 'alert', alert: 42 },
  { kind: 'caddy', mode: 'optional', status: 'optional', answer: 'new_session_ticket' },
  { kind: 'gnutls', mode: 'required', status: 'required', answer: 'alert', alert: 116 },
  { kind: 'gnutls', mode: 'optional', status: 'optional', answer: 'new_session_ticket' },
  { kind: 'haproxy', mode: 'required', status: 'required', answer: 'alert', alert: 116 },
  { kind: 'haproxy', mode: 'optional', status: 'optional', answer: 'new_session_ticket' },
  { kind: 'node', mode: 'required', status: 'required', answer: 'alert', alert: 116 },
];

for (const v of TLS13_VERDICTS) {
  describePeer(v.kind, () => {
    test(`TLS 1.3, ${v.kind} with a ${v.mode} client certificate: the empty Certificate shows ${v.status} (${v.answer}${v.alert ? ` ${v.alert}` : ''})`, async () => {
      const r = await probePeer(v.kind, { clientCertificate: v.mode }, TLS13);
      expect(r.serverHello?.version).toBe(0x0304);
      expect(r.finishedVerified).toBe(true);
      expect(r.certificateRequested).toBe(true);
      const c = r.clientCertificate;
      expect(c).toMatchObject({ status: v.status, answer: v.answer });
      expect(c?.certificateAuthorities).toEqual([CA]);
      expect(c?.signatureAlgorithms.length).toBeGreaterThan(0);
      expect(c?.signatureAlgorithmNames).toContain('ecdsa_secp256r1_sha256');
      if (v.alert !== undefined) {
        expect(c?.alert).toMatchObject({ description: v.alert, encrypted: true });
        expect(r.stopReason).toBe('alert');
        expect(r.conclusion).toMatch(/requires a client certificate/);
      } else {
        expect(c?.alert).toBeUndefined();
        expect(r.stopReason).toBe('complete');
        expect(r.serverMessages).toContain('new_session_ticket');
      }
      // The client's flight went out: the hello, then the encrypted Certificate and Finished (and a CCS).
      const sent = r.transcript.filter((t) => t.direction === 'sent').map((t) => t.contentTypeName);
      expect(sent.slice(-1)).toEqual(['application_data']);
    });
  });
}

describePeer('node', () => {
  test('TLS 1.3, node with an optional client certificate: the server goes on (its application data or a ticket)', async () => {
    const r = await probePeer('node', { clientCertificate: 'optional' }, TLS13);
    expect(r.clientCertificate?.status).toBe('optional');
    expect(['application_data', 'new_session_ticket']).toContain(r.clientCertificate?.answer);
  });
});

describe('without answerCertificateRequest', () => {
  describePeer('openssl', () => {
    test('TLS 1.3: the request is reported as requested, nothing is sent after the hello, the probe stops at the Finished', async () => {
      const r = await probePeer('openssl', { clientCertificate: 'required' }, { hello: { tls: '1.3' } });
      expect(r.clientCertificate).toMatchObject({ status: 'requested', certificateAuthorities: [CA] });
      expect(r.clientCertificate?.answer).toBeUndefined();
      expect(r.stopReason).toBe('complete');
      expect(r.alert).toBeUndefined();
      expect(r.transcript.filter((t) => t.direction === 'sent')).toHaveLength(1);
    });
  });
});

const TLS12: ProbeOptions = { hello: { tls: '1.2' }, answerCertificateRequest: true };

/**
 * What the probe must report in TLS 1.2 after its empty Certificate, ECDHE key exchange and
 * Finished (the table above: refusals come as plaintext alerts when the empty Certificate
 * arrives; a server that lets the client in sends a NewSessionTicket, then its ChangeCipherSpec).
 */
const TLS12_VERDICTS: readonly {
  kind: PeerKind;
  mode: 'required' | 'optional';
  status: 'required' | 'optional';
  alert?: number;
}[] = [
  { kind: 'openssl', mode: 'required', status: 'required', alert: 40 },
  { kind: 'openssl', mode: 'optional', status: 'optional' },
  // ssl_verify_client on: the handshake completes; nginx refuses later, in HTTP (400).
  { kind: 'nginx', mode: 'required', status: 'optional' },
  { kind: 'nginx', mode: 'optional', status: 'optional' },
  { kind: 'caddy', mode: 'required', status: 'required', alert: 42 },
  { kind: 'caddy', mode: 'optional', status: 'optional' },
  { kind: 'gnutls', mode: 'required', status: 'required', alert: 50 },
  { kind: 'gnutls', mode: 'optional', status: 'optional' },
  { kind: 'haproxy', mode: 'required', status: 'required', alert: 40 },
  { kind: 'haproxy', mode: 'optional', status: 'optional' },
  { kind: 'node', mode: 'required', status: 'required', alert: 40 },
  { kind: 'node', mode: 'optional', status: 'optional' },
];

for (const v of TLS12_VERDICTS) {
  describePeer(v.kind, () => {
    test(`TLS 1.2, ${v.kind} with a ${v.mode} client certificate: the empty Certificate and Finished show ${v.status}${v.alert ? ` (alert ${v.alert})` : ''}`, async () => {
      const r = await probePeer(v.kind, { clientCertificate: v.mode }, TLS12);
      expect(r.serverHello?.version).toBe(0x0303);
      expect(r.serverMessages).toContain('certificate_request');
      const c = r.clientCertificate;
      expect(c).toMatchObject({ status: v.status, certificateAuthorities: [CA] });
      expect(c?.certificateTypes).toContain(64); // ecdsa_sign
      // The client's flight: its Certificate and ClientKeyExchange, ChangeCipherSpec, the sealed Finished.
      const sent = r.transcript.filter((t) => t.direction === 'sent').map((t) => t.contentTypeName);
      expect(sent).toEqual(['handshake', 'handshake', 'change_cipher_spec', 'handshake']);
      if (v.alert !== undefined) {
        // A server that closes on the flight it did not read resets the connection, which can
        // drop its alert before it is read (HAProxy, most times): the status is the same.
        expect(['alert', 'reset']).toContain(c?.answer);
        if (c?.answer === 'alert') {
          expect(c.alert).toMatchObject({ description: v.alert, encrypted: false });
          expect(r.stopReason).toBe('alert');
        }
      } else {
        // A server that took the Finished: its ticket, or its ChangeCipherSpec when it sends none.
        expect(['new_session_ticket', 'change_cipher_spec']).toContain(c?.answer);
        expect(c?.alert).toBeUndefined();
        expect(r.stopReason).toBe('complete');
      }
    });
  });
}

describePeer('openssl', () => {
  test('TLS 1.2 without session tickets: the server ChangeCipherSpec after the Finished shows optional', async () => {
    const r = await probePeer('openssl', { clientCertificate: 'optional', noSessionTickets: true }, TLS12);
    expect(r.clientCertificate).toMatchObject({ status: 'optional', answer: 'change_cipher_spec' });
    expect(r.serverMessages).not.toContain('new_session_ticket');
  });

  /**
   * The other record protections and key exchanges, each against s_server limited to one suite:
   * the optional server takes the Finished only when the keys, MAC and padding are right (a wrong
   * Finished gets decrypt_error or bad_record_mac, which leaves `requested`). The openssl-tls12
   * preset offers encrypt_then_mac, which OpenSSL takes for CBC suites; the default hello does not.
   */
  const SUITES: readonly { suite: string; cert: 'ecdsa' | 'rsa'; preset?: 'openssl-tls12'; etm: boolean }[] =
    [
      { suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', cert: 'ecdsa', etm: false },
      { suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', cert: 'ecdsa', preset: 'openssl-tls12', etm: true },
      { suite: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', cert: 'ecdsa', preset: 'openssl-tls12', etm: true },
      { suite: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', cert: 'rsa', etm: false },
      { suite: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', cert: 'rsa', etm: false },
      { suite: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256', cert: 'rsa', etm: false },
    ];
  for (const { suite, cert, preset, etm } of SUITES) {
    test(`TLS 1.2 over ${suite}${etm ? ' (encrypt-then-MAC)' : ''}: optional, the server took the Finished`, async () => {
      const r = await probePeer(
        'openssl',
        {
          clientCertificate: 'optional',
          noSessionTickets: true,
          versions: ['TLS1.2'],
          ciphers: [suite],
          cert,
        },
        { ...TLS12, hello: { tls: '1.2', ...(preset ? { preset } : {}), cipherSuites: [suite] } },
      );
      expect(r.serverHello?.cipherSuiteName).toBe(suite);
      expect(r.serverHello?.extensions.some((e) => e.name === 'encrypt_then_mac')).toBe(etm);
      expect(r.clientCertificate).toMatchObject({ status: 'optional', answer: 'change_cipher_spec' });
    });
  }

  for (const [suite, mode, status] of [
    ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'optional', 'optional'],
    ['TLS_RSA_WITH_AES_128_CBC_SHA', 'optional', 'optional'],
    ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'required', 'required'],
  ] as const) {
    test(`TLS 1.2 over RSA key exchange (${suite}), ${mode}: the pre-master secret encrypted to the certificate's key, ${status}`, async () => {
      const r = await probePeer(
        'openssl',
        {
          clientCertificate: mode,
          noSessionTickets: true,
          versions: ['TLS1.2'],
          ciphers: [suite],
          cert: 'rsa',
        },
        { ...TLS12, hello: { tls: '1.2', cipherSuites: [suite] } },
      );
      expect(r.serverHello?.cipherSuiteName).toBe(suite);
      expect(r.clientCertificate).toMatchObject(
        status === 'optional'
          ? { status, answer: 'change_cipher_spec' }
          : { status, answer: 'alert', alert: { description: 40 } },
      );
    });
  }

  test('TLS 1.2 without answerCertificateRequest: requested, and nothing is sent after the hello', async () => {
    const r = await probePeer('openssl', { clientCertificate: 'required' }, { hello: { tls: '1.2' } });
    expect(r.clientCertificate).toMatchObject({ status: 'requested', certificateAuthorities: [CA] });
    expect(r.stopReason).toBe('complete');
    expect(r.transcript.filter((t) => t.direction === 'sent')).toHaveLength(1);
  });
});

describePeer('openssl', () => {
  test('a server that asks for no certificate: no clientCertificate, and answerCertificateRequest changes nothing', async () => {
    const peer = await startPeer('openssl', {});
    try {
      const target = `${peer.host}:${peer.port}`;
      const plain = await probe(target, { serverName: 'hellokit.test', hello: { tls: '1.3' } });
      const asked = await probe(target, { serverName: 'hellokit.test', ...TLS13 });
      for (const r of [plain, asked]) {
        expect(r.certificateRequested).toBe(false);
        expect('clientCertificate' in r).toBe(false);
        expect(r.stopReason).toBe('complete');
        expect(r.transcript.filter((t) => t.direction === 'sent')).toHaveLength(1);
      }
      expect(asked.serverMessages).toEqual(plain.serverMessages);
      expect(asked.conclusion).toBe(plain.conclusion);
    } finally {
      await peer.stop();
    }
  });
});

describe('diagnose', () => {
  describePeer('openssl', () => {
    test('openssl -Verify: client_certificate is an error, alert 116, with the CA; the probe answered in TLS 1.3', async () => {
      const d = await diagnosePeer('openssl', { clientCertificate: 'required' });
      const f = d.findings.find((x) => x.id === 'client_certificate');
      expect(f).toMatchObject({
        severity: 'error',
        status: 'required',
        evidence: expect.arrayContaining([expect.objectContaining({ probe: 'client_certificate' })]),
        answer: 'alert',
        alert: { description: 116 },
        certificateAuthorities: [CA],
      });
      expect(f?.fix).toMatch(/--cert FILE --key FILE/);
      // The other findings are read from probes that stopped at the server Finished.
      expect(d.working).toBe('baseline');
      expect(d.findings.map((x) => x.id)).not.toContain('handshake_refused');
    });

    test('openssl without a CertificateRequest: no finding and no client_certificate probe', async () => {
      const d = await diagnosePeer('openssl', {});
      expect(d.findings.map((x) => x.id)).not.toContain('client_certificate');
      expect(d.probes.map((p) => p.spec.id)).not.toContain('client_certificate');
      expect(d.probes.every((p) => p.answer.clientCertificate === undefined)).toBe(true);
    });

    test('openssl -Verify in TLS 1.2 only: an error with alert 40, from the TLS 1.2 probe that answers the request', async () => {
      const d = await diagnosePeer('openssl', { clientCertificate: 'required', versions: ['TLS1.2'] });
      const f = d.findings.find((x) => x.id === 'client_certificate');
      expect(f).toMatchObject({
        severity: 'error',
        status: 'required',
        answer: 'alert',
        alert: { description: 40 },
        certificateAuthorities: [CA],
        evidence: expect.arrayContaining([expect.objectContaining({ probe: 'client_certificate_tls12' })]),
      });
      expect(d.probes.map((p) => p.spec.id)).not.toContain('client_certificate');
    });

    test('openssl -verify in TLS 1.2 only: info, optional', async () => {
      const d = await diagnosePeer('openssl', { clientCertificate: 'optional', versions: ['TLS1.2'] });
      expect(d.findings.find((x) => x.id === 'client_certificate')).toMatchObject({
        severity: 'info',
        status: 'optional',
      });
    });
  });

  describePeer('caddy', () => {
    test('Caddy require_and_verify: an error with alert 42 bad_certificate', async () => {
      const d = await diagnosePeer('caddy', { clientCertificate: 'required' });
      expect(d.findings.find((x) => x.id === 'client_certificate')).toMatchObject({
        severity: 'error',
        status: 'required',
        alert: { description: 42 },
      });
    });
  });

  describePeer('nginx', () => {
    test('nginx ssl_verify_client optional: info, optional, the handshake completed', async () => {
      const d = await diagnosePeer('nginx', { clientCertificate: 'optional' });
      const f = d.findings.find((x) => x.id === 'client_certificate');
      expect(f).toMatchObject({ severity: 'info', status: 'optional', answer: 'new_session_ticket' });
      expect(f?.explanation).toMatch(/lets a client without one in/);
    });
  });

  describePeer('gnutls', () => {
    test('GnuTLS --require-client-cert: an error with alert 116', async () => {
      const d = await diagnosePeer('gnutls', { clientCertificate: 'required' });
      expect(d.findings.find((x) => x.id === 'client_certificate')).toMatchObject({
        severity: 'error',
        status: 'required',
        alert: { description: 116 },
      });
    });
  });
});

describe('the CLI', () => {
  const schema = (name: string) =>
    new Ajv2020({ allErrors: true }).compile(
      JSON.parse(readFileSync(new URL(`../../schemas/${name}.json`, import.meta.url), 'utf8')),
    );

  describePeer('openssl', () => {
    test('probe --answer-certificate-request: the text says REQUIRED, --json has clientCertificate and validates', async () => {
      const peer = await startPeer('openssl', { clientCertificate: 'required' });
      try {
        const target = `${peer.host}:${peer.port}`;
        const args = ['probe', target, '--sni', 'hellokit.test', '--answer-certificate-request'];
        const text = await cli(args);
        expect(text.code).toBe(0);
        expect(text.stdout).toContain(`client certificate requested: CAs ${CA}`);
        expect(text.stdout).toContain(
          'client certificate REQUIRED: the empty Certificate got alert certificate_required (116)',
        );
        const json = await cli([...args, '--json']);
        const doc = JSON.parse(json.stdout);
        const validate = schema('probe');
        expect(validate(doc) ? [] : validate.errors).toEqual([]);
        expect(doc.clientCertificate).toMatchObject({
          status: 'required',
          answer: 'alert',
          alert: { description: 116 },
          certificateAuthorities: [CA],
        });
        // Without the flag: requested, and the text says how to tell.
        const plain = await cli(['probe', target, '--sni', 'hellokit.test']);
        expect(plain.stdout).toContain('not tested (--answer-certificate-request tells)');
        expect(plain.stdout).not.toContain('REQUIRED');
        const diagnosis = await cli(['diagnose', target, '--sni', 'hellokit.test', '--json']);
        const d = JSON.parse(diagnosis.stdout);
        const validateDiagnose = schema('diagnose');
        expect(validateDiagnose(d) ? [] : validateDiagnose.errors).toEqual([]);
        expect(d.findings.find((f: { id: string }) => f.id === 'client_certificate')).toMatchObject({
          severity: 'error',
          status: 'required',
        });
        // Each probe the server asked for a certificate says so, and the one that answered says how it ended.
        const asked = d.probes.filter((p: { clientCertificate?: unknown }) => p.clientCertificate);
        expect(asked.length).toBeGreaterThan(0);
        for (const p of asked) expect(p.clientCertificate.certificateAuthorities).toEqual([CA]);
        expect(
          d.probes.find((p: { id: string }) => p.id === 'client_certificate')?.clientCertificate,
        ).toMatchObject({
          status: 'required',
          answer: 'alert',
          alert: { description: 116 },
        });
      } finally {
        await peer.stop();
      }
    });
  });
});

describePeer('openssl', () => {
  test('silence after the empty Certificate (s_server -verify 1 -num_tickets 0, waiting for a request): optional, within certificateWaitMs', async () => {
    // s_client -tls1_3 without a certificate: the handshake completes and nothing comes until
    // the client writes its request (no tickets, -www answers only a request).
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { certificate, clientCa } = await import('../peers/certs.ts');
    const { freePort, launch } = await import('../peers/process.ts');
    const [cert, ca] = await Promise.all([certificate('hellokit.test', 'ecdsa-p256'), clientCa()]);
    const port = await freePort();
    const server = await launch({
      label: 'openssl s_server',
      command: 'openssl',
      args: [
        's_server',
        '-accept',
        `127.0.0.1:${port}`,
        '-cert',
        cert.certPath,
        '-key',
        cert.keyPath,
        '-www',
        '-verify',
        '1',
        '-CAfile',
        ca.certPath,
        '-num_tickets',
        '0',
      ],
      dir: mkdtempSync(join(tmpdir(), 'hellokit-silent-')),
      host: '127.0.0.1',
      port,
    });
    try {
      const r = await probe(`127.0.0.1:${port}`, {
        serverName: 'hellokit.test',
        ...TLS13,
        certificateWaitMs: 300,
        idleTimeoutMs: 5_000,
      });
      expect(r.clientCertificate).toMatchObject({ status: 'optional', answer: 'silence' });
      expect(r.stopReason).toBe('complete');
      expect(r.error).toBeUndefined();
      expect(r.violations).toEqual([]);
      // The 300 ms wait ended the probe, not the 5 s idle timeout.
      expect(r.timings.totalMs).toBeLessThan(5_000);
    } finally {
      await server.stop();
    }
  });
});

describe('scan', () => {
  describePeer('openssl', () => {
    test('a server that asks for a client certificate: clientCertificate with the CA; one that does not: none', async () => {
      const { scanTarget } = await import('../../src/node/scan.ts');
      for (const mode of ['required', undefined] as const) {
        const peer = await startPeer('openssl', mode ? { clientCertificate: mode } : {});
        try {
          const r = await scanTarget(`${peer.host}:${peer.port}`, { serverName: 'hellokit.test' });
          expect(r.versions.find((v) => v.code === 0x0304)?.supported).toBe(true);
          if (mode) expect(r.clientCertificate?.certificateAuthorities).toEqual([CA]);
          else expect('clientCertificate' in r).toBe(false);
        } finally {
          await peer.stop();
        }
      }
    });
  });
});
