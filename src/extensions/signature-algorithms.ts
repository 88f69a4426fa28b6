import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

const SIGNATURE_SCHEME_LIST_LIMITS = { min: 2, max: 0xfffe } as const;

/** `SignatureScheme supported_signature_algorithms<2..2^16-2>` (RFC 8446 §4.2.3). */
export interface SignatureSchemeList {
  /** SignatureScheme codes in wire order; unknown and GREASE values are kept. */
  readonly supportedSignatureAlgorithms: readonly number[];
}

/** Reads a SignatureSchemeList; an empty list is `decode_error`. */
export function decodeSignatureSchemeList(r: Reader): SignatureSchemeList {
  return {
    supportedSignatureAlgorithms: r.u16List(
      2,
      'supported_signature_algorithms',
      SIGNATURE_SCHEME_LIST_LIMITS,
    ),
  };
}

/** Writes a SignatureSchemeList. */
export function encodeSignatureSchemeList(w: Writer, value: SignatureSchemeList): void {
  w.prefixed(2, 'supported_signature_algorithms', (w) => {
    for (const s of value.supportedSignatureAlgorithms) w.u16(s, 'signature_scheme');
  });
}

/** signature_algorithms (13), RFC 8446 §4.2.3: in ClientHello and CertificateRequest. */
export const signatureAlgorithmsCodec: ExtensionCodec<SignatureSchemeList> = {
  type: 13,
  name: 'signature_algorithms',
  allowedIn: ['client_hello', 'certificate_request'],
  fromPlan: (plan) =>
    plan.signatureAlgorithms ? { supportedSignatureAlgorithms: plan.signatureAlgorithms } : null,
  decode: decodeSignatureSchemeList,
  encode: encodeSignatureSchemeList,
};

/** signature_algorithms_cert (50), RFC 8446 §4.2.3: the schemes accepted in certificates. */
export const signatureAlgorithmsCertCodec: ExtensionCodec<SignatureSchemeList> = {
  type: 50,
  name: 'signature_algorithms_cert',
  allowedIn: ['client_hello', 'certificate_request'],
  decode: decodeSignatureSchemeList,
  encode: encodeSignatureSchemeList,
};
