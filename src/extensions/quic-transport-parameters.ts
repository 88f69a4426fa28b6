import { equalBytes } from '../bytes/hex.ts';
import { Reader } from '../bytes/reader.ts';
import { Writer } from '../bytes/writer.ts';
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

function varintWidth(first: number): number {
  return 1 << (first >> 6);
}

/** A QUIC varint (RFC 9000 §16) and its bytes. */
function readVarint(r: Reader, field: string): { value: number; bytes: Uint8Array } {
  const start = r.pos;
  const value = r.varint(field);
  return { value, bytes: r.view(start, r.pos) };
}

function varintValue(bytes: Uint8Array): number {
  return new Reader(bytes).varint('varint');
}

function minimalVarint(value: number, field: string): Uint8Array {
  return new Writer(8).varint(value, field).finish();
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
