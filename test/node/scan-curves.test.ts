/**
 * TLS 1.2 curves and DHE as `hellokit scan` finds them on real servers. The truths were settled
 * with `openssl s_client -tls1_2 -groups …` against the same configurations: OpenSSL with a
 * P-256 ECDSA certificate refuses `-groups X25519` and `-groups P-384` alone (alert 40) and
 * takes `X25519:P-256` (Server Temp Key X25519) and `P-384:P-256` (secp384r1). GnuTLS's RFC 7919
 * groups in TLS 1.2 were settled with `gnutls-cli --priority …:+DHE-RSA:-GROUP-ALL:+GROUP-FFDHE3072`
 * (Description `(DHE-FFDHE3072)`); openssl s_client sends no FFDHE group in a TLS 1.2-only hello.
 */
import { afterAll, expect, test } from 'vitest';
import { scanTarget } from '../../src/node/scan.ts';
import type { ScanResult } from '../../src/scan/scan.ts';
import { describePeer, startPeer, stopAll } from '../peers/index.ts';

afterAll(stopAll);

const NAME = 'hellokit.test';
const tls12 = (r: ScanResult) => r.versions.find((v) => v.version === 'TLS 1.2');

describePeer('nginx', () => {
  test('ECDSA P-256 certificate with ssl_ecdh_curve X25519:secp384r1: both curves found, both need secp256r1', async () => {
    const peer = await startPeer('nginx', { names: [NAME], groups: ['x25519', 'secp384r1'] });
    const r = await scanTarget(`${peer.host}:${peer.port}`, { serverName: NAME });
    const v = tls12(r);
    expect([...(v?.groups ?? [])].sort()).toEqual(['secp384r1', 'x25519']);
    expect([...(v?.groupsNeedingCompany ?? [])].sort((a, b) => a.group.localeCompare(b.group))).toEqual([
      { group: 'secp384r1', with: 'secp256r1' },
      { group: 'x25519', with: 'secp256r1' },
    ]);
    await peer.stop();
  }, 120_000);

  test("nginx's default curves with an ECDSA P-256 certificate: all five, and all but secp256r1 need it", async () => {
    const peer = await startPeer('nginx', { names: [NAME] });
    const r = await scanTarget(`${peer.host}:${peer.port}`, { serverName: NAME });
    const v = tls12(r);
    expect([...(v?.groups ?? [])].sort()).toEqual(['secp256r1', 'secp384r1', 'secp521r1', 'x25519', 'x448']);
    expect(v?.groupsNeedingCompany.map((g) => g.group).sort()).toEqual([
      'secp384r1',
      'secp521r1',
      'x25519',
      'x448',
    ]);
    expect(v?.groupsNeedingCompany.every((g) => g.with === 'secp256r1')).toBe(true);
    await peer.stop();
  }, 120_000);

  test('with ECDSA and RSA certificates no curve needs company (ECDHE-RSA suites work without it)', async () => {
    const peer = await startPeer('nginx', { names: [NAME], cert: 'both', groups: ['x25519', 'secp384r1'] });
    const r = await scanTarget(`${peer.host}:${peer.port}`, { serverName: NAME });
    expect([...(tls12(r)?.groups ?? [])].sort()).toEqual(['secp384r1', 'x25519']);
    expect(tls12(r)?.groupsNeedingCompany).toEqual([]);
    await peer.stop();
  }, 120_000);
});

describePeer('openssl', () => {
  test('only X448 and P-521: found in TLS 1.2 and 1.3, and the P-256 certificate too', async () => {
    const peer = await startPeer('openssl', { names: [NAME], groups: ['x448', 'secp521r1'] });
    const r = await scanTarget(`${peer.host}:${peer.port}`, { serverName: NAME });
    expect([...(tls12(r)?.groups ?? [])].sort()).toEqual(['secp521r1', 'x448']);
    expect(tls12(r)?.groupsNeedingCompany.map((g) => g.with)).toEqual(['secp256r1', 'secp256r1']);
    expect([...(r.versions.find((v) => v.version === 'TLS 1.3')?.groups ?? [])].sort()).toEqual([
      'secp521r1',
      'x448',
    ]);
    expect(r.certificates.map((c) => c.keyType)).toEqual(['EC P-256']);
    const hellos = r.certificates[0].hellos;
    expect(hellos.some((h) => h.version === 'TLS 1.3')).toBe(true);
    expect(hellos.some((h) => h.version === 'TLS 1.2')).toBe(true);
    await peer.stop();
  }, 120_000);
});

describePeer('gnutls', () => {
  test('TLS 1.2 DHE: the 2048-bit parameters and the RFC 7919 groups GnuTLS takes from supported_groups', async () => {
    const peer = await startPeer('gnutls', { names: [NAME], versions: ['TLS1.2'], cert: 'rsa' });
    const r = await scanTarget(`${peer.host}:${peer.port}`, { serverName: NAME });
    const dhe = tls12(r)?.dhe;
    expect(dhe?.bits).toBe(2048);
    expect(dhe?.groups).toEqual(['ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192']);
    expect(r.versions.find((v) => v.version === 'TLS 1.3')?.supported).toBe(false);
    await peer.stop();
  }, 120_000);
});
