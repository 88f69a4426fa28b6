/**
 * `satisfies` as a type, for exported `as const` tables: `isolatedDeclarations` cannot type an
 * exported `X = [...] as const satisfies T`, so a table is exported `as const` and checked with
 * `type _Check = Satisfies<typeof X, T>` beside it. Emits nothing.
 */

type AllKeys<S> = S extends unknown ? keyof S : never;
type FieldOf<S, K> = S extends unknown ? (K extends keyof S ? S[K] : never) : never;
type ElementOf<S> = S extends readonly (infer E)[] ? E : never;

/** Paths (`[].alias`, `.record.extra`) of the fields of `T` that no member of `S` has. */
type UnknownFields<T, S, P extends string = ''> = T extends readonly unknown[]
  ? UnknownFields<T[number], ElementOf<S>, `${P}[]`>
  : T extends object
    ? {
        [K in keyof T & (string | number)]-?: K extends AllKeys<Extract<S, object>>
          ? UnknownFields<T[K], FieldOf<Extract<S, object>, K>, `${P}.${K}`>
          : `${P}.${K}`;
      }[keyof T & (string | number)]
    : never;

type NoUnknownFields<T, S> = [UnknownFields<T, S>] extends [never]
  ? unknown
  : { readonly unknownFields: UnknownFields<T, S> };

/**
 * `T` when it is assignable to `S` and has no field `S` lacks, at any depth (what
 * `satisfies` checks of an object literal); otherwise a compile error that names the field.
 * @example
 * export const NAME_TYPES = [{ code: 0, name: 'host_name', iana: true }] as const;
 * type _Check = Satisfies<typeof NAME_TYPES, readonly RegistryEntry[]>;
 */
export type Satisfies<T extends S & NoUnknownFields<T, S>, S> = T;
