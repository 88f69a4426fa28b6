import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { toHex } from '../../src/bytes/hex.ts';
import { EXTENSION_CODECS } from '../../src/extensions/registry.ts';
import type { ExtensionCodec, MessageContext } from '../../src/extensions/types.ts';
import { FORMS } from './forms.ts';
import { decodeWith, encodeWith } from './helpers.ts';

const CONTEXTS: readonly MessageContext[] = [
  'client_hello',
  'server_hello',
  'hello_retry_request',
  'encrypted_extensions',
  'certificate',
  'certificate_request',
  'new_session_ticket',
];

/** Decodes `body` (strict or lenient): either a DecodeError, or a value that re-encodes to `body`. */
function expectDecodeErrorOrRoundTrip(
  codec: ExtensionCodec<unknown>,
  body: Uint8Array,
  context: MessageContext,
  strict: boolean,
): void {
  let value: unknown;
  try {
    value = decodeWith(codec, body, context, strict).value;
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return;
  }
  expect(toHex(encodeWith(codec, value, context))).toBe(toHex(body));
}

/** A byte array with one byte changed (a realistic mutation of a valid body). */
function mutate(body: Uint8Array, at: number, byte: number): Uint8Array {
  const out = body.slice();
  if (out.length > 0) out[at % out.length] = byte;
  return out;
}

it('covers every registry row with at least one form', () => {
  const covered = new Set(FORMS.map((f) => f.name));
  expect(EXTENSION_CODECS.map((c) => c.name).filter((n) => !covered.has(n))).toEqual([]);
});

for (const f of FORMS) {
  describe(`${f.name} in ${f.context}`, () => {
    test.prop([f.value])('value → encode → decode gives the value back', (value) => {
      const body = encodeWith(f.codec, value, f.context);
      expect(decodeWith(f.codec, body, f.context).value).toEqual(value);
    });

    test.prop([f.value])('bytes → decode → encode gives the bytes back', (value) => {
      const body = encodeWith(f.codec, value, f.context);
      const again = encodeWith(f.codec, decodeWith(f.codec, body, f.context).value, f.context);
      expect(toHex(again)).toBe(toHex(body));
    });

    if (f.selfDelimiting) {
      test.prop([f.value])('every strict prefix of a body fails as truncated', (value) => {
        const body = encodeWith(f.codec, value, f.context);
        for (let n = 0; n < body.length; n++) {
          let error: unknown;
          try {
            decodeWith(f.codec, body.subarray(0, n), f.context);
          } catch (e) {
            error = e;
          }
          expect(error, `prefix of ${n}/${body.length} bytes`).toBeInstanceOf(DecodeError);
          expect((error as DecodeError).code, `prefix of ${n}/${body.length} bytes`).toBe('truncated');
        }
      });
    }

    test.prop([f.value, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()])(
      'a body with one byte changed decodes to a value that re-encodes to it, or throws DecodeError',
      (value, at, byte, strict) => {
        const body = mutate(encodeWith(f.codec, value, f.context), at, byte);
        expectDecodeErrorOrRoundTrip(f.codec, body, f.context, strict);
      },
    );
  });
}

describe('random bytes in every message, allowed or not', () => {
  for (const codec of EXTENSION_CODECS) {
    test.prop([fc.constantFrom(...CONTEXTS), fc.uint8Array({ maxLength: 48 }), fc.boolean()])(
      `${codec.name}: throw nothing but DecodeError, and what decodes re-encodes identically`,
      (context, body, strict) => {
        expectDecodeErrorOrRoundTrip(codec, body, context, strict);
      },
    );
  }
});

describe('bodies without an outer length', () => {
  it('decode a prefix as a shorter value instead of failing (documented exception to the truncation rule)', () => {
    const ticket = EXTENSION_CODECS.find((c) => c.name === 'session_ticket')!;
    expect(decodeWith(ticket, new Uint8Array([1, 2, 3]).subarray(0, 2), 'client_hello').value).toEqual({
      ticket: new Uint8Array([1, 2]),
    });
  });
});
