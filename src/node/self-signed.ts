/**
 * Self-signed certificates made at start-up, so the demo server and `hellokit serve` need
 * no openssl binary and no files. The key comes from WebCrypto (node:crypto); the
 * certificate is made and signed by @peculiar/x509.
 *
 * @peculiar/x509 depends on tsyringe, which refuses to load unless a Reflect metadata
 * polyfill is loaded first: `reflect-metadata` is, right before the first (lazy) import —
 * the same order as in certificates.ts, so the polyfill module is evaluated once.
 */
import { KeyObject, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';

/** A certificate and its key, PEM-encoded. */
export interface SelfSignedCertificate {
  readonly cert: string;
  readonly key: string;
  /** The names in the certificate (the first is the CN). */
  readonly names: readonly string[];
}

type X509Module = typeof import('@peculiar/x509');
let x509Module: Promise<X509Module> | undefined;

/** @peculiar/x509, loaded once, after the Reflect metadata polyfill it needs. */
function loadX509(): Promise<X509Module> {
  if (!x509Module) {
    x509Module = import('reflect-metadata').then(() => import('@peculiar/x509'));
  }
  return x509Module;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The keys {@link selfSignedCertificate} makes. */
export type SelfSignedKeyType = 'ecdsa-p256' | 'rsa-2048';

/** The WebCrypto parameters of each key type (the hash is the certificate's signature hash). */
const KEY_ALGORITHMS: Readonly<
  Record<SelfSignedKeyType, (webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams) & { hash: string }>
> = {
  'ecdsa-p256': { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  'rsa-2048': {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  },
};

/** What {@link selfSignedCertificate} makes besides the names. */
export interface SelfSignedOptions {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** The key (default `ecdsa-p256`, signed ecdsa-with-SHA256; `rsa-2048` signs sha256WithRSAEncryption). */
  readonly keyType?: SelfSignedKeyType;
}

/**
 * A fresh key (ECDSA P-256 unless `options.keyType` says otherwise) and a self-signed certificate
 * for `names` (DNS names or IP literals, all in subjectAltName; the first is also the CN), valid
 * from an hour ago for 30 days unless `options` says otherwise. Not a CA: basicConstraints CA
 * false, keyUsage digitalSignature, extKeyUsage serverAuth.
 * @example const { cert, key } = await selfSignedCertificate(['demo.hellokit.test']);
 * @throws {RangeError} when `names` is empty
 */
export async function selfSignedCertificate(
  names: readonly string[],
  options: SelfSignedOptions = {},
): Promise<SelfSignedCertificate> {
  if (names.length === 0) throw new RangeError('"names" expected at least one name');
  const x509 = await loadX509();
  type Params = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>;
  const algorithm = KEY_ALGORITHMS[options.keyType ?? 'ecdsa-p256'];
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const now = Date.now();
  const serial = new Uint8Array(8);
  webcrypto.getRandomValues(serial);
  // A positive, non-zero-leading serial (RFC 5280 §4.1.2.2), as before.
  serial[0] = (serial[0] & 0x7f) | 0x01;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Buffer.from(serial).toString('hex'),
      name: [{ CN: [names[0]] }],
      notBefore: options.notBefore ?? new Date(now - HOUR_MS),
      notAfter: options.notAfter ?? new Date(now + 30 * DAY_MS),
      signingAlgorithm: algorithm,
      keys: keys as unknown as Params[0]['keys'],
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(
          names.map((n) => ({ type: isIP(n) === 0 ? 'dns' : 'ip', value: n })),
        ),
      ],
    },
    webcrypto as unknown as Params[1],
  );
  const key = KeyObject.from(keys.privateKey).export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
  const cert = certificate.toString('pem');
  return { cert: cert.endsWith('\n') ? cert : `${cert}\n`, key, names: [...names] };
}
