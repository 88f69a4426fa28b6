/** TLS EC Point Formats (IANA): the values of ec_point_formats. */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** Every EC point format IANA assigned; RFC 8422 deprecates all but `uncompressed`. */
export const EC_POINT_FORMATS = [
  { code: 0, name: 'uncompressed', iana: true },
  { code: 1, name: 'ansiX962_compressed_prime', iana: true },
  { code: 2, name: 'ansiX962_compressed_char2', iana: true },
] as const;
type _CheckEcPointFormats = Satisfies<typeof EC_POINT_FORMATS, readonly RegistryEntry[]>;

/**
 * EC point format codes by name.
 * @example EC_POINT_FORMAT.uncompressed // 0
 */
export const EC_POINT_FORMAT: CodesByName<typeof EC_POINT_FORMATS> = codesByName(EC_POINT_FORMATS);
