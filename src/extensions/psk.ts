import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { has } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

const KE_MODES_LIMITS = { min: 1 } as const;

/** A PskIdentity (RFC 8446 §4.2.11). */
export interface PskIdentity {
  /** `opaque identity<1..2^16-1>`: a ticket or an external PSK's name. */
  readonly identity: Uint8Array;
  readonly obfuscatedTicketAge: number;
}

/** pre_shared_key in a ClientHello: OfferedPsks. */
export interface OfferedPsks {
  /** `PskIdentity identities<7..2^16-1>`. */
  readonly identities: readonly PskIdentity[];
  /** `PskBinderEntry binders<33..2^16-1>`, each `opaque PskBinderEntry<32..255>`. */
  readonly binders: readonly Uint8Array[];
}

/** pre_shared_key in a ServerHello: the index of the identity the server chose. */
export interface SelectedPsk {
  readonly selectedIdentity: number;
}

/** pre_shared_key in any form. */
export type PreSharedKeyValue = OfferedPsks | SelectedPsk;

function decodeOfferedPsks(r: Reader): OfferedPsks {
  const identities = r.list(
    2,
    'identities',
    (r): PskIdentity => ({
      identity: r.vectorBytes(2, 'identity', { min: 1 }),
      obfuscatedTicketAge: r.u32('obfuscated_ticket_age'),
    }),
    { min: 7 },
  );
  const bindersAt = r.pos;
  const binders = r.list(2, 'binders', (r) => r.vectorBytes(1, 'binder', { min: 32 }), { min: 33 });
  if (identities.length !== binders.length) {
    // Go and OpenSSL reject this while parsing, hence decode_error.
    r.problem(
      'illegal-value',
      `${identities.length} identities but ${binders.length} binders (RFC 8446 §4.2.11)`,
      { at: bindersAt, field: 'binders', alert: 'decode_error' },
    );
  }
  return { identities, binders };
}

/**
 * pre_shared_key (41), RFC 8446 §4.2.11: OfferedPsks in a ClientHello (must be the last
 * extension; the block checks that), selected_identity in a ServerHello.
 */
export const preSharedKeyCodec: ExtensionCodec<PreSharedKeyValue> = {
  type: 41,
  name: 'pre_shared_key',
  allowedIn: ['client_hello', 'server_hello'],
  decode(r: Reader, context: MessageContext): PreSharedKeyValue {
    if (context === 'server_hello') return { selectedIdentity: r.u16('selected_identity') };
    return decodeOfferedPsks(r);
  },
  encode(w: Writer, value: PreSharedKeyValue): void {
    if (has(value, 'selectedIdentity')) {
      w.u16((value as SelectedPsk).selectedIdentity, 'selected_identity');
      return;
    }
    const v = value as OfferedPsks;
    w.prefixed(2, 'identities', (w) => {
      for (const id of v.identities) {
        w.vector(2, 'identity', id.identity);
        w.u32(id.obfuscatedTicketAge, 'obfuscated_ticket_age');
      }
    });
    w.prefixed(2, 'binders', (w) => {
      for (const b of v.binders) w.vector(1, 'binder', b);
    });
  },
};

/** psk_key_exchange_modes: `PskKeyExchangeMode ke_modes<1..255>` (RFC 8446 §4.2.9). */
export interface PskKeyExchangeModes {
  /** 0 psk_ke, 1 psk_dhe_ke; unknown and GREASE values kept. */
  readonly keModes: readonly number[];
}

/** psk_key_exchange_modes (45), ClientHello only. An empty list is `decode_error`. */
export const pskKeyExchangeModesCodec: ExtensionCodec<PskKeyExchangeModes> = {
  type: 45,
  name: 'psk_key_exchange_modes',
  allowedIn: ['client_hello'],
  fromPlan: (plan) => (plan.pskModes ? { keModes: plan.pskModes } : null),
  decode(r: Reader): PskKeyExchangeModes {
    return { keModes: r.u8List(1, 'ke_modes', KE_MODES_LIMITS) };
  },
  encode(w: Writer, value: PskKeyExchangeModes): void {
    w.prefixed(1, 'ke_modes', (w) => {
      for (const m of value.keModes) w.u8(m, 'ke_mode');
    });
  },
};
