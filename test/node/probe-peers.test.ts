import { afterAll, beforeAll, expect, test } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { toHex } from '../../src/bytes/hex.ts';
import { parseKeyLog } from '../../src/crypto/keylog.ts';
import { encodeClientHello } from '../../src/handshake/client-hello.ts';
import { probe, probeResultToJson } from '../../src/node/index.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';
import { expectVerifiedTls13 } from './verified-flight.ts';

afterAll(stopAll);

const NAME = 'hellokit.test';
const at = (peer: Peer) => `${peer.host}:${peer.port}`;
describePeer('openssl', () => {
  let peer: Peer;
  let p384Peer: Peer;
  beforeAll(async () => {
    [peer, p384Peer] = await Promise.all([
      startPeer('openssl', { names: [NAME] }),
      startPeer('openssl', { names: [NAME], groups: ['P-384'] }),
    ]);
  });

  test.each([
    ['x25519', 0x001d],
    ['secp256r1', 0x0017],
    ['secp384r1', 0x0018],
    ['secp521r1', 0x0019],
  ])('TLS 1.3 over %s: the share is used and the flight decrypts', async (name, code) => {
    const r = await probe(at(peer), {
      hello: { serverName: NAME, groups: [name], keyShares: [name] },
      timeoutMs: 5000,
    });
    expectVerifiedTls13(r);
    expect(r.serverHello!.group).toBe(code);
    expect(r.retried).toBe(false);
  });

  test.each(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'])(
    '%s: records decrypt and the Finished verifies',
    async (suite) => {
      const r = await probe(at(peer), {
        hello: { serverName: NAME, tls: '1.3', cipherSuites: [suite] },
        timeoutMs: 5000,
      });
      expectVerifiedTls13(r);
      expect(r.serverHello!.cipherSuiteName).toBe(suite);
      const decrypted = r.transcript.filter((t) => t.decrypted);
      expect(decrypted.length).toBeGreaterThan(0);
    },
  );

  test('TLS 1.2: ServerHello, Certificate, ServerKeyExchange group, ServerHelloDone', async () => {
    const r = await probe(at(peer), { hello: { serverName: NAME, tls: '1.2' }, timeoutMs: 5000 });
    expect(r.outcome).toBe('server_hello');
    expect(r.serverHello!.version).toBe(0x0303);
    expect(r.serverKeyExchange).toMatchObject({ kind: 'ecdhe', group: 0x001d, groupName: 'x25519' });
    expect(r.serverHello!.group).toBe(0x001d);
    expect(r.certificates[0].publicKey).toMatchObject({ type: 'EC', curve: 'P-256' });
    expect(r.serverMessages).toEqual([
      'server_hello',
      'certificate',
      'server_key_exchange',
      'server_hello_done',
    ]);
    expect(r.stopReason).toBe('complete');
  });

  test('TLS 1.2: OpenSSL uses the P-256 ECDSA certificate only when supported_groups lists P-256', async () => {
    const without = await probe(at(peer), {
      hello: { serverName: NAME, tls: '1.2', groups: ['x25519'] },
      timeoutMs: 5000,
    });
    expect(without.alert).toMatchObject({ level: 2, description: 40 });
    const withP256 = await probe(at(peer), {
      hello: { serverName: NAME, tls: '1.2', groups: ['x25519', 'secp256r1'] },
      timeoutMs: 5000,
    });
    expect(withP256.outcome).toBe('server_hello');
    expect(withP256.serverKeyExchange?.group).toBe(0x001d);
  });

  test('HelloRetryRequest round trip: P-384-only server, x25519 share, P-384 listed', async () => {
    const lines: string[] = [];
    const r = await probe(at(p384Peer), {
      hello: { serverName: NAME, groups: ['x25519', 'secp384r1'], keyShares: ['x25519'] },
      keylog: (l) => lines.push(l),
      timeoutMs: 5000,
    });
    expectVerifiedTls13(r);
    expect(r.retried).toBe(true);
    expect(r.helloRetryRequest).toMatchObject({ selectedGroup: 0x0018, selectedGroupName: 'secp384r1' });
    expect(r.serverHello!.group).toBe(0x0018);
    expect(r.sent).toHaveLength(2);
    expect(parseKeyLog(lines.join('\n')).map((e) => e.label)).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'SERVER_TRAFFIC_SECRET_0',
      'EXPORTER_SECRET',
    ]);
  });

  test('raw bytes with the key shares they carry: decrypted, Finished verified, HelloRetryRequest answered', async () => {
    const hello = clientHello({ serverName: NAME, groups: ['x25519', 'secp384r1'], keyShares: ['x25519'] });
    const bytes = encodeClientHello(hello);
    const direct = await probe(at(peer), { bytes, keyShares: hello.keyShares, timeoutMs: 5000 });
    expectVerifiedTls13(direct);
    expect(direct.sent).toHaveLength(1);
    const sent = Buffer.concat(direct.transcript.filter((t) => t.direction === 'sent').map((t) => t.bytes));
    expect(toHex(sent)).toBe(toHex(bytes));
    const retried = await probe(at(p384Peer), {
      bytes,
      keyShares: hello.keyShares,
      write: 'per-record',
      timeoutMs: 5000,
    });
    expectVerifiedTls13(retried);
    expect(retried.retried).toBe(true);
    expect(retried.serverHello!.group).toBe(0x0018);
  });

  test('raw bytes without key shares: the answer is read up to the ServerHello, nothing decrypted or retried', async () => {
    const bytes = encodeClientHello(
      clientHello({ serverName: NAME, groups: ['x25519', 'secp384r1'], keyShares: ['x25519'] }),
    );
    const r = await probe(at(peer), { bytes, timeoutMs: 5000 });
    expect(r.outcome, r.conclusion).toBe('server_hello');
    expect(r.stopReason).toBe('server_hello');
    expect(r.finishedVerified).toBe(false);
    expect(r.serverMessages).toEqual(['server_hello']);
    expect(r.conclusion).toMatch(/not decrypted/);
    const hrr = await probe(at(p384Peer), { bytes, timeoutMs: 5000 });
    expect(hrr.outcome, hrr.conclusion).toBe('hello_retry_request');
    expect(hrr.retried).toBe(false);
  });

  test('with retryOnHelloRetryRequest false the probe stops at the HelloRetryRequest', async () => {
    const r = await probe(at(p384Peer), {
      hello: { serverName: NAME, groups: ['x25519', 'secp384r1'], keyShares: ['x25519'] },
      retryOnHelloRetryRequest: false,
      timeoutMs: 5000,
    });
    expect(r.outcome).toBe('hello_retry_request');
    expect(r.retried).toBe(false);
    expect(r.conclusion).toMatch(/HelloRetryRequest for secp384r1/);
  });

  test('X25519MLKEM768: OpenSSL 3.0 does not know it, so it asks for x25519 by HelloRetryRequest', async () => {
    const r = await probe(at(peer), {
      hello: { serverName: NAME, groups: ['X25519MLKEM768', 'x25519'], keyShares: ['X25519MLKEM768'] },
      timeoutMs: 5000,
    });
    expectVerifiedTls13(r);
    expect(r.retried).toBe(true);
    expect(r.serverHello!.group).toBe(0x001d);
  });

  test('decrypt: false stops after the TLS 1.3 ServerHello', async () => {
    const r = await probe(at(peer), { hello: { serverName: NAME }, decrypt: false, timeoutMs: 5000 });
    expect(r.outcome).toBe('server_hello');
    expect(r.stopReason).toBe('server_hello');
    expect(r.certificates).toEqual([]);
    expect(r.finishedVerified).toBe(false);
  });

  test('a hello split over 3 records and written one record at a time still decrypts', async () => {
    const r = await probe(at(peer), {
      hello: { serverName: NAME, fragment: 3 },
      write: { perRecord: true, delayMs: 5 },
      timeoutMs: 5000,
    });
    expectVerifiedTls13(r);
    expect(r.transcript.filter((t) => t.direction === 'sent')).toHaveLength(3);
  });

  test('a built hello with its key shares can be passed as is', async () => {
    const hello = clientHello({ serverName: NAME, seed: 7 });
    const r = await probe(at(peer), { hello, timeoutMs: 5000 });
    expectVerifiedTls13(r);
    expect(r.sent[0]).toBe(hello);
    const json = JSON.stringify(probeResultToJson(r));
    expect(json).not.toContain('privateKeys');
    expect(json).not.toContain(toHex(hello.keyShares[0].privateKeys[0]));
    expect(r.timings.connectMs).not.toBeNull();
    expect(r.timings.firstByteMs!).toBeGreaterThanOrEqual(r.timings.connectMs!);
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.firstByteMs!);
  });
});

