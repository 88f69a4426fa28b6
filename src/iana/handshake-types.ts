/** TLS HandshakeType (IANA): the type byte of every handshake message. */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** Every handshake type IANA assigned, plus NPN's and Channel ID's messages (`iana: false`). */
export const HANDSHAKE_TYPE_TABLE = [
  { code: 0, name: 'hello_request', aliases: ['hello_request_RESERVED'], iana: true },
  { code: 1, name: 'client_hello', iana: true },
  { code: 2, name: 'server_hello', iana: true },
  // RFC 6347 (DTLS)
  { code: 3, name: 'hello_verify_request', aliases: ['hello_verify_request_RESERVED'], iana: true },
  { code: 4, name: 'new_session_ticket', iana: true },
  { code: 5, name: 'end_of_early_data', iana: true },
  // TLS 1.3 drafts sent HelloRetryRequest as its own message; RFC 8446 made it a ServerHello
  { code: 6, name: 'hello_retry_request_RESERVED', aliases: ['hello_retry_request'], iana: true },
  { code: 8, name: 'encrypted_extensions', iana: true },
  // RFC 9147 (DTLS 1.3)
  { code: 9, name: 'request_connection_id', iana: true },
  { code: 10, name: 'new_connection_id', iana: true },
  { code: 11, name: 'certificate', iana: true },
  { code: 12, name: 'server_key_exchange', aliases: ['server_key_exchange_RESERVED'], iana: true },
  { code: 13, name: 'certificate_request', iana: true },
  { code: 14, name: 'server_hello_done', aliases: ['server_hello_done_RESERVED'], iana: true },
  { code: 15, name: 'certificate_verify', iana: true },
  { code: 16, name: 'client_key_exchange', aliases: ['client_key_exchange_RESERVED'], iana: true },
  // RFC 9261 (exported authenticators)
  { code: 17, name: 'client_certificate_request', iana: true },
  { code: 20, name: 'finished', iana: true },
  // RFC 6066
  { code: 21, name: 'certificate_url', iana: true },
  { code: 22, name: 'certificate_status', iana: true },
  // RFC 4680
  { code: 23, name: 'supplemental_data', iana: true },
  { code: 24, name: 'key_update', iana: true },
  // RFC 8879
  { code: 25, name: 'compressed_certificate', iana: true },
  // RFC 8870
  { code: 26, name: 'ekt_key', iana: true },
  // draft-agl-tls-nextprotoneg
  { code: 67, name: 'next_protocol', iana: false },
  // draft-balfanz-tls-channelid (BoringSSL SSL3_MT_CHANNEL_ID)
  { code: 203, name: 'channel_id', iana: false },
  // RFC 8446 §4.4.1: the synthetic message that replaces ClientHello1 in the transcript after HRR
  { code: 254, name: 'message_hash', iana: true },
] as const;
type _CheckHandshakeTypeTable = Satisfies<typeof HANDSHAKE_TYPE_TABLE, readonly RegistryEntry[]>;

/**
 * Handshake type codes by name.
 * @example HANDSHAKE_TYPE.client_hello // 1
 */
export const HANDSHAKE_TYPE: CodesByName<typeof HANDSHAKE_TYPE_TABLE> = codesByName(HANDSHAKE_TYPE_TABLE);
