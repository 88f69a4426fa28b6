import { afterAll, expect, test } from 'vitest';
import type { Diagnosis } from '../../src/diagnose/types.ts';
import { diagnoseTarget } from '../../src/node/diagnose.ts';
import {
  describePeer,
  type PeerKind,
  type PeerOptions,
  startPeer,
  stopAll,
  withPeer,
} from '../peers/index.ts';

afterAll(stopAll);

/** Starts the peer, diagnoses it with SNI hellokit.test, stops it. */
async function diagnosePeer(kind: PeerKind, options: PeerOptions): Promise<Diagnosis> {
  return withPeer(kind, options, (peer) =>
    diagnoseTarget(`${peer.host}:${peer.port}`, { serverName: 'hellokit.test', timeoutMs: 30_000 }),
  );
}

describePeer('caddy', () => {
  test('Caddy with name-based ECDSA certificates: sni_required with alert 80, RSA rejected with alert 40', async () => {
    const d = await diagnosePeer('caddy', { names: ['hellokit.test'], cert: 'ecdsa' });
    const sni = d.findings.find((f) => f.id === 'sni_required');
    expect(sni?.alert).toMatchObject({ description: 80 });
    expect(sni?.withSni).toBe('server_hello');
    const auth = d.findings.find((f) => f.id === 'tls12_auth');
    expect(auth).toMatchObject({ accepted: ['ECDSA'], rejected: ['RSA'], alert: { description: 40 } });
    expect(d.findings.find((f) => f.id === 'versions')?.accepted).toEqual(['TLS 1.3', 'TLS 1.2']);
    // Go's crypto/tls (Caddy 2.6) has no ML-KEM yet and no plain-RSA or DHE suites for an ECDSA key.
    expect(d.findings.find((f) => f.id === 'pq_hybrid')).toMatchObject({ supported: false });
    expect(d.findings.map((f) => f.id)).toContain('tolerance');
    // s_client -alpn hellokit-x: "New, TLSv1.3" then alert 120. Go writes its ServerHello before
    // it picks ALPN, so the refusal comes encrypted after it: a refusal all the same.
    const alpn = d.findings.find((f) => f.id === 'alpn');
    expect(alpn).toMatchObject({ chosen: 'h2', unknownProtocol: 'alert', alert: { description: 120 } });
    expect(alpn?.explanation).toMatch(/lacks is refused: alert 120 no_application_protocol/);
    expect(alpn?.explanation).not.toMatch(/still connects/);
    const unknownAlpn = d.probes.find((p) => p.spec.id === 'alpn.unknown');
    expect(unknownAlpn?.answer.alert?.description).toBe(120);
  });
});

describePeer('caddy', () => {
  test('Caddy diagnosed without a name refuses every hello: one handshake_refused finding that asks for --sni, five probes', async () => {
    // s_client without -servername: alert 80 internal_error
    const peer = await startPeer('caddy', { names: ['hellokit.test'], cert: 'ecdsa' });
    try {
      const d = await diagnoseTarget(`${peer.host}:${peer.port}`, { serverName: null, timeoutMs: 30_000 });
      expect(d.findings.map((f) => f.id)).toEqual(['handshake_refused']);
      expect(d.findings[0]).toMatchObject({ alert: { description: 80 } });
      expect(d.findings[0].fix).toMatch(/--sni NAME/);
      expect(d.probes.map((p) => p.spec.id)).toEqual([
        'baseline',
        'fallback.tls12',
        'fallback.legacy',
        'fallback.tls13',
        'fallback.tls12_rare',
      ]);
    } finally {
      await peer.stop();
    }
  });
});

describePeer('nginx', () => {
  test('nginx with both certificates and TLS 1.2 only: SNI optional, ECDSA and RSA accepted, no TLS 1.3', async () => {
    const d = await diagnosePeer('nginx', { names: ['hellokit.test'], cert: 'both', versions: ['TLS1.2'] });
    const ids = d.findings.map((f) => f.id);
    expect(ids).toContain('sni_optional');
    expect(ids).not.toContain('sni_required');
    expect(d.findings.find((f) => f.id === 'tls12_auth')).toMatchObject({
      accepted: ['ECDSA', 'RSA'],
      rejected: [],
    });
    const versions = d.findings.find((f) => f.id === 'versions');
    expect(versions?.accepted).toEqual(['TLS 1.2']);
    expect(versions?.severity).toBe('warning');
    // the modern hello offered TLS 1.2 and got it: no fix telling clients to offer TLS 1.2
    expect(d.working).toBe('baseline');
    expect(versions?.fix).toMatch(/only TLS 1\.3 cannot connect/);
    expect(ids).not.toContain('intolerance');
    expect(ids).not.toContain('tls13_groups');
    // no TLS 1.3: the TLS 1.3 group probes are not sent
    expect(d.probes.map((p) => p.spec.id)).not.toContain('group.x25519');
  });

  test('nginx with requireSni: sni_required with unrecognized_name (112)', async () => {
    const d = await diagnosePeer('nginx', { names: ['hellokit.test'], requireSni: true });
    const sni = d.findings.find((f) => f.id === 'sni_required');
    expect(sni?.alert).toMatchObject({ description: 112, name: 'unrecognized_name' });
    expect(d.findings.find((f) => f.id === 'tls12_auth')).toMatchObject({
      accepted: ['ECDSA'],
      rejected: ['RSA'],
    });
  });
});

