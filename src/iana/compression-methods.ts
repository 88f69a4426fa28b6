/** TLS Compression Method Identifiers (IANA): legacy_compression_methods. */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** Every compression method IANA assigned. TLS 1.3 allows only `null` (RFC 8446 §4.1.2). */
export const COMPRESSION_METHODS = [
  { code: 0, name: 'null', iana: true },
  // RFC 3749; CRIME (2012) ended its use
  { code: 1, name: 'DEFLATE', iana: true },
  // RFC 3943
  { code: 64, name: 'LZS', iana: true },
] as const;
type _CheckCompressionMethods = Satisfies<typeof COMPRESSION_METHODS, readonly RegistryEntry[]>;

/**
 * Compression method codes by name.
 * @example COMPRESSION_METHOD.null // 0
 */
export const COMPRESSION_METHOD: CodesByName<typeof COMPRESSION_METHODS> = codesByName(COMPRESSION_METHODS);
