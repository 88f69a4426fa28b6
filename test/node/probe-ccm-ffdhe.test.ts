import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ProbeResult, probe } from '../../src/node/index.ts';
import { certificate } from '../peers/certs.ts';
import { describePeer, stopAll } from '../peers/index.ts';
import { freePort, launch } from '../peers/process.ts';

// The peer table (test/peers/names.ts) does not spell the CCM suites or ffdhe6144/8192, so
// these servers are started with the harness's own pieces: its certificate, a free loopback
// port, and `launch` (which waits for the port and stops the process by its pid).

const NAME = 'hellokit.test';

interface Server {
  readonly at: string;
  readonly stop: () => Promise<void>;
}

const servers: Server[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await stopAll();
});

/** `openssl s_server` on 127.0.0.1, TLS 1.3 only, with extra arguments (`-ciphersuites`, `-groups`). */
async function startSServer(extra: string[]): Promise<Server> {
  const cert = await certificate(NAME, 'ecdsa-p256');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-openssl-'));
  const args = ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', cert.certPath, '-key', cert.keyPath];
  args.push('-min_protocol', 'TLSv1.3', '-max_protocol', 'TLSv1.3', '-www', ...extra);
  const { stop } = await launch({
    label: 'openssl s_server',
    command: 'openssl',
    args,
    dir,
    host: '127.0.0.1',
    port,
  });
  const server = { at: `127.0.0.1:${port}`, stop };
  servers.push(server);
  return server;
}

function expectVerifiedFlight(r: ProbeResult): void {
  expect(r.outcome, r.conclusion).toBe('server_hello');
  expect(r.serverHello!.version).toBe(0x0304);
  expect(r.error).toBeUndefined();
  expect(r.finishedVerified).toBe(true);
  expect(r.stopReason).toBe('complete');
  expect(r.certificates[0].subjectAltNames).toContain(`DNS:${NAME}`);
  expect(r.serverMessages.filter((m) => m !== 'hello_retry_request')).toEqual([
    'server_hello',
    'encrypted_extensions',
    'certificate',
    'certificate_verify',
    'finished',
  ]);
  expect(r.transcript.filter((t) => t.decrypted).length).toBeGreaterThan(0);
}

describePeer('openssl', () => {
  describe('TLS 1.3 AES-CCM suites', () => {
    test.each([
      ['TLS_AES_128_CCM_SHA256', 0x1304],
      ['TLS_AES_128_CCM_8_SHA256', 0x1305],
    ])('%s alone on both sides: the flight decrypts and the Finished verifies', async (suite, code) => {
      const server = await startSServer(['-ciphersuites', suite]);
      const r = await probe(server.at, {
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
    let six: Server;
    let eight: Server;
    beforeAll(async () => {
      [six, eight] = await Promise.all([
        startSServer(['-groups', 'ffdhe6144']),
        startSServer(['-groups', 'ffdhe8192']),
      ]);
    });

    test.each([
      ['ffdhe6144', 0x0103, () => six],
      ['ffdhe8192', 0x0104, () => eight],
    ])(
      '%s share: the server uses it, the flight decrypts and the Finished verifies',
      async (group, code, server) => {
        const r = await probe(server().at, {
          hello: { serverName: NAME, tls: '1.3', groups: [group], keyShares: [group] },
          timeoutMs: 5000,
        });
        expectVerifiedFlight(r);
        expect(r.serverHello!.group).toBe(code);
        expect(r.retried).toBe(false);
      },
    );

    test('an x25519 share to an ffdhe8192-only server is answered by a HelloRetryRequest, then ffdhe8192 works', async () => {
      const r = await probe(eight.at, {
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
