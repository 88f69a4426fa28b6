import { latin1 } from '../bytes/hex.ts';
import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { type ProtocolNameList, protocolIds } from './alpn.ts';
import { EMPTY, type EmptyValue, has } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

/** next_protocol_negotiation in any form: empty (ClientHello) or the server's protocols. */
export type NextProtocolNegotiationValue = ProtocolNameList | EmptyValue;

/**
 * next_protocol_negotiation (13172), draft-agl-tls-nextprotoneg: empty in a ClientHello;
 * in a ServerHello, u8-prefixed protocol ids back to back with no outer length.
 */
export const nextProtocolNegotiationCodec: ExtensionCodec<NextProtocolNegotiationValue> = {
  type: 13172,
  name: 'next_protocol_negotiation',
  allowedIn: ['client_hello', 'server_hello'],
  decode(r: Reader, context: MessageContext): NextProtocolNegotiationValue {
    if (context === 'client_hello') return EMPTY;
    const protocolNameList: Uint8Array[] = [];
    r.enter('protocols', () => {
      for (let i = 0; !r.atEnd; i++) r.enter(i, () => protocolNameList.push(r.vectorBytes(1, 'protocol')));
    });
    return { protocolNameList, protocols: protocolNameList.map(latin1) };
  },
  encode(w: Writer, value: NextProtocolNegotiationValue): void {
    if (!has(value, 'protocolNameList') && !has(value, 'protocols')) return;
    for (const id of protocolIds(value as ProtocolNameList)) w.vector(1, 'protocol', id);
  },
};
