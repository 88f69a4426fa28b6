import { describe, expect, it } from 'vitest';
import { equalBytes, fromHex, toHex } from '../../src/bytes/hex.ts';
import { Reader } from '../../src/bytes/reader.ts';
import { decodeExtensions } from '../../src/extensions/block.ts';
import { codecForType } from '../../src/extensions/registry.ts';
import type { Extension, MessageContext } from '../../src/extensions/types.ts';
import { extensionName, findExtension, findExtensionIn } from '../../src/extensions/values.ts';
import {
  CURL,
  GNUTLS_CLI,
  GNUTLS_CLI_PHA,
  NODE_TLS,
  OPENSSL_PSK,
  OPENSSL_S_CLIENT,
  OPENSSL_TLS12,
} from './captures.ts';
import { clientHelloExtensions, encodeBlock, encodeWith, serverHelloExtensions } from './helpers.ts';
import {
  RFC8448_3_CLIENT_HELLO,
  RFC8448_3_ENCRYPTED_EXTENSIONS,
  RFC8448_3_NEW_SESSION_TICKET,
  RFC8448_3_SERVER_HELLO,
  RFC8448_4_CLIENT_HELLO,
  RFC8448_5_HELLO_RETRY_REQUEST,
} from './rfc8448.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

/** Every typed extension re-encodes from its value to the body it was decoded from. */
function expectValuesReencode(extensions: readonly Extension[], context: MessageContext): void {
  for (const ext of extensions) {
    const codec = codecForType(ext.type);
    if (!codec) continue;
    expect(ext.value, `${codec.name} has a value`).toBeDefined();
    expect(toHex(encodeWith(codec, ext.value, context)), codec.name).toBe(toHex(ext.body));
  }
}

/** EncryptedExtensions / NewSessionTicket: walk to the extensions block. */
function messageExtensions(
  hex: string,
  context: MessageContext,
): { block: Uint8Array; extensions: Extension[] } {
  const bytes = fromHex(hex);
  const r = new Reader(bytes, { path: [context] });
  r.u8('msg_type');
  r.u24('length');
  if (context === 'new_session_ticket') {
    r.u32('ticket_lifetime');
    r.u32('ticket_age_add');
    r.vectorBytes(1, 'ticket_nonce');
    r.vectorBytes(2, 'ticket');
  }
  const start = r.pos;
  const extensions = decodeExtensions(r, context);
  r.done();
  return { block: bytes.subarray(start, r.pos), extensions };
}

describe('RFC 8448 §3 simple 1-RTT handshake', () => {
  const { block, extensions } = clientHelloExtensions(fromHex(RFC8448_3_CLIENT_HELLO));

  it('decodes every ClientHello extension to the values the trace shows', () => {
    expect(extensions.map((e) => extensionName(e.type))).toEqual([
      'server_name',
      'renegotiation_info',
      'supported_groups',
      'session_ticket',
      'key_share',
      'supported_versions',
      'signature_algorithms',
      'psk_key_exchange_modes',
      'record_size_limit',
    ]);
    expect(findExtension(extensions, 'server_name')?.serverNameList).toEqual([
      { nameType: 0, name: ascii('server'), hostName: 'server' },
    ]);
    expect(findExtension(extensions, 'renegotiation_info')).toEqual({
      renegotiatedConnection: new Uint8Array(),
    });
    expect(findExtension(extensions, 'supported_groups')?.namedGroupList).toEqual([
      0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104,
    ]);
    expect(findExtension(extensions, 'session_ticket')).toEqual({ ticket: new Uint8Array() });
    const shares = findExtension(extensions, 'key_share')?.clientShares;
    expect(shares?.map((s) => s.group)).toEqual([0x001d]);
    expect(toHex(shares![0].keyExchange)).toBe(
      '99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c',
    );
    expect(findExtension(extensions, 'supported_versions')).toEqual({ versions: [0x0304] });
    expect(findExtension(extensions, 'signature_algorithms')?.supportedSignatureAlgorithms).toEqual([
      0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0402, 0x0502,
      0x0602, 0x0202,
    ]);
    expect(findExtension(extensions, 'psk_key_exchange_modes')).toEqual({ keModes: [1] });
    expect(findExtension(extensions, 'record_size_limit')).toEqual({ recordSizeLimit: 0x4001 });
  });

  it('re-encodes each ClientHello extension value and the whole block byte-identically', () => {
    expectValuesReencode(extensions, 'client_hello');
    expect(equalBytes(encodeBlock(extensions), block)).toBe(true);
  });

  it('decodes the ServerHello key_share as one entry and supported_versions as the selected version', () => {
    const sh = serverHelloExtensions(fromHex(RFC8448_3_SERVER_HELLO), 'server_hello');
    const share = findExtensionIn(sh.extensions, 'key_share', 'server_hello');
    expect(share).toEqual({
      serverShare: {
        group: 0x001d,
        keyExchange: fromHex('c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f'),
      },
    });
    expect(findExtensionIn(sh.extensions, 'supported_versions', 'server_hello')).toEqual({
      selectedVersion: 0x0304,
    });
    expectValuesReencode(sh.extensions, 'server_hello');
    expect(equalBytes(encodeBlock(sh.extensions), sh.block)).toBe(true);
  });

  it('decodes EncryptedExtensions: supported_groups, record_size_limit and an empty server_name', () => {
    const ee = messageExtensions(RFC8448_3_ENCRYPTED_EXTENSIONS, 'encrypted_extensions');
    expect(ee.extensions.map((e) => [e.type, e.value])).toEqual([
      [10, { namedGroupList: [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104] }],
      [28, { recordSizeLimit: 0x4001 }],
      [0, {}],
    ]);
    expectValuesReencode(ee.extensions, 'encrypted_extensions');
    expect(equalBytes(encodeBlock(ee.extensions), ee.block)).toBe(true);
  });

  it('decodes early_data in NewSessionTicket as max_early_data_size', () => {
    const nst = messageExtensions(RFC8448_3_NEW_SESSION_TICKET, 'new_session_ticket');
    expect(findExtensionIn(nst.extensions, 'early_data', 'new_session_ticket')).toEqual({
      maxEarlyDataSize: 1024,
    });
    expectValuesReencode(nst.extensions, 'new_session_ticket');
    expect(equalBytes(encodeBlock(nst.extensions), nst.block)).toBe(true);
  });
});

