import { DecodeError } from '../bytes/errors.ts';
import { Reader, type ReaderOptions } from '../bytes/reader.ts';
import type { ProtocolNameList } from './alpn.ts';
import type { ApplicationSettingsValue } from './application-settings.ts';
import { encodeBody } from './block.ts';
import type { CertificateAuthorities } from './certificate-authorities.ts';
import type { CertificateTypeList, CertificateTypeValue } from './certificate-type.ts';
import type { EmptyValue } from './common.ts';
import type { CertificateCompressionAlgorithms } from './compress-certificate.ts';
import type { Cookie } from './cookie.ts';
import type { DelegatedCredentialValue } from './delegated-credential.ts';
import type { EarlyDataValue } from './early-data.ts';
import type { EcPointFormatList } from './ec-point-formats.ts';
import type {
  EchInnerClientHello,
  EchOuterClientHello,
  EchOuterExtensions,
  EchUnknownClientHello,
  EncryptedClientHelloValue,
} from './ech.ts';
import type { HeartbeatExtension } from './heartbeat.ts';
import type { KeyShareClientHello, KeyShareValue } from './key-share.ts';
import type { MaxFragmentLength } from './max-fragment-length.ts';
import type { NextProtocolNegotiationValue } from './next-protocol-negotiation.ts';
import type { OidFilters } from './oid-filters.ts';
import type { Padding } from './padding.ts';
import type { OfferedPsks, PreSharedKeyValue, PskKeyExchangeModes } from './psk.ts';
import type { QuicTransportParameters } from './quic-transport-parameters.ts';
import type { RecordSizeLimit } from './record-size-limit.ts';
import { codecForName, codecForType } from './registry.ts';
import type { RenegotiationInfo } from './renegotiation-info.ts';
import type { ServerNameList, ServerNameValue } from './server-name.ts';
import type { SessionTicket } from './session-ticket.ts';
import type { SignatureSchemeList } from './signature-algorithms.ts';
import type { SignedCertificateTimestampValue } from './signed-certificate-timestamp.ts';
import type { OcspStatusRequest, OtherStatusRequest, StatusRequestValue } from './status-request.ts';
import type { NamedGroupList } from './supported-groups.ts';
import type { SupportedVersionsList, SupportedVersionsValue } from './supported-versions.ts';
import type { Extension, MessageContext } from './types.ts';
import type { UseSrtpData } from './use-srtp.ts';

/** Extension code by name, for every extension hellokit decodes (IANA spelling where IANA has one). */
export const EXTENSION_NAMES = {
  server_name: 0,
  max_fragment_length: 1,
  status_request: 5,
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  use_srtp: 14,
  heartbeat: 15,
  application_layer_protocol_negotiation: 16,
  signed_certificate_timestamp: 18,
  client_certificate_type: 19,
  server_certificate_type: 20,
  padding: 21,
  encrypt_then_mac: 22,
  extended_master_secret: 23,
  compress_certificate: 27,
  record_size_limit: 28,
  delegated_credential: 34,
  session_ticket: 35,
  pre_shared_key: 41,
  early_data: 42,
  supported_versions: 43,
  cookie: 44,
  psk_key_exchange_modes: 45,
  certificate_authorities: 47,
  oid_filters: 48,
  post_handshake_auth: 49,
  signature_algorithms_cert: 50,
  key_share: 51,
  quic_transport_parameters: 57,
  next_protocol_negotiation: 13172,
  application_settings: 17513,
  application_settings_new: 17613,
  channel_id: 30032,
  ech_outer_extensions: 0xfd00,
  encrypted_client_hello: 0xfe0d,
  renegotiation_info: 0xff01,
} as const;

/** Name of an extension hellokit decodes. */
export type ExtensionName = keyof typeof EXTENSION_NAMES;

/** The name of a decoded extension type, or undefined for types without a codec. */
export function extensionName(type: number): ExtensionName | undefined {
  return codecForType(type)?.name as ExtensionName | undefined;
}

/**
 * Value type of each extension in its ClientHello form. oid_filters, which only a
 * CertificateRequest carries, maps to its CertificateRequest form.
 */
export interface ExtensionValues {
  server_name: ServerNameList;
  max_fragment_length: MaxFragmentLength;
  status_request: OcspStatusRequest | OtherStatusRequest;
  supported_groups: NamedGroupList;
  ec_point_formats: EcPointFormatList;
  signature_algorithms: SignatureSchemeList;
  use_srtp: UseSrtpData;
  heartbeat: HeartbeatExtension;
  application_layer_protocol_negotiation: ProtocolNameList;
  signed_certificate_timestamp: EmptyValue;
  client_certificate_type: CertificateTypeList;
  server_certificate_type: CertificateTypeList;
  padding: Padding;
  encrypt_then_mac: EmptyValue;
  extended_master_secret: EmptyValue;
  compress_certificate: CertificateCompressionAlgorithms;
  record_size_limit: RecordSizeLimit;
  delegated_credential: SignatureSchemeList;
  session_ticket: SessionTicket;
  pre_shared_key: OfferedPsks;
  early_data: EmptyValue;
  supported_versions: SupportedVersionsList;
  cookie: Cookie;
  psk_key_exchange_modes: PskKeyExchangeModes;
  certificate_authorities: CertificateAuthorities;
  oid_filters: OidFilters;
  post_handshake_auth: EmptyValue;
  signature_algorithms_cert: SignatureSchemeList;
  key_share: KeyShareClientHello;
  quic_transport_parameters: QuicTransportParameters;
  next_protocol_negotiation: EmptyValue;
  application_settings: ProtocolNameList;
  application_settings_new: ProtocolNameList;
  channel_id: EmptyValue;
  ech_outer_extensions: EchOuterExtensions;
  encrypted_client_hello: EchOuterClientHello | EchInnerClientHello | EchUnknownClientHello;
  renegotiation_info: RenegotiationInfo;
}

