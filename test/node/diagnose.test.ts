import { afterAll, expect, test } from 'vitest';
import { diagnoseTarget } from '../../src/node/diagnose.ts';
import { describePeer, startPeer, stopAll } from '../peers/index.ts';

afterAll(stopAll);

describePeer('caddy', () => {
  test('Caddy with name-based ECDSA certificates: sni_required with alert 80, RSA rejected with alert 40', async () => {
    const peer = await startPeer('caddy', { names: ['hellokit.test'], cert: 'ecdsa' });
    try {
      const d = await diagnoseTarget(`${peer.host}:${peer.port}`, {
        serverName: 'hellokit.test',
        timeoutMs: 30_000,
      });
      const sni = d.findings.find((f) => f.id === 'sni_required');
      expect(sni?.alert).toMatchObject({ description: 80 });
      expect(sni?.withSni).toBe('server_hello');
      const auth = d.findings.find((f) => f.id === 'tls12_auth');
      expect(auth).toMatchObject({ accepted: ['ECDSA'], rejected: ['RSA'], alert: { description: 40 } });
      expect(d.findings.find((f) => f.id === 'versions')?.accepted).toEqual(['TLS 1.3', 'TLS 1.2']);
      // Go's crypto/tls (Caddy 2.6) has no ML-KEM yet and no plain-RSA or DHE suites for an ECDSA key.
      expect(d.findings.find((f) => f.id === 'pq_hybrid')).toMatchObject({ supported: false });
      expect(d.findings.map((f) => f.id)).toContain('tolerance');
    } finally {
      await peer.stop();
    }
  });
});

describePeer('nginx', () => {
  test('nginx with both certificates and TLS 1.2 only: SNI optional, ECDSA and RSA accepted, no TLS 1.3', async () => {
    const peer = await startPeer('nginx', { names: ['hellokit.test'], cert: 'both', versions: ['TLS1.2'] });
    try {
      const d = await diagnoseTarget(`${peer.host}:${peer.port}`, {
        serverName: 'hellokit.test',
        timeoutMs: 30_000,
      });
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
      expect(ids).not.toContain('tls13_groups');
    } finally {
      await peer.stop();
    }
  });

  test('nginx with requireSni: sni_required with unrecognized_name (112)', async () => {
    const peer = await startPeer('nginx', { names: ['hellokit.test'], requireSni: true });
    try {
      const d = await diagnoseTarget(`${peer.host}:${peer.port}`, {
        serverName: 'hellokit.test',
        timeoutMs: 30_000,
      });
      const sni = d.findings.find((f) => f.id === 'sni_required');
      expect(sni?.alert).toMatchObject({ description: 112, name: 'unrecognized_name' });
      expect(d.findings.find((f) => f.id === 'tls12_auth')).toMatchObject({
        accepted: ['ECDSA'],
        rejected: ['RSA'],
      });
    } finally {
      await peer.stop();
    }
  });
});
