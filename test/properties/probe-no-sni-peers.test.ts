/**
 * Property 3: without SNI, servers told to require a name (nginx `ssl_reject_handshake`,
 * HAProxy `strict-sni`) answer unrecognized_name (112), while openssl s_server and Node
 * serve their default certificate — for any varied hello.
 *
 * One rule of OpenSSL's shows up here: in TLS 1.2 it uses an ECDSA certificate only when the
 * hello's supported_groups lists the certificate's curve (RFC 8422 §5.1 / RFC 4492), so a
 * TLS 1.2 hello without secp256r1 gets handshake_failure (40) from s_server and Node (Go does
 * not check this: Caddy answers it).
 */
import { test } from '@fast-check/vitest';
import { afterAll, beforeAll, expect } from 'vitest';
import { probe } from '../../src/node/index.ts';
import { describePeer, type Peer, type PeerKind, startPeer, stopAll } from '../peers/index.ts';
import { variedHello } from './hello-arbitraries.ts';

const NAME = 'hellokit.test';
afterAll(stopAll);

for (const kind of ['nginx', 'haproxy'] as const satisfies readonly PeerKind[]) {
  describePeer(kind, () => {
    let peer: Peer;
    beforeAll(async () => {
      peer = await startPeer(kind, { names: [NAME], requireSni: true });
    });

    test.prop([variedHello], { numRuns: 100 })(
      `${kind} requiring SNI: no SNI gets unrecognized_name (112)`,
      async (options) => {
        const r = await probe(`${peer.host}:${peer.port}`, {
          hello: { ...options, serverName: null },
          timeoutMs: 5000,
        });
        expect(r.outcome, r.conclusion).toBe('alert');
        expect(r.alert).toMatchObject({ level: 2, description: 112, name: 'unrecognized_name' });
        expect(r.conclusion).toMatch(/try --sni/);
      },
    );
  });
}

for (const kind of ['openssl', 'node'] as const satisfies readonly PeerKind[]) {
  describePeer(kind, () => {
    let peer: Peer;
    beforeAll(async () => {
      peer = await startPeer(kind, { names: [NAME] });
    });

    test.prop([variedHello], { numRuns: 100 })(
      `${kind}: no SNI gets the default certificate`,
      async (options) => {
        const r = await probe(`${peer.host}:${peer.port}`, {
          hello: { ...options, serverName: null },
          timeoutMs: 5000,
        });
        if (options.tls === '1.2' && !options.groups?.includes('secp256r1')) {
          expect(r.alert, r.conclusion).toMatchObject({ level: 2, description: 40 });
          return;
        }
        expect(r.outcome, r.conclusion).toBe('server_hello');
        expect(r.certificates[0]?.subjectAltNames).toEqual([`DNS:${NAME}`]);
        if (r.serverHello!.version === 0x0304) expect(r.finishedVerified).toBe(true);
        else expect(r.serverMessages).toContain('server_hello_done');
      },
    );
  });
}
