/**
 * QUIC Initial packet protection: initial secrets from the client's Destination Connection
 * ID (RFC 9001 §5.2, RFC 9369 §3.3), header protection removal (RFC 9001 §5.4), packet
 * number recovery (RFC 9000 §17.1, Appendix A.3) and AES-128-GCM payload decryption.
 */

import { ecb, gcm } from '@noble/ciphers/aes.js';
import { extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex } from '../bytes/hex.ts';
import { hkdfExpandLabel } from '../crypto/key-schedule.ts';

/** QUIC versions whose Initial packets hellokit can open. */
export const QUIC_VERSION = { v1: 0x00000001, v2: 0x6b3343cf } as const;

interface VersionParams {
  readonly salt: Uint8Array;
  readonly keyLabel: string;
  readonly ivLabel: string;
  readonly hpLabel: string;
  /** The long-header type bits of an Initial packet. */
  readonly initialType: number;
}

const VERSIONS: ReadonlyMap<number, VersionParams> = new Map([
  [
    QUIC_VERSION.v1,
    {
      salt: fromHex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a'),
      keyLabel: 'quic key',
      ivLabel: 'quic iv',
      hpLabel: 'quic hp',
      initialType: 0,
    },
  ],
  [
    QUIC_VERSION.v2,
    {
      salt: fromHex('0dede3def700a6db819381be6e269dcbf9bd2ed9'),
      keyLabel: 'quicv2 key',
      ivLabel: 'quicv2 iv',
      hpLabel: 'quicv2 hp',
      initialType: 1,
    },
  ],
]);

/** True for a QUIC version whose Initial packets can be opened here. */
export function isSupportedQuicVersion(version: number): boolean {
  return VERSIONS.has(version);
}

/** The AEAD key, IV and header-protection key of one side's Initial packets. */
export interface InitialKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  readonly hp: Uint8Array;
}

/** HKDF-Expand-Label of TLS 1.3 (RFC 8446 §7.1) with SHA-256, which QUIC's Initial keys use (RFC 9001 §5.1). */
function expandLabel(secret: Uint8Array, label: string, length: number): Uint8Array {
  return hkdfExpandLabel('sha256', secret, label, new Uint8Array(0), length);
}

/**
 * The Initial keys of `side` for a connection whose client chose `destinationConnectionId`.
 * @throws {RangeError} for a version other than QUIC v1 or v2
 * @example
 * const keys = initialKeys(QUIC_VERSION.v1, fromHex('8394c8f03e515708'), 'client');
 */
export function initialKeys(
  version: number,
  destinationConnectionId: Uint8Array,
  side: 'client' | 'server',
): InitialKeys {
  const params = VERSIONS.get(version);
  if (!params) throw new RangeError(`QUIC version 0x${version.toString(16)} has no known Initial salt`);
  const initialSecret = extract(sha256, destinationConnectionId, params.salt);
  const secret = expandLabel(initialSecret, side === 'client' ? 'client in' : 'server in', 32);
  return {
    key: expandLabel(secret, params.keyLabel, 16),
    iv: expandLabel(secret, params.ivLabel, 12),
    hp: expandLabel(secret, params.hpLabel, 16),
  };
}

/** A QUIC long header (RFC 9000 §17.2) as far as needed to find and open a packet. */
export interface LongHeader {
  readonly version: number;
  /** True for an Initial packet of a supported version. */
  readonly initial: boolean;
  readonly destinationConnectionId: Uint8Array;
  readonly sourceConnectionId: Uint8Array;
  /** Index of the packet's first byte in the datagram. */
  readonly start: number;
  /** Index of the (protected) packet number. */
  readonly packetNumberOffset: number;
  /** Index just past the packet (where a coalesced packet would start). */
  readonly end: number;
}

