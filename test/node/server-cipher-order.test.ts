/**
 * `hellokit scan` on servers that pick the cipher suite by their own order: it must say so
 * (`serverOrder: true`) and list the suites in the server's configured order, and say the
 * opposite for the same server in client order. sslscan's `preferred` suite is the server's
 * first choice from sslscan's own (different) list, so it must equal the head of the order.
 */
import { afterAll, expect, test } from 'vitest';
import { scanTarget } from '../../src/node/scan.ts';
import { describePeer, startPeer, stopAll } from '../peers/index.ts';
import { sslscan } from '../peers/reference-scanners.ts';
import type { PeerKind } from '../peers/types.ts';

afterAll(stopAll);

// Neither list is in code order or in hellokit's offer order, so only the server's own
// preference can produce them.
const TLS12 = [
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
];
const TLS12_CODES = [0xcca9, 0xc02b, 0xc02c];
const TLS13 = ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'];
const TLS13_CODES = [0x1303, 0x1301, 0x1302];

const suitesOf = (r: Awaited<ReturnType<typeof scanTarget>>, version: string) =>
  r.versions.find((v) => v.version === version);

for (const kind of ['nginx', 'openssl'] as const satisfies readonly PeerKind[]) {
  describePeer(kind, () => {
    test(`${kind} in server order: scan reports serverOrder and the configured order`, async () => {
      const peer = await startPeer(kind, {
        names: ['hellokit.test'],
        ciphers: [...TLS12, ...TLS13],
        serverCipherOrder: true,
      });
      const r = await scanTarget(`${peer.host}:${peer.port}`, { serverName: 'hellokit.test' });
      const tls12 = suitesOf(r, 'TLS 1.2');
      expect(tls12?.serverOrder).toBe(true);
      expect(tls12?.serverOrderDescription).toBe('server order');
      expect(tls12?.cipherSuites.map((s) => s.code)).toEqual(TLS12_CODES);
      const tls13 = suitesOf(r, 'TLS 1.3');
      expect(tls13?.serverOrder).toBe(true);
      expect(tls13?.cipherSuites.map((s) => s.code)).toEqual(TLS13_CODES);
      const theirs = await sslscan(peer.host, peer.port, 'hellokit.test');
      expect(theirs.preferred['TLSv1.2']).toBe(TLS12_CODES[0]);
      expect(theirs.preferred['TLSv1.3']).toBe(TLS13_CODES[0]);
      await peer.stop();
    }, 120_000);

    test(`${kind} in client order: scan reports serverOrder false`, async () => {
      const peer = await startPeer(kind, { names: ['hellokit.test'], ciphers: [...TLS12, ...TLS13] });
      const r = await scanTarget(`${peer.host}:${peer.port}`, { serverName: 'hellokit.test' });
      expect(suitesOf(r, 'TLS 1.2')?.serverOrder).toBe(false);
      expect(suitesOf(r, 'TLS 1.2')?.serverOrderDescription).toBe(
        'client order: the server follows the client',
      );
      expect(suitesOf(r, 'TLS 1.3')?.serverOrder).toBe(false);
      expect(
        suitesOf(r, 'TLS 1.2')
          ?.cipherSuites.map((s) => s.code)
          .sort((a, b) => a - b),
      ).toEqual([...TLS12_CODES].sort((a, b) => a - b));
      await peer.stop();
    }, 120_000);
  });
}

// Go's crypto/tls (Caddy) has its own order, AES-GCM first, unless the client lists ChaCha20
// first. Settled with openssl s_client: -cipher ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256
// gets AES128-GCM (server order), ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256 gets
// ChaCha20; in TLS 1.3 -ciphersuites TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256 gets AES-128,
// TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256 gets ChaCha20.
describePeer('caddy', () => {
  test('caddy: server order, but honours a client that prefers ChaCha20, in TLS 1.2 and 1.3', async () => {
    const peer = await startPeer('caddy', { names: ['hellokit.test'] });
    const r = await scanTarget(`${peer.host}:${peer.port}`, { serverName: 'hellokit.test' });
    for (const version of ['TLS 1.2', 'TLS 1.3']) {
      const v = suitesOf(r, version);
      expect(v?.serverOrder, version).toBe(true);
      expect(v?.serverOrderDescription, version).toBe(
        'server order, but honours a client that prefers ChaCha20',
      );
    }
    expect(suitesOf(r, 'TLS 1.2')?.cipherSuites.map((s) => s.code)).toEqual([0xc02b, 0xc02c, 0xcca9]);
    expect(suitesOf(r, 'TLS 1.3')?.cipherSuites.map((s) => s.code)).toEqual([0x1301, 0x1302, 0x1303]);
    await peer.stop();
  }, 120_000);
});
