import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

/** record_size_limit: `uint16 RecordSizeLimit` (RFC 8449 §4). */
export interface RecordSizeLimit {
  readonly recordSizeLimit: number;
}

/**
 * record_size_limit (28). A limit below 64 is `illegal_parameter` (RFC 8449 §4: "MUST
 * treat receipt of a smaller value as a fatal error and generate an illegal_parameter alert").
 */
export const recordSizeLimitCodec: ExtensionCodec<RecordSizeLimit> = {
  type: 28,
  name: 'record_size_limit',
  allowedIn: ['client_hello', 'server_hello', 'encrypted_extensions'],
  decode(r: Reader): RecordSizeLimit {
    const at = r.pos;
    const recordSizeLimit = r.u16('record_size_limit');
    if (recordSizeLimit < 64) {
      r.problem('illegal-value', `record_size_limit ${recordSizeLimit} is below 64 (RFC 8449 §4)`, { at });
    }
    return { recordSizeLimit };
  },
  encode(w: Writer, value: RecordSizeLimit): void {
    w.u16(value.recordSizeLimit, 'record_size_limit');
  },
};