/** Reads a QUIC variable-length integer at `pos` (RFC 9000 §16); undefined when it runs past `end`. */
export function readVarint(
  b: Uint8Array,
  pos: number,
  end: number,
): { value: number; next: number } | undefined {
  if (pos >= end) return undefined;
  const len = 1 << (b[pos] >> 6);
  if (pos + len > end) return undefined;
  let value = b[pos] & 0x3f;
  for (let i = 1; i < len; i++) value = value * 256 + b[pos + i];
  return { value, next: pos + len };
}

/**
 * Parses the long header of the packet starting at `start`; undefined for a short header,
 * a Version Negotiation or Retry packet, an unsupported version, or a malformed header.
 */
export function parseLongHeader(b: Uint8Array, start: number): LongHeader | undefined {
  const end = b.length;
  if (start + 7 > end || (b[start] & 0x80) === 0) return undefined;
  const version = ((b[start + 1] << 24) | (b[start + 2] << 16) | (b[start + 3] << 8) | b[start + 4]) >>> 0;
  const params = VERSIONS.get(version);
  if (!params) return undefined;
  const type = (b[start] >> 4) & 3;
  // Retry is type 3 in v1 and type 0 in v2; it has no Length field.
  if (type === (params.initialType + 3) % 4) return undefined;
  let pos = start + 5;
  const dcidLen = b[pos++];
  if (dcidLen > 20 || pos + dcidLen >= end) return undefined;
  const destinationConnectionId = b.subarray(pos, pos + dcidLen);
  pos += dcidLen;
  const scidLen = b[pos++];
  if (scidLen > 20 || pos + scidLen > end) return undefined;
  const sourceConnectionId = b.subarray(pos, pos + scidLen);
  pos += scidLen;
  const initial = type === params.initialType;
  if (initial) {
    const token = readVarint(b, pos, end);
    if (!token || token.next + token.value > end) return undefined;
    pos = token.next + token.value;
  }
  const length = readVarint(b, pos, end);
  if (!length || length.next + length.value > end) return undefined;
  return {
    version,
    initial,
    destinationConnectionId,
    sourceConnectionId,
    start,
    packetNumberOffset: length.next,
    end: length.next + length.value,
  };
}

/** Recovers a full packet number from its truncated form (RFC 9000 Appendix A.3). */
export function decodePacketNumber(largest: number, truncated: number, bits: number): number {
  const expected = largest + 1;
  const win = 2 ** bits;
  const hwin = win / 2;
  const candidate = expected - (expected % win) + truncated;
  if (candidate <= expected - hwin && candidate < 2 ** 62 - win) return candidate + win;
  if (candidate > expected + hwin && candidate >= win) return candidate - win;
  return candidate;
}

/**
 * Removes header protection (RFC 9001 §5.4) and opens the payload of one long-header packet
 * with the primitives of its packet number space; undefined when authentication fails or the
 * packet is too short to carry a sample.
 * @param iv the AEAD IV of the space's keys
 * @param largest the largest packet number opened so far in this space (-1 for none)
 * @param headerMask the 5-byte mask for a 16-byte sample
 * @param decrypt opens `sealed` with the nonce and the unprotected header as associated data (throws on failure)
 */
export function openProtectedPacket(
  b: Uint8Array,
  header: LongHeader,
  iv: Uint8Array,
  largest: number,
  headerMask: (sample: Uint8Array) => Uint8Array,
  decrypt: (nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array) => Uint8Array,
): { packetNumber: number; payload: Uint8Array } | undefined {
  const pnOffset = header.packetNumberOffset;
  // The sample starts 4 bytes after the packet number's start, whatever its length (RFC 9001 §5.4.2).
  if (pnOffset + 4 + 16 > header.end) return undefined;
  const mask = headerMask(b.subarray(pnOffset + 4, pnOffset + 20));
  const first = b[header.start] ^ (mask[0] & 0x0f);
  const pnLength = (first & 3) + 1;
  const aad = b.slice(header.start, pnOffset + pnLength);
  aad[0] = first;
  let truncated = 0;
  for (let i = 0; i < pnLength; i++) {
    const at = pnOffset - header.start + i;
    aad[at] ^= mask[1 + i];
    truncated = truncated * 256 + aad[at];
  }
  const packetNumber = decodePacketNumber(largest, truncated, pnLength * 8);
  const nonce = iv.slice();
  let pn = packetNumber;
  for (let i = 11; i >= 4 && pn > 0; i--) {
    nonce[i] ^= pn % 256;
    pn = Math.floor(pn / 256);
  }
  try {
    return { packetNumber, payload: decrypt(nonce, aad, b.subarray(pnOffset + pnLength, header.end)) };
  } catch {
    return undefined;
  }
}

