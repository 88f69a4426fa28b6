import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { alpnValue } from '../../src/extensions/alpn.ts';
import { makeExtension } from '../../src/extensions/block.ts';
import { EXTENSION_CODECS } from '../../src/extensions/registry.ts';
import { serverNameValue } from '../../src/extensions/server-name.ts';
import {
  decodeExtensionBody,
  EXTENSION_NAMES,
  encodeExtensionBody,
  extensionName,
  findExtension,
  findExtensionIn,
} from '../../src/extensions/values.ts';
import { EXTENSION_TYPES } from '../../src/iana/extension-types.ts';

describe('EXTENSION_NAMES', () => {
  it('names exactly the registry rows, with the same codes', () => {
    expect(Object.fromEntries(EXTENSION_CODECS.map((c) => [c.name, c.type]))).toEqual(EXTENSION_NAMES);
  });

  it('has one row per type and per name', () => {
    expect(new Set(EXTENSION_CODECS.map((c) => c.type)).size).toBe(EXTENSION_CODECS.length);
    expect(new Set(EXTENSION_CODECS.map((c) => c.name)).size).toBe(EXTENSION_CODECS.length);
  });

  it('spells every name as the IANA table (src/iana) does', () => {
    for (const [name, code] of Object.entries(EXTENSION_NAMES)) {
      expect(EXTENSION_TYPES.find((e) => e.code === code)?.name, `code ${code}`).toBe(name);
    }
  });

  it('maps codes back to names and leaves unknown and GREASE types unnamed', () => {
    expect(extensionName(0xfe0d)).toBe('encrypted_client_hello');
    expect(extensionName(17613)).toBe('application_settings_new');
    expect(extensionName(17513)).toBe('application_settings');
    expect(extensionName(0x0a0a)).toBeUndefined();
  });
});

describe('findExtension', () => {
  const extensions = [
    makeExtension('server_name', serverNameValue('example.com')),
    { type: 0x0a0a, body: new Uint8Array() },
    { type: 43, body: fromHex('0403040303') },
    { type: 10, body: fromHex('0000') },
  ];

  it('returns the typed value of a decoded extension', () => {
    expect(findExtension(extensions, 'server_name')?.serverNameList[0].hostName).toBe('example.com');
  });

  it('decodes an extension that carries only its body', () => {
    expect(findExtension(extensions, 'supported_versions')).toEqual({ versions: [0x0304, 0x0303] });
  });

  it('returns undefined for an absent extension, a body that does not decode, and no extensions at all', () => {
    expect(findExtension(extensions, 'key_share')).toBeUndefined();
    expect(findExtension(extensions, 'supported_groups')).toBeUndefined();
    expect(findExtension(null, 'server_name')).toBeUndefined();
  });

  it('reads a server message form with findExtensionIn', () => {
    expect(
      findExtensionIn([{ type: 43, body: fromHex('0304') }], 'supported_versions', 'server_hello'),
    ).toEqual({
      selectedVersion: 0x0304,
    });
  });
});

describe('building values', () => {
  it('encodes a host name given only as text', () => {
    expect(toHex(makeExtension('server_name', serverNameValue('example.com')).body)).toBe(
      '000e00000b6578616d706c652e636f6d',
    );
  });

  it('encodes ALPN ids given only as strings, or only as bytes', () => {
    expect(
      toHex(encodeExtensionBody('application_layer_protocol_negotiation', alpnValue(['h2', 'http/1.1']))),
    ).toBe('000c02683208687474702f312e31');
    const bytesOnly = { protocolNameList: [fromHex('6832')] } as never;
    expect(toHex(encodeExtensionBody('application_layer_protocol_negotiation', bytesOnly))).toBe(
      '0003026832',
    );
  });

  it('refuses a host name whose bytes and text disagree, so an edit is never silently dropped', () => {
    const value = { serverNameList: [{ nameType: 0, name: fromHex('61'), hostName: 'b' }] };
    expect(() => encodeExtensionBody('server_name', value)).toThrow(TypeError);
  });

  it('refuses ALPN bytes and strings that disagree', () => {
    const value = { protocolNameList: [fromHex('6832')], protocols: ['h3'] };
    expect(() => encodeExtensionBody('application_layer_protocol_negotiation', value)).toThrow(TypeError);
  });

  it('refuses a padding value whose bytes do not match its length', () => {
    expect(() => encodeExtensionBody('padding', { length: 3, bytes: fromHex('01') })).toThrow(TypeError);
  });

  it('refuses an ECH confirmation that is not 8 bytes', () => {
    expect(() =>
      encodeExtensionBody('encrypted_client_hello', { confirmation: fromHex('00') }, 'hello_retry_request'),
    ).toThrow(RangeError);
  });

  it('encodes each message form from the shape of the value', () => {
    expect(toHex(encodeExtensionBody('key_share', { selectedGroup: 0x11ec }, 'hello_retry_request'))).toBe(
      '11ec',
    );
    expect(
      toHex(encodeExtensionBody('supported_versions', { selectedVersion: 0x0304 }, 'server_hello')),
    ).toBe('0304');
    expect(toHex(encodeExtensionBody('pre_shared_key', { selectedIdentity: 0 }, 'server_hello'))).toBe(
      '0000',
    );
    expect(toHex(encodeExtensionBody('server_name', {}, 'encrypted_extensions'))).toBe('');
  });

  it('decodes through decodeExtensionBody by name or by code', () => {
    expect(decodeExtensionBody('record_size_limit', fromHex('4001'))).toEqual({ recordSizeLimit: 0x4001 });
    expect(decodeExtensionBody(28, fromHex('4001'))).toEqual({ recordSizeLimit: 0x4001 });
    expect(() => decodeExtensionBody('record_size_limit', fromHex('400100'))).toThrow(DecodeError);
    expect(() => decodeExtensionBody('no_such_extension', fromHex(''))).toThrow(TypeError);
  });
});

