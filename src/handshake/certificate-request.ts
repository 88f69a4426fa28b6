/**
 * CertificateRequest: TLS 1.3 (RFC 8446 §4.3.2, context + extensions) and TLS 1.2
 * (RFC 5246 §7.4.4, certificate types + signature algorithms + CA names).
 */
import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { decodeExtensions, encodeExtensions } from '../extensions/block.ts';
import type { Extension } from '../extensions/types.ts';

/** The TLS 1.3 form. */
export interface CertificateRequest13 {
  readonly type: 'certificate_request';
  readonly form: 'tls13';
  readonly certificateRequestContext: Uint8Array;
  readonly extensions: readonly Extension[];
}

/** The TLS 1.2 (and older) form. */
export interface CertificateRequest12 {
  readonly type: 'certificate_request';
  readonly form: 'tls12';
  /** ClientCertificateType codes (1 rsa_sign, 64 ecdsa_sign, ...). */
  readonly certificateTypes: readonly number[];
  /** SignatureAndHashAlgorithm codes; `null` for TLS 1.0/1.1, which have no such field. */
  readonly supportedSignatureAlgorithms: readonly number[] | null;
  /** DER DistinguishedNames. */
  readonly certificateAuthorities: readonly Uint8Array[];
}

/** A CertificateRequest. */
export type CertificateRequest = CertificateRequest13 | CertificateRequest12;

/** Guess of the form when the version is unknown: TLS 1.3 is a context then a u16 block covering the rest. */
export function looksLikeTls13CertificateRequest(body: Uint8Array): boolean {
  if (body.length < 3) return false;
  const ctx = body[0];
  if (1 + ctx + 2 > body.length) return false;
  return ((body[1 + ctx] << 8) | body[2 + ctx]) === body.length - 3 - ctx;
}

/** Reads a CertificateRequest body in the given form (`withSignatureAlgorithms` false for TLS 1.0/1.1). */
export function readCertificateRequestBody(
  r: Reader,
  form: 'tls13' | 'tls12',
  withSignatureAlgorithms = true,
): CertificateRequest {
  if (form === 'tls13') {
    const certificateRequestContext = r.vectorBytes(1, 'certificate_request_context');
    const extensions = decodeExtensions(r, 'certificate_request');
    r.done();
    return { type: 'certificate_request', form, certificateRequestContext, extensions };
  }
  const certificateTypes = r.u8List(1, 'certificate_types', { min: 1 });
  const supportedSignatureAlgorithms = withSignatureAlgorithms
    ? r.u16List(2, 'supported_signature_algorithms', { min: 2 })
    : null;
  const certificateAuthorities = r.list(2, 'certificate_authorities', (item) =>
    item.vectorBytes(2, 'distinguished_name', { min: 1 }),
  );
  r.done();
  return {
    type: 'certificate_request',
    form,
    certificateTypes,
    supportedSignatureAlgorithms,
    certificateAuthorities,
  };
}

/** Writes a CertificateRequest body. */
export function writeCertificateRequestBody(w: Writer, m: CertificateRequest): void {
  if (m.form === 'tls13') {
    w.vector(1, 'certificate_request_context', m.certificateRequestContext);
    encodeExtensions(w, m.extensions);
    return;
  }
  w.prefixed(1, 'certificate_types', (w) => {
    for (const t of m.certificateTypes) w.u8(t, 'certificate_type');
  });
  const algorithms = m.supportedSignatureAlgorithms;
  if (algorithms !== null) {
    w.prefixed(2, 'supported_signature_algorithms', (w) => {
      for (const a of algorithms) w.u16(a, 'signature_algorithm');
    });
  }
  w.prefixed(2, 'certificate_authorities', (w) => {
    for (const dn of m.certificateAuthorities) w.vector(2, 'distinguished_name', dn);
  });
}
