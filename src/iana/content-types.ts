/** TLS ContentType (IANA): the type byte of every record. */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** Every record content type IANA assigned. */
export const CONTENT_TYPE_TABLE = [
  { code: 20, name: 'change_cipher_spec', iana: true },
  { code: 21, name: 'alert', iana: true },
  { code: 22, name: 'handshake', iana: true },
  { code: 23, name: 'application_data', iana: true },
  // RFC 6520
  { code: 24, name: 'heartbeat', iana: true },
  // RFC 9146: DTLS 1.2 records with a connection ID
  { code: 25, name: 'tls12_cid', iana: true },
  // RFC 9147: DTLS 1.3
  { code: 26, name: 'ACK', iana: true },
  // draft-ietf-tls-dtls-rrc
  { code: 27, name: 'return_routability_check', iana: true },
] as const;
type _CheckContentTypeTable = Satisfies<typeof CONTENT_TYPE_TABLE, readonly RegistryEntry[]>;

/**
 * Content type codes by name.
 * @example CONTENT_TYPE.handshake // 22
 */
export const CONTENT_TYPE: CodesByName<typeof CONTENT_TYPE_TABLE> = codesByName(CONTENT_TYPE_TABLE);