describePeer('haproxy', () => {
  test('HAProxy with strict-sni: sni_required with unrecognized_name (112), and an unknown name answered the same', async () => {
    // s_client: with -servername hellokit.test TLS 1.3; without a name, or with another, alert 112
    const d = await diagnosePeer('haproxy', { names: ['hellokit.test'], requireSni: true });
    const sni = d.findings.find((f) => f.id === 'sni_required');
    expect(sni?.alert).toMatchObject({ description: 112, name: 'unrecognized_name' });
    expect(d.findings.map((f) => f.id)).not.toContain('sni_unknown_name');
    expect(d.probes.find((p) => p.spec.id === 'sni.unknown')?.answer.alert?.description).toBe(112);
  });
});

describePeer('openssl', () => {
  test('openssl s_server without -alpn ignores ALPN: no ALPN refusal, the unknown protocol connects', async () => {
    // s_client -alpn hellokit-x and -alpn h2: TLS 1.3, "No ALPN negotiated"
    const d = await diagnosePeer('openssl', { names: ['hellokit.test'] });
    const alpn = d.findings.find((f) => f.id === 'alpn');
    expect(alpn).toMatchObject({ severity: 'info', chosen: null, unknownProtocol: 'ignored' });
    expect(alpn?.alert).toBeUndefined();
    expect(alpn?.explanation).toMatch(/ignores ALPN/);
    expect(d.findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual([]);
  });
});

describePeer('openssl', () => {
  test('openssl s_server with x448 only: the modern hello is refused for its groups, a fallback offering x448 works', async () => {
    // s_client: default groups (X25519 first, X448 listed) TLS 1.3; -groups X25519:P-256 alert 40,
    // with -tls1_2 as well.
    const d = await diagnosePeer('openssl', { names: ['hellokit.test'], groups: ['x448'] });
    expect(d.working).toBe('fallback.tls12');
    const f = d.findings.find((x) => x.id === 'baseline_refused');
    expect(f).toMatchObject({ feature: 'groups', alert: { description: 40 } });
    expect(f?.explanation).toMatch(/x448\)\.$/);
    expect(d.findings.map((x) => x.id)).not.toContain('intolerance');
    // TLS 1.3 alone, from the working hello's groups: a HelloRetryRequest for x448, answered
    expect(d.findings.find((x) => x.id === 'versions')?.accepted).toEqual(['TLS 1.3', 'TLS 1.2']);
  });
});

describePeer('gnutls', () => {
  test('GnuTLS with CBC suites only and TLS 1.3 on refuses every hello offering TLS 1.3: intolerance names it', async () => {
    // s_client (1.3+1.2) and -tls1_3: alert 40; -tls1_2: TLS 1.2 ECDHE-ECDSA-AES128-SHA. The priority
    // keeps TLS 1.3 enabled with no TLS 1.3 cipher, so GnuTLS picks 1.3 from supported_versions and
    // then fails. testssl -p: "TLS 1.3 not offered -- connection failed rather than downgrading to
    // TLSv1.2". (NORMAL:-VERS-TLS1.3 is not intolerant: it negotiates TLS 1.2.)
    const d = await diagnosePeer('gnutls', {
      names: ['hellokit.test'],
      ciphers: ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
    });
    const ids = d.findings.map((f) => f.id);
    expect(d.working).toBe('fallback.tls12');
    const f = d.findings.find((x) => x.id === 'intolerance');
    expect(f).toMatchObject({ severity: 'error', feature: 'tls13', alert: { description: 40 } });
    expect(f?.explanation).toMatch(/^Offering TLS 1\.3 is what the server refuses/);
    expect(f?.fix).toMatch(/TLS 1\.2 alone/);
    const versions = d.findings.find((x) => x.id === 'versions');
    expect(versions?.accepted).toEqual(['TLS 1.2']);
    expect(versions?.fix).toBeUndefined();
    expect(ids).not.toContain('handshake_refused');
    // variations of the working TLS 1.2 hello: GnuTLS ignores ALPN, so no ALPN refusal
    expect(d.findings.find((x) => x.id === 'alpn')).toMatchObject({ unknownProtocol: 'ignored' });
    expect(d.findings.find((x) => x.id === 'tls12_ciphers')?.accepted).toEqual(['ECDHE-ECDSA', 'CBC']);
    // the certificate is read from the working TLS 1.2 hello
    expect(ids).toContain('cert_self_signed');
    expect(d.accepted.map((s) => s.versions)).toEqual([[0x0303]]);
  });
});
