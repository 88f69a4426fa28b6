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

/**
 * key_exchange sizes fixed by the groups' definitions, as [client share, server share]:
 * ECDHE points are uncompressed (RFC 8446 §4.2.8.2), X25519/X448 are 32/56 bytes (RFC 7748),
 * ffdhe values are padded to the prime (RFC 8446 §4.2.8.1), ML-KEM shares are an encapsulation
 * key from the client and a ciphertext from the server (FIPS 203), and the hybrids concatenate
 * their parts (draft-ietf-tls-ecdhe-mlkem). A share of another size is `illegal_parameter`.
 */
export const KEY_EXCHANGE_SIZES: ReadonlyMap<number, readonly [client: number, server: number]> = new Map([
  [0x0017, [65, 65]],
  [0x0018, [97, 97]],
  [0x0019, [133, 133]],
  [0x001d, [32, 32]],
  [0x001e, [56, 56]],
  [0x0100, [256, 256]],
  [0x0101, [384, 384]],
  [0x0102, [512, 512]],
  [0x0103, [768, 768]],
  [0x0104, [1024, 1024]],
  [0x0200, [800, 768]],
  [0x0201, [1184, 1088]],
  [0x0202, [1568, 1568]],
  [0x11eb, [65 + 1184, 65 + 1088]],
  [0x11ec, [1184 + 32, 1088 + 32]],
  [0x11ed, [97 + 1568, 97 + 1568]],
]);

function decodeEntry(r: Reader, side: 0 | 1): KeyShareEntry {
  const group = r.u16('group');
  const at = r.pos;
  const keyExchange = r.vectorBytes(2, 'key_exchange', KEY_EXCHANGE_LIMITS);
  const expected = KEY_EXCHANGE_SIZES.get(group)?.[side];
  if (expected !== undefined && keyExchange.length !== expected && keyExchange.length > 0) {
    r.problem(
      'illegal-value',
      `a group 0x${group.toString(16).padStart(4, '0')} share is ${expected} bytes, this one ${keyExchange.length}`,
      {
        at,
        field: 'key_exchange',
        alert: 'illegal_parameter',
      },
    );
  }
  return { group, keyExchange };
}

function encodeEntry(w: Writer, entry: KeyShareEntry): void {
  w.u16(entry.group, 'group');
  w.vector(2, 'key_exchange', entry.keyExchange);
}

/**
 * key_share (51), RFC 8446 §4.2.8. An empty key_exchange is `decode_error`; two shares for
 * one group are `illegal_parameter` ("Clients MUST NOT offer multiple KeyShareEntry values
 * for the same group... Servers MAY check for violations"), and so is a share whose size does
 * not fit its group ({@link KEY_EXCHANGE_SIZES}).
 */
export const keyShareCodec: ExtensionCodec<KeyShareValue> = {
  type: 51,
  name: 'key_share',
  allowedIn: ['client_hello', 'server_hello', 'hello_retry_request'],
  fromPlan: (plan) => (plan.keyShares ? { clientShares: plan.keyShares } : null),
  decode(r: Reader, context: MessageContext): KeyShareValue {
    if (context === 'hello_retry_request') return { selectedGroup: r.u16('selected_group') };
    if (context === 'server_hello') return { serverShare: r.enter('server_share', () => decodeEntry(r, 1)) };
    const seen = new SeenCodes();
    const clientShares = r.list(2, 'client_shares', (r) => {
      const at = r.pos;
      const entry = decodeEntry(r, 0);
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
