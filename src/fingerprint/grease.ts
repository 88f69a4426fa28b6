/**
 * GREASE for fingerprints: the RFC 8701 values come from the IANA layer; fingerprints drop
 * them so a client that picks fresh GREASE values on every connection keeps one fingerprint.
 */
import { isGrease } from '../iana/grease.ts';

export { GREASE_VALUES, isGrease, isGreaseU16 } from '../iana/grease.ts';

/** The values of `list` that are not GREASE, in order. */
export function withoutGrease(list: readonly number[]): number[] {
  return list.filter((v) => !isGrease(v));
}
