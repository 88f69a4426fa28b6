import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { has } from './common.ts';
import {
  decodeSignatureSchemeList,
  encodeSignatureSchemeList,
  type SignatureSchemeList,
} from './signature-algorithms.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

/** A DelegatedCredential (RFC 9345 §4), as carried in a Certificate entry. */
export interface DelegatedCredential {
  /** Credential.valid_time: seconds after the certificate's notBefore. */
  readonly validTime: number;
  /** Credential.dc_cert_verify_algorithm. */
  readonly dcCertVerifyAlgorithm: number;
  /** Credential.ASN1_subjectPublicKeyInfo `<1..2^24-1>` (DER). */
  readonly subjectPublicKeyInfo: Uint8Array;
  /** The SignatureScheme of `signature`. */
  readonly algorithm: number;
  /** `opaque signature<1..2^16-1>`. */
  readonly signature: Uint8Array;
}

/** delegated_credential in any form: the accepted schemes (ClientHello, CertificateRequest) or the credential. */
export type DelegatedCredentialValue = SignatureSchemeList | DelegatedCredential;

/** delegated_credential (34), RFC 9345 §4.1. */
export const delegatedCredentialCodec: ExtensionCodec<DelegatedCredentialValue> = {
  type: 34,
  name: 'delegated_credential',
  allowedIn: ['client_hello', 'certificate_request', 'certificate'],
  decode(r: Reader, context: MessageContext): DelegatedCredentialValue {
    if (context !== 'certificate') return decodeSignatureSchemeList(r);
    const validTime = r.u32('valid_time');
    const dcCertVerifyAlgorithm = r.u16('dc_cert_verify_algorithm');
    const subjectPublicKeyInfo = r.vectorBytes(3, 'ASN1_subjectPublicKeyInfo', { min: 1 });
    const algorithm = r.u16('algorithm');
    const signature = r.vectorBytes(2, 'signature', { min: 1 });
    return { validTime, dcCertVerifyAlgorithm, subjectPublicKeyInfo, algorithm, signature };
  },
  encode(w: Writer, value: DelegatedCredentialValue): void {
    if (has(value, 'supportedSignatureAlgorithms')) {
      encodeSignatureSchemeList(w, value as SignatureSchemeList);
      return;
    }
    const v = value as DelegatedCredential;
    w.u32(v.validTime, 'valid_time');
    w.u16(v.dcCertVerifyAlgorithm, 'dc_cert_verify_algorithm');
    w.vector(3, 'ASN1_subjectPublicKeyInfo', v.subjectPublicKeyInfo);
    w.u16(v.algorithm, 'algorithm');
    w.vector(2, 'signature', v.signature);
  },
};
