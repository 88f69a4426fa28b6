/**
 * Certificate (RFC 8446 §4.4.2 with certificate_request_context and per-entry extensions;
 * RFC 5246 §7.4.2 a bare list of certificates).
 */
import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { decodeExtensions, encodeExtensions } from '../extensions/block.ts';
import type { Extension } from '../extensions/types.ts';

/** One certificate (DER) with, in TLS 1.3, its extensions (status_request, SCTs). */
export interface CertificateEntry {
  readonly certData: Uint8Array;
  /** TLS 1.3 only; `null` in the TLS 1.2 form. */
  readonly extensions: readonly Extension[] | null;
}

/** A Certificate message; `certificateRequestContext === null` marks the TLS 1.2 form. */
export interface Certificate {
  readonly type: 'certificate';
  readonly certificateRequestContext: Uint8Array | null;
  /** End-entity certificate first. */
  readonly certificateList: readonly CertificateEntry[];
}

/** Guess of the form when the version is unknown: the TLS 1.2 form starts with a u24 covering the rest. */
export function looksLikeTls12Certificate(body: Uint8Array): boolean {
  return body.length >= 3 && ((body[0] << 16) | (body[1] << 8) | body[2]) === body.length - 3;
}

/** Reads a Certificate body in the TLS 1.3 form (`tls13`) or the TLS 1.2 form. */
export function readCertificateBody(r: Reader, tls13: boolean): Certificate {
  const certificateRequestContext = tls13 ? r.vectorBytes(1, 'certificate_request_context') : null;
  const certificateList = r.list(3, 'certificate_list', (item) => {
    const certData = item.vectorBytes(3, 'cert_data', { min: 1 });
    const extensions = tls13 ? decodeExtensions(item, 'certificate') : null;
    return { certData, extensions };
  });
  r.done();
  return { type: 'certificate', certificateRequestContext, certificateList };
}

/** Writes a Certificate body in the form its `certificateRequestContext` implies. */
export function writeCertificateBody(w: Writer, m: Certificate): void {
  const tls13 = m.certificateRequestContext !== null;
  if (m.certificateRequestContext !== null)
    w.vector(1, 'certificate_request_context', m.certificateRequestContext);
  w.prefixed(3, 'certificate_list', (w) => {
    for (const entry of m.certificateList) {
      w.vector(3, 'cert_data', entry.certData);
      if (tls13) encodeExtensions(w, entry.extensions ?? []);
    }
  });
}
