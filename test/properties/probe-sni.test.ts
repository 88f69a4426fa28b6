/**
 * Property 1 (the headline): a ClientHello without SNI makes a name-based server (Caddy with
 * only name-based certificates) answer a fatal internal_error (80); the same hello with the
 * right SNI gets a ServerHello, and in TLS 1.3 the decrypted certificate names the host.
 */
import { test } from '@fast-check/vitest';
import { afterAll, beforeAll, expect } from 'vitest';
import { probe } from '../../src/node/index.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';
import { variedHello } from './hello-arbitraries.ts';

const NAME = 'hellokit.test';
afterAll(stopAll);

describePeer('caddy', () => {
  let caddy: Peer;
  beforeAll(async () => {
    caddy = await startPeer('caddy', { names: [NAME] });
  });

  test.prop([variedHello], { numRuns: 100 })(
    'Caddy: without SNI fatal internal_error (80); with the right SNI a ServerHello naming the host',
    async (options) => {
      const target = `${caddy.host}:${caddy.port}`;
      const bare = await probe(target, { hello: { ...options, serverName: null }, timeoutMs: 5000 });
      expect(bare.outcome, bare.conclusion).toBe('alert');
      expect(bare.alert).toMatchObject({ level: 2, description: 80, name: 'internal_error' });

      const named = await probe(target, { hello: { ...options, serverName: NAME }, timeoutMs: 5000 });
      expect(named.outcome, named.conclusion).toBe('server_hello');
      expect(named.certificates[0]?.subjectAltNames).toEqual([`DNS:${NAME}`]);
      if (named.serverHello!.version === 0x0304) {
        expect(named.finishedVerified).toBe(true);
        expect(named.stopReason).toBe('complete');
      } else {
        expect(named.serverMessages).toContain('server_hello_done');
      }
    },
  );
});
