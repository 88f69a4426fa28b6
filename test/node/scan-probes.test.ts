// The scan's cheap probes, against a real nginx: probeServerHello stops at the ServerHello in
// every version, and hellos that reuse one key share per group still get answered and decrypted.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { generateKeyShare } from '../../src/crypto/key-share.ts';
import { encodeClientHello } from '../../src/handshake/client-hello.ts';
import { probe, probeServerHello } from '../../src/node/probe.ts';
import { EXT, withKeyShares } from '../../src/node/probe-hello.ts';
import { scanTarget } from '../../src/node/scan.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';

afterAll(stopAll);

const NAME = 'hellokit.test';
const at = (peer: Peer) => `${peer.host}:${peer.port}`;

describePeer('nginx', () => {
  let peer: Peer;
  beforeAll(async () => {
    peer = await startPeer('nginx', { names: [NAME], cert: 'both' });
  });

  test('TLS 1.2: probeServerHello stops at the ServerHello, probe reads the whole flight, both see the same choice', async () => {
    const hello = clientHello({ serverName: NAME, tls: '1.2', padding: false, alpn: null });
    const [short, full] = await Promise.all([
      probeServerHello(at(peer), { hello, timeoutMs: 5000 }),
      probe(at(peer), { hello, timeoutMs: 5000 }),
    ]);
    expect(short.outcome).toBe('server_hello');
    expect(short.stopReason).toBe('server_hello');
    expect(short.serverMessages).toEqual(['server_hello']);
    expect(short.certificates).toEqual([]);
    expect(full.stopReason).toBe('complete');
    expect(full.serverMessages).toContain('certificate');
    expect(full.certificates.length).toBeGreaterThan(0);
    expect(short.serverHello?.version).toBe(0x0303);
    expect(short.serverHello?.cipherSuite).toBe(full.serverHello?.cipherSuite);
  });

  test('TLS 1.3: probeServerHello decrypts nothing even when asked to; an empty key_share gets a HelloRetryRequest', async () => {
    const hello = clientHello({ serverName: NAME, tls: '1.3', keyShares: ['x25519'] });
    const r = await probeServerHello(at(peer), { hello, decrypt: true, timeoutMs: 5000 });
    expect(r.outcome).toBe('server_hello');
    expect(r.serverMessages).toEqual(['server_hello']);
    expect(r.finishedVerified).toBe(false);
    const empty = clientHello({ serverName: NAME, tls: '1.3', groups: ['secp384r1'], keyShares: [] });
    const hrr = await probeServerHello(at(peer), {
      hello: empty,
      retryOnHelloRetryRequest: false,
      timeoutMs: 5000,
    });
    expect(hrr.outcome).toBe('hello_retry_request');
    expect(hrr.helloRetryRequest?.selectedGroup).toBe(0x0018);
  });

  test('one share per group, reused in several hellos: each is answered and its flight decrypts', async () => {
    const shares = [generateKeyShare(0x001d), generateKeyShare(0x0017)];
    const hellos = [NAME, null].map((serverName) =>
      withKeyShares(clientHello({ serverName, padding: false, alpn: null, keyShares: [] }), shares),
    );
    // the key_share extension carries exactly the shares given, in the hello's bytes too
    for (const h of hellos) {
      const body = h.extensions?.find((e) => e.type === EXT.key_share)?.body;
      expect(body?.length).toBe(2 + (4 + 32) + (4 + 65));
      expect(body?.subarray(6, 38)).toEqual(shares[0].keyExchange);
    }
    expect(encodeClientHello(hellos[0]).length).toBe(
      encodeClientHello(clientHello({ serverName: NAME, padding: false, alpn: null })).length,
    );
    const results = await Promise.all(hellos.map((hello) => probe(at(peer), { hello, timeoutMs: 5000 })));
    for (const r of results) {
      expect(r.outcome, r.conclusion).toBe('server_hello');
      expect(r.serverHello?.group).toBe(0x001d);
      expect(r.finishedVerified).toBe(true);
      expect(r.certificates.length).toBeGreaterThan(0);
    }
    expect(results[0].certificates[0].subjectAltNames).toContain(`DNS:${NAME}`);
  });

  test('withKeyShares refuses a hello without a key_share extension', () => {
    const hello = clientHello({ tls: '1.2' });
    expect(() => withKeyShares(hello, [generateKeyShare(0x001d)])).toThrow(TypeError);
  });

  test('a scan repeated on the same server finds the same thing, certificates included', async () => {
    const [a, b] = [
      await scanTarget(at(peer), { serverName: NAME }),
      await scanTarget(at(peer), { serverName: NAME }),
    ];
    expect(a.probes).toBe(b.probes);
    expect(b.versions).toEqual(a.versions);
    expect(b.certificates).toEqual(a.certificates);
    const withSni = a.certificates.find((c) => c.hellos.some((h) => h.serverName === NAME));
    expect(withSni?.hellos.length).toBeGreaterThan(0);
    expect(withSni?.certificates[0].subjectAltNames).toContain(`DNS:${NAME}`);
    expect(a.versions.find((v) => v.version === 'TLS 1.2')?.cipherSuites.length).toBeGreaterThan(10);
    expect(a.versions.find((v) => v.version === 'TLS 1.3')?.groups).toContain('x25519');
  });
});
