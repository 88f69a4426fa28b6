import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { EMPTY, type EmptyValue, has } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

/** `SerializedSCT sct_list<1..2^16-1>`, each `opaque SerializedSCT<1..2^16-1>` (RFC 6962 §3.3). */
export interface SignedCertificateTimestampList {
  readonly sctList: readonly Uint8Array[];
}

/** signed_certificate_timestamp in any form: empty request or the SCT list. */
export type SignedCertificateTimestampValue = SignedCertificateTimestampList | EmptyValue;

/**
 * signed_certificate_timestamp (18), RFC 6962 §3.3.1: an empty request in ClientHello and
 * CertificateRequest; the SCTs in a TLS 1.2 ServerHello or a TLS 1.3 Certificate entry.
 */
export const signedCertificateTimestampCodec: ExtensionCodec<SignedCertificateTimestampValue> = {
  type: 18,
  name: 'signed_certificate_timestamp',
  allowedIn: ['client_hello', 'server_hello', 'certificate_request', 'certificate'],
  clientHelloDefault: EMPTY,
  decode(r: Reader, context: MessageContext): SignedCertificateTimestampValue {
    if (context !== 'server_hello' && context !== 'certificate') return EMPTY;
    return {
      sctList: r.list(2, 'sct_list', (r) => r.vectorBytes(2, 'serialized_sct', { min: 1 }), { min: 1 }),
    };
  },
  encode(w: Writer, value: SignedCertificateTimestampValue): void {
    if (!has(value, 'sctList')) return;
    w.prefixed(2, 'sct_list', (w) => {
      for (const sct of (value as SignedCertificateTimestampList).sctList) w.vector(2, 'serialized_sct', sct);
    });
  },
};