/**
 * Removes header protection and decrypts one Initial packet; undefined when the keys do not
 * fit (authentication fails) or the packet is too short to carry a sample.
 * @param largest the largest packet number opened so far in this direction (-1 for none)
 */
export function openInitial(
  b: Uint8Array,
  header: LongHeader,
  keys: InitialKeys,
  largest: number,
): { packetNumber: number; payload: Uint8Array } | undefined {
  return openProtectedPacket(
    b,
    header,
    keys.iv,
    largest,
    (sample) => ecb(keys.hp, { disablePadding: true }).encrypt(sample),
    (nonce, aad, sealed) => gcm(keys.key, nonce, aad).decrypt(sealed),
  );
}

/** The fields of an Initial packet to seal with {@link sealInitial}. */
export interface InitialPacketFields {
  /** QUIC version; a version without known Initial keys is sealed with v1's packet type (Version Negotiation probes). */
  readonly version: number;
  readonly destinationConnectionId: Uint8Array;
  readonly sourceConnectionId: Uint8Array;
  /** The token from a Retry or NEW_TOKEN frame; empty by default. */
  readonly token?: Uint8Array;
  readonly packetNumber: number;
  /** Bytes of the packet number on the wire, 1..4 (default 4). */
  readonly packetNumberLength?: number;
  /** The frames, padding included: sealed as they are. */
  readonly payload: Uint8Array;
}

/** Bytes an Initial packet adds around its payload: header and AEAD tag (Length is always a 2-byte varint here). */
export function initialOverhead(
  destinationConnectionId: Uint8Array,
  sourceConnectionId: Uint8Array,
  tokenLength: number,
  packetNumberLength = 4,
): number {
  const tokenVarint = tokenLength < 64 ? 1 : tokenLength < 16384 ? 2 : 4;
  return (
    7 +
    destinationConnectionId.length +
    sourceConnectionId.length +
    tokenVarint +
    tokenLength +
    2 +
    packetNumberLength +
    16
  );
}

