/**
 * Broken hellos get problems, not exceptions: every prefix of a real hello and random byte
 * changes to it lint to a list of problems (or, when the bytes stop looking like a
 * ClientHello at all, a DecodeError) — never another exception.
 */
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { expect, it } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { validateClientHello } from '../../src/lint/index.ts';

const hello = new Uint8Array(readFileSync('fixtures/clients/firefox-sni.bin'));

it('every cut-short prefix that keeps the record header and message type is a length_mismatch, never a throw', () => {
  for (let n = 6; n < hello.length; n++) {
    const problems = validateClientHello(hello.subarray(0, n));
    expect(
      problems.some((p) => p.rule === 'length_mismatch'),
      `prefix ${n}`,
    ).toBe(true);
  }
});

test.prop([fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })], {
  numRuns: 300,
})('changed bytes give problems or a DecodeError, nothing else', (changes) => {
  const bytes = hello.slice();
  for (const [at, value] of changes) bytes[at % bytes.length] = value;
  try {
    const problems = validateClientHello(bytes);
    for (const p of problems) expect(p.path).toMatch(/^(record|client_hello)(\.|$)/);
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
  }
});
