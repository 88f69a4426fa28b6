/** TLS Certificate Compression Algorithm IDs (IANA, RFC 8879): the values of compress_certificate. */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** Every certificate compression algorithm IANA assigned. */
export const CERTIFICATE_COMPRESSION_ALGORITHMS = [
  { code: 1, name: 'zlib', iana: true },
  { code: 2, name: 'brotli', iana: true },
  { code: 3, name: 'zstd', iana: true },
] as const;
type _CheckCertificateCompressionAlgorithms = Satisfies<
  typeof CERTIFICATE_COMPRESSION_ALGORITHMS,
  readonly RegistryEntry[]
>;

/**
 * Certificate compression algorithm codes by name.
 * @example CERTIFICATE_COMPRESSION_ALGORITHM.brotli // 2
 */
export const CERTIFICATE_COMPRESSION_ALGORITHM: CodesByName<typeof CERTIFICATE_COMPRESSION_ALGORITHMS> =
  codesByName(CERTIFICATE_COMPRESSION_ALGORITHMS);
