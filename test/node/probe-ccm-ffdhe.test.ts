import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ProbeResult, probe } from '../../src/node/index.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';
import { expectVerifiedTls13 } from './verified-flight.ts';

const NAME = 'hellokit.test';

afterAll(stopAll);

const at = (peer: Peer) => `${peer.host}:${peer.port}`;

function expectVerifiedFlight(r: ProbeResult): void {
  expectVerifiedTls13(r, NAME);
  expect(r.error).toBeUndefined();
  expect(r.stopReason).toBe('complete');
  expect(r.transcript.filter((t) => t.decrypted).length).toBeGreaterThan(0);
}

describePeer('openssl', () => {
  describe('TLS 1.3 AES-CCM suites', () => {
    test.each([
      ['TLS_AES_128_CCM_SHA256', 0x1304],
      ['TLS_AES_128_CCM_8_SHA256', 0x1305],
    ])('%s alone on both sides: the flight decrypts and the Finished verifies', async (suite, code) => {
      const server = await startPeer('openssl', { names: [NAME], versions: ['TLS1.3'], ciphers: [suite] });
      const r = await probe(at(server), {
        hello: { serverName: NAME, tls: '1.3', cipherSuites: [suite] },
        timeoutMs: 5000,
      });
      expect(r.sent[0].cipherSuites).toEqual([code]);
      expectVerifiedFlight(r);
      expect(r.serverHello!.cipherSuite).toBe(code);
      expect(r.serverHello!.cipherSuiteName).toBe(suite);
    });
  });

  describe('finite-field key shares', () => {
    let six: Peer;
    let eight: Peer;
    beforeAll(async () => {
      [six, eight] = await Promise.all(
        ['ffdhe6144', 'ffdhe8192'].map((g) =>
          startPeer('openssl', { names: [NAME], versions: ['TLS1.3'], groups: [g] }),
        ),
      );
    });

    test.each([
      ['ffdhe6144', 0x0103, () => six],
      ['ffdhe8192', 0x0104, () => eight],
    ])(
      '%s share: the server uses it, the flight decrypts and the Finished verifies',
      async (group, code, server) => {
        const r = await probe(at(server()), {
          hello: { serverName: NAME, tls: '1.3', groups: [group], keyShares: [group] },
          timeoutMs: 5000,
        });
        expectVerifiedFlight(r);
        expect(r.serverHello!.group).toBe(code);
        expect(r.retried).toBe(false);
      },
    );

    test('an x25519 share to an ffdhe8192-only server is answered by a HelloRetryRequest, then ffdhe8192 works', async () => {
      const r = await probe(at(eight), {
        hello: { serverName: NAME, tls: '1.3', groups: ['x25519', 'ffdhe8192'], keyShares: ['x25519'] },
        timeoutMs: 5000,
      });
      expect(r.helloRetryRequest?.selectedGroup).toBe(0x0104);
      expect(r.retried).toBe(true);
      expectVerifiedFlight(r);
      expect(r.serverHello!.group).toBe(0x0104);
    });
  });
});
