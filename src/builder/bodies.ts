/**
 * extension_data bodies for the extensions the builder fills in from options. Written with
 * Writer so lengths are computed; a forged length is an override on the extension instead.
 */
import { Writer } from '../bytes/writer.ts';

const utf8 = new TextEncoder();

function u16List(width: 1 | 2, field: string, values: readonly number[]): Uint8Array {
  const w = new Writer(2 + values.length * 2);
  w.prefixed(width, field, (w) => {
    for (const v of values) w.u16(v, field);
  });
  return w.finish();
}

function u8List(field: string, values: readonly number[]): Uint8Array {
  const w = new Writer(1 + values.length);
  w.prefixed(1, field, (w) => {
    for (const v of values) w.u8(v, field);
  });
  return w.finish();
}

/** server_name (RFC 6066 §3): one host_name entry. */
export function serverNameBody(host: string): Uint8Array {
  const w = new Writer(5 + host.length);
  w.prefixed(2, 'server_name_list', (w) => {
    w.u8(0, 'name_type');
    w.vector(2, 'host_name', utf8.encode(host));
  });
  return w.finish();
}

/** supported_groups (RFC 8446 §4.2.7). */
export function supportedGroupsBody(groups: readonly number[]): Uint8Array {
  return u16List(2, 'named_group_list', groups);
}

/** signature_algorithms / signature_algorithms_cert (RFC 8446 §4.2.3). */
export function signatureAlgorithmsBody(schemes: readonly number[]): Uint8Array {
  return u16List(2, 'supported_signature_algorithms', schemes);
}

/** supported_versions in a ClientHello (RFC 8446 §4.2.1): a one-byte-length list. */
export function supportedVersionsBody(versions: readonly number[]): Uint8Array {
  return u16List(1, 'versions', versions);
}

/** application_layer_protocol_negotiation (RFC 7301). */
export function alpnBody(protocols: readonly (string | Uint8Array)[]): Uint8Array {
  const w = new Writer(64);
  w.prefixed(2, 'protocol_name_list', (w) => {
    for (const p of protocols) w.vector(1, 'protocol_name', typeof p === 'string' ? utf8.encode(p) : p);
  });
  return w.finish();
}

/** psk_key_exchange_modes (RFC 8446 §4.2.9). */
export function pskModesBody(modes: readonly number[]): Uint8Array {
  return u8List('ke_modes', modes);
}

/** ec_point_formats (RFC 8422 §5.1.2). */
export function ecPointFormatsBody(formats: readonly number[]): Uint8Array {
  return u8List('ec_point_format_list', formats);
}

/** compress_certificate (RFC 8879): a one-byte-length list of two-byte algorithm ids. */
export function certificateCompressionBody(algorithms: readonly number[]): Uint8Array {
  return u16List(1, 'algorithms', algorithms);
}

/** One KeyShareEntry: a group and its key_exchange bytes. */
export interface KeyShareEntryInput {
  readonly group: number;
  readonly keyExchange: Uint8Array;
}

/** key_share in a ClientHello (RFC 8446 §4.2.8): client_shares. */
export function keyShareBody(entries: readonly KeyShareEntryInput[]): Uint8Array {
  const w = new Writer(64);
  w.prefixed(2, 'client_shares', (w) => {
    for (const e of entries) {
      w.u16(e.group, 'group');
      w.vector(2, 'key_exchange', e.keyExchange);
    }
  });
  return w.finish();
}

/** padding (RFC 7685): `length` zero bytes. */
export function paddingBody(length: number): Uint8Array {
  return new Uint8Array(length);
}

/** The fields of an outer encrypted_client_hello (draft-ietf-tls-esni §5). */
export interface EchOuterInput {
  readonly kdfId: number;
  readonly aeadId: number;
  readonly configId: number;
  readonly enc: Uint8Array;
  readonly payload: Uint8Array;
}

/** encrypted_client_hello, outer form: type 0, cipher suite, config id, enc, payload. */
export function echOuterBody(ech: EchOuterInput): Uint8Array {
  const w = new Writer(48 + ech.enc.length + ech.payload.length);
  w.u8(0, 'ech_client_hello_type');
  w.u16(ech.kdfId, 'kdf_id');
  w.u16(ech.aeadId, 'aead_id');
  w.u8(ech.configId, 'config_id');
  w.vector(2, 'enc', ech.enc);
  w.vector(2, 'payload', ech.payload);
  return w.finish();
}