describe('RFC 8448 §4 resumed 0-RTT ClientHello', () => {
  const { block, extensions } = clientHelloExtensions(fromHex(RFC8448_4_CLIENT_HELLO));

  it('decodes early_data (empty), padding (87 zero bytes) and pre_shared_key (one identity, one binder)', () => {
    expect(findExtension(extensions, 'early_data')).toEqual({});
    expect(findExtension(extensions, 'padding')).toEqual({ length: 87 });
    const psk = findExtension(extensions, 'pre_shared_key')!;
    expect(psk.identities).toHaveLength(1);
    expect(psk.identities[0].identity).toHaveLength(0xb2);
    expect(toHex(psk.identities[0].identity.subarray(0, 8))).toBe('2c035d829359ee5f');
    expect(psk.identities[0].obfuscatedTicketAge).toBe(0xfad6aacb);
    expect(psk.binders.map((b) => toHex(b))).toEqual([
      '3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d',
    ]);
  });

  it('re-encodes byte-identically', () => {
    expectValuesReencode(extensions, 'client_hello');
    expect(equalBytes(encodeBlock(extensions), block)).toBe(true);
  });
});

describe('RFC 8448 §5 HelloRetryRequest', () => {
  const { block, extensions } = serverHelloExtensions(
    fromHex(RFC8448_5_HELLO_RETRY_REQUEST),
    'hello_retry_request',
  );

  it('decodes key_share as selected_group, a 114-byte cookie and supported_versions', () => {
    expect(findExtensionIn(extensions, 'key_share', 'hello_retry_request')).toEqual({
      selectedGroup: 0x0017,
    });
    const cookie = findExtensionIn(extensions, 'cookie', 'hello_retry_request')!.cookie;
    expect(cookie).toHaveLength(0x72);
    expect(toHex(cookie.subarray(0, 6))).toBe('71dcd04bb88b');
    expect(findExtensionIn(extensions, 'supported_versions', 'hello_retry_request')).toEqual({
      selectedVersion: 0x0304,
    });
  });

  it('re-encodes byte-identically', () => {
    expectValuesReencode(extensions, 'hello_retry_request');
    expect(equalBytes(encodeBlock(extensions), block)).toBe(true);
  });
});

