/**
 * Certificate summaries (subject, names, issuer, validity, key) for what a server sent, read
 * with Node's built-in X509Certificate. (@peculiar/x509, used before, took 0.35 s to load in
 * plain Node and 1–2 s under vite-node: most of a first scan's cost.)
 */
import { type KeyObject, X509Certificate } from 'node:crypto';

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
    /** `EC`, `RSA`, `RSA-PSS`, `Ed25519`, `Ed448`, or the algorithm name. */
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

/** OpenSSL's curve names, as Node reports them, in the NIST spelling. */
const CURVES: Record<string, { curve: string; size: number }> = {
  prime256v1: { curve: 'P-256', size: 256 },
  secp384r1: { curve: 'P-384', size: 384 },
  secp521r1: { curve: 'P-521', size: 521 },
};

function publicKeyOf(cert: X509Certificate): CertificateSummary['publicKey'] {
  let key: KeyObject;
  try {
    key = cert.publicKey;
  } catch {
    return { type: 'unknown' };
  }
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const named = details.namedCurve ?? 'unknown';
      return { type: 'EC', ...(CURVES[named] ?? { curve: named }) };
    }
    case 'rsa':
    case 'rsa-pss':
      return {
        type: key.asymmetricKeyType === 'rsa' ? 'RSA' : 'RSA-PSS',
        ...(details.modulusLength ? { size: details.modulusLength } : {}),
      };
    case 'ed25519':
      return { type: 'Ed25519', size: 256 };
    case 'ed448':
      return { type: 'Ed448', size: 456 };
    default:
      return { type: key.asymmetricKeyType ?? 'unknown' };
  }
}

/** An IPv6 address in its short form (`::1`), as the other IP spellings hellokit shows. */
function shortIp(ip: string): string {
  return ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

/** subjectAltName as `DNS:name` / `IP:addr` / `email:…` / `URI:…` entries, from Node's one-line form. */
function subjectAltNamesOf(cert: X509Certificate): string[] {
  const text = cert.subjectAltName;
  if (!text) return [];
  return text.split(/, (?=[A-Za-z ]+:)/).map((entry) => {
    const colon = entry.indexOf(':');
    const kind = entry.slice(0, colon);
    const value = entry.slice(colon + 1).replace(/^"(.*)"$/, '$1');
    return kind === 'IP Address' ? `IP:${shortIp(value)}` : `${kind}:${value}`;
  });
}

/**
 * A summary of one DER certificate, read with Node's built-in X509Certificate (OpenSSL), which
 * costs nothing to load.
 * @example const [leaf] = await summarizeCertificates([certificateMessage.certificateList[0].certData]);
 * @throws {Error} when the bytes are not a certificate (callers usually catch and report)
 */
export async function summarizeCertificate(der: Uint8Array): Promise<CertificateSummary> {
  const cert = new X509Certificate(der);
  const subject = cert.subject.split('\n').join(', ');
  const issuer = cert.issuer.split('\n').join(', ');
  return {
    subject,
    subjectAltNames: subjectAltNamesOf(cert),
    issuer,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    serialNumber: cert.serialNumber.toLowerCase(),
    publicKey: publicKeyOf(cert),
    selfSigned: subject === issuer,
    sha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
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
