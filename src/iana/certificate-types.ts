/**
 * The two certificate-type registries: TLS Certificate Types (cert_type,
 * client_certificate_type, server_certificate_type; RFC 6091, RFC 7250) and
 * TLS ClientCertificateType Identifiers (certificate_types of a TLS 1.2 CertificateRequest).
 */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** Every certificate type IANA assigned (RFC 6091, RFC 7250, RFC 8902). */
export const CERTIFICATE_TYPES = [
  { code: 0, name: 'X509', iana: true },
  { code: 1, name: 'OpenPGP', iana: true },
  { code: 2, name: 'RawPublicKey', iana: true },
  { code: 3, name: '1609Dot2', iana: true },
] as const;
type _CheckCertificateTypes = Satisfies<typeof CERTIFICATE_TYPES, readonly RegistryEntry[]>;

/**
 * Certificate type codes by name.
 * @example CERTIFICATE_TYPE.RawPublicKey // 2
 */
export const CERTIFICATE_TYPE: CodesByName<typeof CERTIFICATE_TYPES> = codesByName(CERTIFICATE_TYPES);

/** Every ClientCertificateType IANA assigned (RFC 5246, RFC 8422, RFC 9189). */
export const CLIENT_CERTIFICATE_TYPES = [
  { code: 1, name: 'rsa_sign', iana: true },
  { code: 2, name: 'dss_sign', iana: true },
  { code: 3, name: 'rsa_fixed_dh', iana: true },
  { code: 4, name: 'dss_fixed_dh', iana: true },
  { code: 5, name: 'rsa_ephemeral_dh_RESERVED', iana: true },
  { code: 6, name: 'dss_ephemeral_dh_RESERVED', iana: true },
  { code: 20, name: 'fortezza_dms_RESERVED', iana: true },
  { code: 64, name: 'ecdsa_sign', iana: true },
  { code: 65, name: 'rsa_fixed_ecdh', iana: true },
  { code: 66, name: 'ecdsa_fixed_ecdh', iana: true },
  { code: 67, name: 'gost_sign256', iana: true },
  { code: 68, name: 'gost_sign512', iana: true },
] as const;
type _CheckClientCertificateTypes = Satisfies<typeof CLIENT_CERTIFICATE_TYPES, readonly RegistryEntry[]>;

/**
 * ClientCertificateType codes by name.
 * @example CLIENT_CERTIFICATE_TYPE.ecdsa_sign // 64
 */
export const CLIENT_CERTIFICATE_TYPE: CodesByName<typeof CLIENT_CERTIFICATE_TYPES> =
  codesByName(CLIENT_CERTIFICATE_TYPES);
