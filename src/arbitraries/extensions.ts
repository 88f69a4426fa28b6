/**
 * Arbitraries of single extensions: one per typed codec in the extension registry (bodies
 * from the RFC grammars in extension-bodies.ts, values decoded by the codec), plus unknown
 * and GREASE extensions with random bodies.
 */
import fc from 'fast-check';
import { Reader } from '../bytes/reader.ts';
import { codecForName, codecForType, EXTENSION_CODECS } from '../extensions/registry.ts';
import type { Extension, MessageContext } from '../extensions/types.ts';
import { GREASE_VALUES, isGrease } from '../iana/grease.ts';
import { extensionTypeInfo, lookupExtensionType } from '../iana/lookup.ts';
import { type BodyArbitrary, extensionBodyArb } from './extension-bodies.ts';

/** Options of {@link extensionArb}. */
export interface ExtensionArbOptions {
  /** The message the extension goes in (default `client_hello`). */
  readonly context?: MessageContext;
}

/**
 * The typed value of `body` as the registry's codec reads it, or undefined when there is
 * no codec or the body does not decode.
 */
export function decodeExtensionValue(type: number, body: Uint8Array, context: MessageContext): unknown {
  const codec = codecForType(type);
  if (!codec) return undefined;
  try {
    const r = new Reader(body, { path: [codec.name] });
    const value = codec.decode(r, context);
    r.done();
    return value;
  } catch {
    return undefined;
  }
}

function withValue(type: number, body: Uint8Array, context: MessageContext): Extension {
  const value = decodeExtensionValue(type, body, context);
  return value === undefined ? { type, body } : { type, body, value };
}

function resolveType(nameOrType: string | number): number {
  if (typeof nameOrType === 'number') return nameOrType;
  return codecForName(nameOrType)?.type ?? lookupExtensionType(nameOrType);
}

/** The extension type code for a name or code (registry names, then IANA names). */
export function extensionTypeOf(nameOrType: string | number): number {
  return resolveType(nameOrType);
}

/**
 * Valid extensions of one type: a body from the RFC grammar and, when the registry has a
 * codec, the typed value the codec reads from it. A type with a codec but no grammar gets
 * bodies the codec accepts; a type with neither gets random bodies.
 * @example
 * fc.assert(fc.property(extensionArb('server_name'), (ext) => ext.body.length > 0));
 */
export function extensionArb(
  nameOrType: string | number,
  options: ExtensionArbOptions = {},
): fc.Arbitrary<Extension> {
  const context = options.context ?? 'client_hello';
  const type = resolveType(nameOrType);
  const grammar = extensionBodyArb(type, context);
  if (grammar) return grammar.map((body) => withValue(type, body, context));
  const codec = codecForType(type);
  if (codec) {
    const accepted: BodyArbitrary = fc
      .oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 1, maxLength: 8 }))
      .filter((body) => decodeExtensionValue(type, body, context) !== undefined);
    return accepted.map((body) => withValue(type, body, context));
  }
  return fc.uint8Array({ maxLength: 64 }).map((body) => ({ type, body }));
}

/**
 * An arbitrary per typed codec of the registry that is allowed in `context` and has a body
 * grammar, keyed by the codec's name.
 */
export function typedExtensionArbs(
  context: MessageContext = 'client_hello',
): Record<string, fc.Arbitrary<Extension>> {
  const out: Record<string, fc.Arbitrary<Extension>> = {};
  for (const codec of EXTENSION_CODECS) {
    if (!codec.allowedIn.includes(context) || !extensionBodyArb(codec.type, context)) continue;
    out[codec.name] = extensionArb(codec.type, { context });
  }
  return out;
}

/**
 * Extensions of a type hellokit has no codec for (and that is not GREASE), with a random
 * body: what a server must ignore.
 */
export function unknownExtensionArb(options: { maxBodyLength?: number } = {}): fc.Arbitrary<Extension> {
  const type = fc
    .integer({ min: 0, max: 0xffff })
    .filter((t) => !codecForType(t) && extensionTypeInfo(t) === undefined && !isGrease(t));
  return fc
    .record({ type, body: fc.uint8Array({ maxLength: options.maxBodyLength ?? 32 }) })
    .map(({ type, body }) => ({ type, body }));
}

/** GREASE extensions (RFC 8701): a GREASE type with an empty or random body. */
export function greaseExtensionArb(options: { maxBodyLength?: number } = {}): fc.Arbitrary<Extension> {
  return fc
    .record({
      type: fc.constantFrom(...GREASE_VALUES),
      body: fc.oneof(
        fc.constant(new Uint8Array(0)),
        fc.uint8Array({ maxLength: options.maxBodyLength ?? 4 }),
      ),
    })
    .map(({ type, body }) => ({ type, body }));
}
