/**
 * ClientHello fields read from extension bodies, for fingerprints, the decode JSON view and
 * the probe's own bookkeeping.
 *
 * Each is read by the extension's registry codec (leniently: a semantic fault such as an
 * empty list or a duplicate share is kept, not thrown). They must also work on any hello a
 * client actually sent, including bodies the codec cannot read (a list length that
 * overshoots, an odd byte left over), so they never throw: for such a body a vector whose
 * length prefix claims more bytes than the body holds is read up to the end of the body, and
 * a trailing odd byte of a u16 list is ignored. Text (host names, ALPN ids) follows the
 * codecs' one rule: one character per byte (Latin-1), so an ASCII name reads as itself and
 * any other byte stays visible and restores exactly.
 */
import { DecodeError } from '../bytes/errors.ts';
import { latin1 } from '../bytes/hex.ts';
import { Reader } from '../bytes/reader.ts';
import { alpnCodec } from '../extensions/alpn.ts';
import { ecPointFormatsCodec } from '../extensions/ec-point-formats.ts';
import { type KeyShareClientHello, keyShareCodec } from '../extensions/key-share.ts';
import { type ServerNameList, serverNameCodec } from '../extensions/server-name.ts';
import { signatureAlgorithmsCodec } from '../extensions/signature-algorithms.ts';
import { supportedGroupsCodec } from '../extensions/supported-groups.ts';
import { type SupportedVersionsList, supportedVersionsCodec } from '../extensions/supported-versions.ts';
import type { ExtensionCodec } from '../extensions/types.ts';
import type { ClientHello } from './types.ts';

/** What every client fingerprint reads from a ClientHello. */
export type FingerprintableHello = Pick<ClientHello, 'legacyVersion' | 'cipherSuites' | 'extensions'>;

/** ExtensionType codes read here (IANA TLS ExtensionType Values). */
export const EXTENSION = {
  server_name: 0x0000,
  supported_groups: 0x000a,
  ec_point_formats: 0x000b,
  signature_algorithms: 0x000d,
  application_layer_protocol_negotiation: 0x0010,
  supported_versions: 0x002b,
  key_share: 0x0033,
} as const;

const EMPTY = new Uint8Array(0);
const LENIENT = { strict: false } as const;

/**
 * What the registry codec reads from a ClientHello extension body, or undefined when the
 * body does not follow the wire grammar (then the clipped reading stands in).
 */
function viaCodec<V>(codec: ExtensionCodec<V>, body: Uint8Array): V | undefined {
  try {
    return codec.decode(new Reader(body, LENIENT), 'client_hello');
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}

/** Bodies of every extension of `type`, in wire order. */
export function extensionBodies(hello: FingerprintableHello, type: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const ext of hello.extensions ?? []) if (ext.type === type) out.push(ext.body);
  return out;
}

/** True when the hello carries an extension of `type` (whatever its body). */
export function hasExtension(hello: FingerprintableHello, type: number): boolean {
  return (hello.extensions ?? []).some((ext) => ext.type === type);
}

/**
 * The content of a vector with a `width`-byte length prefix at the start of `body`,
 * clipped to the bytes actually there. Empty when the prefix itself is cut short.
 */
export function vectorContent(body: Uint8Array, width: 1 | 2): Uint8Array {
  if (body.length < width) return EMPTY;
  const r = new Reader(body);
  const declared = r.uint(width, 'length');
  return r.bytes(Math.min(declared, r.remaining), 'content');
}

/** Big-endian u16 values of `bytes`; an odd trailing byte is ignored. */
export function u16Values(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) out.push((bytes[i] << 8) | bytes[i + 1]);
  return out;
}

/** supported_versions of a ClientHello (RFC 8446 §4.2.1: u8 length, then u16 versions). */
export function supportedVersions(body: Uint8Array): number[] {
  const value = viaCodec(supportedVersionsCodec, body) as SupportedVersionsList | undefined;
  return value ? [...value.versions] : u16Values(vectorContent(body, 1));
}