function writeVarint(out: number[], value: number): void {
  if (value < 64) out.push(value);
  else if (value < 16384) out.push(0x40 | (value >> 8), value & 0xff);
  else if (value < 2 ** 30)
    out.push(0x80 | (value >>> 24), (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
  else throw new RangeError(`varint ${value} is too large for this encoder`);
}

/**
 * Builds one Initial packet and protects it: AES-128-GCM over the payload with the header as
 * associated data (RFC 9001 §5.3), then header protection (§5.4). The Length field is always
 * written as a 2-byte varint, as in RFC 9001 Appendix A.2.
 * @throws {RangeError} for a packet number length outside 1..4, a payload too short to sample
 *   (RFC 9001 §5.4.2) or too long for a 2-byte Length, or connection IDs over 20 bytes
 * @example
 * const keys = initialKeys(QUIC_VERSION.v1, dcid, 'client');
 * const packet = sealInitial({ version: 1, destinationConnectionId: dcid, sourceConnectionId: scid, packetNumber: 0, payload }, keys);
 */
export function sealInitial(fields: InitialPacketFields, keys: InitialKeys): Uint8Array {
  const pnLength = fields.packetNumberLength ?? 4;
  if (!Number.isInteger(pnLength) || pnLength < 1 || pnLength > 4)
    throw new RangeError(`"packetNumberLength" expected 1..4, got ${pnLength}`);
  const { destinationConnectionId: dcid, sourceConnectionId: scid, payload } = fields;
  if (dcid.length > 20 || scid.length > 20)
    throw new RangeError(`connection IDs are at most 20 bytes, got ${dcid.length} and ${scid.length}`);
  if (pnLength + payload.length < 4)
    throw new RangeError(`"payload" too short to sample for header protection: ${payload.length} bytes`);
  const length = pnLength + payload.length + 16;
  if (length >= 16384) throw new RangeError(`Initial packet of ${length} bytes is too long`);
  const token = fields.token ?? new Uint8Array(0);
  const type = VERSIONS.get(fields.version)?.initialType ?? 0;
  const header: number[] = [0xc0 | (type << 4) | (pnLength - 1)];
  header.push(
    (fields.version >>> 24) & 0xff,
    (fields.version >> 16) & 0xff,
    (fields.version >> 8) & 0xff,
    fields.version & 0xff,
  );
  header.push(dcid.length, ...dcid, scid.length, ...scid);
  writeVarint(header, token.length);
  for (const b of token) header.push(b);
  header.push(0x40 | (length >> 8), length & 0xff);
  const pnOffset = header.length;
  for (let i = pnLength - 1; i >= 0; i--) header.push(Math.floor(fields.packetNumber / 256 ** i) % 256);
  const aad = Uint8Array.from(header);
  const nonce = keys.iv.slice();
  let pn = fields.packetNumber;
  for (let i = 11; i >= 4 && pn > 0; i--) {
    nonce[i] ^= pn % 256;
    pn = Math.floor(pn / 256);
  }
  const sealed = gcm(keys.key, nonce, aad).encrypt(payload);
  const packet = new Uint8Array(aad.length + sealed.length);
  packet.set(aad);
  packet.set(sealed, aad.length);
  const sample = packet.subarray(pnOffset + 4, pnOffset + 20);
  const mask = ecb(keys.hp, { disablePadding: true }).encrypt(sample);
  packet[0] ^= mask[0] & 0x0f;
  for (let i = 0; i < pnLength; i++) packet[pnOffset + i] ^= mask[1 + i];
  return packet;
}

/** Retry integrity keys (RFC 9001 §5.8, RFC 9369 §3.3.3). */
const RETRY_INTEGRITY: ReadonlyMap<number, { key: Uint8Array; nonce: Uint8Array }> = new Map([
  [
    QUIC_VERSION.v1,
    { key: fromHex('be0c690b9f66575a1d766b54e368c84e'), nonce: fromHex('461599d35d632bf2239825bb') },
  ],
  [
    QUIC_VERSION.v2,
    { key: fromHex('8fb4b01b56ac48e260fbcbcead7ccc92'), nonce: fromHex('d86969bc2d7c6d9990efb04a') },
  ],
]);

/**
 * The Retry Integrity Tag (RFC 9001 §5.8) of a Retry packet `retryWithoutTag` (the packet
 * minus its last 16 bytes), sent in answer to an Initial whose Destination Connection ID was
 * `originalDestinationConnectionId`.
 * @throws {RangeError} for a version other than QUIC v1 or v2
 */
export function retryIntegrityTag(
  version: number,
  originalDestinationConnectionId: Uint8Array,
  retryWithoutTag: Uint8Array,
): Uint8Array {
  const params = RETRY_INTEGRITY.get(version);
  if (!params)
    throw new RangeError(`QUIC version 0x${version.toString(16)} has no known Retry integrity key`);
  const pseudo = new Uint8Array(1 + originalDestinationConnectionId.length + retryWithoutTag.length);
  pseudo[0] = originalDestinationConnectionId.length;
  pseudo.set(originalDestinationConnectionId, 1);
  pseudo.set(retryWithoutTag, 1 + originalDestinationConnectionId.length);
  return gcm(params.key, params.nonce, pseudo).encrypt(new Uint8Array(0));
}
