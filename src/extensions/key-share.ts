import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { has, SeenCodes } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

/** A KeyShareEntry (RFC 8446 §4.2.8). */
export interface KeyShareEntry {
  /** NamedGroup; unknown and GREASE groups are kept. */
  readonly group: number;
  /** `opaque key_exchange<1..2^16-1>`. */
  readonly keyExchange: Uint8Array;
}

/** key_share in a ClientHello: `KeyShareEntry client_shares<0..2^16-1>` (empty asks for an HRR). */
export interface KeyShareClientHello {
  readonly clientShares: readonly KeyShareEntry[];
}

/** key_share in a ServerHello: the server's one share. */
export interface KeyShareServerHello {
  readonly serverShare: KeyShareEntry;
}

/** key_share in a HelloRetryRequest: the group the server wants. */
export interface KeyShareHelloRetryRequest {
  readonly selectedGroup: number;
}

/** key_share in any form. */
export type KeyShareValue = KeyShareClientHello | KeyShareServerHello | KeyShareHelloRetryRequest;

const KEY_EXCHANGE_LIMITS = { min: 1 } as const;

function decodeEntry(r: Reader): KeyShareEntry {
  return { group: r.u16('group'), keyExchange: r.vectorBytes(2, 'key_exchange', KEY_EXCHANGE_LIMITS) };
}

function encodeEntry(w: Writer, entry: KeyShareEntry): void {
  w.u16(entry.group, 'group');
  w.vector(2, 'key_exchange', entry.keyExchange);
}

/**
 * key_share (51), RFC 8446 §4.2.8. An empty key_exchange is `decode_error`; two shares for
 * one group are `illegal_parameter` ("Clients MUST NOT offer multiple KeyShareEntry values
 * for the same group... Servers MAY check for violations").
 */
export const keyShareCodec: ExtensionCodec<KeyShareValue> = {
  type: 51,
  name: 'key_share',
  allowedIn: ['client_hello', 'server_hello', 'hello_retry_request'],
  decode(r: Reader, context: MessageContext): KeyShareValue {
    if (context === 'hello_retry_request') return { selectedGroup: r.u16('selected_group') };
    if (context === 'server_hello') return { serverShare: r.enter('server_share', () => decodeEntry(r)) };
    const seen = new SeenCodes();
    const clientShares = r.list(2, 'client_shares', (r) => {
      const at = r.pos;
      const entry = decodeEntry(r);
      if (!seen.add(entry.group)) {
        r.problem('duplicate', `two key shares for group ${entry.group} (RFC 8446 §4.2.8)`, {
          at,
          alert: 'illegal_parameter',
        });
      }
      return entry;
    });
    return { clientShares };
  },
  encode(w: Writer, value: KeyShareValue): void {
    if (has(value, 'selectedGroup')) {
      w.u16((value as KeyShareHelloRetryRequest).selectedGroup, 'selected_group');
    } else if (has(value, 'serverShare')) {
      encodeEntry(w, (value as KeyShareServerHello).serverShare);
    } else {
      w.prefixed(2, 'client_shares', (w) => {
        for (const e of (value as KeyShareClientHello).clientShares) encodeEntry(w, e);
      });
    }
  },
};
