/** MaxFragmentLength (RFC 6066 §4): the body of max_fragment_length. */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** One max_fragment_length value. */
export interface MaxFragmentLengthInfo extends RegistryEntry {
  /** The fragment limit it asks for, in bytes. */
  readonly bytes: number;
}

/** The four values RFC 6066 defines, named as IANA names them. */
export const MAX_FRAGMENT_LENGTHS = [
  { code: 1, name: '2^9', aliases: ['512'], bytes: 512, iana: true },
  { code: 2, name: '2^10', aliases: ['1024'], bytes: 1024, iana: true },
  { code: 3, name: '2^11', aliases: ['2048'], bytes: 2048, iana: true },
  { code: 4, name: '2^12', aliases: ['4096'], bytes: 4096, iana: true },
] as const;
type _CheckMaxFragmentLengths = Satisfies<typeof MAX_FRAGMENT_LENGTHS, readonly MaxFragmentLengthInfo[]>;

/**
 * max_fragment_length codes by name.
 * @example MAX_FRAGMENT_LENGTH['2^12'] // 4
 */
export const MAX_FRAGMENT_LENGTH: CodesByName<typeof MAX_FRAGMENT_LENGTHS> =
  codesByName(MAX_FRAGMENT_LENGTHS);
