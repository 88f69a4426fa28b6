import { DecodeError } from '../bytes/errors.ts';
import type { Reader } from '../bytes/reader.ts';
import { Writer } from '../bytes/writer.ts';
import { SeenCodes } from './common.ts';
import { codecForName, codecForType } from './registry.ts';
import type { Extension, ExtensionCodec, MessageContext } from './types.ts';

const PRE_SHARED_KEY = 41;

/**
 * Reads an extensions block (`Extension extensions<0..2^16-1>`) for `context`.
 * Strict mode rejects duplicates (RFC 8446 §4.2), extensions not allowed in the message,
 * pre_shared_key anywhere but last in a ClientHello (§4.2.11), and bodies that do not
 * decode or have bytes left over. Lenient mode records those and keeps the raw body.
 */
export function decodeExtensions(r: Reader, context: MessageContext): Extension[] {
  // The block and each body are read through `r` narrowed to them (openVector), with no
  // sub-reader each; pushPath/popPath rather than `enter`, as a closure per extension was a
  // large share of a ClientHello decode. The paths are the same.
  const outerEnd = r.openVector(2, 'extensions');
  const out: Extension[] = [];
  const seen = new SeenCodes();
  r.pushPath('extensions');
  try {
    for (let i = 0; !r.atEnd; i++) {
      r.pushPath(i);
      try {
        out.push(decodeExtension(r, context, seen));
      } finally {
        r.popPath();
      }
    }
  } finally {
    r.popPath();
    r.closeVector(outerEnd);
  }
  return out;
}

/** One extension at `r`'s position; the path ends in the extension's index. */
function decodeExtension(r: Reader, context: MessageContext, seen: SeenCodes): Extension {
  const start = r.pos;
  const type = r.u16('extension_type');
  const blockEnd = r.openVector(2, 'extension_data');
  try {
    const body = r.view(r.pos, r.end);
    if (!seen.add(type))
      r.problem('duplicate', `extension type ${type} appears more than once`, { at: start });
    const codec = codecForType(type);
    if (!codec) return { type, body };
    // `field: codec.name` gives these the path `extensions[i].<name>`.
    if (!codec.allowedIn.includes(context)) {
      r.problem('misplaced', `${codec.name} is not allowed in ${context}`, {
        at: start,
        field: codec.name,
      });
    }
    if (context === 'client_hello' && type === PRE_SHARED_KEY && r.end < blockEnd) {
      r.problem('misplaced', 'pre_shared_key must be the last extension (RFC 8446 §4.2.11)', {
        at: start,
        alert: 'illegal_parameter',
        field: codec.name,
      });
    }
    return decodeBody(r, codec, body, context);
  } finally {
    r.closeVector(blockEnd);
  }
}

/** The extension whose body `r` is narrowed to; lenient mode keeps a body that does not decode. */
function decodeBody(r: Reader, codec: ExtensionCodec, body: Uint8Array, context: MessageContext): Extension {
  try {
    r.pushPath(codec.name);
    let value: unknown;
    try {
      value = codec.decode(r, context);
      r.done();
    } finally {
      r.popPath();
    }
    return { type: codec.type, body, value };
  } catch (e) {
    if (r.strict || !(e instanceof DecodeError)) throw e;
    r.problems.push(e);
    return { type: codec.type, body };
  }
}

/** Writes an extensions block. `lengthOverride` forges the block's length field. */
export function encodeExtensions(w: Writer, extensions: readonly Extension[], lengthOverride?: number): void {
  w.prefixed(
    2,
    'extensions',
    (w) => {
      for (const ext of extensions) {
        w.u16(ext.type, 'extension_type');
        w.vector(2, 'extension_data', ext.body, ext.lengthOverride);
      }
    },
    lengthOverride,
  );
}

/**
 * extension_data for `value`, written by the registry row `codec`: the one writer of every
 * extension body (the builder, the probe's second hello and the arbitraries all come here).
 * @example encodeBody(keyShareCodec, { clientShares: [] }) // 00 00
 */
export function encodeBody<V>(
  codec: ExtensionCodec<V>,
  value: V,
  context: MessageContext = 'client_hello',
): Uint8Array {
  const w = new Writer(64);
  codec.encode(w, value, context);
  return w.finish();
}

/** An extension from a name or code and a typed value, its body encoded by the registry. */
export function makeExtension<V>(
  nameOrType: string | number,
  value: V,
  context: MessageContext = 'client_hello',
): Extension<V> {
  const codec = typeof nameOrType === 'number' ? codecForType(nameOrType) : codecForName(nameOrType);
  if (!codec)
    throw new TypeError(
      `no typed codec for extension ${JSON.stringify(nameOrType)}; pass a raw body instead`,
    );
  return { type: codec.type, body: encodeBody(codec, value, context), value };
}
