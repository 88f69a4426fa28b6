/**
 * QUIC transport parameters (RFC 9000 §18) with their meaning: one table of ids, names and
 * value encodings; the body a probing client sends; and a typed reading of a body. The bytes
 * of the quic_transport_parameters extension (57) are read and written by its row in the
 * extension registry, which keeps every parameter as it came; this module interprets values.
 */
import { Reader } from '../bytes/reader.ts';
import { Writer } from '../bytes/writer.ts';
import type { QuicTransportParameters } from '../extensions/quic-transport-parameters.ts';
import { decodeExtensionBody, encodeExtensionBody } from '../extensions/values.ts';

/** How a transport parameter's value is encoded (RFC 9000 §18.2). */
export type TransportParameterKind = 'varint' | 'bytes' | 'flag';

/** Transport parameters: RFC 9000 §18.2, version_information (RFC 9368 §3), max_datagram_frame_size (RFC 9221 §3). */
export const TRANSPORT_PARAMETERS = [
  { id: 0x00, name: 'original_destination_connection_id', kind: 'bytes' },
  { id: 0x01, name: 'max_idle_timeout', kind: 'varint' },
  { id: 0x02, name: 'stateless_reset_token', kind: 'bytes' },
  { id: 0x03, name: 'max_udp_payload_size', kind: 'varint' },
  { id: 0x04, name: 'initial_max_data', kind: 'varint' },
  { id: 0x05, name: 'initial_max_stream_data_bidi_local', kind: 'varint' },
  { id: 0x06, name: 'initial_max_stream_data_bidi_remote', kind: 'varint' },
  { id: 0x07, name: 'initial_max_stream_data_uni', kind: 'varint' },
  { id: 0x08, name: 'initial_max_streams_bidi', kind: 'varint' },
  { id: 0x09, name: 'initial_max_streams_uni', kind: 'varint' },
  { id: 0x0a, name: 'ack_delay_exponent', kind: 'varint' },
  { id: 0x0b, name: 'max_ack_delay', kind: 'varint' },
  { id: 0x0c, name: 'disable_active_migration', kind: 'flag' },
  { id: 0x0d, name: 'preferred_address', kind: 'bytes' },
  { id: 0x0e, name: 'active_connection_id_limit', kind: 'varint' },
  { id: 0x0f, name: 'initial_source_connection_id', kind: 'bytes' },
  { id: 0x10, name: 'retry_source_connection_id', kind: 'bytes' },
  { id: 0x11, name: 'version_information', kind: 'bytes' },
  { id: 0x20, name: 'max_datagram_frame_size', kind: 'varint' },
] as const;

/** A transport parameter's name. */
export type TransportParameterName = (typeof TRANSPORT_PARAMETERS)[number]['name'];

/** Transport parameter ids by name (RFC 9000 §18.2). */
export const TRANSPORT_PARAMETER = Object.fromEntries(TRANSPORT_PARAMETERS.map((p) => [p.name, p.id])) as {
  readonly [P in (typeof TRANSPORT_PARAMETERS)[number] as P['name']]: P['id'];
};

/** The table by id; its type checks every row's `kind`. */
const BY_ID: ReadonlyMap<
  number,
  { readonly id: number; readonly name: TransportParameterName; readonly kind: TransportParameterKind }
> = new Map(TRANSPORT_PARAMETERS.map((p) => [p.id, p]));

/** One transport parameter with its value read by its kind. */
export interface TransportParameterEntry {
  readonly id: number;
  /** The name in the table; undefined for an id it does not know (a GREASE id, an extension). */
  readonly name?: TransportParameterName;
  /** A number for varint parameters, `true` for a flag, the bytes otherwise (and for unknown ids). */
  readonly value: number | true | Uint8Array;
}

/**
 * The parameters of a quic_transport_parameters body, each value read as its table row says.
 * @throws {DecodeError} for a body or value that breaks its encoding (a varint cut short or
 *   followed by more bytes, a flag with content), naming the parameter and the offset
 * @example readTransportParameters(body).find((p) => p.name === 'max_idle_timeout')?.value // 30000
 */
export function readTransportParameters(body: Uint8Array): TransportParameterEntry[] {
  const { parameters } = decodeExtensionBody('quic_transport_parameters', body);
  return parameters.map((p) => {
    const row = BY_ID.get(p.id);
    if (!row || row.kind === 'bytes') return { id: p.id, ...(row ? { name: row.name } : {}), value: p.value };
    // The value is a view into `body`: errors give offsets in the body.
    const baseOffset = p.value.byteOffset - body.byteOffset;
    const r = new Reader(p.value, { path: ['quic_transport_parameters', row.name], baseOffset });
    const value = row.kind === 'varint' ? r.varint('value') : true;
    r.done('value');
    return { id: p.id, name: row.name, value };
  });
}

/** The flow-control limits an HTTP/3 client announces (values close to what browsers send). */
const CLIENT_LIMITS: readonly [TransportParameterName, number][] = [
  ['max_idle_timeout', 30_000],
  ['max_udp_payload_size', 1472],
  ['initial_max_data', 1_048_576],
  ['initial_max_stream_data_bidi_local', 262_144],
  ['initial_max_stream_data_bidi_remote', 262_144],
  ['initial_max_stream_data_uni', 262_144],
  ['initial_max_streams_bidi', 100],
  ['initial_max_streams_uni', 100],
];

/**
 * The body of a client's quic_transport_parameters extension: initial_source_connection_id
 * (required, RFC 9000 §7.3) and the flow-control limits an HTTP/3 client would announce.
 * @example clientTransportParameters(scid) // 0f 08 <scid> 01 02 75 30 ...
 */
export function clientTransportParameters(sourceConnectionId: Uint8Array): Uint8Array {
  const value: QuicTransportParameters = {
    parameters: [
      { id: TRANSPORT_PARAMETER.initial_source_connection_id, value: sourceConnectionId },
      ...CLIENT_LIMITS.map(([name, n]) => ({
        id: TRANSPORT_PARAMETER[name],
        value: new Writer(8).varint(n, name).finish(),
      })),
    ],
  };
  // The body is written by the extension registry's row, from typed parameters.
  return encodeExtensionBody('quic_transport_parameters', value);
}