describe('encrypted_client_hello', () => {
  // Built field by field from draft-ietf-tls-esni-22 §5: type outer, HKDF-SHA256 (1),
  // AES-128-GCM (1), config_id 0x2a, a 32-byte X25519 enc, a 16-byte payload.
  const enc = '0b'.repeat(32);
  const payload = 'c0'.repeat(16);
  const outer = `00 0001 0001 2a 0020${enc} 0010${payload}`;

  it('decodes the outer ClientHello form', () => {
    expect(decodeExtensionBody('encrypted_client_hello', fromHex(outer))).toEqual({
      type: 0,
      cipherSuite: { kdfId: 1, aeadId: 1 },
      configId: 0x2a,
      enc: fromHex(enc),
      payload: fromHex(payload),
    });
  });

  it('decodes the inner ClientHello form as the bare type', () => {
    expect(decodeExtensionBody('encrypted_client_hello', fromHex('01'))).toEqual({ type: 1 });
    expect(() => decodeExtensionBody('encrypted_client_hello', fromHex('0100'))).toThrow(DecodeError);
  });

  it('keeps retry_configs as the whole ECHConfigList and the HRR confirmation as 8 bytes', () => {
    const list = '0006 fe0d 0002 abcd';
    expect(decodeExtensionBody('encrypted_client_hello', fromHex(list), 'encrypted_extensions')).toEqual({
      retryConfigs: fromHex(list),
    });
    expect(
      decodeExtensionBody('encrypted_client_hello', fromHex('0102030405060708'), 'hello_retry_request'),
    ).toEqual({
      confirmation: fromHex('0102030405060708'),
    });
  });
});

describe('quic_transport_parameters', () => {
  it('decodes RFC 9000 varints of every width and keeps values raw', () => {
    // initial_max_data (0x04) = 1048576 as a 4-byte varint; max_idle_timeout (0x01) = 30000 (2 bytes)
    const body = fromHex('04 04 80100000 01 02 7530');
    expect(decodeExtensionBody('quic_transport_parameters', body)).toEqual({
      parameters: [
        { id: 4, value: fromHex('80100000') },
        { id: 1, value: fromHex('7530') },
      ],
    });
  });

  it('keeps an id and a length that are longer than needed, and re-encodes them as received', () => {
    const body = fromHex('4004 4002 7530');
    const value = decodeExtensionBody('quic_transport_parameters', body);
    expect(value).toEqual({
      parameters: [{ id: 4, value: fromHex('7530'), rawId: fromHex('4004'), rawLength: fromHex('4002') }],
    });
    expect(toHex(encodeExtensionBody('quic_transport_parameters', value))).toBe(toHex(body));
  });

  it('keeps the exact bytes of a GREASE id above 2^53', () => {
    const body = fromHex('ffffffffffffffff 00');
    const value = decodeExtensionBody('quic_transport_parameters', body);
    expect(value.parameters[0].rawId).toEqual(fromHex('ffffffffffffffff'));
    expect(toHex(encodeExtensionBody('quic_transport_parameters', value))).toBe(toHex(body));
  });

  it('writes the shortest encoding once the typed id is edited', () => {
    const value = decodeExtensionBody('quic_transport_parameters', fromHex('4004 00'));
    const edited = { parameters: [{ ...value.parameters[0], id: 5 }] };
    expect(toHex(encodeExtensionBody('quic_transport_parameters', edited))).toBe('0500');
  });
});

describe('padding', () => {
  it('keeps a zero body as its length and a non-zero body as bytes (lenient)', () => {
    expect(decodeExtensionBody('padding', new Uint8Array(5))).toEqual({ length: 5 });
    const odd = decodeExtensionBody('padding', fromHex('0001'), 'client_hello', { strict: false });
    expect(odd).toEqual({ length: 2, bytes: fromHex('0001') });
    expect(toHex(encodeExtensionBody('padding', odd))).toBe('0001');
  });
});
