/**
 * The violation rules must not misfire: real servers (Caddy, nginx, HAProxy, openssl s_server,
 * gnutls-serv, Node) answering ordinary hellos — TLS 1.3 with ALPN, TLS 1.2, and TLS 1.3 after
 * a HelloRetryRequest — get no violation reported, and the probe never aborts on them.
 * test/hostile/violations.test.ts shows each rule firing on a server that breaks it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ClientHelloOptions } from '../../src/builder/client-hello.ts';
import { probe } from '../../src/node/index.ts';
import { describePeer, type Peer, type PeerKind, startPeer, stopAll } from '../peers/index.ts';

afterAll(stopAll);

const NAME = 'hellokit.test';

const HELLOS: readonly {
  readonly what: string;
  readonly hello: ClientHelloOptions;
  readonly retried: boolean;
}[] = [
  {
    what: 'TLS 1.3 with ALPN h2, http/1.1',
    hello: { serverName: NAME, alpn: ['h2', 'http/1.1'] },
    retried: false,
  },
  {
    what: 'TLS 1.2 with ALPN',
    hello: { serverName: NAME, tls: '1.2', alpn: ['h2', 'http/1.1'] },
    retried: false,
  },
  {
    // an empty key_share asks the server to pick a group by HelloRetryRequest (RFC 8446 §4.2.8)
    what: 'TLS 1.3 after a HelloRetryRequest',
    hello: { serverName: NAME, groups: ['x25519', 'secp256r1'], keyShares: [] },
    retried: true,
  },
];

const KINDS: readonly PeerKind[] = ['caddy', 'nginx', 'haproxy', 'openssl', 'gnutls', 'node'];

for (const kind of KINDS) {
  describePeer(kind, () => {
    let peer: Peer;
    beforeAll(async () => {
      // nginx's http module picks ALPN itself (the harness refuses an alpn option for it)
      peer = await startPeer(kind, {
        names: [NAME],
        ...(kind === 'nginx' ? {} : { alpn: ['h2', 'http/1.1'] }),
      });
    });

    for (const { what, hello, retried } of HELLOS)
      test(`${what}: a complete handshake, no violation`, async () => {
        const r = await probe(`${peer.host}:${peer.port}`, { hello, timeoutMs: 8000 });
        expect(r.stopReason, r.conclusion).toBe('complete');
        expect(r.retried).toBe(retried);
        expect(r.violations, r.conclusion).toEqual([]);
        expect(r.abort).toBeUndefined();
        expect(r.conclusion).not.toMatch(/violat|aborted/);
        // the ALPN rules read a real answer: the protocol chosen is one the hello offered
        if (hello.alpn && kind !== 'nginx') expect(['h2', 'http/1.1']).toContain(r.serverHello!.alpn);
      });
  });
}
