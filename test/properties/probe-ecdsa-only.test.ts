/**
 * Property 2: a TLS 1.2 hello offering only RSA-authenticated suites to a server with only an
 * ECDSA certificate (Caddy) gets handshake_failure (40); adding one ECDHE-ECDSA suite gets a
 * ServerHello with that suite.
 */
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, expect } from 'vitest';
import { probe } from '../../src/node/index.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';
import { COMMON_GROUPS, ECDHE_ECDSA_SUITES, RSA_AUTH_SUITES, someOf } from './hello-arbitraries.ts';

const NAME = 'hellokit.test';
afterAll(stopAll);

describePeer('caddy', () => {
  let caddy: Peer;
  beforeAll(async () => {
    caddy = await startPeer('caddy', { names: [NAME], cert: 'ecdsa' });
  });

  test.prop(
    [
      someOf(RSA_AUTH_SUITES),
      fc.constantFrom(...ECDHE_ECDSA_SUITES),
      fc.nat(),
      someOf(COMMON_GROUPS),
      fc.boolean(),
      fc.integer({ min: 1, max: 3 }),
      fc.integer(),
    ],
    { numRuns: 100 },
  )(
    'TLS 1.2, only RSA-auth suites: handshake_failure (40); plus one ECDHE-ECDSA suite: ServerHello with it',
    async (rsa, ecdsa, position, groups, grease, fragment, seed) => {
      const target = `${caddy.host}:${caddy.port}`;
      const base = { serverName: NAME, tls: '1.2' as const, groups, grease, fragment, seed };
      const rsaOnly = await probe(target, { hello: { ...base, cipherSuites: rsa }, timeoutMs: 5000 });
      expect(rsaOnly.outcome, rsaOnly.conclusion).toBe('alert');
      expect(rsaOnly.alert).toMatchObject({ level: 2, description: 40, name: 'handshake_failure' });
      expect(rsaOnly.conclusion).toMatch(/only RSA-authenticated suites/);

      const withEcdsa = [...rsa];
      withEcdsa.splice(position % (rsa.length + 1), 0, ecdsa);
      const ok = await probe(target, { hello: { ...base, cipherSuites: withEcdsa }, timeoutMs: 5000 });
      expect(ok.outcome, ok.conclusion).toBe('server_hello');
      expect(ok.serverHello!.version).toBe(0x0303);
      expect(ok.serverHello!.cipherSuiteName).toBe(ecdsa);
      expect(ok.certificates[0].publicKey.type).toBe('EC');
    },
  );
});