/** Value type of each extension in any message form (what a decoder may return). */
export interface AnyExtensionValues
  extends Omit<
    ExtensionValues,
    | 'server_name'
    | 'status_request'
    | 'application_layer_protocol_negotiation'
    | 'signed_certificate_timestamp'
    | 'client_certificate_type'
    | 'server_certificate_type'
    | 'delegated_credential'
    | 'pre_shared_key'
    | 'early_data'
    | 'supported_versions'
    | 'key_share'
    | 'next_protocol_negotiation'
    | 'application_settings'
    | 'application_settings_new'
    | 'encrypted_client_hello'
  > {
  server_name: ServerNameValue;
  status_request: StatusRequestValue;
  application_layer_protocol_negotiation: ProtocolNameList;
  signed_certificate_timestamp: SignedCertificateTimestampValue;
  client_certificate_type: CertificateTypeValue;
  server_certificate_type: CertificateTypeValue;
  delegated_credential: DelegatedCredentialValue;
  pre_shared_key: PreSharedKeyValue;
  early_data: EarlyDataValue;
  supported_versions: SupportedVersionsValue;
  key_share: KeyShareValue;
  next_protocol_negotiation: NextProtocolNegotiationValue;
  application_settings: ApplicationSettingsValue;
  application_settings_new: ApplicationSettingsValue;
  encrypted_client_hello: EncryptedClientHelloValue;
}

/**
 * Decodes one extension body (extension_data) for a message; the body must be used up.
 * Strict by default; with `{ strict: false }` semantic faults land in `problems`.
 * @example decodeExtensionBody('supported_versions', fromHex('0403040303')) // { versions: [0x0304, 0x0303] }
 * @throws {DecodeError} on a body that does not decode
 * @throws {TypeError} for a name or type hellokit has no codec for
 */
export function decodeExtensionBody<N extends ExtensionName>(
  nameOrType: N,
  body: Uint8Array,
  context?: MessageContext,
  options?: ReaderOptions,
): AnyExtensionValues[N];
export function decodeExtensionBody(
  nameOrType: string | number,
  body: Uint8Array,
  context?: MessageContext,
  options?: ReaderOptions,
): unknown;
export function decodeExtensionBody(
  nameOrType: string | number,
  body: Uint8Array,
  context: MessageContext = 'client_hello',
  options: ReaderOptions = {},
): unknown {
  const codec = typeof nameOrType === 'number' ? codecForType(nameOrType) : codecForName(nameOrType);
  if (!codec) throw new TypeError(`no typed codec for extension ${JSON.stringify(nameOrType)}`);
  const r = new Reader(body, options);
  return r.enter(codec.name, () => {
    const value = codec.decode(r, context);
    r.done();
    return value;
  });
}

/**
 * Encodes one extension body from a typed value.
 * @example toHex(encodeExtensionBody('supported_versions', { versions: [0x0304] })) // '020304'
 */
export function encodeExtensionBody<N extends ExtensionName>(
  nameOrType: N,
  value: AnyExtensionValues[N],
  context?: MessageContext,
): Uint8Array;
export function encodeExtensionBody(
  nameOrType: string | number,
  value: unknown,
  context?: MessageContext,
): Uint8Array;
export function encodeExtensionBody(
  nameOrType: string | number,
  value: unknown,
  context: MessageContext = 'client_hello',
): Uint8Array {
  const codec = typeof nameOrType === 'number' ? codecForType(nameOrType) : codecForName(nameOrType);
  if (!codec) throw new TypeError(`no typed codec for extension ${JSON.stringify(nameOrType)}`);
  return encodeBody(codec, value, context);
}

/**
 * The typed value of the first extension called `name` in a ClientHello's extensions, or
 * undefined when it is absent or its body does not decode. Extensions without a `value`
 * (built from raw bytes) are decoded from their body.
 * @example findExtension(hello.extensions, 'server_name')?.serverNameList[0]?.hostName
 */
export function findExtension<N extends ExtensionName>(
  extensions: readonly Extension[] | null | undefined,
  name: N,
): ExtensionValues[N] | undefined {
  return findExtensionIn(extensions, name, 'client_hello') as ExtensionValues[N] | undefined;
}

/** Like {@link findExtension} for the extensions of any message; the value is in that message's form. */
export function findExtensionIn<N extends ExtensionName>(
  extensions: readonly Extension[] | null | undefined,
  name: N,
  context: MessageContext,
): AnyExtensionValues[N] | undefined {
  const type: number = EXTENSION_NAMES[name];
  const ext = extensions?.find((e) => e.type === type);
  if (!ext) return undefined;
  if (ext.value !== undefined) return ext.value as AnyExtensionValues[N];
  try {
    return decodeExtensionBody(name, ext.body, context);
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}
