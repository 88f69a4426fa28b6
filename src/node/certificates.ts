/**
 * Certificate summaries (subject, names, issuer, validity, key) for what a server sent,
 * read with @peculiar/x509.
 *
 * @peculiar/x509 depends on tsyringe, which refuses to load unless a Reflect metadata
 * polyfill is loaded first: `reflect-metadata` is, right before the first (lazy) import.
 */
import { toHex } from '../bytes/hex.ts';

/** What a server certificate says, in short. */
export interface CertificateSummary {
  /** Distinguished name, e.g. `CN=hellokit.test`. */
  readonly subject: string;
  /** DNS names and IP addresses from subjectAltName, as `DNS:name` / `IP:addr` (other kinds as `kind:value`). */
  readonly subjectAltNames: readonly string[];
  readonly issuer: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly serialNumber: string;
  readonly publicKey: {
    /** `EC`, `RSA`, `Ed25519`, `Ed448`, or the algorithm name. */
    readonly type: string;
    /** Key size in bits (RSA modulus, EC field size), when known. */
    readonly size?: number;
    /** Named curve for EC keys, e.g. `P-256`. */
    readonly curve?: string;
  };
  readonly selfSigned: boolean;
  /** SHA-256 of the DER, lower-case hex. */
  readonly sha256: string;
  /** DER length in bytes. */
  readonly length: number;
}

type X509Module = typeof import('@peculiar/x509');
let x509Module: Promise<X509Module> | undefined;

function loadX509(): Promise<X509Module> {
  if (!x509Module) {
    x509Module = import('reflect-metadata').then(() => import('@peculiar/x509'));
  }
  return x509Module;
}

function publicKeyOf(algorithm: Record<string, unknown>): CertificateSummary['publicKey'] {
  const name = String(algorithm.name);
  if (name === 'ECDSA' || name === 'ECDH') {
    const curve = String(algorithm.namedCurve);
    const size = { 'P-256': 256, 'P-384': 384, 'P-521': 521 }[curve];
    return { type: 'EC', curve, ...(size ? { size } : {}) };
  }
  if (name.startsWith('RSA')) {
    const size = typeof algorithm.modulusLength === 'number' ? algorithm.modulusLength : undefined;
    return { type: 'RSA', ...(size ? { size } : {}) };
  }
  if (name === 'Ed25519') return { type: 'Ed25519', size: 256 };
  if (name === 'Ed448') return { type: 'Ed448', size: 456 };
  return { type: name };
}

function generalName(n: { type: string; value: string }): string {
  const kind = { dns: 'DNS', ip: 'IP', email: 'email', url: 'URI' }[n.type] ?? n.type;
  return `${kind}:${n.value}`;
}

/**
 * A summary of one DER certificate.
 * @example const [leaf] = await summarizeCertificates([certificateMessage.certificateList[0].certData]);
 * @throws {Error} when the bytes are not a certificate (callers usually catch and report)
 */
export async function summarizeCertificate(der: Uint8Array): Promise<CertificateSummary> {
  const { X509Certificate, SubjectAlternativeNameExtension } = await loadX509();
  const cert = new X509Certificate(der);
  const san = cert.getExtension(SubjectAlternativeNameExtension);
  const names = san ? (san.names.toJSON() as { type: string; value: string }[]).map(generalName) : [];
  const digest = await globalThis.crypto.subtle.digest('SHA-256', der);
  return {
    subject: cert.subject,
    subjectAltNames: names,
    issuer: cert.issuer,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    serialNumber: cert.serialNumber,
    publicKey: publicKeyOf(cert.publicKey.algorithm as unknown as Record<string, unknown>),
    selfSigned: cert.subject === cert.issuer,
    sha256: toHex(new Uint8Array(digest)),
    length: der.length,
  };
}

/**
 * Summaries of a chain, in order. A certificate that does not parse is summarised as
 * `subject: '(unparsable: …)'` rather than failing the whole chain.
 */
export async function summarizeCertificates(chain: readonly Uint8Array[]): Promise<CertificateSummary[]> {
  const out: CertificateSummary[] = [];
  for (const der of chain) {
    try {
      out.push(await summarizeCertificate(der));
    } catch (e) {
      out.push({
        subject: `(unparsable: ${(e as Error).message})`,
        subjectAltNames: [],
        issuer: '',
        notBefore: '',
        notAfter: '',
        serialNumber: '',
        publicKey: { type: 'unknown' },
        selfSigned: false,
        sha256: '',
        length: der.length,
      });
    }
  }
  return out;
}
