import { equalBytes } from '../bytes/hex.ts';
import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

/** One transport parameter (RFC 9000 §18): a varint id, a varint length and the raw value. */
export interface QuicTransportParameter {
  /** Parameter id. Above 2^53 a number is approximate; `rawId` then holds the exact bytes. */
  readonly id: number;
  /** The value, not interpreted (its encoding depends on the parameter). */
  readonly value: Uint8Array;
  /** The id's varint bytes, kept when they are not the shortest encoding or the id is above 2^53. */
  readonly rawId?: Uint8Array;
  /** The length's varint bytes, kept when they are not the shortest encoding. */
  readonly rawLength?: Uint8Array;
}

/** quic_transport_parameters: parameters back to back to the end of the body. */
export interface QuicTransportParameters {
  readonly parameters: readonly QuicTransportParameter[];
}

const TWO_32 = 2 ** 32;

function varintWidth(first: number): number {
  return 1 << (first >> 6);
}

/** A QUIC varint (RFC 9000 §16) and its bytes. */
function readVarint(r: Reader, field: string): { value: number; bytes: Uint8Array } {
  const start = r.pos;
  const first = r.u8(field);
  const width = varintWidth(first);
  if (width > 1) r.bytes(width - 1, field);
  const bytes = r.data.subarray(start, start + width);
  return { value: varintValue(bytes), bytes };
}

function varintValue(bytes: Uint8Array): number {
  let hi = 0;
  let lo = bytes[0] & 0x3f;
  for (let i = 1; i < bytes.length; i++) {
    // keep 32 bits in `lo`, the rest in `hi`, so 8-byte varints stay exact up to 2^53
    const next = lo * 256 + bytes[i];
    hi = hi * 256 + Math.floor(next / TWO_32);
    lo = next % TWO_32;
  }
  return hi * TWO_32 + lo;
}

function minimalVarint(value: number, field: string): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`"${field}" expected a safe non-negative integer, got ${value}`);
  }
  const width = value < 64 ? 1 : value < 16384 ? 2 : value < 2 ** 30 ? 4 : 8;
  const out = new Uint8Array(width);
  let v = value;
  for (let i = width - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[0] |= [0, 0, 0x40, 0, 0x80, 0, 0, 0, 0xc0][width];
  return out;
}

function isValidVarint(bytes: Uint8Array | undefined): bytes is Uint8Array {
  return bytes !== undefined && bytes.length > 0 && bytes.length === varintWidth(bytes[0]);
}

/**
 * quic_transport_parameters (57), RFC 9001 §8.2: values kept raw, varint encodings kept
 * when they are not the shortest, so every body re-encodes as received.
 */
export const quicTransportParametersCodec: ExtensionCodec<QuicTransportParameters> = {
  type: 57,
  name: 'quic_transport_parameters',
  allowedIn: ['client_hello', 'encrypted_extensions'],
  decode(r: Reader): QuicTransportParameters {
    const parameters: QuicTransportParameter[] = [];
    r.enter('parameters', () => {
      for (let i = 0; !r.atEnd; i++) {
        r.enter(i, () => {
          const id = readVarint(r, 'id');
          const length = readVarint(r, 'length');
          const value = r.bytes(length.value, 'value');
          const p: { -readonly [K in keyof QuicTransportParameter]: QuicTransportParameter[K] } = {
            id: id.value,
            value,
          };
          if (!Number.isSafeInteger(id.value) || !equalBytes(minimalVarint(id.value, 'id'), id.bytes)) {
            p.rawId = id.bytes;
          }
          if (!equalBytes(minimalVarint(length.value, 'length'), length.bytes)) p.rawLength = length.bytes;
          parameters.push(p);
        });
      }
    });
    return { parameters };
  },
  encode(w: Writer, value: QuicTransportParameters): void {
    for (const p of value.parameters) {
      // raw encodings are used only while they still say what the typed fields say
      if (isValidVarint(p.rawId) && varintValue(p.rawId) === p.id) w.bytes(p.rawId);
      else w.bytes(minimalVarint(p.id, 'id'));
      if (isValidVarint(p.rawLength) && varintValue(p.rawLength) === p.value.length) w.bytes(p.rawLength);
      else w.bytes(minimalVarint(p.value.length, 'length'));
      w.bytes(p.value);
    }
  },
};
