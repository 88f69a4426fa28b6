import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { probeQuic } from '../../src/node/probe-quic.ts';
import type { QuicProbeResult } from '../../src/node/probe-quic-types.ts';
import { readTransportParameters } from '../../src/quic/transport-parameters.ts';
import { cli } from '../cli/run.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';

const NAME = 'hellokit.test';
const bounds = { timeoutMs: 5000, idleTimeoutMs: 3000 } as const;

function packetTypes(r: QuicProbeResult, direction: 'sent' | 'received'): string[][] {
  return r.transcript.filter((d) => d.direction === direction).map((d) => d.packets.map((p) => p.type));
}

test('probe --quic with bad input is a usage error (exit 2)', async () => {
  expect((await cli(['probe', '--quic', '127.0.0.1:99999'])).code).toBe(2);
  const keylog = await cli([
    'probe',
    '--quic',
    '127.0.0.1:443',
    '--keylog',
    '/nonexistent-hellokit-dir/keys.log',
  ]);
  expect(keylog.code).toBe(2);
  expect(keylog.stderr).toMatch(/cannot write the key log .*ENOENT/);
  expect((await cli(['probe', '--quic', '127.0.0.1:443', '--groups', 'nosuchgroup'])).code).toBe(2);
});

describePeer('caddy', () => {
  let caddy: Peer;
  let rsa: Peer;
  const at = () => `127.0.0.1:${caddy.port}`;
  beforeAll(async () => {
    [caddy, rsa] = await Promise.all([
      startPeer('caddy', { names: [NAME], http3: true }),
      startPeer('caddy', { names: [NAME], http3: true, cert: 'rsa' }),
    ]);
  });
  afterAll(stopAll);

  test('with http3 Caddy listens on UDP on 127.0.0.1 only', () => {
    const lines = execFileSync('ss', ['-Huln'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(`:${caddy.port} `));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.split(/\s+/)[3]).toBe(`127.0.0.1:${caddy.port}`);
  });

  test('SNI: TLS 1.3 ServerHello with the first AES suite offered and x25519; the Handshake packets give h3, the certificate and a verified Finished', async () => {
    const r = await probeQuic(at(), { ...bounds, serverName: NAME });
    expect(r.outcome).toBe('server_hello');
    expect(r.stopReason).toBe('complete');
    expect(r.finishedVerified).toBe(true);
    expect(r.serverHello!.alpn).toBe('h3');
    expect(r.serverMessages).toEqual([
      'server_hello',
      'encrypted_extensions',
      'certificate',
      'certificate_verify',
      'finished',
    ]);
    expect(r.certificates[0]).toMatchObject({ subject: `CN=${NAME}`, subjectAltNames: [`DNS:${NAME}`] });
    expect(r.certificates[0].publicKey).toMatchObject({ type: 'EC', curve: 'P-256' });
    expect(r.serverHello).toMatchObject({
      version: 0x0304,
      versionName: 'TLS 1.3',
      cipherSuite: 0x1301,
      cipherSuiteName: 'TLS_AES_128_GCM_SHA256',
      group: 0x001d,
      groupName: 'x25519',
    });
    expect(r.transcript[0]).toMatchObject({ direction: 'sent', size: 1200 });
    const received = packetTypes(r, 'received');
    expect(received[0].slice(0, 2)).toEqual(['initial', 'handshake']);
    expect(r.transcript.find((d) => d.direction === 'received')!.packets[0].frames).toContain('crypto');
    expect(r.connectionIds.server).toBeDefined();
    expect(r.conclusion).toBe(
      `TLS 1.3 ServerHello with TLS_AES_128_GCM_SHA256 over x25519; certificate for DNS:${NAME} (EC P-256); Finished verified`,
    );
  });

  test("Caddy's transport parameters, read from its EncryptedExtensions, name both connection IDs (RFC 9000 §7.3)", async () => {
    const destinationConnectionId = fromHex('0a0b0c0d0e0f1011');
    const r = await probeQuic(at(), { ...bounds, serverName: NAME, destinationConnectionId });
    const body = r.encryptedExtensions!.find((e) => e.name === 'quic_transport_parameters')!.body;
    const params = new Map(readTransportParameters(body).map((p) => [p.name, p.value]));
    expect(toHex(params.get('original_destination_connection_id') as Uint8Array)).toBe('0a0b0c0d0e0f1011');
    expect(toHex(params.get('initial_source_connection_id') as Uint8Array)).toBe(
      toHex(r.connectionIds.server!),
    );
    // A server's parameters: no retry_source_connection_id without a Retry, numbers for the limits.
    expect(params.has('retry_source_connection_id')).toBe(false);
    expect(params.get('initial_max_data')).toBeTypeOf('number');
  });

  test('decrypt: false stops at the ServerHello', async () => {
    const r = await probeQuic(at(), { ...bounds, serverName: NAME, decrypt: false });
    expect(r.outcome).toBe('server_hello');
    expect(r.stopReason).toBe('server_hello');
    expect(r.certificates).toEqual([]);
    expect(r.conclusion).toBe(
      'TLS 1.3 ServerHello with TLS_AES_128_GCM_SHA256 over x25519; Handshake packets not decrypted',
    );
  });

  test('an RSA certificate: a flight over more datagrams, read to the verified Finished (AES-256-GCM)', async () => {
    const r = await probeQuic(`127.0.0.1:${rsa.port}`, {
      ...bounds,
      hello: { serverName: NAME, cipherSuites: ['TLS_AES_256_GCM_SHA384'] },
    });
    expect(r.stopReason).toBe('complete');
    expect(r.serverHello!.cipherSuite).toBe(0x1302);
    expect(r.finishedVerified).toBe(true);
    expect(r.certificates[0].publicKey).toMatchObject({ type: 'RSA', size: 2048 });
    const handshakePackets = r.transcript
      .filter((d) => d.direction === 'received')
      .flatMap((d) => d.packets)
      .filter((p) => p.type === 'handshake');
    expect(handshakePackets.length).toBeGreaterThan(1);
    for (const p of handshakePackets) expect(p.note).toBeUndefined();
  });

  test('the server picks what the hello offers: ChaCha20 when it is the only suite, P-256 when it is the only share', async () => {
    const r = await probeQuic(at(), {
      ...bounds,
      hello: {
        serverName: NAME,
        cipherSuites: ['TLS_CHACHA20_POLY1305_SHA256'],
        groups: ['secp256r1'],
        keyShares: ['secp256r1'],
      },
    });
    expect(r.outcome).toBe('server_hello');
    expect(r.serverHello).toMatchObject({ cipherSuite: 0x1303, group: 0x0017 });
    // ChaCha20 header protection (RFC 9001 §5.4.4) opened the Handshake packets.
    expect(r.finishedVerified).toBe(true);
  });

  test('no SNI: Caddy closes with CRYPTO_ERROR 0x150, the TLS alert internal_error (80), as over TCP', async () => {
    const r = await probeQuic(at(), bounds);
    expect(r.outcome).toBe('alert');
    expect(r.alert).toMatchObject({ level: 2, description: 80, name: 'internal_error' });
    expect(r.connectionClose).toMatchObject({ errorCode: 0x150, errorName: 'CRYPTO_ERROR' });
    expect(r.conclusion).toMatch(/^fatal alert internal_error \(80\) — the hello had no SNI/);
  });

  test('a share only for a group Caddy lacks: HelloRetryRequest for x25519, answered in the CRYPTO stream', async () => {
    const hello = { serverName: NAME, groups: ['secp384r1', 'x25519'], keyShares: ['secp384r1'] };
    const stopped = await probeQuic(at(), { ...bounds, hello, retryOnHelloRetryRequest: false });
    expect(stopped.outcome).toBe('hello_retry_request');
    expect(stopped.helloRetryRequest).toMatchObject({ selectedGroup: 0x001d, selectedGroupName: 'x25519' });

    const answered = await probeQuic(at(), { ...bounds, hello });
    expect(answered.outcome).toBe('server_hello');
    expect(answered.retried).toBe(true);
    expect(answered.sent).toHaveLength(2);
    expect(answered.serverHello).toMatchObject({ group: 0x001d });
    expect(answered.serverMessages.slice(0, 2)).toEqual(['hello_retry_request', 'server_hello']);
    expect(answered.finishedVerified).toBe(true);
  });

  test('ALPN http/1.1 only: no_application_protocol (120)', async () => {
    // Go's TLS 1.3 server picks ALPN after writing its ServerHello, so Caddy has a ServerHello
    // queued when it aborts; its QUIC stack sends it before the CONNECTION_CLOSE in about one
    // run in ten (40 runs here: 36 alert only, 4 ServerHello then the alert). Either way the
    // handshake ends on alert 120 and never completes.
    const r = await probeQuic(at(), { ...bounds, hello: { serverName: NAME, alpn: ['http/1.1'] } });
    expect(r.alert).toMatchObject({ description: 120, name: 'no_application_protocol' });
    expect(r.stopReason).toBe('alert');
    expect(r.finishedVerified).toBe(false);
    if (r.outcome === 'server_hello') expect(r.serverMessages).toEqual(['server_hello']);
    else expect(r.outcome).toBe('alert');
  });

  test('an unknown QUIC version: Version Negotiation listing QUIC v1', async () => {
    const r = await probeQuic(at(), { ...bounds, serverName: NAME, version: 0x1a2a3a4a });
    expect(r.outcome).toBe('version_negotiation');
    expect(r.versionNegotiation!.versions).toContain(1);
  });

  test('hellokit probe --quic tells the story; --json uses the TCP probe field names', async () => {
    const story = await cli(['probe', '--quic', at(), '--sni', NAME]);
    expect(story.code).toBe(0);
    const lines = story.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^→ sent ClientHello to 127\.0\.0\.1:\d+ over QUIC \(UDP\): 1200 bytes in 1 Initial datagram, version 0x00000001, 3 suites, SNI hellokit\.test, key shares x25519, secp256r1$/,
    );
    expect(story.stdout).toMatch(/^← ServerHello: TLS 1\.3, TLS_AES_128_GCM_SHA256, x25519, ALPN h3$/m);
    expect(story.stdout).toMatch(
      /^← encrypted_extensions, certificate, certificate_verify, finished \(decrypted; Finished verified\)$/m,
    );
    expect(story.stdout).toMatch(/^ {2}certificate 0: CN=hellokit\.test — DNS:hellokit\.test — EC P-256 — /m);

    const noSni = await cli(['probe', '--quic', at(), '--no-sni']);
    expect(noSni.stdout).toMatch(/^← CONNECTION_CLOSE: TLS alert internal_error \(80\)$/m);

    const dir = mkdtempSync(join(tmpdir(), 'hellokit-quic-keylog-'));
    try {
      const keylog = join(dir, 'keys.log');
      expect((await cli(['probe', '--quic', at(), '--sni', NAME, '--keylog', keylog])).code).toBe(0);
      const labels = readFileSync(keylog, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[0]);
      expect(labels).toEqual(
        expect.arrayContaining(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET']),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const json = JSON.parse((await cli(['probe', '--quic', at(), '--sni', NAME, '--json'])).stdout);
    expect(json.outcome).toBe('server_hello');
    expect(json.transport).toBe('quic');
    expect(json.schema).toBe('hellokit.probe/1');
    expect(json.serverHello).toMatchObject({
      version: 0x0304,
      negotiatedVersion: { code: 0x0304, name: 'TLS 1.3' },
      cipherSuiteName: 'TLS_AES_128_GCM_SHA256',
      group: 0x001d,
    });
    expect(typeof json.timings.totalMs).toBe('number');
    expect(json.transcript[0]).toMatchObject({ direction: 'sent', size: 1200 });
  });
});
