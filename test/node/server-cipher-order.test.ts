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
