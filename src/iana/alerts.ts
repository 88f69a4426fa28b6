/** TLS Alerts (IANA "TLS Alerts") and the two alert levels. */
import type { DecodeAlert } from '../bytes/errors.ts';
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** One alert description. */
export type AlertInfo = RegistryEntry;

/**
 * Every alert description IANA assigned. Descriptions RFC 8446 retired keep their IANA name
 * (`no_renegotiation`), and RFC 8446's `_RESERVED` spelling is an alias.
 */
export const ALERT_DESCRIPTIONS = [
  { code: 0, name: 'close_notify', iana: true },
  { code: 10, name: 'unexpected_message', iana: true },
  { code: 20, name: 'bad_record_mac', iana: true },
  { code: 21, name: 'decryption_failed', aliases: ['decryption_failed_RESERVED'], iana: true },
  { code: 22, name: 'record_overflow', iana: true },
  { code: 30, name: 'decompression_failure', aliases: ['decompression_failure_RESERVED'], iana: true },
  { code: 40, name: 'handshake_failure', iana: true },
  { code: 41, name: 'no_certificate', aliases: ['no_certificate_RESERVED'], iana: true },
  { code: 42, name: 'bad_certificate', iana: true },
  { code: 43, name: 'unsupported_certificate', iana: true },
  { code: 44, name: 'certificate_revoked', iana: true },
  { code: 45, name: 'certificate_expired', iana: true },
  { code: 46, name: 'certificate_unknown', iana: true },
  { code: 47, name: 'illegal_parameter', iana: true },
  { code: 48, name: 'unknown_ca', iana: true },
  { code: 49, name: 'access_denied', iana: true },
  { code: 50, name: 'decode_error', iana: true },
  { code: 51, name: 'decrypt_error', iana: true },
  // RFC 9146
  { code: 52, name: 'too_many_cids_requested', iana: true },
  { code: 60, name: 'export_restriction', aliases: ['export_restriction_RESERVED'], iana: true },
  { code: 70, name: 'protocol_version', iana: true },
  { code: 71, name: 'insufficient_security', iana: true },
  { code: 80, name: 'internal_error', iana: true },
  // RFC 7507
  { code: 86, name: 'inappropriate_fallback', iana: true },
  { code: 90, name: 'user_canceled', iana: true },
  { code: 100, name: 'no_renegotiation', aliases: ['no_renegotiation_RESERVED'], iana: true },
  { code: 109, name: 'missing_extension', iana: true },
  { code: 110, name: 'unsupported_extension', iana: true },
  { code: 111, name: 'certificate_unobtainable', aliases: ['certificate_unobtainable_RESERVED'], iana: true },
  { code: 112, name: 'unrecognized_name', iana: true },
  { code: 113, name: 'bad_certificate_status_response', iana: true },
  {
    code: 114,
    name: 'bad_certificate_hash_value',
    aliases: ['bad_certificate_hash_value_RESERVED'],
    iana: true,
  },
  { code: 115, name: 'unknown_psk_identity', iana: true },
  { code: 116, name: 'certificate_required', iana: true },
  // draft-ietf-tls-rfc8446bis
  { code: 117, name: 'general_error', iana: true },
  // RFC 7301
  { code: 120, name: 'no_application_protocol', iana: true },
  // Encrypted Client Hello
  { code: 121, name: 'ech_required', iana: true },
] as const;
type _CheckAlertDescriptions = Satisfies<typeof ALERT_DESCRIPTIONS, readonly AlertInfo[]>;

/** The IANA name of an alert description in the table. */
export type AlertName = (typeof ALERT_DESCRIPTIONS)[number]['name'];
// bytes/ imports nothing, so its DecodeError names its alerts without this table: the compiler
// holds those names to this table's.
type _CheckDecodeAlerts = Satisfies<DecodeAlert, AlertName>;

/**
 * Alert description codes by name.
 * @example ALERT.handshake_failure // 40
 */
export const ALERT: CodesByName<typeof ALERT_DESCRIPTIONS> = codesByName(ALERT_DESCRIPTIONS);

/** The alert levels (RFC 5246 §7.2; TLS 1.3 implies the level from the description). */
export const ALERT_LEVEL_TABLE = [
  { code: 1, name: 'warning', iana: true },
  { code: 2, name: 'fatal', iana: true },
] as const;
type _CheckAlertLevelTable = Satisfies<typeof ALERT_LEVEL_TABLE, readonly RegistryEntry[]>;

/**
 * Alert level codes by name.
 * @example ALERT_LEVEL.fatal // 2
 */
export const ALERT_LEVEL: CodesByName<typeof ALERT_LEVEL_TABLE> = codesByName(ALERT_LEVEL_TABLE);
