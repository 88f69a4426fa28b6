import { afterAll, describe, expect, test } from 'vitest';
import { handshake } from './handshake.ts';
import { startPeer, stopAll } from './index.ts';
import { behindTls13IntolerantMiddlebox } from './middlebox.ts';

const DAY_MS = 86_400_000;
const handshakeFailure = 40;

afterAll(stopAll);

describe('certificates with chosen dates', () => {
  test('nginx with cert "both" serves an expired RSA certificate next to a valid ECDSA one', async () => {
    const peer = await startPeer('nginx', {
      cert: 'both',
      certValidity: { 'rsa-2048': { notBeforeDays: -40, notAfterDays: -10 } },
    });
    try {
      const rsa = await handshake(peer, {
        servername: 'hellokit.test',
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
      });
      const ecdsa = await handshake(peer, {
        servername: 'hellokit.test',
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256',
      });
      if (!rsa.ok || !ecdsa.ok) throw new Error('both handshakes must complete');
      const rsaEnd = Date.parse(rsa.certificate.valid_to);
      expect(Math.round((rsaEnd - Date.now()) / DAY_MS)).toBe(-10);
      expect(Date.parse(rsa.certificate.valid_from)).toBeLessThan(Date.now() - 39 * DAY_MS);
      expect(rsa.certificate.issuer.CN).toBe('hellokit.test');
      expect(Date.parse(ecdsa.certificate.valid_to)).toBeGreaterThan(Date.now() + 29 * DAY_MS);
      expect(peer.certificates.find((c) => c.keyType === 'rsa-2048')?.notAfter).toBe(
        new Date(rsaEnd).toISOString(),
      );
    } finally {
      await peer.stop();
    }
  });

  test('refuses a validity that ends before it starts', async () => {
    await expect(
      startPeer('openssl', { certValidity: { 'ecdsa-p256': { notBeforeDays: 5, notAfterDays: 1 } } }),
    ).rejects.toThrow(/notBeforeDays must come before notAfterDays/);
  });
});

describe('the TLS 1.3-intolerant middlebox (a stand-in: no real server refuses hellos offering TLS 1.3)', () => {
  test('answers a hello offering TLS 1.3 with alert 40 and passes a TLS 1.2 hello to the server', async () => {
    const peer = await behindTls13IntolerantMiddlebox(await startPeer('openssl', { versions: ['TLS1.2'] }));
    try {
      const modern = await handshake(peer, { servername: 'hellokit.test' });
      expect(modern.ok ? 'handshake' : modern.alert).toBe(handshakeFailure);
      const tls12 = await handshake(peer, { servername: 'hellokit.test', maxVersion: 'TLSv1.2' });
      expect(tls12.ok && tls12.protocol).toBe('TLSv1.2');
    } finally {
      await peer.stop();
    }
  });
});
