import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

/** max_fragment_length: one MaxFragmentLength code (RFC 6066 §4). */
export interface MaxFragmentLength {
  /** 1 = 2^9, 2 = 2^10, 3 = 2^11, 4 = 2^12 bytes. */
  readonly maxFragmentLength: number;
}

/**
 * max_fragment_length (1). A code outside 1..4 is `illegal_parameter` (RFC 6066 §4:
 * "MUST abort the handshake with an illegal_parameter alert").
 */
export const maxFragmentLengthCodec: ExtensionCodec<MaxFragmentLength> = {
  type: 1,
  name: 'max_fragment_length',
  allowedIn: ['client_hello', 'server_hello', 'encrypted_extensions'],
  decode(r: Reader): MaxFragmentLength {
    const at = r.pos;
    const maxFragmentLength = r.u8('max_fragment_length');
    if (maxFragmentLength < 1 || maxFragmentLength > 4) {
      r.problem('illegal-value', `max_fragment_length ${maxFragmentLength} is not 1..4 (RFC 6066 §4)`, {
        at,
      });
    }
    return { maxFragmentLength };
  },
  encode(w: Writer, value: MaxFragmentLength): void {
    w.u8(value.maxFragmentLength, 'max_fragment_length');
  },
};
