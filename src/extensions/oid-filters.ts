import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

/** One OIDFilter (RFC 8446 §4.2.5). */
export interface OidFilter {
  /** `opaque certificate_extension_oid<1..2^8-1>`: DER OID contents. */
  readonly certificateExtensionOid: Uint8Array;
  /** `opaque certificate_extension_values<0..2^16-1>`: DER. */
  readonly certificateExtensionValues: Uint8Array;
}

/** oid_filters: `OIDFilter filters<0..2^16-1>`. */
export interface OidFilters {
  readonly filters: readonly OidFilter[];
}

/** oid_filters (48), RFC 8446 §4.2.5: CertificateRequest only. */
export const oidFiltersCodec: ExtensionCodec<OidFilters> = {
  type: 48,
  name: 'oid_filters',
  allowedIn: ['certificate_request'],
  decode(r: Reader): OidFilters {
    return {
      filters: r.list(2, 'filters', (r) => ({
        certificateExtensionOid: r.vectorBytes(1, 'certificate_extension_oid', { min: 1 }),
        certificateExtensionValues: r.vectorBytes(2, 'certificate_extension_values'),
      })),
    };
  },
  encode(w: Writer, value: OidFilters): void {
    w.prefixed(2, 'filters', (w) => {
      for (const f of value.filters) {
        w.vector(1, 'certificate_extension_oid', f.certificateExtensionOid);
        w.vector(2, 'certificate_extension_values', f.certificateExtensionValues);
      }
    });
  },
};
