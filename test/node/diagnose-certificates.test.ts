/**
 * diagnose's certificate findings against real servers: nginx with the harness's certificates,
 * and Node's TLS server (OpenSSL) with certificates made for the case — an expired one, and a
 * CA-issued one sent with and without its issuer.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, describe, expect, test } from 'vitest';
import type { Diagnosis } from '../../src/diagnose/types.ts';
import { diagnoseTarget } from '../../src/node/diagnose.ts';
import { selfSignedCertificate } from '../../src/node/self-signed.ts';
import { describePeer, startPeer, stopAll } from '../peers/index.ts';

const NAME = 'hellokit.test';
const servers: Server[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await stopAll();
});

const ids = (d: Diagnosis) => d.findings.map((f) => f.id);
const diagnose = (at: string, serverName = NAME) => diagnoseTarget(at, { serverName, timeoutMs: 30_000 });

/** Node's TLS server on 127.0.0.1 with `cert` (PEM, leaf first) and `key`. */
async function tlsServer(cert: string, key: string): Promise<string> {
  const server = createServer({ cert, key }, (s) => s.end());
  server.on('tlsClientError', () => undefined);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A CA and a leaf for NAME it issued, made with openssl (P-256, valid 30 days). */
function caIssued(): { ca: string; leaf: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-ca-'));
  dirs.push(dir);
  const p = (f: string) => join(dir, f);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '30',
    '-subj',
    '/CN=hellokit test CA',
  );
  writeFileSync(p('ext.cnf'), `subjectAltName=DNS:${NAME}\nbasicConstraints=CA:FALSE\n`);
  openssl('req', ...ec, '-keyout', p('leaf.key'), '-out', p('leaf.csr'), '-subj', `/CN=${NAME}`);
  openssl(
    'x509',
    '-req',
    '-in',
    p('leaf.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-days',
    '30',
    '-out',
    p('leaf.pem'),
    '-extfile',
    p('ext.cnf'),
  );
  return {
    ca: readFileSync(p('ca.pem'), 'utf8'),
    leaf: readFileSync(p('leaf.pem'), 'utf8'),
    key: readFileSync(p('leaf.key'), 'utf8'),
  };
}

describePeer('nginx', () => {
  test('a name the certificate does not cover is cert_name_mismatch; the harness certificate is self-signed', async () => {
    const peer = await startPeer('nginx', { names: [NAME] });
    const d = await diagnose(`${peer.host}:${peer.port}`, 'other.hellokit.test');
    const mismatch = d.findings.find((f) => f.id === 'cert_name_mismatch');
    expect(mismatch).toMatchObject({ severity: 'error', subjectAltNames: [`DNS:${NAME}`] });
    expect(mismatch?.explanation).toMatch(/does not cover that name \(it names DNS:hellokit\.test\)/);
    expect(ids(d)).toContain('cert_self_signed');
    // With the right name the certificate is only self-signed.
    const right = await diagnose(`${peer.host}:${peer.port}`);
    expect(ids(right)).toContain('cert_self_signed');
    expect(ids(right)).not.toContain('cert_name_mismatch');
    await peer.stop();
  }, 60_000);

  test('a default certificate for another name, sent to hellos without SNI, is cert_without_sni', async () => {
    const peer = await startPeer('nginx', { names: ['default.hellokit.test', NAME] });
    const d = await diagnose(`${peer.host}:${peer.port}`);
    expect(ids(d)).toContain('sni_optional');
    const f = d.findings.find((x) => x.id === 'cert_without_sni');
    expect(f).toMatchObject({ severity: 'warning', subjectAltNames: ['DNS:default.hellokit.test'] });
    // The evidence is the certificate-discovery hellos sent without SNI that got this chain.
    const probes = f?.evidence.map((e) => e.probe) ?? [];
    expect(probes.length).toBeGreaterThan(0);
    for (const p of probes) expect(p).toMatch(/^cert\..*\.nosni$/);
    await peer.stop();
  }, 60_000);
});

describePeer('node', () => {
  describe('certificates made for the case, served by Node (OpenSSL)', () => {
    test('an expired certificate is cert_expired, an error', async () => {
      const day = 86_400_000;
      const { cert, key } = await selfSignedCertificate([NAME], {
        notBefore: new Date(Date.now() - 40 * day),
        notAfter: new Date(Date.now() - 10 * day),
      });
      const d = await diagnose(await tlsServer(cert, key));
      const f = d.findings.find((x) => x.id === 'cert_expired');
      expect(f?.severity).toBe('error');
      expect(f?.explanation).toMatch(/expired on \d{4}-\d\d-\d\d, (9|10) days ago/);
    }, 60_000);

    test('a CA-issued certificate without its issuer is cert_chain; with it, all is well', async () => {
      const { ca, leaf, key } = caIssued();
      const alone = await diagnose(await tlsServer(leaf, key));
      expect(alone.findings.find((x) => x.id === 'cert_chain')).toMatchObject({
        severity: 'warning',
        issuer: 'CN=hellokit test CA',
      });
      const chained = await diagnose(await tlsServer(leaf + ca, key));
      const ok = chained.findings.filter((x) => x.id.startsWith('cert'));
      expect(ok.map((x) => x.id)).toEqual(['certificate']);
      expect(ok[0]).toMatchObject({ severity: 'info', chainLength: 2 });
    }, 60_000);
  });
});
