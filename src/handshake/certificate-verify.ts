/** CertificateVerify (RFC 8446 §4.4.3, RFC 5246 §7.4.8): algorithm and signature. */
import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';

/** A CertificateVerify. */
export interface CertificateVerify {
  readonly type: 'certificate_verify';
  /** SignatureScheme; `null` in TLS 1.0/1.1, which sign without naming the algorithm. */
  readonly algorithm: number | null;
  readonly signature: Uint8Array;
}

/** Reads a CertificateVerify body (`withAlgorithm` false for TLS 1.0/1.1). */
export function readCertificateVerifyBody(r: Reader, withAlgorithm = true): CertificateVerify {
  const algorithm = withAlgorithm ? r.u16('algorithm') : null;
  const signature = r.vectorBytes(2, 'signature');
  r.done();
  return { type: 'certificate_verify', algorithm, signature };
}

/** Writes a CertificateVerify body. */
export function writeCertificateVerifyBody(w: Writer, m: CertificateVerify): void {
  if (m.algorithm !== null) w.u16(m.algorithm, 'algorithm');
  w.vector(2, 'signature', m.signature);
}
