import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectAltNames, summarizeCertificate } from '../../src/node/certificates.ts';

const dir = mkdtempSync(join(tmpdir(), 'hellokit-certs-'));

/** A self-signed certificate made by openssl with `args` for the key and the config text. */
function make(
  name: string,
  keyArgs: string[],
  config: string,
): { der: Uint8Array; pem: string; key: string } {
  const cnf = join(dir, `${name}.cnf`);
  writeFileSync(cnf, `[req]\ndistinguished_name=dn\nprompt=no\n${config}`);
  const certPath = join(dir, `${name}.pem`);
  const keyPath = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...keyArgs,
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '3',
      '-config',
      cnf,
      '-extensions',
      'ext',
    ],
    { stdio: 'ignore' },
  );
  const pem = readFileSync(certPath, 'utf8');
  return { der: new Uint8Array(new X509Certificate(pem).raw), pem, key: readFileSync(keyPath, 'utf8') };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('certificate summaries (Node X509Certificate)', () => {
  it('reads subject, names, validity and an EC P-384 key; IPv6 in its short form; a URI holding ", " stays whole', async () => {
    const c = make(
      'odd',
      ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
      '[dn]\nC=DE\nO=Hello Org, Inc.\nCN=odd.test\n[ext]\nsubjectAltName=@names\n[names]\nURI.1=https://x.test/a, b\nDNS.1=odd.test\nIP.1=2001:db8::1\nIP.2=127.0.0.1\n',
    );
    const s = await summarizeCertificate(c.der);
    expect(s.subject).toBe('C=DE, O=Hello Org\\, Inc., CN=odd.test');
    expect(s.issuer).toBe(s.subject);
    expect(s.selfSigned).toBe(true);
    expect(s.subjectAltNames).toEqual([
      'URI:https://x.test/a, b',
      'DNS:odd.test',
      'IP:2001:db8::1',
      'IP:127.0.0.1',
    ]);
    expect(s.publicKey).toEqual({ type: 'EC', curve: 'P-384', size: 384 });
    const node = new X509Certificate(c.pem);
    expect(s.notBefore).toBe(new Date(node.validFrom).toISOString());
    expect(s.notAfter).toBe(new Date(node.validTo).toISOString());
    expect(Date.parse(s.notAfter) - Date.parse(s.notBefore)).toBe(3 * 86_400_000);
    expect(s.serialNumber).toBe(node.serialNumber.toLowerCase());
    expect(s.sha256).toBe(node.fingerprint256.replaceAll(':', '').toLowerCase());
    expect(s.length).toBe(c.der.length);
  });

  it.each([
    ['RSA', ['-newkey', 'rsa:2048'], { type: 'RSA', size: 2048 }],
    ['RSA-PSS', ['-newkey', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048'], { type: 'RSA-PSS', size: 2048 }],
    ['Ed25519', ['-newkey', 'ed25519'], { type: 'Ed25519', size: 256 }],
    ['Ed448', ['-newkey', 'ed448'], { type: 'Ed448', size: 456 }],
    [
      'P-521',
      ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'],
      { type: 'EC', curve: 'P-521', size: 521 },
    ],
  ])('names a %s key', async (name, keyArgs, key) => {
    const c = make(name, keyArgs, `[dn]\nCN=${name}.test\nOU=a\n+OU=b\n[ext]\nbasicConstraints=CA:FALSE\n`);
    const s = await summarizeCertificate(c.der);
    expect(s.publicKey).toEqual(key);
    expect(s.subject).toBe(`CN=${name}.test, OU=a+OU=b`);
    expect(s.subjectAltNames).toEqual([]);
  });

  it('parses the kinds Node writes and keeps unknown ones as they are', () => {
    expect(subjectAltNames('DNS:a.test, IP Address:0:0:0:0:0:0:0:1, email:x@y.test, DirName:CN=z')).toEqual([
      'DNS:a.test',
      'IP:::1',
      'email:x@y.test',
      'DirName:CN=z',
    ]);
    expect(subjectAltNames(undefined)).toEqual([]);
  });

  it('throws on bytes that are not a certificate', async () => {
    await expect(summarizeCertificate(new Uint8Array([0x30, 0x03, 1, 2, 3]))).rejects.toThrow();
  });
});

describe('probing adds nothing to globalThis or Reflect', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    const c = make(
      'global',
      ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      '[dn]\nCN=global.test\n[ext]\nsubjectAltName=DNS:global.test\n',
    );
    server = createServer({ cert: c.pem, key: c.key, minVersion: 'TLSv1.3' }, (s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('imports hellokit/node, probes a TLS 1.3 server, decrypts and summarises its certificate', async () => {
    const globals = Object.getOwnPropertyNames(globalThis).sort();
    const reflect = Reflect.ownKeys(Reflect).map(String).sort();
    const { probe } = await import('../../src/node/index.ts');
    const result = await probe(`127.0.0.1:${port}`, { hello: { serverName: 'global.test' } });
    expect(result.outcome).toBe('server_hello');
    expect(result.certificates?.[0]?.subjectAltNames).toEqual(['DNS:global.test']);
    expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(globals);
    expect(Reflect.ownKeys(Reflect).map(String).sort()).toEqual(reflect);
  });
});
