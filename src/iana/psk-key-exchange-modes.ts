/** TLS PskKeyExchangeMode (IANA): the values of psk_key_exchange_modes (RFC 8446 §4.2.9). */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** Both PSK key exchange modes. One-byte GREASE values (grease.ts) share this space. */
export const PSK_KEY_EXCHANGE_MODES = [
  { code: 0, name: 'psk_ke', iana: true },
  { code: 1, name: 'psk_dhe_ke', iana: true },
] as const;
type _CheckPskKeyExchangeModes = Satisfies<typeof PSK_KEY_EXCHANGE_MODES, readonly RegistryEntry[]>;

/**
 * PSK key exchange mode codes by name.
 * @example PSK_KEY_EXCHANGE_MODE.psk_dhe_ke // 1
 */
export const PSK_KEY_EXCHANGE_MODE: CodesByName<typeof PSK_KEY_EXCHANGE_MODES> =
  codesByName(PSK_KEY_EXCHANGE_MODES);
