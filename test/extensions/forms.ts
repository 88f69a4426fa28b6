import { fc } from '@fast-check/vitest';
import { latin1 } from '../../src/bytes/hex.ts';
import { KEY_EXCHANGE_SIZES } from '../../src/extensions/key-share.ts';
import { codecForName } from '../../src/extensions/registry.ts';
import type { ExtensionCodec, MessageContext } from '../../src/extensions/types.ts';

/**
 * One message form of one extension, with an arbitrary of valid values (values a strict
 * decoder accepts), for the property tests.
 */
export interface Form {
  readonly name: string;
  readonly context: MessageContext;
  // biome-ignore lint/suspicious/noExplicitAny: forms carry different value types
  readonly codec: ExtensionCodec<any>;
  readonly value: fc.Arbitrary<unknown>;
  /**
   * False when the body has no length that covers it all (padding, session_ticket, QUIC
   * transport parameters, ...): a prefix that stops between items is itself a valid body.
   */
  readonly selfDelimiting: boolean;
}

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (minLength: number, maxLength: number) => fc.uint8Array({ minLength, maxLength });
const u16s = (minLength: number, maxLength = 40) => fc.array(u16, { minLength, maxLength });
const u8s = (minLength: number, maxLength = 40) => fc.array(u8, { minLength, maxLength });
const empty = fc.constant({});

const protocolNameList = (minLength: number, maxLength: number, minId = 1) =>
  fc.array(bytes(minId, 20), { minLength, maxLength }).map((ids) => ({
    protocolNameList: ids,
    protocols: ids.map(latin1),
  }));

const hostName = fc
  .domain()
  .filter((d) => d.length <= 253)
  .map((hostName) => ({ nameType: 0, name: new TextEncoder().encode(hostName), hostName }));

const serverNameList = fc
  .uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 })
  .chain((types) =>
    fc.tuple(
      ...types.map((t) =>
        t === 0 ? hostName : bytes(0, 20).map((name) => ({ nameType: t, name }) as Record<string, unknown>),
      ),
    ),
  )
  .map((serverNameList) => ({ serverNameList }));

/** A key share whose size fits its group when the group defines one (side 0: client, 1: server). */
const keyShareEntryFor = (side: 0 | 1) =>
  fc.oneof(fc.constantFrom(...KEY_EXCHANGE_SIZES.keys()), u16).chain((group) => {
    const size = KEY_EXCHANGE_SIZES.get(group)?.[side];
    return fc.record({ group: fc.constant(group), keyExchange: size ? bytes(size, size) : bytes(1, 70) });
  });
const keyShareEntry = keyShareEntryFor(0);

const quicVarint = fc.oneof(
  fc.integer({ min: 0, max: 63 }),
  fc.integer({ min: 64, max: 16383 }),
  fc.integer({ min: 16384, max: 2 ** 30 - 1 }),
  fc.integer({ min: 2 ** 30, max: Number.MAX_SAFE_INTEGER }),
);

/** A QUIC varint of `value` written in `width` bytes (maybe longer than needed). */
function varint(value: number, width: 1 | 2 | 4 | 8): Uint8Array {
  const out = new Uint8Array(width);
  let v = value;
  for (let i = width - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[0] |= { 1: 0, 2: 0x40, 4: 0x80, 8: 0xc0 }[width];
  return out;
}

function minimalWidth(value: number): 1 | 2 | 4 | 8 {
  return value < 64 ? 1 : value < 16384 ? 2 : value < 2 ** 30 ? 4 : 8;
}

/** A transport parameter whose id and length may be encoded longer than needed (kept raw). */
const quicParameter = fc
  .record({
    id: quicVarint,
    value: bytes(0, 20),
    idWidth: fc.constantFrom(1, 2, 4, 8),
    lengthWidth: fc.constantFrom(1, 2, 4, 8),
  })
  .map(({ id, value, idWidth, lengthWidth }) => {
    const p: Record<string, unknown> = { id, value };
    const iw = Math.max(idWidth, minimalWidth(id)) as 1 | 2 | 4 | 8;
    const lw = Math.max(lengthWidth, minimalWidth(value.length)) as 1 | 2 | 4 | 8;
    if (iw !== minimalWidth(id)) p.rawId = varint(id, iw);
    if (lw !== minimalWidth(value.length)) p.rawLength = varint(value.length, lw);
    return p;
  });

const offeredPsks = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc.record({
    identities: fc.array(fc.record({ identity: bytes(1, 40), obfuscatedTicketAge: u32 }), {
      minLength: n,
      maxLength: n,
    }),
    binders: fc.array(bytes(32, 64), { minLength: n, maxLength: n }),
  }),
);

