import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

/** renegotiation_info: `opaque renegotiated_connection<0..255>` (RFC 5746 §3.2). */
export interface RenegotiationInfo {
  /** Empty on an initial handshake. */
  readonly renegotiatedConnection: Uint8Array;
}

/** renegotiation_info (65281), RFC 5746: ClientHello and (TLS 1.2) ServerHello. */
export const renegotiationInfoCodec: ExtensionCodec<RenegotiationInfo> = {
  type: 0xff01,
  name: 'renegotiation_info',
  allowedIn: ['client_hello', 'server_hello'],
  clientHelloDefault: { renegotiatedConnection: new Uint8Array(0) },
  decode(r: Reader): RenegotiationInfo {
    return { renegotiatedConnection: r.vectorBytes(1, 'renegotiated_connection') };
  },
  encode(w: Writer, value: RenegotiationInfo): void {
    w.vector(1, 'renegotiated_connection', value.renegotiatedConnection);
  },
};
