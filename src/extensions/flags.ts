import type { Writer } from '../bytes/writer.ts';
import { EMPTY, type EmptyValue } from './common.ts';
import type { ExtensionCodec, MessageContext } from './types.ts';

/**
 * Extensions whose presence is the whole message: the body is always empty, and any byte
 * in it is `trailing` (`decode_error`).
 */
function flag(type: number, name: string, allowedIn: readonly MessageContext[]): ExtensionCodec<EmptyValue> {
  return {
    type,
    name,
    allowedIn,
    clientHelloDefault: EMPTY,
    decode: (): EmptyValue => EMPTY,
    encode: (_w: Writer, _value: EmptyValue): void => {},
  };
}

/** encrypt_then_mac (22), RFC 7366: empty in ClientHello and ServerHello. */
export const encryptThenMacCodec: ExtensionCodec<EmptyValue> = flag(22, 'encrypt_then_mac', [
  'client_hello',
  'server_hello',
]);

/** extended_master_secret (23), RFC 7627: empty in ClientHello and ServerHello. */
export const extendedMasterSecretCodec: ExtensionCodec<EmptyValue> = flag(23, 'extended_master_secret', [
  'client_hello',
  'server_hello',
]);

/** post_handshake_auth (49), RFC 8446 §4.2.6: empty, ClientHello only. */
export const postHandshakeAuthCodec: ExtensionCodec<EmptyValue> = flag(49, 'post_handshake_auth', [
  'client_hello',
]);

/**
 * channel_id (30032), Google's Channel ID: empty in ClientHello and ServerHello (the ID
 * itself travels in its own handshake message).
 */
export const channelIdCodec: ExtensionCodec<EmptyValue> = flag(30032, 'channel_id', [
  'client_hello',
  'server_hello',
  'encrypted_extensions',
]);
