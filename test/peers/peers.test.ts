import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type HandshakeResult, handshake } from './handshake.ts';
import {
  describePeer,
  type Peer,
  type PeerKind,
  type PeerOptions,
  peerKinds,
  withPeer as sharedWithPeer,
  startPeer,
  stopAll,
} from './index.ts';
import { freePort, launch } from './process.ts';

// Alert numbers (RFC 8446 §6): what each server was seen to send.
const internalError = 80;
const unrecognizedName = 112;
const handshakeFailure = 40;
const protocolVersion = 70;

const started: Peer[] = [];

async function withPeer(
  kind: PeerKind,
  options: PeerOptions,
  fn: (peer: Peer) => Promise<void>,
): Promise<void> {
  await sharedWithPeer(kind, options, (peer) => {
    started.push(peer);
    return fn(peer);
  });
}

function expectCertificate(result: HandshakeResult, peer: Peer, name: string): void {
  if (!result.ok) throw new Error(`expected a handshake, got ${result.code}: ${result.message}`);
  expect(result.certificate.subject.CN).toBe(name);
  expect(result.certificate.subjectaltname).toBe(`DNS:${name}`);
  const served = peer.certificates.filter((c) => c.name === name).map((c) => c.fingerprint256);
  expect(served).toContain(result.certificate.fingerprint256);
}

function expectAlert(result: HandshakeResult, alert: number): void {
  if (result.ok)
    throw new Error(
      `expected alert ${alert}, but the handshake completed (CN=${result.certificate.subject.CN})`,
    );
  expect(result.alert, result.message).toBe(alert);
}

/** What a hello without SNI gets from each server in its default configuration. */
const noSniDefault: Record<PeerKind, 'default certificate' | number> = {
  caddy: internalError,
  nginx: 'default certificate',
  haproxy: 'default certificate',
  openssl: 'default certificate',
  gnutls: 'default certificate',
  node: 'default certificate',
};

/** With `requireSni: true`: [hello without SNI, hello naming an unknown host]. 'reset' = closed without an alert. */
const requireSni: Record<PeerKind, [string | number, string | number]> = {
  caddy: [internalError, internalError],
  nginx: [unrecognizedName, unrecognizedName],
  haproxy: [unrecognizedName, unrecognizedName],
  // s_server and gnutls-serv only check a name that is sent.
  openssl: ['default certificate', unrecognizedName],
  gnutls: ['default certificate', unrecognizedName],
  // Without a default certificate OpenSSL finds no usable certificate; an SNICallback error drops the connection.
  node: [handshakeFailure, 'reset'],
};

/** The alert a server sends when the client's versions and its own do not overlap. */
const versionMismatch: Record<PeerKind, number> = {
  caddy: protocolVersion,
  nginx: protocolVersion,
  haproxy: protocolVersion,
  openssl: protocolVersion,
  gnutls: handshakeFailure,
  node: protocolVersion,
};

function expectOutcome(result: HandshakeResult, peer: Peer, expected: string | number): void {
  if (expected === 'default certificate') expectCertificate(result, peer, peer.names[0]);
  else if (expected === 'reset') {
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe('ECONNRESET');
  } else expectAlert(result, expected as number);
}

