import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { has } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

/** client/server_certificate_type in a ClientHello: `CertificateType ..._certificate_types<1..2^8-1>`. */
export interface CertificateTypeList {
  readonly certificateTypes: readonly number[];
}

/** client/server_certificate_type from the server: the one type chosen. */
export interface SelectedCertificateType {
  readonly certificateType: number;
}

/** client/server_certificate_type in any form. */
export type CertificateTypeValue = CertificateTypeList | SelectedCertificateType;

function certificateType(type: number, name: string): ExtensionCodec<CertificateTypeValue> {
  return {
    type,
    name,
    allowedIn: ['client_hello', 'server_hello', 'encrypted_extensions'],
    decode(r: Reader, context: MessageContext): CertificateTypeValue {
      if (context === 'client_hello')
        return { certificateTypes: r.u8List(1, 'certificate_types', { min: 1 }) };
      return { certificateType: r.u8('certificate_type') };
    },
    encode(w: Writer, value: CertificateTypeValue): void {
      if (has(value, 'certificateTypes')) {
        w.prefixed(1, 'certificate_types', (w) => {
          for (const t of (value as CertificateTypeList).certificateTypes) w.u8(t, 'certificate_type');
        });
      } else {
        w.u8((value as SelectedCertificateType).certificateType, 'certificate_type');
      }
    },
  };
}

/** client_certificate_type (19), RFC 7250 §4: a list from the client, one type from the server. */
export const clientCertificateTypeCodec: ExtensionCodec<CertificateTypeValue> = certificateType(
  19,
  'client_certificate_type',
);

/** server_certificate_type (20), RFC 7250 §4: a list from the client, one type from the server. */
export const serverCertificateTypeCodec: ExtensionCodec<CertificateTypeValue> = certificateType(
  20,
  'server_certificate_type',
);
