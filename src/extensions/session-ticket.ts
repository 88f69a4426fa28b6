import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

/** session_ticket (RFC 5077 §3.2): the opaque ticket, empty when the client asks for one. */
export interface SessionTicket {
  readonly ticket: Uint8Array;
}

/** session_ticket (35), RFC 5077: the body is the ticket itself (no length prefix). */
export const sessionTicketCodec: ExtensionCodec<SessionTicket> = {
  type: 35,
  name: 'session_ticket',
  allowedIn: ['client_hello', 'server_hello'],
  clientHelloDefault: { ticket: new Uint8Array(0) },
  decode(r: Reader): SessionTicket {
    return { ticket: r.rest() };
  },
  encode(w: Writer, value: SessionTicket): void {
    w.bytes(value.ticket);
  },
};