for (const kind of peerKinds) {
  describePeer(kind, () => {
    test('serves each name its own certificate over TLS 1.3', async () => {
      await withPeer(kind, { names: ['hellokit.test', 'other.test'] }, async (peer) => {
        expect(peer.software).not.toBe('');
        for (const name of peer.names) {
          const result = await handshake(peer, { servername: name });
          expectCertificate(result, peer, name);
          expect(result.ok && result.protocol).toBe('TLSv1.3');
        }
      });
    });

    test(`answers a hello without SNI with ${noSniDefault[kind]}`, async () => {
      await withPeer(kind, {}, async (peer) => {
        expectOutcome(await handshake(peer, {}), peer, noSniDefault[kind]);
      });
    });

    test('with requireSni: false, serves the first name to a hello without SNI', async () => {
      await withPeer(kind, { names: ['hellokit.test', 'other.test'], requireSni: false }, async (peer) => {
        expectCertificate(await handshake(peer, {}), peer, 'hellokit.test');
      });
    });

    test(`with requireSni: no SNI → ${requireSni[kind][0]}, unknown name → ${requireSni[kind][1]}`, async () => {
      await withPeer(kind, { requireSni: true }, async (peer) => {
        expectCertificate(await handshake(peer, { servername: 'hellokit.test' }), peer, 'hellokit.test');
        expectOutcome(await handshake(peer, {}), peer, requireSni[kind][0]);
        expectOutcome(await handshake(peer, { servername: 'unknown.test' }), peer, requireSni[kind][1]);
      });
    });

    test('restricted to P-384, negotiates secp384r1 (after a HelloRetryRequest in TLS 1.3)', async () => {
      await withPeer(kind, { groups: ['P-384'] }, async (peer) => {
        // Node's client sends an X25519 key share only, so TLS 1.3 needs a HelloRetryRequest here.
        for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
          const result = await handshake(peer, { servername: 'hellokit.test', maxVersion });
          expectCertificate(result, peer, 'hellokit.test');
          expect(result.ok && result.ephemeralKey?.name).toBe('secp384r1');
        }
        expectAlert(
          await handshake(peer, { servername: 'hellokit.test', ecdhCurve: 'X25519' }),
          handshakeFailure,
        );
      });
    });

    test('restricted to TLS 1.2, negotiates TLS 1.2 and refuses a TLS 1.3-only client', async () => {
      await withPeer(kind, { versions: ['TLS1.2'] }, async (peer) => {
        const result = await handshake(peer, { servername: 'hellokit.test' });
        expect(result.ok && result.protocol).toBe('TLSv1.2');
        expectAlert(
          await handshake(peer, { servername: 'hellokit.test', minVersion: 'TLSv1.3' }),
          versionMismatch[kind],
        );
      });
    });

    test('restricted to TLS 1.3, refuses a TLS 1.2-only client', async () => {
      await withPeer(kind, { versions: ['TLS1.3'] }, async (peer) => {
        const result = await handshake(peer, { servername: 'hellokit.test' });
        expect(result.ok && result.protocol).toBe('TLSv1.3');
        expectAlert(
          await handshake(peer, { servername: 'hellokit.test', maxVersion: 'TLSv1.2' }),
          versionMismatch[kind],
        );
      });
    });

    test('with only an ECDSA certificate, refuses a TLS 1.2 hello offering only RSA-auth suites', async () => {
      await withPeer(kind, { cert: 'ecdsa' }, async (peer) => {
        const rsaOnly = {
          servername: 'hellokit.test',
          maxVersion: 'TLSv1.2',
          ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256',
        } as const;
        expectAlert(await handshake(peer, rsaOnly), handshakeFailure);
        const ecdsa = await handshake(peer, { ...rsaOnly, ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
        expect(ecdsa.ok && ecdsa.cipher).toBe('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
      });
    });

    test('serves a P-384 and an RSA-2048 certificate', async () => {
      await withPeer(kind, { cert: 'ecdsa-p384' }, async (peer) => {
        const result = await handshake(peer, { servername: 'hellokit.test' });
        expectCertificate(result, peer, 'hellokit.test');
        expect(result.ok && result.certificate.asn1Curve).toBe('secp384r1');
      });
      await withPeer(kind, { cert: 'rsa' }, async (peer) => {
        const result = await handshake(peer, { servername: 'hellokit.test' });
        expectCertificate(result, peer, 'hellokit.test');
        expect(result.ok && result.certificate.bits).toBe(2048);
      });
    });

    if (kind !== 'caddy') {
      test('restricted to one suite per version, negotiates those suites', async () => {
        const ciphers = ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'];
        await withPeer(kind, { ciphers }, async (peer) => {
          const tls13 = await handshake(peer, { servername: 'hellokit.test' });
          expect(tls13.ok && tls13.cipher).toBe('TLS_CHACHA20_POLY1305_SHA256');
          const tls12 = await handshake(peer, { servername: 'hellokit.test', maxVersion: 'TLSv1.2' });
          expect(tls12.ok && tls12.cipher).toBe('TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256');
        });
      });
    }

    if (kind !== 'openssl') {
      test('with cert "both", serves RSA to a client that cannot verify ECDSA', async () => {
        await withPeer(kind, { cert: 'both' }, async (peer) => {
          const ecdsa = await handshake(peer, { servername: 'hellokit.test' });
          expect(ecdsa.ok && ecdsa.certificate.asn1Curve).toBe('prime256v1');
          const rsa = await handshake(peer, {
            servername: 'hellokit.test',
            sigalgs: 'rsa_pss_rsae_sha256:rsa_pkcs1_sha256',
          });
          expectCertificate(rsa, peer, 'hellokit.test');
          expect(rsa.ok && rsa.certificate.bits).toBe(2048);
        });
      });
    }

    if (kind !== 'nginx') {
      test('offers the configured ALPN protocols', async () => {
        await withPeer(kind, { alpn: ['h2', 'http/1.1'] }, async (peer) => {
          const result = await handshake(peer, { servername: 'hellokit.test', ALPNProtocols: ['http/1.1'] });
          expect(result.ok && result.alpn).toBe('http/1.1');
        });
      });
    }
  });
}

describe('the harness', () => {
  test("fails a start with the server's stderr when the server exits before accepting", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hellokit-launch-'));
    const port = await freePort();
    const start = launch({
      label: 'dying',
      command: 'sh',
      args: ['-c', 'echo no such option >&2; exit 3'],
      dir,
      host: '127.0.0.1',
      port,
    });
    await expect(start).rejects.toThrow(/dying exited before accepting[\s\S]*no such option/);
    expect(existsSync(dir)).toBe(false);
  });

  test('rejects an unknown peer kind', async () => {
    await expect(startPeer('apache' as PeerKind)).rejects.toThrow(TypeError);
  });
});

afterAll(async () => {
  await stopAll();
  // No server process and no network namespace may outlive the suite.
  for (const peer of started) {
    if (peer.pid === process.pid) continue;
    expect(() => process.kill(peer.pid, 0), `${peer.kind} pid ${peer.pid} still running`).toThrow();
  }
  if (started.some((p) => p.kind === 'gnutls')) {
    const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    expect(namespaces).not.toContain(`hk-${process.pid}-`);
  }
});
