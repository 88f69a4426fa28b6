/**
 * QUIC long headers (RFC 9000 §17.2) read with a {@link Reader}: the invariant part every
 * version shares (RFC 8999 §5.1), the Token and Length of Initial and Handshake packets,
 * the versions of a Version Negotiation packet, and packet number recovery (RFC 9000 A.3).
 * Readers of datagrams from the network get `undefined` for what is not a packet they can
 * read, never an exception: a QUIC endpoint drops such datagrams (RFC 9000 §12.2).
 */
import { DecodeError } from '../bytes/errors.ts';
import { Reader } from '../bytes/reader.ts';
import { quicVersionParams } from './version.ts';

/** The connection IDs and the rest of a long header that has no Length field (Version Negotiation, Retry). */
export interface BareLongHeader {
  readonly version: number;
  readonly destinationConnectionId: Uint8Array;
  readonly sourceConnectionId: Uint8Array;
  /** Index of the first byte after the Source Connection ID. */
  readonly rest: number;
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

/** Runs a read and turns a {@link DecodeError} into undefined (a datagram to drop). */
function orUndefined<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}

/** The invariant fields, with the reader left after the Source Connection ID. */
function readInvariant(r: Reader): Omit<BareLongHeader, 'rest'> | undefined {
  if ((r.u8('first_byte') & 0x80) === 0) return undefined;
  const version = r.u32('version');
  const destinationConnectionId = r.vectorBytes(1, 'destination_connection_id');
  const sourceConnectionId = r.vectorBytes(1, 'source_connection_id');
  return { version, destinationConnectionId, sourceConnectionId };
}

/** Reads the invariant part of a long header (RFC 8999 §5.1); undefined when it is cut short. */
export function readBareLongHeader(b: Uint8Array): BareLongHeader | undefined {
  return orUndefined(() => {
    const r = new Reader(b, { path: ['long_header'] });
    const header = readInvariant(r);
    return header && { ...header, rest: r.pos };
  });
}

/**
 * Parses the long header of the packet starting at `start`; undefined for a short header,
 * a Version Negotiation or Retry packet, an unsupported version, or a malformed header.
 */
export function parseLongHeader(b: Uint8Array, start: number): LongHeader | undefined {
  return orUndefined(() => {
    const r = new Reader(b.subarray(start), { path: ['long_header'], baseOffset: start });
    const header = readInvariant(r);
    const params = header && quicVersionParams(header.version);
    if (!header || !params) return undefined;
    // QUIC v1 and v2 connection IDs are at most 20 bytes (RFC 9000 §17.2).
    if (header.destinationConnectionId.length > 20 || header.sourceConnectionId.length > 20) return undefined;
    const type = (b[start] >> 4) & 3;
    // Retry (v1 type 3, v2 type 0) has no Length field.
    if (type === (params.initialType + 3) % 4) return undefined;
    const initial = type === params.initialType;
    if (initial) r.bytes(r.varint('token_length'), 'token');
    const length = r.varint('length');
    if (length > r.remaining) return undefined;
    const packetNumberOffset = start + r.pos;
    return { ...header, initial, start, packetNumberOffset, end: packetNumberOffset + length };
  });
}

/** The versions a Version Negotiation packet lists (4 bytes each after the connection IDs). */
export function versionNegotiationVersions(b: Uint8Array, header: BareLongHeader): number[] {
  const r = new Reader(b.subarray(header.rest, header.rest + ((b.length - header.rest) & ~3)));
  const versions: number[] = [];
  while (!r.atEnd) versions.push(r.u32('supported_version'));
  return versions;
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
