/**
 * What `validateClientHello` reports: one problem per broken rule, with a stable rule id,
 * the field it is about and the RFC section it comes from.
 */

/** `error`: the hello breaks a MUST (a strict peer may refuse it); `warning`: a SHOULD or interop advice. */
export type LintSeverity = 'error' | 'warning';

/** The stable rule ids (docs/lint.md lists each with its RFC section). */
export type LintRuleId =
  | 'record_version'
  | 'record_overflow'
  | 'record_empty'
  | 'length_mismatch'
  | 'empty_list'
  | 'session_id_too_long'
  | 'legacy_version_not_tls12'
  | 'obsolete_version'
  | 'compression_not_null'
  | 'compression_offered'
  | 'suite_version_mismatch'
  | 'suite_unusable'
  | 'tls13_without_supported_versions'
  | 'tls13_without_signature_algorithms'
  | 'tls13_without_key_share_or_psk'
  | 'key_share_without_supported_groups'
  | 'key_share_not_in_groups'
  | 'key_share_order'
  | 'key_share_duplicate_group'
  | 'key_share_size'
  | 'duplicate_extension'
  | 'extension_not_allowed'
  | 'psk_not_last'
  | 'psk_without_modes'
  | 'psk_binders_mismatch'
  | 'early_data_without_psk'
  | 'sni_not_hostname'
  | 'sni_ip_literal'
  | 'sni_multiple_names'
  | 'sni_unknown_name_type'
  | 'alpn_empty_protocol'
  | 'grease_misplaced'
  | 'padding_nonzero'
  | 'ec_point_formats_without_uncompressed'
  | 'ecc_suites_without_supported_groups'
  | 'extended_master_secret_missing'
  | 'renegotiation_info_missing'
  | 'ech_without_tls13'
  | 'ech_outer_extensions_in_outer'
  | 'invalid_value';

/**
 * One broken rule. `path` names the field (`client_hello.extensions.key_share.client_shares[1].group`,
 * extensions by their registry name), so a caller can tell which part of the hello it is about.
 */
export interface LintProblem {
  readonly rule: LintRuleId;
  readonly severity: LintSeverity;
  readonly path: string;
  readonly message: string;
  /** The section that states the rule, e.g. `RFC 8446 §4.2.8`. */
  readonly rfc: string;
}

/** Options for `validateClientHello`. */
export interface ValidateOptions {
  /**
   * The hello answers a HelloRetryRequest: its records must carry legacy_record_version
   * 0x0303 (RFC 8446 §5.1 allows 0x0301 only in an initial ClientHello).
   */
  readonly afterHelloRetryRequest?: boolean;
}
