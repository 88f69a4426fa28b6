import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { EMPTY, type EmptyValue, has } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

/** early_data in a NewSessionTicket (RFC 8446 §4.2.10). */
export interface EarlyDataIndication {
  readonly maxEarlyDataSize: number;
}

/** early_data in any form: empty (ClientHello, EncryptedExtensions) or the ticket's limit. */
export type EarlyDataValue = EmptyValue | EarlyDataIndication;

/** early_data (42), RFC 8446 §4.2.10. */
export const earlyDataCodec: ExtensionCodec<EarlyDataValue> = {
  type: 42,
  name: 'early_data',
  allowedIn: ['client_hello', 'encrypted_extensions', 'new_session_ticket'],
  decode(r: Reader, context: MessageContext): EarlyDataValue {
    if (context !== 'new_session_ticket') return EMPTY;
    return { maxEarlyDataSize: r.u32('max_early_data_size') };
  },
  encode(w: Writer, value: EarlyDataValue): void {
    if (has(value, 'maxEarlyDataSize'))
      w.u32((value as EarlyDataIndication).maxEarlyDataSize, 'max_early_data_size');
  },
};