describe('ClientHellos captured from real clients', () => {
  const captures = {
    OPENSSL_S_CLIENT,
    OPENSSL_TLS12,
    OPENSSL_PSK,
    GNUTLS_CLI,
    GNUTLS_CLI_PHA,
    CURL,
    NODE_TLS,
  };

  for (const [name, hex] of Object.entries(captures)) {
    it(`${name}: every extension has a codec, decodes strictly and re-encodes byte-identically`, () => {
      const { block, extensions } = clientHelloExtensions(fromHex(hex));
      for (const e of extensions) expect(codecForType(e.type), `type ${e.type}`).toBeDefined();
      expectValuesReencode(extensions, 'client_hello');
      expect(equalBytes(encodeBlock(extensions), block)).toBe(true);
    });
  }

  it('openssl s_client: the SNI, ALPN, OCSP request and groups given on its command line', () => {
    const { extensions } = clientHelloExtensions(fromHex(OPENSSL_S_CLIENT));
    expect(findExtension(extensions, 'server_name')?.serverNameList[0].hostName).toBe('example.com');
    expect(findExtension(extensions, 'application_layer_protocol_negotiation')?.protocols).toEqual([
      'h2',
      'http/1.1',
    ]);
    expect(findExtension(extensions, 'status_request')).toEqual({
      statusType: 1,
      responderIdList: [],
      requestExtensions: new Uint8Array(),
    });
    expect(findExtension(extensions, 'supported_groups')?.namedGroupList).toEqual([0x001d, 0x0017, 0x0100]);
    expect(findExtension(extensions, 'supported_versions')?.versions).toEqual([
      0x0304, 0x0303, 0x0302, 0x0301,
    ]);
    expect(
      findExtension(extensions, 'key_share')?.clientShares.map((s) => [s.group, s.keyExchange.length]),
    ).toEqual([[0x001d, 32]]);
  });

  it('openssl -tls1_2: max_fragment_length 1024 is code 2, use_srtp lists both profiles with an empty MKI', () => {
    const { extensions } = clientHelloExtensions(fromHex(OPENSSL_TLS12));
    expect(findExtension(extensions, 'max_fragment_length')).toEqual({ maxFragmentLength: 2 });
    expect(findExtension(extensions, 'use_srtp')).toEqual({
      protectionProfiles: [1, 2],
      srtpMki: new Uint8Array(),
    });
    expect(findExtension(extensions, 'server_name')?.serverNameList[0].hostName).toBe('www.example.org');
    expect(findExtension(extensions, 'supported_versions')).toBeUndefined();
  });

  it('openssl -psk: pre_shared_key carries the external identity and a 32-byte binder, last', () => {
    const { extensions } = clientHelloExtensions(fromHex(OPENSSL_PSK));
    const psk = findExtension(extensions, 'pre_shared_key')!;
    expect(psk.identities).toEqual([{ identity: ascii('Client_identity'), obfuscatedTicketAge: 0 }]);
    expect(psk.binders.map((b) => b.length)).toEqual([32]);
    expect(extensions.at(-1)?.type).toBe(41);
  });

  it('gnutls-cli: record_size_limit, renegotiation_info, two key shares and both PSK modes', () => {
    const { extensions } = clientHelloExtensions(fromHex(GNUTLS_CLI));
    expect(findExtension(extensions, 'record_size_limit')).toEqual({ recordSizeLimit: 16385 });
    expect(findExtension(extensions, 'renegotiation_info')).toEqual({
      renegotiatedConnection: new Uint8Array(),
    });
    expect(
      findExtension(extensions, 'key_share')?.clientShares.map((s) => [s.group, s.keyExchange.length]),
    ).toEqual([
      [0x0017, 65],
      [0x001d, 32],
    ]);
    expect(findExtension(extensions, 'psk_key_exchange_modes')).toEqual({ keModes: [1, 0] });
    expect(findExtension(extensions, 'application_layer_protocol_negotiation')?.protocols).toEqual(['h2']);
  });

  it('gnutls-cli --post-handshake-auth: an empty post_handshake_auth', () => {
    const { extensions } = clientHelloExtensions(fromHex(GNUTLS_CLI_PHA));
    expect(findExtension(extensions, 'post_handshake_auth')).toEqual({});
  });

  it('curl: a zero padding extension that brings the record to 512 bytes', () => {
    const bytes = fromHex(CURL);
    const { extensions } = clientHelloExtensions(bytes);
    expect(findExtension(extensions, 'padding')).toEqual({ length: 180 });
    expect(bytes.length - 5).toBe(512);
  });

  it('node tls: SNI node.example and ALPN h2', () => {
    const { extensions } = clientHelloExtensions(fromHex(NODE_TLS));
    expect(findExtension(extensions, 'server_name')?.serverNameList[0].hostName).toBe('node.example');
    expect(findExtension(extensions, 'application_layer_protocol_negotiation')?.protocolNameList).toEqual([
      ascii('h2'),
    ]);
  });
});
