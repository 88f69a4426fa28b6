/**
 * The RSA public key of a certificate (RFC 5280 §4.1: tbsCertificate's subjectPublicKeyInfo;
 * RFC 8017 §A.1.1: RSAPublicKey), read from its DER with the Name reader's element walker, for
 * a TLS 1.2 RSA key exchange (the pre-master secret is encrypted to it). Null for any other key
 * or a certificate that does not read so.
 */
import { elements, oidText } from './distinguished-name.ts';

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const VERSION = 0xa0;

/** The modulus and public exponent (big-endian, as the INTEGERs hold them). */
export function rsaPublicKey(certificate: Uint8Array): { n: Uint8Array; e: Uint8Array } | null {
  const cert = only(elements(certificate), SEQUENCE);
  const [tbs] = cert ? (elements(cert) ?? []) : [];
  if (tbs?.tag !== SEQUENCE) return null;
  const fields = elements(tbs.content);
  if (!fields) return null;
  // version [0], serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo.
  const spki = fields[fields[0]?.tag === VERSION ? 6 : 5];
  if (spki?.tag !== SEQUENCE) return null;
  const [algorithm, key] = elements(spki.content) ?? [];
  const [oid] = algorithm?.tag === SEQUENCE ? (elements(algorithm.content) ?? []) : [];
  if (oid?.tag !== 0x06 || oidText(oid.content) !== RSA_ENCRYPTION) return null;
  if (key?.tag !== BIT_STRING || key.content[0] !== 0) return null;
  const rsa = only(elements(key.content.subarray(1)), SEQUENCE);
  const [n, e] = rsa ? (elements(rsa) ?? []) : [];
  if (n?.tag !== INTEGER || e?.tag !== INTEGER) return null;
  return { n: n.content, e: e.content };
}

/** The content of the one element of `tag` that `list` holds, or null. */
function only(list: ReturnType<typeof elements>, tag: number): Uint8Array | null {
  return list?.length === 1 && list[0].tag === tag ? list[0].content : null;
}
