import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { decodeProtocolNameList, encodeProtocolNameList, type ProtocolNameList } from './alpn.ts';
import { has } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

/** application_settings in EncryptedExtensions: the opaque settings for the negotiated protocol. */
export interface ApplicationSettings {
  readonly settings: Uint8Array;
}

/**
 * application_settings and application_settings_new (ALPS, draft-vvv-tls-alps) in any form: the ALPN ids the client
 * has settings for (ClientHello, `supported_protocols<2..2^16-1>`) or the settings
 * themselves (EncryptedExtensions, the rest of the body).
 */
export type ApplicationSettingsValue = ProtocolNameList | ApplicationSettings;

function alps(type: number, name: string): ExtensionCodec<ApplicationSettingsValue> {
  return {
    type,
    name,
    allowedIn: ['client_hello', 'encrypted_extensions'],
    decode(r: Reader, context: MessageContext): ApplicationSettingsValue {
      if (context === 'encrypted_extensions') return { settings: r.rest() };
      return decodeProtocolNameList(r, 'supported_protocols');
    },
    encode(w: Writer, value: ApplicationSettingsValue): void {
      if (has(value, 'settings')) w.bytes((value as ApplicationSettings).settings);
      else encodeProtocolNameList(w, value as ProtocolNameList, 'supported_protocols');
    },
  };
}

/**
 * application_settings (17513), the ALPS code point Chrome used first (BoringSSL calls it
 * "old"); named as in hellokit's IANA table.
 */
export const applicationSettingsCodec: ExtensionCodec<ApplicationSettingsValue> = alps(
  17513,
  'application_settings',
);

/** application_settings_new (17613, 0x44cd), the ALPS code point Chrome uses now (same format). */
export const applicationSettingsNewCodec: ExtensionCodec<ApplicationSettingsValue> = alps(
  17613,
  'application_settings_new',
);
