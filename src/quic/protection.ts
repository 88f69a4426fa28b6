/**
 * QUIC packet protection (RFC 9001 §5): sealing a client Initial, and opening a long-header
 * packet of any space — header protection removed (§5.4), packet number recovered (RFC 9000
 * A.3), payload opened with the suite's AEAD (AES-GCM, or ChaCha20-Poly1305 with ChaCha20
 * header protection). Also the Retry Integrity Tag (§5.8).
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { varintLength, Writer } from '../bytes/writer.ts';
import { decodePacketNumber, type LongHeader } from './header.ts';
import { type InitialKeys, type QuicPacketKeys, quicHeaderMask } from './keys.ts';
import { quicVersionParams } from './version.ts';

/** An opened packet: its full packet number and its frames. */
export interface OpenedPacket {
  readonly packetNumber: number;
  readonly payload: Uint8Array;
}

/** The AEAD nonce of a packet: the IV with the packet number XORed into its low bytes (RFC 9001 §5.3). */
function packetNonce(iv: Uint8Array, packetNumber: number): Uint8Array {
  const nonce = iv.slice();
  let pn = packetNumber;
  for (let i = nonce.length - 1; i >= nonce.length - 8 && pn > 0; i--) {
    nonce[i] ^= pn % 256;
    pn = Math.floor(pn / 256);
  }
  return nonce;
}

/**
 * Removes header protection (RFC 9001 §5.4) and opens the payload of one long-header packet
 * with the primitives of its packet number space; undefined when authentication fails or the
 * packet is too short to carry a sample.
 * @param iv the AEAD IV of the space's keys
 * @param largest the largest packet number opened so far in this space (-1 for none)
 * @param headerMask the mask (at least 5 bytes) for a 16-byte sample
 * @param decrypt opens `sealed` with the nonce and the unprotected header as associated data (throws on failure)
 */
export function openProtectedPacket(
  b: Uint8Array,
  header: LongHeader,
  iv: Uint8Array,
  largest: number,
  headerMask: (sample: Uint8Array) => Uint8Array,
  decrypt: (nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array) => Uint8Array,
): OpenedPacket | undefined {
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
  const nonce = packetNonce(iv, packetNumber);
  try {
    return { packetNumber, payload: decrypt(nonce, aad, b.subarray(pnOffset + pnLength, header.end)) };
  } catch {
    return undefined;
  }
}

/**
 * Removes header protection and decrypts one long-header packet with `keys`: Initial keys
 * (AES-128-GCM) or the keys of a negotiated suite ({@link quicPacketKeys}); undefined when the
 * keys do not fit (authentication fails) or the packet is too short to carry a sample.
 * @param largest the largest packet number opened so far in this space (-1 for none)
 */
export function openInitial(
  b: Uint8Array,
  header: LongHeader,
  keys: InitialKeys | QuicPacketKeys,
  largest: number,
): OpenedPacket | undefined {
  const chacha = 'params' in keys && keys.params.aead === 'CHACHA20_POLY1305';
  return openProtectedPacket(
    b,
    header,
    keys.iv,
    largest,
    (sample) => quicHeaderMask(keys, sample),
    (nonce, aad, sealed) =>
      (chacha ? chacha20poly1305(keys.key, nonce, aad) : gcm(keys.key, nonce, aad)).decrypt(sealed),
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
  const header = 7 + destinationConnectionId.length + sourceConnectionId.length;
  return header + varintLength(tokenLength) + tokenLength + 2 + packetNumberLength + 16;
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
  const type = quicVersionParams(fields.version)?.initialType ?? 0;
  const w = new Writer(initialOverhead(dcid, scid, token.length, pnLength) + payload.length);
  w.u8(0xc0 | (type << 4) | (pnLength - 1), 'first_byte');
  w.u32(fields.version >>> 0, 'version');
  w.vector(1, 'destination_connection_id', dcid);
  w.vector(1, 'source_connection_id', scid);
  w.varint(token.length, 'token_length');
  w.bytes(token);
  w.varint(length, 'length', 2);
  const pnOffset = w.length;
  w.uint(pnLength as 1 | 2 | 3 | 4, fields.packetNumber % 256 ** pnLength, 'packet_number');
  const aad = w.finish();
  const sealed = gcm(keys.key, packetNonce(keys.iv, fields.packetNumber), aad).encrypt(payload);
  const packet = new Uint8Array(aad.length + sealed.length);
  packet.set(aad);
  packet.set(sealed, aad.length);
  const mask = quicHeaderMask(keys, packet.subarray(pnOffset + 4, pnOffset + 20));
  packet[0] ^= mask[0] & 0x0f;
  for (let i = 0; i < pnLength; i++) packet[pnOffset + i] ^= mask[1 + i];
  return packet;
}

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
  const params = quicVersionParams(version);
  if (!params)
    throw new RangeError(`QUIC version 0x${version.toString(16)} has no known Retry integrity key`);
  const pseudo = new Writer(1 + originalDestinationConnectionId.length + retryWithoutTag.length);
  pseudo.vector(1, 'original_destination_connection_id', originalDestinationConnectionId);
  pseudo.bytes(retryWithoutTag);
  return gcm(params.retryKey, params.retryNonce, pseudo.finish()).encrypt(new Uint8Array(0));
}
