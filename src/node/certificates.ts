/**
 * Certificate summaries (subject, names, issuer, validity, key) for what a server sent,
 * read with Node's own `X509Certificate` (OpenSSL underneath): no parser to load at
 * start-up, and nothing added to `globalThis` or `Reflect`.
 */
import { X509Certificate } from 'node:crypto';
import { toHex } from '../bytes/hex.ts';
import type { CertificateSummary } from '../probe/types.ts';

export type { CertificateSummary };

/** OpenSSL's curve names → the names TLS and WebCrypto use. */
const CURVES: Readonly<Record<string, { readonly name: string; readonly size: number }>> = {
  prime256v1: { name: 'P-256', size: 256 },
  secp384r1: { name: 'P-384', size: 384 },
  secp521r1: { name: 'P-521', size: 521 },
};

function publicKeyOf(cert: X509Certificate): CertificateSummary['publicKey'] {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = details.namedCurve ?? 'unknown';
      const known = CURVES[curve];
      return known ? { type: 'EC', curve: known.name, size: known.size } : { type: 'EC', curve };
    }
    case 'rsa':
    case 'rsa-pss': {
      const type = key.asymmetricKeyType === 'rsa' ? 'RSA' : 'RSA-PSS';
      return details.modulusLength ? { type, size: details.modulusLength } : { type };
    }
    case 'ed25519':
      return { type: 'Ed25519', size: 256 };
    case 'ed448':
      return { type: 'Ed448', size: 456 };
    default:
      return { type: key.asymmetricKeyType ?? 'unknown' };
  }
}

/**
 * OpenSSL's one-RDN-a-line name (`C=DE\nO=Org\nCN=x`) on one line, in the certificate's
 * order, `+` joining the parts of a multi-valued RDN (a literal `+` in a value is escaped).
 */
function distinguishedName(multiline: string): string {
  return multiline.split('\n').join(', ').replaceAll(' + ', '+');
}

/** An IPv6 address in its shortest form (`0:0:0:0:0:0:0:1` → `::1`), as the WHATWG URL parser writes it. */
function ipAddress(text: string): string {
  if (!text.includes(':')) return text;
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return text;
  }
}

/**
 * subjectAltName entries from Node's string form: `kind:value` joined by `, `, where a value
 * that would be ambiguous is written as a JSON string literal (Node's documented escaping),
 * so a name holding `, ` is not split. Node's `IP Address` kind is written `IP`.
 * @example subjectAltNames('DNS:a.test, IP Address:127.0.0.1') // ['DNS:a.test', 'IP:127.0.0.1']
 */
export function subjectAltNames(text: string | undefined): string[] {
  const out: string[] = [];
  let at = 0;
  while (text && at < text.length) {
    const colon = text.indexOf(':', at);
    if (colon < 0) break;
    const kind = text.slice(at, colon);
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      let end = colon + 2;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      value = JSON.parse(text.slice(colon + 1, end + 1));
      next = end + 1;
    } else {
      const comma = text.indexOf(', ', colon + 1);
      next = comma < 0 ? text.length : comma;
      value = text.slice(colon + 1, next);
    }
    out.push(kind === 'IP Address' ? `IP:${ipAddress(value)}` : `${kind}:${value}`);
    at = text.startsWith(', ', next) ? next + 2 : text.length;
  }
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** OpenSSL's validity time (`Dec  6 02:26:36 2026 GMT`) as ISO 8601. */
function isoTime(openssl: string): string {
  const m = /^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\d+) GMT$/.exec(openssl);
  const month = m ? MONTHS.indexOf(m[1]) : -1;
  if (!m || month < 0) throw new Error(`unreadable certificate time ${JSON.stringify(openssl)}`);
  return new Date(Date.UTC(+m[6], month, +m[2], +m[3], +m[4], +m[5])).toISOString();
}

/**
 * A summary of one DER certificate.
 * @example const [leaf] = await summarizeCertificates([certificateMessage.certificateList[0].certData]);
 * @throws {Error} when the bytes are not a certificate (callers usually catch and report)
 */
export async function summarizeCertificate(der: Uint8Array): Promise<CertificateSummary> {
  const cert = new X509Certificate(der);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', der);
  const subject = distinguishedName(cert.subject);
  const issuer = distinguishedName(cert.issuer);
  return {
    subject,
    subjectAltNames: subjectAltNames(cert.subjectAltName),
    issuer,
    notBefore: isoTime(cert.validFrom),
    notAfter: isoTime(cert.validTo),
    serialNumber: cert.serialNumber.toLowerCase(),
    publicKey: publicKeyOf(cert),
    selfSigned: subject === issuer,
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
