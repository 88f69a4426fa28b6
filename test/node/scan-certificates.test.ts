/**
 * Every certificate a server has, found by `hellokit scan` and by the discovery diagnose
 * uses (discoverCertificates over probeFunction), with the certificate checks run on each
 * chain. Real servers: nginx with ECDSA and RSA certificates, Node's TLS server (OpenSSL)
 * with a valid ECDSA and an expired RSA certificate, a CBC-only TLS 1.2 GnuTLS, and Caddy
 * (Go), which answers some hellos with a ServerHello, its certificate and then a fatal alert.
 * The truths were settled with `openssl s_client -sigalgs ECDSA+SHA256` / `-sigalgs RSA-PSS+SHA256`
 * (TLS 1.3), which get the EC and the RSA certificate of the dual servers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, expect, test } from 'vitest';
import { discoverCertificates } from '../../src/diagnose/certificate-discovery.ts';
import { chainCertificateChecks } from '../../src/diagnose/certificates.ts';
import type { ProbeSpec } from '../../src/diagnose/types.ts';
import { probeFunction } from '../../src/node/diagnose.ts';
import { scanTarget } from '../../src/node/scan.ts';
import { selfSignedCertificate } from '../../src/node/self-signed.ts';
import { describePeer, startPeer, stopAll } from '../peers/index.ts';

const NAME = 'hellokit.test';
const DAY = 86_400_000;
const servers: Server[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await stopAll();
});

/** Node's TLS server (OpenSSL) on 127.0.0.1 with these certificates and keys (PEM). */
async function tlsServer(cert: string[], key: string[]): Promise<string> {
  const server = createServer({ cert, key }, (s) => s.end());
  server.on('tlsClientError', () => undefined);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A self-signed certificate for NAME with a key made by `openssl req -newkey <newkey>`. */
function opensslCertificate(newkey: string[]): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-scan-cert-'));
  dirs.push(dir);
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  execFileSync(
    'openssl',
    ['req', '-x509', ...newkey, '-nodes', '-days', '30', '-subj', `/CN=${NAME}`].concat([
      '-addext',
      `subjectAltName=DNS:${NAME}`,
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'pipe' },
  );
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

/** The hellos a server accepts in TLS 1.3 and 1.2 (what a scan hands the discovery). */
const accepted: ProbeSpec[] = [
  {
    id: 'accepted.1.3',
    label: 'TLS 1.3',
    serverName: NAME,
    versions: [0x0304],
    cipherSuites: [0x1301, 0x1302, 0x1303],
    groups: [0x001d],
  },
  {
    id: 'accepted.1.2',
    label: 'TLS 1.2',
    serverName: NAME,
    versions: [0x0303],
    cipherSuites: [0xc02b, 0xc02f, 0xc02c, 0xc030],
    groups: [0x001d, 0x0017],
  },
];

describePeer('nginx', () => {
  test('ECDSA and RSA certificates: scan reports both chains, each with the TLS 1.3 and 1.2 hellos that got it', async () => {
    const peer = await startPeer('nginx', { names: [NAME], cert: 'both' });
    const r = await scanTarget(`${peer.host}:${peer.port}`, { serverName: NAME });
    expect(r.certificates.map((c) => c.keyType).sort()).toEqual(['EC P-256', 'RSA 2048']);
    const fingerprints = peer.certificates
      .map((c) => c.fingerprint256.replace(/:/g, '').toLowerCase())
      .sort();
    expect(r.certificates.map((c) => c.certificates[0].sha256).sort()).toEqual(fingerprints);
    for (const chain of r.certificates) {
      const versions = new Set(chain.hellos.map((h) => h.version));
      expect(versions).toEqual(new Set(['TLS 1.3', 'TLS 1.2']));
      expect(chain.hellos.some((h) => h.serverName === null)).toBe(true);
    }
    const rsa = r.certificates.find((c) => c.keyType === 'RSA 2048');
    expect(rsa?.hellos.every((h) => /RSA/.test(h.label))).toBe(true);
    await peer.stop();
  }, 120_000);
});

describePeer('node', () => {
  test('a valid ECDSA and an expired RSA certificate: the RSA chain alone gets cert_expired, naming its chain', async () => {
    const ecdsa = await selfSignedCertificate([NAME]);
    // An RSA-2048 certificate that expired 10 days ago.
    const rsa = await selfSignedCertificate([NAME], {
      keyType: 'rsa-2048',
      notBefore: new Date(Date.now() - 40 * DAY),
      notAfter: new Date(Date.now() - 10 * DAY),
    });
    const target = await tlsServer([ecdsa.cert, rsa.cert], [ecdsa.key, rsa.key]);

    const chains = await discoverCertificates(probeFunction(target), { serverName: NAME, accepted });
    expect(chains.map((c) => (c.certificates[0].publicKey as { type: string }).type).sort()).toEqual([
      'EC',
      'RSA',
    ]);
    const checks = chainCertificateChecks(NAME, chains, Date.now());
    const expired = checks.filter((c) => c.id === 'cert_expired');
    expect(expired).toHaveLength(1);
    expect(expired[0].chain.keyType).toBe('RSA 2048');
    expect(expired[0].explanation).toMatch(
      /^The RSA 2048 certificate expired on \d{4}-\d\d-\d\d, (9|10) days ago/,
    );
    expect(expired[0].chain.hellos).toContain('cert.tls13.rsa.sni');
    expect(expired[0].chain.hellos).toContain('cert.tls12.rsa.sni');
    // The ECDSA chain is only self-signed.
    const ec = checks.filter((c) => c.chain.keyType === 'EC P-256').map((c) => c.id);
    expect(ec).toEqual(['cert_self_signed']);

    const r = await scanTarget(target, { serverName: NAME });
    expect(r.certificates.map((c) => c.keyType).sort()).toEqual(['EC P-256', 'RSA 2048']);
    expect(
      Date.parse(r.certificates.find((c) => c.keyType === 'RSA 2048')!.certificates[0].notAfter),
    ).toBeLessThan(Date.now());
  }, 120_000);
});

describePeer('node', () => {
  // openssl s_client -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 against an RSA-PSS key: with
  // -sigalgs rsa_pss_pss_sha256 it connects (Peer signature type RSA-PSS), with
  // rsa_pss_rsae_sha256:RSA+SHA256 it gets alert 40. So the scan's hellos offer rsa_pss_pss too.
  test('Ed25519 and RSA-PSS keys: both chains, in TLS 1.3 and 1.2, and the ECDHE-RSA suites an RSA-PSS key signs', async () => {
    const ed = opensslCertificate(['-newkey', 'ed25519']);
    const pss = opensslCertificate(['-newkey', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048']);
    const r = await scanTarget(await tlsServer([ed.cert, pss.cert], [ed.key, pss.key]), { serverName: NAME });
    expect(r.certificates.map((c) => c.keyType).sort()).toEqual(['Ed25519', 'RSA-PSS 2048']);
    for (const c of r.certificates) {
      expect(new Set(c.hellos.map((h) => h.version)), c.keyType).toEqual(new Set(['TLS 1.3', 'TLS 1.2']));
    }
    const tls12 = r.versions.find((v) => v.version === 'TLS 1.2')?.cipherSuites.map((s) => s.code);
    expect(tls12).toContain(0xc02f);
    expect(tls12).toContain(0xc02b);
  }, 120_000);
});

describePeer('gnutls', () => {
  test('a TLS 1.2-only server with CBC suites only: the certificate is found with its CBC hellos', async () => {
    const peer = await startPeer('gnutls', {
      names: [NAME],
      versions: ['TLS1.2'],
      ciphers: ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
    });
    const r = await scanTarget(`${peer.host}:${peer.port}`, { serverName: NAME });
    const tls12 = r.versions.find((v) => v.version === 'TLS 1.2');
    expect(tls12?.cipherSuites.every((s) => s.name.includes('_CBC_'))).toBe(true);
    expect(r.versions.find((v) => v.version === 'TLS 1.3')?.supported).toBe(false);
    expect(r.certificates.map((c) => c.keyType)).toEqual(['EC P-256']);
    expect(r.certificates[0].certificates[0].sha256).toBe(
      peer.certificates[0].fingerprint256.replace(/:/g, '').toLowerCase(),
    );
    expect(
      r.certificates[0].hellos.every((h) => h.version === 'TLS 1.2' && h.cipherSuite.includes('_CBC_')),
    ).toBe(true);
    await peer.stop();
  }, 120_000);
});

// Go (Caddy) in TLS 1.2 sends its ServerHello and Certificate before it finds no offered
// signature scheme it can sign with, then alert 40 (openssl s_client -tls1_2 -sigalgs ed25519
// -msg shows ServerHello, Certificate, fatal handshake_failure). That hello is refused: the
// ECDSA chain is not reported as got by it.
describePeer('caddy', () => {
  test('a ServerHello and certificate followed by a fatal alert is a refusal: the hello does not count', async () => {
    const peer = await startPeer('caddy', { names: [NAME] });
    const target = `${peer.host}:${peer.port}`;
    const eddsa = await probeFunction(target)({
      id: 'eddsa',
      label: 'TLS 1.2, EdDSA signature_algorithms only',
      serverName: NAME,
      versions: [0x0303],
      cipherSuites: [0xc02b],
      groups: [0x001d, 0x0017],
      signatureAlgorithms: [0x0807, 0x0808],
      readCertificates: true,
    });
    expect(eddsa.outcome).toBe('server_hello');
    expect(eddsa.certificates).toHaveLength(1);
    expect(eddsa.alert).toMatchObject({ level: 2, description: 40 });
    const r = await scanTarget(target, { serverName: NAME });
    expect(r.certificates.map((c) => c.keyType)).toEqual(['EC P-256']);
    const probes = r.certificates[0].hellos.map((h) => h.probe);
    expect(probes).toContain('cert.tls12.ecdsa_p256.sni');
    expect(probes).not.toContain('cert.tls12.eddsa.sni');
    await peer.stop();
  }, 120_000);
});