const echConfigList = bytes(1, 60).map((inner) => {
  const out = new Uint8Array(inner.length + 2);
  out[0] = inner.length >> 8;
  out[1] = inner.length & 0xff;
  out.set(inner, 2);
  return out;
});

function form(
  name: string,
  context: MessageContext,
  value: fc.Arbitrary<unknown>,
  selfDelimiting = true,
): Form {
  const codec = codecForName(name);
  if (!codec) throw new Error(`no codec ${name}`);
  return { name, context, codec, value, selfDelimiting };
}

const signatureSchemeList = u16s(1).map((supportedSignatureAlgorithms) => ({ supportedSignatureAlgorithms }));

/** Every form of every extension hellokit decodes. */
export const FORMS: readonly Form[] = [
  form('server_name', 'client_hello', serverNameList),
  form('server_name', 'server_hello', empty),
  form('server_name', 'encrypted_extensions', empty),
  form(
    'max_fragment_length',
    'client_hello',
    fc.record({ maxFragmentLength: fc.integer({ min: 1, max: 4 }) }),
  ),
  form(
    'status_request',
    'client_hello',
    fc.record({
      statusType: fc.constant(1),
      responderIdList: fc.array(bytes(1, 20), { maxLength: 4 }),
      requestExtensions: bytes(0, 20),
    }),
  ),
  form(
    'status_request',
    'client_hello',
    fc.record({ statusType: fc.integer({ min: 2, max: 255 }), request: bytes(0, 20) }),
    false,
  ),
  form('status_request', 'server_hello', empty),
  form('status_request', 'certificate_request', empty),
  form('status_request', 'certificate', fc.record({ statusType: fc.constant(1), response: bytes(1, 60) })),
  form(
    'supported_groups',
    'client_hello',
    u16s(1).map((namedGroupList) => ({ namedGroupList })),
  ),
  form(
    'supported_groups',
    'encrypted_extensions',
    u16s(1).map((namedGroupList) => ({ namedGroupList })),
  ),
  form(
    'ec_point_formats',
    'client_hello',
    u8s(0).map((l) => ({ ecPointFormatList: [...l, 0] })),
  ),
  form('signature_algorithms', 'client_hello', signatureSchemeList),
  form('signature_algorithms_cert', 'certificate_request', signatureSchemeList),
  form('use_srtp', 'client_hello', fc.record({ protectionProfiles: u16s(1), srtpMki: bytes(0, 20) })),
  form('heartbeat', 'client_hello', fc.record({ mode: fc.constantFrom(1, 2) })),
  form('application_layer_protocol_negotiation', 'client_hello', protocolNameList(1, 8)),
  form('application_layer_protocol_negotiation', 'server_hello', protocolNameList(1, 1)),
  form('application_layer_protocol_negotiation', 'encrypted_extensions', protocolNameList(1, 1)),
  form('signed_certificate_timestamp', 'client_hello', empty),
  form(
    'signed_certificate_timestamp',
    'certificate',
    fc.record({ sctList: fc.array(bytes(1, 40), { minLength: 1, maxLength: 4 }) }),
  ),
  form('client_certificate_type', 'client_hello', fc.record({ certificateTypes: u8s(1) })),
  form('server_certificate_type', 'encrypted_extensions', fc.record({ certificateType: u8 })),
  form('padding', 'client_hello', fc.record({ length: fc.integer({ min: 0, max: 600 }) }), false),
  form('encrypt_then_mac', 'client_hello', empty),
  form('extended_master_secret', 'server_hello', empty),
  form('compress_certificate', 'client_hello', fc.record({ algorithms: u16s(1, 127) })),
  form(
    'record_size_limit',
    'encrypted_extensions',
    fc.record({ recordSizeLimit: fc.integer({ min: 64, max: 0xffff }) }),
  ),
  form('delegated_credential', 'client_hello', signatureSchemeList),
  form(
    'delegated_credential',
    'certificate',
    fc.record({
      validTime: u32,
      dcCertVerifyAlgorithm: u16,
      subjectPublicKeyInfo: bytes(1, 60),
      algorithm: u16,
      signature: bytes(1, 60),
    }),
  ),
  form('session_ticket', 'client_hello', fc.record({ ticket: bytes(0, 60) }), false),
  form('pre_shared_key', 'client_hello', offeredPsks),
  form('pre_shared_key', 'server_hello', fc.record({ selectedIdentity: u16 })),
  form('early_data', 'client_hello', empty),
  form('early_data', 'encrypted_extensions', empty),
  form('early_data', 'new_session_ticket', fc.record({ maxEarlyDataSize: u32 })),
  form('supported_versions', 'client_hello', fc.record({ versions: u16s(1, 127) })),
  form('supported_versions', 'server_hello', fc.record({ selectedVersion: u16 })),
  form('supported_versions', 'hello_retry_request', fc.record({ selectedVersion: u16 })),
  form('cookie', 'hello_retry_request', fc.record({ cookie: bytes(1, 80) })),
  form('psk_key_exchange_modes', 'client_hello', fc.record({ keModes: u8s(1) })),
  form(
    'certificate_authorities',
    'certificate_request',
    fc.record({ authorities: fc.array(bytes(1, 40), { minLength: 1, maxLength: 4 }) }),
  ),
  form(
    'oid_filters',
    'certificate_request',
    fc.record({
      filters: fc.array(
        fc.record({ certificateExtensionOid: bytes(1, 12), certificateExtensionValues: bytes(0, 20) }),
        {
          maxLength: 4,
        },
      ),
    }),
  ),
  form('post_handshake_auth', 'client_hello', empty),
  form(
    'key_share',
    'client_hello',
    fc
      .uniqueArray(keyShareEntry, { selector: (e) => e.group, maxLength: 4 })
      .map((clientShares) => ({ clientShares })),
  ),
  form(
    'key_share',
    'server_hello',
    keyShareEntryFor(1).map((serverShare) => ({ serverShare })),
  ),
  form('key_share', 'hello_retry_request', fc.record({ selectedGroup: u16 })),
  form(
    'quic_transport_parameters',
    'client_hello',
    fc.record({ parameters: fc.array(quicParameter, { maxLength: 6 }) }),
    false,
  ),
  form('next_protocol_negotiation', 'client_hello', empty),
  form('next_protocol_negotiation', 'server_hello', protocolNameList(0, 5, 0), false),
  form('application_settings_new', 'client_hello', protocolNameList(1, 4)),
  form('application_settings_new', 'encrypted_extensions', fc.record({ settings: bytes(0, 40) }), false),
  form('application_settings', 'client_hello', protocolNameList(1, 4)),
  form('channel_id', 'client_hello', empty),
  form('ech_outer_extensions', 'client_hello', fc.record({ outerExtensions: u16s(1, 127) })),
  form(
    'encrypted_client_hello',
    'client_hello',
    fc.record({
      type: fc.constant(0),
      cipherSuite: fc.record({ kdfId: u16, aeadId: u16 }),
      configId: u8,
      enc: bytes(0, 40),
      payload: bytes(1, 80),
    }),
  ),
  form('encrypted_client_hello', 'client_hello', fc.constant({ type: 1 })),
  form('encrypted_client_hello', 'encrypted_extensions', fc.record({ retryConfigs: echConfigList })),
  form('encrypted_client_hello', 'hello_retry_request', fc.record({ confirmation: bytes(8, 8) })),
  form('renegotiation_info', 'server_hello', fc.record({ renegotiatedConnection: bytes(0, 40) })),
];
