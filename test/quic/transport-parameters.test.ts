import { describe, expect, test } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { encodeExtensionBody } from '../../src/extensions/values.ts';
import {
  clientTransportParameters,
  readTransportParameters,
  TRANSPORT_PARAMETER,
  TRANSPORT_PARAMETERS,
} from '../../src/quic/transport-parameters.ts';

const body = (parameters: { id: number; value: string }[]) =>
  encodeExtensionBody('quic_transport_parameters', {
    parameters: parameters.map((p) => ({ id: p.id, value: fromHex(p.value) })),
  });

describe('the transport parameter table', () => {
  test('ids are unique and TRANSPORT_PARAMETER names them as RFC 9000 §18.2 does', () => {
    expect(new Set(TRANSPORT_PARAMETERS.map((p) => p.id)).size).toBe(TRANSPORT_PARAMETERS.length);
    expect(TRANSPORT_PARAMETER.initial_source_connection_id).toBe(0x0f);
    expect(TRANSPORT_PARAMETER.max_udp_payload_size).toBe(0x03);
    expect(TRANSPORT_PARAMETER.retry_source_connection_id).toBe(0x10);
  });
});

describe('readTransportParameters', () => {
  test("reads back the client's parameters: the connection ID as bytes, the limits as numbers", () => {
    const entries = readTransportParameters(clientTransportParameters(fromHex('0102030405060708')));
    const byName = Object.fromEntries(entries.map((e) => [e.name, e.value]));
    expect(toHex(byName.initial_source_connection_id as Uint8Array)).toBe('0102030405060708');
    expect(byName).toMatchObject({
      max_idle_timeout: 30_000,
      max_udp_payload_size: 1472,
      initial_max_data: 1_048_576,
      initial_max_streams_bidi: 100,
    });
    expect(entries.map((e) => e.id)).toEqual([0x0f, 1, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('a varint value in a longer form than needed reads as its number', () => {
    expect(readTransportParameters(body([{ id: 0x01, value: '80007530' }]))).toEqual([
      { id: 1, name: 'max_idle_timeout', value: 30_000 },
    ]);
  });

  test('an empty flag is true; an unknown (reserved) id keeps its bytes and has no name', () => {
    const entries = readTransportParameters(
      body([
        { id: 0x0c, value: '' },
        { id: 27, value: 'cafe' },
      ]),
    );
    expect(entries[0]).toEqual({ id: 0x0c, name: 'disable_active_migration', value: true });
    expect(entries[1].name).toBeUndefined();
    expect(toHex(entries[1].value as Uint8Array)).toBe('cafe');
  });

  test('a varint value with bytes after it is a DecodeError naming the parameter', () => {
    const read = () => readTransportParameters(body([{ id: 0x03, value: '45c000' }]));
    expect(read).toThrow(DecodeError);
    expect(read).toThrow(
      /^quic_transport_parameters\.max_udp_payload_size\.value at offset 4: 1 unread byte after the end/,
    );
  });

  test('a varint value cut short and a flag with content are DecodeErrors', () => {
    expect(() => readTransportParameters(body([{ id: 0x04, value: '80' }]))).toThrow(
      /initial_max_data\.value at offset 2: needs 4 bytes for a 4-byte varint, 1 left/,
    );
    expect(() => readTransportParameters(body([{ id: 0x0c, value: '00' }]))).toThrow(
      /disable_active_migration/,
    );
  });
});
