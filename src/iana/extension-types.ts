/**
 * TLS ExtensionType Values (IANA), plus the unassigned values that browsers and libraries
 * send (`iana: false`): NPN, Channel ID, ALPS, draft ESNI, Chrome's trust anchors.
 */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** One extension type. */
export type ExtensionTypeInfo = RegistryEntry;

/** Every extension type IANA assigned, then the commonly seen unassigned ones, in code order. */
export const EXTENSION_TYPES = [
  { code: 0, name: 'server_name', aliases: ['sni'], iana: true },
  { code: 1, name: 'max_fragment_length', iana: true },
  { code: 2, name: 'client_certificate_url', iana: true },
  { code: 3, name: 'trusted_ca_keys', iana: true },
  { code: 4, name: 'truncated_hmac', iana: true },
  { code: 5, name: 'status_request', aliases: ['ocsp_stapling'], iana: true },
  { code: 6, name: 'user_mapping', iana: true },
  { code: 7, name: 'client_authz', iana: true },
  { code: 8, name: 'server_authz', iana: true },
  { code: 9, name: 'cert_type', iana: true },
  // named "elliptic_curves" until RFC 7919/8422
  { code: 10, name: 'supported_groups', aliases: ['elliptic_curves'], iana: true },
  { code: 11, name: 'ec_point_formats', iana: true },
  { code: 12, name: 'srp', iana: true },
  { code: 13, name: 'signature_algorithms', aliases: ['sigalgs'], iana: true },
  { code: 14, name: 'use_srtp', iana: true },
  { code: 15, name: 'heartbeat', iana: true },
  { code: 16, name: 'application_layer_protocol_negotiation', aliases: ['alpn'], iana: true },
  { code: 17, name: 'status_request_v2', iana: true },
  { code: 18, name: 'signed_certificate_timestamp', aliases: ['sct'], iana: true },
  { code: 19, name: 'client_certificate_type', iana: true },
  { code: 20, name: 'server_certificate_type', iana: true },
  { code: 21, name: 'padding', iana: true },
  { code: 22, name: 'encrypt_then_mac', iana: true },
  { code: 23, name: 'extended_master_secret', aliases: ['ems', 'extended_master_secret_ext'], iana: true },
  { code: 24, name: 'token_binding', iana: true },
  { code: 25, name: 'cached_info', iana: true },
  { code: 26, name: 'tls_lts', iana: true },
  { code: 27, name: 'compress_certificate', aliases: ['compressed_certificate'], iana: true },
  { code: 28, name: 'record_size_limit', iana: true },
  { code: 29, name: 'pwd_protect', iana: true },
  { code: 30, name: 'pwd_clear', iana: true },
  { code: 31, name: 'password_salt', iana: true },
  { code: 32, name: 'ticket_pinning', iana: true },
  { code: 33, name: 'tls_cert_with_extern_psk', iana: true },
  { code: 34, name: 'delegated_credential', aliases: ['delegated_credentials'], iana: true },
  // "SessionTicket TLS" in RFC 5077
  { code: 35, name: 'session_ticket', aliases: ['SessionTicket'], iana: true },
  { code: 36, name: 'TLMSP', iana: true },
  { code: 37, name: 'TLMSP_proxying', iana: true },
  { code: 38, name: 'TLMSP_delegate', iana: true },
  { code: 39, name: 'supported_ekt_ciphers', iana: true },
  // IANA: Reserved. TLS 1.3 drafts -00 to -22 sent key_share here.
  { code: 40, name: 'key_share_old', iana: false },
  { code: 41, name: 'pre_shared_key', aliases: ['psk'], iana: true },
  { code: 42, name: 'early_data', iana: true },
  { code: 43, name: 'supported_versions', iana: true },
  { code: 44, name: 'cookie', iana: true },
  { code: 45, name: 'psk_key_exchange_modes', iana: true },
  // IANA: Reserved. TLS 1.3 drafts -13 to -18 used it.
  { code: 46, name: 'ticket_early_data_info', iana: false },
  { code: 47, name: 'certificate_authorities', iana: true },
  { code: 48, name: 'oid_filters', iana: true },
  { code: 49, name: 'post_handshake_auth', iana: true },
  { code: 50, name: 'signature_algorithms_cert', iana: true },
  { code: 51, name: 'key_share', iana: true },
  { code: 52, name: 'transparency_info', iana: true },
  // IANA writes "connection_id (deprecated)": the pre-RFC 9146 code point
  { code: 53, name: 'connection_id_deprecated', aliases: ['connection_id_old'], iana: true },
  { code: 54, name: 'connection_id', iana: true },
  { code: 55, name: 'external_id_hash', iana: true },
  { code: 56, name: 'external_session_id', iana: true },
  { code: 57, name: 'quic_transport_parameters', iana: true },
  { code: 58, name: 'ticket_request', iana: true },
  { code: 59, name: 'dnssec_chain', iana: true },
  { code: 60, name: 'sequence_number_encryption_algorithms', iana: true },
  { code: 61, name: 'rrc', iana: true },
  { code: 62, name: 'tls_flags', iana: true },
  // draft-agl-tls-nextprotoneg; Chrome and Firefox sent it until ALPN replaced it
  { code: 13172, name: 'next_protocol_negotiation', aliases: ['npn'], iana: false },
  // draft-vvv-tls-alps: ALPS as Chrome sent it until 2024, then again at 17613 (0x44CD)
  { code: 17513, name: 'application_settings', aliases: ['alps', 'application_settings_old'], iana: false },
  { code: 17613, name: 'application_settings_new', aliases: ['alps_new'], iana: false },
  // draft-balfanz-tls-channelid (Chrome)
  { code: 30031, name: 'channel_id_old', iana: false },
  { code: 30032, name: 'channel_id', iana: false },
  // draft-ietf-tls-trust-anchor-ids: Chrome sends it at 0xCA34 ahead of an assignment
  { code: 51764, name: 'trust_anchors', iana: false },
  // draft-ietf-tls-esni: Encrypted Client Hello (assigned, final code points)
  { code: 64768, name: 'ech_outer_extensions', iana: true },
  { code: 65037, name: 'encrypted_client_hello', aliases: ['ech'], iana: true },
  // RFC 5746
  { code: 65281, name: 'renegotiation_info', aliases: ['renegotiate'], iana: true },
  // draft-ietf-quic-tls before -33
  { code: 65445, name: 'quic_transport_parameters_draft', iana: false },
  // draft-ietf-tls-esni (ESNI, before ECH)
  { code: 65486, name: 'encrypted_server_name', aliases: ['esni'], iana: false },
] as const;
type _CheckExtensionTypes = Satisfies<typeof EXTENSION_TYPES, readonly ExtensionTypeInfo[]>;

/** The name of an extension type in the table. */
export type ExtensionTypeName = (typeof EXTENSION_TYPES)[number]['name'];

/**
 * Extension type codes by name.
 * @example EXTENSION_TYPE.key_share // 51
 */
export const EXTENSION_TYPE: CodesByName<typeof EXTENSION_TYPES> = codesByName(EXTENSION_TYPES);
