/** What every registry table row has: the shape the generic lookup in lookup.ts reads. */
export interface RegistryEntry {
  /** The code point as sent on the wire. */
  readonly code: number;
  /** The IANA name (for values IANA never assigned, the name their implementers used). */
  readonly name: string;
  /** Other spellings a lookup accepts: OpenSSL names, older names, common shorthands. */
  readonly aliases?: readonly string[];
  /** The OpenSSL name, where it differs from `name` (cipher suites). */
  readonly openssl?: string;
  /** Whether IANA assigned the value; `false` marks values real peers use without an assignment. */
  readonly iana?: boolean;
}

/** Maps each entry's name to its code, typed per name: `codesByName(T).x25519` is `29`. */
export type CodesByName<T extends readonly RegistryEntry[]> = {
  readonly [E in T[number] as E['name']]: E['code'];
};

/**
 * Builds a name → code object from a table, for code that wants constants by name
 * (`NAMED_GROUP.x25519`) without a lookup at each use.
 */
export function codesByName<const T extends readonly RegistryEntry[]>(table: T): CodesByName<T> {
  const out: Record<string, number> = {};
  for (const e of table) out[e.name] = e.code;
  return Object.freeze(out) as CodesByName<T>;
}
