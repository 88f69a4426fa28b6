import { execFile } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CertKeyType, CertKind, CertValidity, PeerCertificate, PeerOptions } from './types.ts';

const run = promisify(execFile);

type KeyType = CertKeyType;

const keyArgs: Record<KeyType, string[]> = {
  'ecdsa-p256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'ecdsa-p384': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  'ecdsa-p521': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  'rsa-2048': ['-newkey', 'rsa:2048'],
  'rsa-pss-2048': ['-newkey', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048'],
  ed25519: ['-newkey', 'ed25519'],
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
    case 'ecdsa-p521':
      return ['ecdsa-p521'];
    case 'rsa':
      return ['rsa-2048'];
    case 'rsa-pss':
      return ['rsa-pss-2048'];
    case 'ed25519':
      return ['ed25519'];
    case 'both':
      return ['ecdsa-p256', 'rsa-2048'];
    default:
      throw new RangeError(`unknown cert kind "${kind}"`);
  }
}

/**
 * A self-signed certificate for `name` (CN and the only DNS SAN), made with the openssl
 * command line into a temp dir and cached for the rest of the test run. Valid from now for
 * 30 days, or for `validity` (days from now; a past end makes an expired certificate).
 * @example const cert = await certificate('hellokit.test', 'ecdsa-p256');
 * @example const expired = await certificate('hellokit.test', 'rsa-2048', { notBeforeDays: -40, notAfterDays: -10 });
 */
export function certificate(
  name: string,
  keyType: KeyType,
  validity?: CertValidity,
): Promise<PeerCertificate> {
  if (!/^[A-Za-z0-9.-]+$/.test(name)) throw new RangeError(`certificate name "${name}" must be a DNS name`);
  if (validity && !(validity.notBeforeDays < validity.notAfterDays))
    throw new RangeError(`certificate validity: notBeforeDays must come before notAfterDays`);
  const key = validity
    ? `${keyType}:${name}:${validity.notBeforeDays}:${validity.notAfterDays}`
    : `${keyType}:${name}`;
  let made = cache.get(key);
  if (!made) {
    made = validity ? makeDated(name, keyType, validity) : make(name, keyType);
    cache.set(key, made);
    made.catch(() => cache.delete(key));
  }
  return made;
}

/** `openssl req` arguments for a new unencrypted key in `keyPath` and the subject `name` (CN and DNS SAN). */
function newKey(name: string, keyType: KeyType, keyPath: string): string[] {
  return [
    ...keyArgs[keyType],
    '-nodes',
    '-subj',
    `/CN=${name}`,
    '-addext',
    `subjectAltName=DNS:${name}`,
    '-keyout',
    keyPath,
  ];
}

async function make(name: string, keyType: KeyType): Promise<PeerCertificate> {
  const base = join(certDir(), `${name}.${keyType}`);
  const certPath = `${base}.crt`;
  const keyPath = `${base}.key`;
  await run('openssl', [
    'req',
    '-x509',
    ...newKey(name, keyType, keyPath),
    '-sha256',
    '-days',
    '30',
    '-out',
    certPath,
  ]);
  return loaded(name, keyType, certPath, keyPath);
}

function loaded(name: string, keyType: KeyType, certPath: string, keyPath: string): PeerCertificate {
  const pem = readFileSync(certPath, 'utf8');
  const x509 = new X509Certificate(pem);
  return {
    name,
    keyType,
    certPath,
    keyPath,
    pem,
    fingerprint256: x509.fingerprint256,
    notAfter: new Date(x509.validTo).toISOString(),
  };
}

