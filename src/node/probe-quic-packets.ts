/**
 * The QUIC pieces a probe writes and reads, without sockets: client transport parameters
 * (RFC 9000 §18), CRYPTO and CONNECTION_CLOSE frames, Initial datagrams padded to 1200 bytes
 * (RFC 9000 §14.1), the frames of a server Initial (RFC 9000 §19), Version Negotiation and
 * Retry packets (RFC 9000 §17.2.1, §17.2.5).
 */
import { concatBytes } from '../bytes/hex.ts';
import { readVarint } from '../capture/quic-initial.ts';
import { encodeExtensionBody } from '../extensions/values.ts';
import type { QuicConnectionClose } from './probe-quic-types.ts';

/** The smallest UDP payload of a datagram carrying a client Initial (RFC 9000 §14.1). */
export const QUIC_MIN_INITIAL_DATAGRAM = 1200;

/** QUIC variable-length integer (RFC 9000 §16), shortest form. */
export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`varint expected 0..2^53, got ${value}`);
  if (value < 0x40) return Uint8Array.of(value);
  if (value < 0x4000) return Uint8Array.of(0x40 | (value >> 8), value & 0xff);
  if (value < 0x40000000)
    return Uint8Array.of(0x80 | (value >>> 24), (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
  const out = new Uint8Array(8);
  let v = value;
  for (let i = 7; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[0] |= 0xc0;
  return out;
}

/** Transport parameter ids (RFC 9000 §18.2). */
export const TRANSPORT_PARAMETER = {
  max_idle_timeout: 0x01,
  max_udp_payload_size: 0x03,
  initial_max_data: 0x04,
  initial_max_stream_data_bidi_local: 0x05,
  initial_max_stream_data_bidi_remote: 0x06,
  initial_max_stream_data_uni: 0x07,
  initial_max_streams_bidi: 0x08,
  initial_max_streams_uni: 0x09,
  initial_source_connection_id: 0x0f,
} as const;

/**
 * The body of a client's quic_transport_parameters extension: initial_source_connection_id
 * (required, RFC 9000 §7.3) and the flow-control limits an HTTP/3 client would announce.
 * @example clientTransportParameters(scid) // 0f 08 <scid> 01 02 75 30 ...
 */
export function clientTransportParameters(sourceConnectionId: Uint8Array): Uint8Array {
  const P = TRANSPORT_PARAMETER;
  const numbers: [number, number][] = [
    [P.max_idle_timeout, 30_000],
    [P.max_udp_payload_size, 1472],
    [P.initial_max_data, 1_048_576],
    [P.initial_max_stream_data_bidi_local, 262_144],
    [P.initial_max_stream_data_bidi_remote, 262_144],
    [P.initial_max_stream_data_uni, 262_144],
    [P.initial_max_streams_bidi, 100],
    [P.initial_max_streams_uni, 100],
  ];
  // The body is written by the extension registry's row, from typed parameters.
  return encodeExtensionBody('quic_transport_parameters', {
    parameters: [
      { id: P.initial_source_connection_id, value: sourceConnectionId },
      ...numbers.map(([id, value]) => ({ id, value: encodeVarint(value) })),
    ],
  });
}

/** A CRYPTO frame (RFC 9000 §19.6). */
export function cryptoFrame(offset: number, data: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(0x06), encodeVarint(offset), encodeVarint(data.length), data);
}

/** An ACK frame (RFC 9000 §19.3) for the one packet `largest`, with no delay. */
export function ackFrame(largest: number): Uint8Array {
  return concatBytes(Uint8Array.of(0x02), encodeVarint(Math.max(0, largest)), Uint8Array.of(0, 0, 0));
}

/** A transport CONNECTION_CLOSE frame (type 0x1c, RFC 9000 §19.19), the only close allowed in Initial packets. */
export function connectionCloseFrame(errorCode: number, reason: string): Uint8Array {
  const text = new TextEncoder().encode(reason);
  return concatBytes(
    Uint8Array.of(0x1c),
    encodeVarint(errorCode),
    Uint8Array.of(0),
    encodeVarint(text.length),
    text,
  );
}

/** Transport error codes (RFC 9000 §20.1). */
const TRANSPORT_ERRORS: Readonly<Record<number, string>> = {
  0: 'NO_ERROR',
  1: 'INTERNAL_ERROR',
  2: 'CONNECTION_REFUSED',
  3: 'FLOW_CONTROL_ERROR',
  4: 'STREAM_LIMIT_ERROR',
  5: 'STREAM_STATE_ERROR',
  6: 'FINAL_SIZE_ERROR',
  7: 'FRAME_ENCODING_ERROR',
  8: 'TRANSPORT_PARAMETER_ERROR',
  9: 'CONNECTION_ID_LIMIT_ERROR',
  10: 'PROTOCOL_VIOLATION',
  11: 'INVALID_TOKEN',
  12: 'APPLICATION_ERROR',
  13: 'CRYPTO_BUFFER_EXCEEDED',
  14: 'KEY_UPDATE_ERROR',
  15: 'AEAD_LIMIT_REACHED',
  16: 'NO_VIABLE_PATH',
  17: 'VERSION_NEGOTIATION_ERROR',
};

/** The name of a transport error code; 0x0100–0x01ff are `CRYPTO_ERROR` (a TLS alert). */
export function transportErrorName(code: number): string {
  if (code >= 0x100 && code <= 0x1ff) return 'CRYPTO_ERROR';
  return TRANSPORT_ERRORS[code] ?? `0x${code.toString(16)}`;
}

/** What the frames of one opened Initial packet hold. */
export interface InitialFrames {
  /** Frame names in order; a run of PADDING counts once. */
  readonly names: string[];
  readonly crypto: { offset: number; data: Uint8Array }[];
  readonly close?: QuicConnectionClose;
  /** Set when a frame is malformed or not allowed in an Initial packet; later frames are not read. */
  readonly error?: string;
}

/** Reads the frames of an Initial or Handshake packet's payload (RFC 9000 §12.4: PADDING, PING, ACK, CRYPTO, CONNECTION_CLOSE). */
export function readInitialFrames(p: Uint8Array): InitialFrames {
  const names: string[] = [];
  const crypto: { offset: number; data: Uint8Array }[] = [];
  let close: QuicConnectionClose | undefined;
  let pos = 0;
  const varint = (): number => {
    const v = readVarint(p, pos, p.length);
    if (!v) throw new RangeError('a frame runs past the end of the packet');
    pos = v.next;
    return v.value;
  };
  try {
    while (pos < p.length) {
      const type = varint();
      switch (type) {
        case 0x00:
          if (names[names.length - 1] !== 'padding') names.push('padding');
          break;
        case 0x01:
          names.push('ping');
          break;
        case 0x02:
        case 0x03: {
          names.push('ack');
          varint();
          varint();
          const ranges = varint();
          varint();
          for (let i = 0; i < ranges; i++) {
            varint();
            varint();
          }
          if (type === 0x03) for (let i = 0; i < 3; i++) varint();
          break;
        }
        case 0x06: {
          names.push('crypto');
          const offset = varint();
          const length = varint();
          if (pos + length > p.length) throw new RangeError('a CRYPTO frame runs past the end of the packet');
          crypto.push({ offset, data: p.subarray(pos, pos + length) });
          pos += length;
          break;
        }
        case 0x1c:
        case 0x1d: {
          names.push('connection_close');
          const errorCode = varint();
          const frameType = type === 0x1c ? varint() : 0;
          const length = varint();
          if (pos + length > p.length)
            throw new RangeError('a CONNECTION_CLOSE reason runs past the end of the packet');
          const reason = new TextDecoder('utf-8', { fatal: false }).decode(p.subarray(pos, pos + length));
          pos += length;
          close = {
            errorCode,
            errorName: type === 0x1d ? 'APPLICATION_ERROR' : transportErrorName(errorCode),
            frameType,
            reason,
          };
          break;
        }
        default:
          throw new RangeError(`frame type 0x${type.toString(16)} is not allowed in an Initial packet`);
      }
    }
  } catch (e) {
    return { names, crypto, ...(close ? { close } : {}), error: (e as Error).message };
  }
  return { names, crypto, ...(close ? { close } : {}) };
}

/** The connection IDs and the rest of a long header that has no Length field (Version Negotiation, Retry). */
export interface BareLongHeader {
  readonly version: number;
  readonly destinationConnectionId: Uint8Array;
  readonly sourceConnectionId: Uint8Array;
  /** Index of the first byte after the Source Connection ID. */
  readonly rest: number;
}

/** Reads the invariant part of a long header (RFC 8999 §5.1); undefined when it is cut short. */
export function readBareLongHeader(b: Uint8Array): BareLongHeader | undefined {
  if (b.length < 7 || (b[0] & 0x80) === 0) return undefined;
  const version = ((b[1] << 24) | (b[2] << 16) | (b[3] << 8) | b[4]) >>> 0;
  let pos = 5;
  const dcidLength = b[pos++];
  if (pos + dcidLength >= b.length) return undefined;
  const destinationConnectionId = b.subarray(pos, pos + dcidLength);
  pos += dcidLength;
  const scidLength = b[pos++];
  if (pos + scidLength > b.length) return undefined;
  const sourceConnectionId = b.subarray(pos, pos + scidLength);
  return { version, destinationConnectionId, sourceConnectionId, rest: pos + scidLength };
}

/** The versions a Version Negotiation packet lists (4 bytes each after the connection IDs). */
export function versionNegotiationVersions(b: Uint8Array, header: BareLongHeader): number[] {
  const versions: number[] = [];
  for (let at = header.rest; at + 4 <= b.length; at += 4)
    versions.push(((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0);
  return versions;
}

/** A name for a QUIC version: `QUIC v1`, `QUIC v2`, the provisional v2 of its drafts, `draft-29`, a reserved (GREASE) pattern, or hex. */
export function quicVersionName(version: number): string {
  if (version === 1) return 'QUIC v1';
  if (version === 0x6b3343cf) return 'QUIC v2';
  if (version === 0x709a50c4) return 'QUIC v2 draft (0x709a50c4)';
  if (version >>> 8 === 0xff0000) return `draft-${version & 0xff}`;
  const hex = `0x${version.toString(16).padStart(8, '0')}`;
  return (version & 0x0f0f0f0f) === 0x0a0a0a0a ? `${hex} (reserved)` : hex;
}
