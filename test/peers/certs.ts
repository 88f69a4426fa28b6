import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CertKind, PeerCertificate } from './types.ts';

const run = promisify(execFile);

type KeyType = PeerCertificate['keyType'];

const keyArgs: Record<KeyType, string[]> = {
  'ecdsa-p256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'ecdsa-p384': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  'rsa-2048': ['-newkey', 'rsa:2048'],
};

let dir: string | undefined;
const cache = new Map<string, Promise<PeerCertificate>>();

function certDir(): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'hellokit-certs-'));
    process.once('exit', removeCertificates);
  }
  return dir;
}

/** The key types a `cert` option stands for. */
export function keyTypesFor(kind: CertKind | undefined): KeyType[] {
  switch (kind ?? 'ecdsa') {
    case 'ecdsa':
      return ['ecdsa-p256'];
    case 'ecdsa-p384':
      return ['ecdsa-p384'];
    case 'rsa':
      return ['rsa-2048'];
    case 'both':
      return ['ecdsa-p256', 'rsa-2048'];
    default:
      throw new RangeError(`unknown cert kind "${kind}"`);
  }
}

/**
 * A self-signed certificate for `name` (CN and the only DNS SAN), made with the openssl
 * command line into a temp dir and cached for the rest of the test run.
 * @example const cert = await certificate('hellokit.test', 'ecdsa-p256');
 */
export function certificate(name: string, keyType: KeyType): Promise<PeerCertificate> {
  if (!/^[A-Za-z0-9.-]+$/.test(name)) throw new RangeError(`certificate name "${name}" must be a DNS name`);
  const key = `${keyType}:${name}`;
  let made = cache.get(key);
  if (!made) {
    made = make(name, keyType);
    cache.set(key, made);
    made.catch(() => cache.delete(key));
  }
  return made;
}

async function make(name: string, keyType: KeyType): Promise<PeerCertificate> {
  const base = join(certDir(), `${name}.${keyType}`);
  const certPath = `${base}.crt`;
  const keyPath = `${base}.key`;
  await run('openssl', [
    'req',
    '-x509',
    ...keyArgs[keyType],
    '-nodes',
    '-sha256',
    '-days',
    '30',
    '-subj',
    `/CN=${name}`,
    '-addext',
    `subjectAltName=DNS:${name}`,
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  const pem = readFileSync(certPath, 'utf8');
  return { name, keyType, certPath, keyPath, pem, fingerprint256: new X509Certificate(pem).fingerprint256 };
}

/** Certificates for every name × key type of `kind`, names first. */
export async function certificates(names: string[], kind: CertKind | undefined): Promise<PeerCertificate[]> {
  const types = keyTypesFor(kind);
  return Promise.all(names.flatMap((name) => types.map((t) => certificate(name, t))));
}

/** Removes the cached certificates (they are made again on the next request). */
export function removeCertificates(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  cache.clear();
}