/** `openssl ca` time: YYMMDDHHMMSSZ, `days` from now. */
function caTime(days: number): string {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`;
}

/**
 * A self-signed certificate with chosen dates. OpenSSL 3.0's `req -x509` starts every
 * certificate now, so this one is signed by `openssl ca -selfsign`, which takes any
 * `-startdate`/`-enddate` (a minimal CA database lives next to the certificate).
 */
async function makeDated(name: string, keyType: KeyType, validity: CertValidity): Promise<PeerCertificate> {
  const base = join(certDir(), `${name}.${keyType}.${validity.notBeforeDays}_${validity.notAfterDays}`);
  const [certPath, keyPath, csrPath, conf] = ['crt', 'key', 'csr', 'cnf'].map((e) => `${base}.${e}`);
  writeFileSync(`${base}.index`, '');
  writeFileSync(`${base}.serial`, `${randomSerial()}\n`);
  writeFileSync(
    conf,
    [
      '[ca]',
      'default_ca = hk',
      '[hk]',
      `database = ${base}.index`,
      `new_certs_dir = ${certDir()}`,
      `serial = ${base}.serial`,
      'default_md = sha256',
      'policy = any',
      'copy_extensions = copy',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  await run('openssl', ['req', '-new', ...newKey(name, keyType, keyPath), '-out', csrPath]);
  await run('openssl', [
    'ca',
    '-batch',
    '-config',
    conf,
    '-selfsign',
    '-keyfile',
    keyPath,
    '-in',
    csrPath,
    '-out',
    certPath,
    '-notext',
    '-startdate',
    caTime(validity.notBeforeDays),
    '-enddate',
    caTime(validity.notAfterDays),
  ]);
  return loaded(name, keyType, certPath, keyPath);
}

/** A positive 64-bit serial in hex (an even number of digits, as `openssl ca` reads it). */
function randomSerial(): string {
  return `01${randomBytes(7).toString('hex')}`;
}

/**
 * Certificates for every name × key type of `options.cert`, names first, each with its
 * `certValidity` if given, or issued through a long chain when `largeChain` is set.
 */
export async function certificates(
  names: string[],
  options: Pick<PeerOptions, 'cert' | 'certValidity' | 'largeChain'> = {},
): Promise<PeerCertificate[]> {
  const types = keyTypesFor(options.cert);
  if (options.largeChain && options.certValidity)
    throw new RangeError('certificates: largeChain and certValidity cannot be combined');
  return Promise.all(
    names.flatMap((name) =>
      types.map((t) =>
        options.largeChain ? largeChainCertificate(name, t) : certificate(name, t, options.certValidity?.[t]),
      ),
    ),
  );
}

/** Intermediates between the root and the leaf of {@link largeChainCertificate}. */
const INTERMEDIATES = 3;
/** Extra DNS names in that leaf: with them the leaf alone is about 16 KB of DER. */
const EXTRA_NAMES = 700;

/**
 * A certificate for `name` and 700 more names (`host1.NAME` …), issued by a root CA through
 * three intermediate CAs (ECDSA P-256), as a shared-hosting or CDN certificate is. `certPath`
 * holds the leaf and the intermediates (what nginx, HAProxy, Caddy, GnuTLS and Node serve),
 * `chainPath` the intermediates alone (s_server's `-cert_chain`). The Certificate message is
 * about 17.7 KB: more than one 16 KB record.
 */
export function largeChainCertificate(name: string, keyType: KeyType): Promise<PeerCertificate> {
  if (!/^[A-Za-z0-9.-]+$/.test(name)) throw new RangeError(`certificate name "${name}" must be a DNS name`);
  const key = `${keyType}:${name}:large`;
  let made = cache.get(key);
  if (!made) {
    made = makeLargeChain(name, keyType);
    cache.set(key, made);
    made.catch(() => cache.delete(key));
  }
  return made;
}

async function makeLargeChain(name: string, keyType: KeyType): Promise<PeerCertificate> {
  const base = join(certDir(), `${name}.${keyType}.large`);
  const ca = `${base}.ca.cnf`;
  writeFileSync(ca, 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  const p256 = keyArgs['ecdsa-p256'];
  await run('openssl', [
    'req',
    '-x509',
    ...p256,
    '-nodes',
    '-subj',
    `/CN=root.${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    `${base}.0.key`,
    '-out',
    `${base}.0.crt`,
    '-days',
    '30',
  ]);
  /** Signs a new key's request with CA number `issuer` (0 is the root) into `${base}.${n}`. */
  const issue = async (n: number | 'leaf', issuer: number, subject: string, args: string[], ext: string) => {
    await run('openssl', [
      'req',
      '-new',
      ...args,
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${base}.${n}.key`,
      '-out',
      `${base}.${n}.csr`,
    ]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      `${base}.${n}.csr`,
      '-CA',
      `${base}.${issuer}.crt`,
      '-CAkey',
      `${base}.${issuer}.key`,
      '-set_serial',
      `0x${randomSerial()}`,
      '-days',
      '30',
      '-sha256',
      '-extfile',
      ext,
      '-out',
      `${base}.${n}.crt`,
    ]);
  };
  for (let n = 1; n <= INTERMEDIATES; n++) await issue(n, n - 1, `/CN=intermediate${n}.${name}`, p256, ca);
  const sans = [name, ...Array.from({ length: EXTRA_NAMES }, (_, i) => `host${i + 1}.${name}`)];
  const leafExt = `${base}.leaf.cnf`;
  writeFileSync(leafExt, `subjectAltName=${sans.map((s) => `DNS:${s}`).join(',')}\n`);
  await issue('leaf', INTERMEDIATES, `/CN=${name}`, keyArgs[keyType], leafExt);
  const intermediates = Array.from({ length: INTERMEDIATES }, (_, i) =>
    readFileSync(`${base}.${INTERMEDIATES - i}.crt`, 'utf8'),
  ).join('');
  const chainPath = `${base}.chain.pem`;
  const certPath = `${base}.fullchain.pem`;
  writeFileSync(chainPath, intermediates);
  writeFileSync(certPath, readFileSync(`${base}.leaf.crt`, 'utf8') + intermediates);
  return { ...loaded(name, keyType, certPath, `${base}.leaf.key`), chainPath };
}

/** The self-signed CA peers with `clientCertificate` accept client certificates from: `CN=client-ca.hellokit.test`. */
export function clientCa(): Promise<PeerCertificate> {
  return certificate('client-ca.hellokit.test', 'ecdsa-p256');
}

/** Removes the cached certificates (they are made again on the next request). */
export function removeCertificates(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  cache.clear();
}
