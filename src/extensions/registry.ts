import type { ExtensionCodec } from './types.ts';

/**
 * The extension registry: one row per extension type that hellokit decodes into a typed
 * value. Adding an extension is adding one row here (BoringSSL's kExtensions, as data).
 * Types without a row stay `{ type, body }`.
 */
// biome-ignore lint/suspicious/noExplicitAny: rows carry different value types
export const EXTENSION_CODECS: readonly ExtensionCodec<any>[] = [];

// biome-ignore lint/suspicious/noExplicitAny: see above
const BY_TYPE: ReadonlyMap<number, ExtensionCodec<any>> = new Map(EXTENSION_CODECS.map((c) => [c.type, c]));
// biome-ignore lint/suspicious/noExplicitAny: see above
const BY_NAME: ReadonlyMap<string, ExtensionCodec<any>> = new Map(EXTENSION_CODECS.map((c) => [c.name, c]));

/** The codec for an extension type, if hellokit decodes it. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export function codecForType(type: number): ExtensionCodec<any> | undefined {
  return BY_TYPE.get(type);
}

/** The codec for an extension name (IANA spelling), if hellokit decodes it. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export function codecForName(name: string): ExtensionCodec<any> | undefined {
  return BY_NAME.get(name);
}
