/** NameType (RFC 6066 §3): the type byte of each server_name entry. */
import type { RegistryEntry } from './registry-entry.ts';
import { type CodesByName, codesByName } from './registry-entry.ts';
import type { Satisfies } from './satisfies.ts';

/** The one name type RFC 6066 defines. */
export const NAME_TYPES = [{ code: 0, name: 'host_name', iana: true }] as const;
type _CheckNameTypes = Satisfies<typeof NAME_TYPES, readonly RegistryEntry[]>;

/**
 * Name type codes by name.
 * @example NAME_TYPE.host_name // 0
 */
export const NAME_TYPE: CodesByName<typeof NAME_TYPES> = codesByName(NAME_TYPES);