describePeer('caddy', () => {
  let peer: Peer;
  let allCurves: Peer;
  beforeAll(async () => {
    [peer, allCurves] = await Promise.all([
      startPeer('caddy', { names: [NAME] }),
      startPeer('caddy', { names: [NAME], groups: ['x25519', 'secp256r1', 'secp384r1', 'secp521r1'] }),
    ]);
  });

  test('no SNI: fatal internal_error, and the conclusion says to send SNI', async () => {
    const r = await probe(at(peer), { timeoutMs: 5000 });
    expect(r.outcome).toBe('alert');
    expect(r.alert).toMatchObject({ level: 2, description: 80, name: 'internal_error' });
    expect(r.conclusion).toBe(
      'fatal alert internal_error (80) — the hello had no SNI and this server picks certificates by name; try --sni NAME',
    );
  });

  test.each(['secp384r1', 'secp521r1'])(
    "Caddy 2.6's default curves are x25519 and P-256 only: a %s-only hello gets handshake_failure",
    async (group) => {
      const r = await probe(at(peer), {
        hello: { serverName: NAME, groups: [group], keyShares: [group] },
        timeoutMs: 5000,
      });
      expect(r.outcome).toBe('alert');
      expect(r.alert!.description).toBe(40);
    },
  );

  test('an unknown-only ALPN in TLS 1.3: ServerHello, then an encrypted no_application_protocol, read as a refusal', async () => {
    // openssl s_client -alpn nosuch agrees: "New, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256", then alert 120
    const r = await probe(at(peer), { hello: { serverName: NAME, alpn: ['nosuch'] }, timeoutMs: 5000 });
    expect(r.serverMessages).toEqual(['server_hello']);
    expect(r.alert).toMatchObject({ level: 2, description: 120, encrypted: true });
    expect(r.conclusion).toMatch(
      /^the server refused with fatal alert no_application_protocol \(120\), encrypted, after its TLS 1\.3 ServerHello .* — no ALPN protocol in common$/,
    );
    expect(r.violations).toEqual([]);
  });

  test('TLS 1.2 to Caddy: ECDHE-ECDSA over x25519', async () => {
    const r = await probe(at(peer), {
      hello: { serverName: NAME, tls: '1.2', groups: ['x25519'] },
      timeoutMs: 5000,
    });
    expect(r.outcome).toBe('server_hello');
    expect(r.serverHello!.cipherSuiteName).toMatch(/^TLS_ECDHE_ECDSA_/);
    expect(r.serverKeyExchange?.group).toBe(0x001d);
  });

  test('every group Go 1.19 implements, over TLS 1.3 (P-521 enabled in the Caddyfile)', async () => {
    for (const [name, code] of [
      ['x25519', 0x001d],
      ['secp256r1', 0x0017],
      ['secp384r1', 0x0018],
      ['secp521r1', 0x0019],
    ] as const) {
      const r = await probe(at(allCurves), {
        hello: { serverName: NAME, groups: [name], keyShares: [name] },
        timeoutMs: 5000,
      });
      expectVerifiedTls13(r);
      expect(r.serverHello!.group).toBe(code);
    }
  });

  test('Go 1.19 does not know X25519MLKEM768 either: HelloRetryRequest to x25519', async () => {
    const r = await probe(at(peer), {
      hello: { serverName: NAME, groups: ['X25519MLKEM768', 'x25519'], keyShares: ['X25519MLKEM768'] },
      timeoutMs: 5000,
    });
    expectVerifiedTls13(r);
    expect(r.retried).toBe(true);
    expect(r.serverHello!.group).toBe(0x001d);
  });
});
