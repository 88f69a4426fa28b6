import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

/** padding (RFC 7685): how many bytes, and the bytes themselves only when they are not all zero. */
export interface Padding {
  /** Length of the body. */
  readonly length: number;
  /** The body, kept only when some byte is not zero (so it re-encodes as received). */
  readonly bytes?: Uint8Array;
}

/**
 * padding (21), RFC 7685, ClientHello only. The body "MUST be filled completely with zero
 * bytes" (§3); a non-zero byte is a problem (`illegal_parameter`; the RFC names no
 * alert and most servers ignore the contents), collected in lenient mode.
 */
export const paddingCodec: ExtensionCodec<Padding> = {
  type: 21,
  name: 'padding',
  allowedIn: ['client_hello'],
  decode(r: Reader): Padding {
    const at = r.pos;
    const body = r.rest();
    // A plain loop: findIndex calls a closure per byte, and Chrome pads to hundreds of bytes.
    let nonZero = 0;
    while (nonZero < body.length && body[nonZero] === 0) nonZero++;
    if (nonZero === body.length) return { length: body.length };
    r.problem('illegal-value', `padding byte ${nonZero} is not zero (RFC 7685 §3)`, { at: at + nonZero });
    return { length: body.length, bytes: body };
  },
  encode(w: Writer, value: Padding): void {
    if (value.bytes !== undefined) {
      if (value.bytes.length !== value.length) {
        throw new TypeError(`"padding" has length ${value.length} but ${value.bytes.length} bytes; drop one`);
      }
      w.bytes(value.bytes);
    } else {
      if (!Number.isInteger(value.length) || value.length < 0 || value.length > 0xffff) {
        throw new RangeError(`"padding.length" expected an integer 0..65535, got ${value.length}`);
      }
      w.bytes(new Uint8Array(value.length));
    }
  },
};