/** supported_groups (RFC 8446 §4.2.7: u16 length, then u16 groups). */
export function supportedGroups(body: Uint8Array): number[] {
  const value = viaCodec(supportedGroupsCodec, body);
  return value ? [...value.namedGroupList] : u16Values(vectorContent(body, 2));
}

/** ec_point_formats (RFC 8422 §5.1.2: u8 length, then u8 formats). */
export function ecPointFormats(body: Uint8Array): number[] {
  const value = viaCodec(ecPointFormatsCodec, body);
  return value ? [...value.ecPointFormatList] : Array.from(vectorContent(body, 1));
}

/** signature_algorithms (RFC 8446 §4.2.3: u16 length, then u16 schemes). */
export function signatureAlgorithms(body: Uint8Array): number[] {
  const value = viaCodec(signatureAlgorithmsCodec, body);
  return value ? [...value.supportedSignatureAlgorithms] : u16Values(vectorContent(body, 2));
}

/**
 * The first protocol name of an ALPN extension (RFC 7301 §3.1: u16 list length, then
 * u8-length-prefixed names), clipped to the body; `null` when the list holds no name.
 */
export function firstAlpnProtocol(body: Uint8Array): Uint8Array | null {
  const value = viaCodec(alpnCodec, body);
  if (value) return value.protocolNameList[0] ?? null;
  const list = vectorContent(body, 2);
  if (list.length === 0) return null;
  return vectorContent(list, 1);
}

/** Every protocol name of an ALPN extension, as Latin-1 strings (bytes stay visible), clipped to the body. */
export function alpnProtocols(body: Uint8Array): string[] {
  const value = viaCodec(alpnCodec, body);
  if (value) return [...value.protocols];
  const list = vectorContent(body, 2);
  const out: string[] = [];
  for (let i = 0; i < list.length; ) {
    out.push(latin1(list.subarray(i + 1, i + 1 + list[i])));
    i += 1 + list[i];
  }
  return out;
}

/** The host_name of the first host_name entry of server_name (RFC 6066 §3, Latin-1 as in the codec), or null. */
export function serverName(body: Uint8Array): string | null {
  const value = viaCodec(serverNameCodec, body) as ServerNameList | undefined;
  if (value) return value.serverNameList.find((e) => e.nameType === 0)?.hostName ?? null;
  const list = vectorContent(body, 2);
  for (let i = 0; i + 3 <= list.length; ) {
    const nameType = list[i];
    const name = vectorContent(list.subarray(i + 1), 2);
    if (nameType === 0) return latin1(name);
    i += 3 + name.length;
  }
  return null;
}

/**
 * The host_name of a hello's first server_name extension (RFC 6066 §3), or null: from its
 * typed value when the hello was decoded with one, else read from its body.
 */
export function helloServerName(hello: Pick<ClientHello, 'extensions'>): string | null {
  for (const ext of hello.extensions ?? []) {
    if (ext.type !== 0) continue;
    const list = (ext.value as Partial<ServerNameList> | undefined)?.serverNameList;
    if (list) {
      for (const e of list) if (e.nameType === 0) return e.hostName ?? serverName(ext.body);
      return null;
    }
    return serverName(ext.body);
  }
  return null;
}

/** The groups of a ClientHello's key_share entries (RFC 8446 §4.2.8), in wire order. */
export function keyShareGroups(body: Uint8Array): number[] {
  const value = viaCodec(keyShareCodec, body) as KeyShareClientHello | undefined;
  if (value) return value.clientShares.map((e) => e.group);
  const list = vectorContent(body, 2);
  const out: number[] = [];
  for (let i = 0; i + 4 <= list.length; ) {
    out.push((list[i] << 8) | list[i + 1]);
    i += 4 + ((list[i + 2] << 8) | list[i + 3]);
  }
  return out;
}

/** The body of the first extension of `type`, if the hello has one. */
export function firstExtensionBody(
  hello: Pick<ClientHello, 'extensions'>,
  type: number,
): Uint8Array | undefined {
  for (const ext of hello.extensions ?? []) if (ext.type === type) return ext.body;
  return undefined;
}
