import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

/** cookie: `opaque cookie<1..2^16-1>` (RFC 8446 §4.2.2). */
export interface Cookie {
  readonly cookie: Uint8Array;
}

/** cookie (44), RFC 8446 §4.2.2: sent in HelloRetryRequest, echoed in the second ClientHello. Empty is `decode_error`. */
export const cookieCodec: ExtensionCodec<Cookie> = {
  type: 44,
  name: 'cookie',
  allowedIn: ['client_hello', 'hello_retry_request'],
  decode(r: Reader): Cookie {
    return { cookie: r.vectorBytes(2, 'cookie', { min: 1 }) };
  },
  encode(w: Writer, value: Cookie): void {
    w.vector(2, 'cookie', value.cookie);
  },
};
