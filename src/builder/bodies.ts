/**
 * extension_data bodies by value, for scripts that put one together by hand. Each is the
 * registry row's own encoder (`encodeBody`), never a second writer: the builder
 * itself takes every body from the rows' `fromPlan`.
 */
import { alpnCodec, alpnValueOf } from '../extensions/alpn.ts';
import { encodeBody } from '../extensions/block.ts';
import { type EchOuterClientHello, encryptedClientHelloCodec } from '../extensions/ech.ts';
import { type KeyShareEntry, keyShareCodec } from '../extensions/key-share.ts';
import { serverNameCodec, serverNameValue } from '../extensions/server-name.ts';
import { signatureAlgorithmsCodec } from '../extensions/signature-algorithms.ts';
import { supportedGroupsCodec } from '../extensions/supported-groups.ts';
import { supportedVersionsCodec } from '../extensions/supported-versions.ts';

/** server_name (RFC 6066 §3): one host_name entry (ASCII; see docs/extensions.md). */
export function serverNameBody(host: string): Uint8Array {
  return encodeBody(serverNameCodec, serverNameValue(host));
}

/** supported_groups (RFC 8446 §4.2.7). */
export function supportedGroupsBody(groups: readonly number[]): Uint8Array {
  return encodeBody(supportedGroupsCodec, { namedGroupList: groups });
}

/** signature_algorithms (RFC 8446 §4.2.3). */
export function signatureAlgorithmsBody(schemes: readonly number[]): Uint8Array {
  return encodeBody(signatureAlgorithmsCodec, { supportedSignatureAlgorithms: schemes });
}

/** supported_versions in a ClientHello (RFC 8446 §4.2.1). */
export function supportedVersionsBody(versions: readonly number[]): Uint8Array {
  return encodeBody(supportedVersionsCodec, { versions });
}

/** application_layer_protocol_negotiation (RFC 7301); text ids are Latin-1, one byte a character. */
export function alpnBody(protocols: readonly (string | Uint8Array)[]): Uint8Array {
  return encodeBody(alpnCodec, alpnValueOf(protocols));
}

/** One KeyShareEntry: a group and its key_exchange bytes. */
export type KeyShareEntryInput = KeyShareEntry;

/** key_share in a ClientHello (RFC 8446 §4.2.8): client_shares. */
export function keyShareBody(entries: readonly KeyShareEntry[]): Uint8Array {
  return encodeBody(keyShareCodec, { clientShares: entries });
}

/** encrypted_client_hello, outer form (draft-ietf-tls-esni §5). */
export function echOuterBody(ech: EchOuterClientHello): Uint8Array {
  return encodeBody(encryptedClientHelloCodec, ech);
}
