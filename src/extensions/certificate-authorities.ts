import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

/** certificate_authorities: `DistinguishedName authorities<3..2^16-1>` (RFC 8446 §4.2.4). */
export interface CertificateAuthorities {
  /** Each `opaque DistinguishedName<1..2^16-1>`: a DER X.501 Name. */
  readonly authorities: readonly Uint8Array[];
}

/** certificate_authorities (47), RFC 8446 §4.2.4: ClientHello and CertificateRequest. */
export const certificateAuthoritiesCodec: ExtensionCodec<CertificateAuthorities> = {
  type: 47,
  name: 'certificate_authorities',
  allowedIn: ['client_hello', 'certificate_request'],
  decode(r: Reader): CertificateAuthorities {
    return {
      authorities: r.list(2, 'authorities', (r) => r.vectorBytes(2, 'distinguished_name', { min: 1 }), {
        min: 3,
      }),
    };
  },
  encode(w: Writer, value: CertificateAuthorities): void {
    w.prefixed(2, 'authorities', (w) => {
      for (const dn of value.authorities) w.vector(2, 'distinguished_name', dn);
    });
  },
};
