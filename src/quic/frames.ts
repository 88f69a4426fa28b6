/**
 * The QUIC frames of Initial and Handshake packets (RFC 9000 §12.4, §19): CRYPTO, ACK and
 * CONNECTION_CLOSE written with a {@link Writer}, and every frame those packets may hold read
 * with a {@link Reader} (PADDING, PING, ACK, CRYPTO, CONNECTION_CLOSE).
 */
import { DecodeError } from '../bytes/errors.ts';
import { Reader } from '../bytes/reader.ts';
import { Writer } from '../bytes/writer.ts';

/** Frame types that may appear in Initial packets (RFC 9000 §12.4, §19). */
export const QUIC_FRAME = {
  padding: 0x00,
  ping: 0x01,
  ack: 0x02,
  ackEcn: 0x03,
  crypto: 0x06,
  connectionClose: 0x1c,
  connectionCloseApplication: 0x1d,
} as const;

/** A CRYPTO frame (RFC 9000 §19.6). */
export function cryptoFrame(offset: number, data: Uint8Array): Uint8Array {
  const w = new Writer(data.length + 17);
  w.varint(QUIC_FRAME.crypto, 'frame_type').varint(offset, 'offset');
  w.varint(data.length, 'length').bytes(data);
  return w.finish();
}

/** An ACK frame (RFC 9000 §19.3) for the one packet `largest`, with no delay. */
export function ackFrame(largest: number): Uint8Array {
  const w = new Writer(12);
  w.varint(QUIC_FRAME.ack, 'frame_type').varint(Math.max(0, largest), 'largest_acknowledged');
  w.varint(0, 'ack_delay').varint(0, 'ack_range_count').varint(0, 'first_ack_range');
  return w.finish();
}

/** A transport CONNECTION_CLOSE frame (type 0x1c, RFC 9000 §19.19), the only close allowed in Initial packets. */
export function connectionCloseFrame(errorCode: number, reason: string): Uint8Array {
  const text = new TextEncoder().encode(reason);
  const w = new Writer(text.length + 20);
  w.varint(QUIC_FRAME.connectionClose, 'frame_type').varint(errorCode, 'error_code');
  w.varint(0, 'frame_type').varint(text.length, 'reason_phrase_length').bytes(text);
  return w.finish();
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

/** A CONNECTION_CLOSE frame (RFC 9000 §19.19). */
export interface QuicConnectionClose {
  readonly errorCode: number;
  /** Transport error name (RFC 9000 §20.1), `CRYPTO_ERROR` for 0x0100–0x01ff. */
  readonly errorName: string;
  /** The frame type that caused it (0 when unknown). */
  readonly frameType: number;
  /** The reason phrase, as text. */
  readonly reason: string;
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

/** Reads one frame; returns the type of a frame Initial and Handshake packets may not carry (unread). */
function readFrame(
  r: Reader,
  names: string[],
  crypto: { offset: number; data: Uint8Array }[],
  onClose: (close: QuicConnectionClose) => void,
): number | undefined {
  const type = r.varint('frame_type');
  switch (type) {
    case QUIC_FRAME.padding:
      if (names[names.length - 1] !== 'padding') names.push('padding');
      return undefined;
    case QUIC_FRAME.ping:
      names.push('ping');
      return undefined;
    case QUIC_FRAME.ack:
    case QUIC_FRAME.ackEcn: {
      names.push('ack');
      r.varint('largest_acknowledged');
      r.varint('ack_delay');
      const ranges = r.varint('ack_range_count');
      r.varint('first_ack_range');
      for (let i = 0; i < ranges; i++) {
        r.varint('gap');
        r.varint('ack_range_length');
      }
      if (type === QUIC_FRAME.ackEcn)
        for (const f of ['ect0_count', 'ect1_count', 'ecn_ce_count']) r.varint(f);
      return undefined;
    }
    case QUIC_FRAME.crypto: {
      names.push('crypto');
      const offset = r.varint('offset');
      crypto.push({ offset, data: r.bytes(r.varint('length'), 'crypto_data') });
      return undefined;
    }
    case QUIC_FRAME.connectionClose:
    case QUIC_FRAME.connectionCloseApplication: {
      names.push('connection_close');
      const errorCode = r.varint('error_code');
      const frameType = type === QUIC_FRAME.connectionClose ? r.varint('frame_type') : 0;
      const phrase = r.bytes(r.varint('reason_phrase_length'), 'reason_phrase');
      onClose({
        errorCode,
        errorName:
          type === QUIC_FRAME.connectionCloseApplication
            ? 'APPLICATION_ERROR'
            : transportErrorName(errorCode),
        frameType,
        reason: new TextDecoder('utf-8', { fatal: false }).decode(phrase),
      });
      return undefined;
    }
    default:
      return type;
  }
}

/**
 * Reads the frames of an Initial or Handshake packet's payload (RFC 9000 §12.4: PADDING, PING,
 * ACK, CRYPTO, CONNECTION_CLOSE). A malformed or misplaced frame ends the reading with `error`.
 * @example readInitialFrames(opened.payload).crypto[0] // { offset: 0, data: <ServerHello> }
 */
export function readInitialFrames(p: Uint8Array): InitialFrames {
  const names: string[] = [];
  const crypto: { offset: number; data: Uint8Array }[] = [];
  let close: QuicConnectionClose | undefined;
  const r = new Reader(p, { path: ['frames'] });
  const result = () => ({ names, crypto, ...(close ? { close } : {}) });
  try {
    while (!r.atEnd) {
      const refused = readFrame(r, names, crypto, (c) => {
        close = c;
      });
      if (refused !== undefined)
        return {
          ...result(),
          error: `frame type 0x${refused.toString(16)} is not allowed in an Initial packet`,
        };
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return {
      ...result(),
      error: `a frame runs past the end of the packet: ${e.path} at offset ${e.offset}: ${e.detail}`,
    };
  }
  return result();
}
