import { describe, expect, it } from 'vitest';
import type { DecodeAlert, DecodeErrorCode } from '../../src/bytes/errors.ts';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { codecForName } from '../../src/extensions/registry.ts';
import type { MessageContext } from '../../src/extensions/types.ts';
import { clientHelloExtensions, decodeErrorOf, decodeWith, encodeWith } from './helpers.ts';
import { RFC8448_3_CLIENT_HELLO } from './rfc8448.ts';

interface Rule {
  readonly rule: string;
  readonly name: string;
  readonly context?: MessageContext;
  /** The extension body. */
  readonly body: string;
  readonly code: DecodeErrorCode;
  readonly alert: DecodeAlert;
  /** The field path the problem names, when worth checking. */
  readonly path?: string;
}

/** A server_name body holding one host_name. */
function sni(host: string | Uint8Array): string {
  const name = typeof host === 'string' ? new TextEncoder().encode(host) : host;
  const entry = toHex(new Uint8Array([0, name.length >> 8, name.length & 0xff, ...name]));
  const n = entry.length / 2;
  return toHex(new Uint8Array([n >> 8, n & 0xff])) + entry;
}

const X25519_SHARE = `001d0020${'11'.repeat(32)}`;

const RULES: readonly Rule[] = [
  // RFC 6066 §3 server_name
  {
    rule: 'an empty server_name_list',
    name: 'server_name',
    body: '0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty host_name',
    name: 'server_name',
    body: '0003000000',
    code: 'empty-list',
    alert: 'decode_error',
    path: 'server_name.server_name_list[0].host_name',
  },
  {
    rule: 'two host_name entries (duplicate name_type)',
    name: 'server_name',
    body: '0008 00000161 00000162',
    code: 'duplicate',
    alert: 'illegal_parameter',
    path: 'server_name.server_name_list[1]',
  },
  {
    rule: 'a host_name with a trailing dot',
    name: 'server_name',
    body: sni('example.com.'),
    code: 'illegal-value',
    alert: 'illegal_parameter',
    path: 'server_name.server_name_list[0].host_name',
  },
  {
    rule: 'an IPv4 literal host_name',
    name: 'server_name',
    body: sni('192.0.2.1'),
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  {
    rule: 'an IPv6 literal host_name',
    name: 'server_name',
    body: sni('2001:db8::1'),
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  {
    rule: 'a bracketed IPv6 literal',
    name: 'server_name',
    body: sni('[::1]'),
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  {
    rule: 'a space in host_name',
    name: 'server_name',
    body: sni('exa mple.com'),
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  {
    rule: 'UTF-8 (a U-label) in host_name',
    name: 'server_name',
    body: sni('bücher.example'),
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  {
    rule: 'an empty label',
    name: 'server_name',
    body: sni('a..example'),
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  {
    rule: 'a leading dot',
    name: 'server_name',
    body: sni('.example'),
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  {
    rule: 'a NUL byte in host_name',
    name: 'server_name',
    body: sni(new Uint8Array([0x61, 0x00, 0x62])),
    code: 'illegal-value',
    alert: 'unrecognized_name',
  },
  {
    rule: 'a host_name over 253 bytes',
    name: 'server_name',
    body: sni(`${'a'.repeat(60)}.`.repeat(4) + 'a'.repeat(14)),
    code: 'too-large',
    alert: 'unrecognized_name',
  },
  {
    rule: 'a 64-byte label',
    name: 'server_name',
    body: sni(`${'a'.repeat(64)}.example`),
    code: 'too-large',
    alert: 'unrecognized_name',
  },
  // empty lists the RFCs forbid
  {
    rule: 'an empty named_group_list',
    name: 'supported_groups',
    body: '0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty signature list',
    name: 'signature_algorithms',
    body: '0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty signature_algorithms_cert list',
    name: 'signature_algorithms_cert',
    body: '0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty delegated_credential scheme list',
    name: 'delegated_credential',
    body: '0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty ALPN list',
    name: 'application_layer_protocol_negotiation',
    body: '0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty ALPN id',
    name: 'application_layer_protocol_negotiation',
    body: '000400026832',
    code: 'empty-list',
    alert: 'decode_error',
    path: 'application_layer_protocol_negotiation.protocol_name_list[0].protocol_name',
  },
  {
    rule: 'a server ALPN list with two ids',
    name: 'application_layer_protocol_negotiation',
    context: 'server_hello',
    body: '0006026832026833',
    code: 'illegal-value',
    alert: 'decode_error',
  },
  {
    rule: 'an EncryptedExtensions ALPN list with two ids',
    name: 'application_layer_protocol_negotiation',
    context: 'encrypted_extensions',
    body: '0006026832026833',
    code: 'illegal-value',
    alert: 'decode_error',
  },
  {
    rule: 'an empty ALPS list',
    name: 'application_settings_new',
    body: '0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty key_exchange',
    name: 'key_share',
    body: '0004001d0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty key_exchange in the server share',
    name: 'key_share',
    context: 'server_hello',
    body: '001d0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'two key shares for one group',
    name: 'key_share',
    body: `0048${X25519_SHARE}${X25519_SHARE}`,
    code: 'duplicate',
    alert: 'illegal_parameter',
    path: 'key_share.client_shares[1]',
  },
  {
    rule: 'an empty versions list',
    name: 'supported_versions',
    body: '00',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty ke_modes list',
    name: 'psk_key_exchange_modes',
    body: '00',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty ec_point_format_list',
    name: 'ec_point_formats',
    body: '00',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'ec_point_formats without uncompressed',
    name: 'ec_point_formats',
    body: '0101',
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  {
    rule: 'an empty cookie',
    name: 'cookie',
    context: 'hello_retry_request',
    body: '0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty authorities list',
    name: 'certificate_authorities',
    body: '0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty compression algorithm list',
    name: 'compress_certificate',
    body: '00',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty SRTP profile list',
    name: 'use_srtp',
    body: '000000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty certificate type list',
    name: 'client_certificate_type',
    body: '00',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty SCT list',
    name: 'signed_certificate_timestamp',
    context: 'certificate',
    body: '0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
  {
    rule: 'an empty OuterExtensions list',
    name: 'ech_outer_extensions',
    body: '00',
    code: 'empty-list',
    alert: 'decode_error',
  },
  // pre_shared_key (RFC 8446 §4.2.11)
  {
    rule: 'more identities than binders',
    name: 'pre_shared_key',
    body: `000e 0001610000000000016200000000 0021 20${'ab'.repeat(32)}`,
    code: 'illegal-value',
    alert: 'decode_error',
  },
  {
    rule: 'a binder shorter than 32 bytes',
    name: 'pre_shared_key',
    body: `000e 0001610000000000016200000000 0041 1f${'ab'.repeat(31)} 20${'cd'.repeat(32)}`,
    code: 'bad-length',
    alert: 'decode_error',
    path: 'pre_shared_key.binders[0].binder',
  },
  // values out of range
  {
    rule: 'a max_fragment_length code outside 1..4',
    name: 'max_fragment_length',
    body: '05',
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  {
    rule: 'a heartbeat mode outside 1..2',
    name: 'heartbeat',
    body: '03',
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  {
    rule: 'a record_size_limit below 64',
    name: 'record_size_limit',
    body: '003f',
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  {
    rule: 'non-zero padding',
    name: 'padding',
    body: '0000010000',
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  // ECH (draft-ietf-tls-esni §5, §7.1)
  {
    rule: 'an unknown ECHClientHelloType',
    name: 'encrypted_client_hello',
    body: '02abcd',
    code: 'illegal-value',
    alert: 'illegal_parameter',
  },
  {
    rule: 'an empty ECH payload',
    name: 'encrypted_client_hello',
    body: '00 0001 0001 01 0000 0000',
    code: 'empty-list',
    alert: 'decode_error',
  },
];

describe('strict rules fire in strict mode and are only collected in lenient mode', () => {
  for (const r of RULES) {
    const codec = codecForName(r.name)!;
    const context = r.context ?? 'client_hello';
    const body = fromHex(r.body);

    it(`${r.name}: ${r.rule} is ${r.code} (${r.alert}) in strict mode`, () => {
      const err = decodeErrorOf(() => decodeWith(codec, body, context));
      expect([err.code, err.alert]).toEqual([r.code, r.alert]);
      if (r.path) expect(err.path).toBe(r.path);
    });

    it(`${r.name}: ${r.rule} is collected in lenient mode and the value re-encodes to the body`, () => {
      const { value, reader } = decodeWith(codec, body, context, false);
      expect(reader.problems.map((p) => [p.code, p.alert])).toEqual([[r.code, r.alert]]);
      expect(toHex(encodeWith(codec, value, context))).toBe(toHex(body));
    });
  }
});

describe('what the rules allow', () => {
  const serverName = codecForName('server_name')!;
  for (const host of [
    'example.com',
    '_dmarc.example.com',
    '1password.com',
    'a-b.c-d.example',
    'xn--bcher-kva.example',
    'localhost',
    `${'a'.repeat(63)}.example`,
  ]) {
    it(`accepts the host_name ${JSON.stringify(host)}`, () => {
      expect(decodeWith(serverName, fromHex(sni(host)), 'client_hello').value).toEqual({
        serverNameList: [{ nameType: 0, name: new TextEncoder().encode(host), hostName: host }],
      });
    });
  }

  it('keeps unknown name_types with their bytes next to a host_name', () => {
    const body = fromHex('000b 00 0001 61 07 0004 deadbeef');
    const { value } = decodeWith(serverName, body, 'client_hello');
    expect(value).toEqual({
      serverNameList: [
        { nameType: 0, name: fromHex('61'), hostName: 'a' },
        { nameType: 7, name: fromHex('deadbeef') },
      ],
    });
  });

  it('keeps unknown and GREASE values inside lists', () => {
    const groups = decodeWith(
      codecForName('supported_groups')!,
      fromHex('0006 0a0a 001d ff77'),
      'client_hello',
    );
    expect(groups.value).toEqual({ namedGroupList: [0x0a0a, 0x001d, 0xff77] });
    const shares = decodeWith(
      codecForName('key_share')!,
      fromHex('000a 2a2a 0001 00 ff77 0001 42'),
      'client_hello',
    );
    expect(shares.value).toEqual({
      clientShares: [
        { group: 0x2a2a, keyExchange: fromHex('00') },
        { group: 0xff77, keyExchange: fromHex('42') },
      ],
    });
    const versions = decodeWith(
      codecForName('supported_versions')!,
      fromHex('06 fafa 0304 7f1c'),
      'client_hello',
    );
    expect(versions.value).toEqual({ versions: [0xfafa, 0x0304, 0x7f1c] });
  });

  it('accepts an empty client_shares list (the client asks for a HelloRetryRequest)', () => {
    expect(decodeWith(codecForName('key_share')!, fromHex('0000'), 'client_hello').value).toEqual({
      clientShares: [],
    });
  });
});

describe('rules seen through the extensions block', () => {
  it('a bad host_name in a whole ClientHello names the extension index and field, and lenient mode keeps going', () => {
    const bytes = fromHex(RFC8448_3_CLIENT_HELLO);
    const at = toHex(bytes).indexOf(toHex(new TextEncoder().encode('server'))) / 2;
    bytes[at + 3] = 0x20; // 'ser er'
    const err = decodeErrorOf(() => clientHelloExtensions(bytes));
    expect(err.path).toBe('client_hello.extensions[0].server_name.server_name_list[0].host_name');
    expect(err.alert).toBe('illegal_parameter');
    const lenient = clientHelloExtensions(bytes, false);
    expect(lenient.reader.problems.map((p) => p.path)).toEqual([
      'client_hello.extensions[0].server_name.server_name_list[0].host_name',
    ]);
    expect(lenient.extensions).toHaveLength(9);
    expect(lenient.extensions[0].value).toEqual({
      serverNameList: [{ nameType: 0, name: new TextEncoder().encode('ser er'), hostName: 'ser er' }],
    });
  });
});
