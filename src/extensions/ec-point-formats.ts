import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

const EC_POINT_FORMAT_LIST_LIMITS = { min: 1 } as const;

/** ec_point_formats: `ECPointFormat ec_point_format_list<1..2^8-1>` (RFC 8422 §5.1.2). */
export interface EcPointFormatList {
  /** ECPointFormat codes in wire order (0 uncompressed). */
  readonly ecPointFormatList: readonly number[];
}

const UNCOMPRESSED = 0;

/**
 * ec_point_formats (11), TLS 1.2 only. An empty list is `decode_error`; a list without
 * `uncompressed` is `illegal_parameter` (RFC 8422 §5.1.2: "MUST abort the handshake and
 * send an illegal_parameter alert").
 */
export const ecPointFormatsCodec: ExtensionCodec<EcPointFormatList> = {
  type: 11,
  name: 'ec_point_formats',
  allowedIn: ['client_hello', 'server_hello'],
  fromPlan: (plan) => (plan.ecPointFormats ? { ecPointFormatList: plan.ecPointFormats } : null),
  decode(r: Reader): EcPointFormatList {
    const at = r.pos;
    const ecPointFormatList = r.u8List(1, 'ec_point_format_list', EC_POINT_FORMAT_LIST_LIMITS);
    if (ecPointFormatList.length > 0 && !ecPointFormatList.includes(UNCOMPRESSED)) {
      r.problem('illegal-value', 'ec_point_format_list lacks uncompressed (RFC 8422 §5.1.2)', {
        at,
        field: 'ec_point_format_list',
      });
    }
    return { ecPointFormatList };
  },
  encode(w: Writer, value: EcPointFormatList): void {
    w.prefixed(1, 'ec_point_format_list', (w) => {
      for (const f of value.ecPointFormatList) w.u8(f, 'ec_point_format');
    });
  },
};
