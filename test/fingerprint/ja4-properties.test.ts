import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { Extension } from '../../src/extensions/types.ts';
import { GREASE_VALUES, isGrease, ja3Full, ja4, ja4_r, ja4All } from '../../src/fingerprint/index.ts';
import { hello } from './build.ts';

const code = fc.integer({ min: 0, max: 0xffff }).filter((v) => !isGrease(v));
const extension = fc.record({ type: code, body: fc.uint8Array({ maxLength: 24 }) });
const grease = fc.constantFrom(...GREASE_VALUES);

describe('JA4 properties', () => {
  test.prop([
    fc.uniqueArray(code, { maxLength: 40 }),
    fc.uniqueArray(extension, { maxLength: 20, selector: (e) => e.type }),
  ])('JA4 and JA4_r do not depend on cipher or extension order', (ciphers, extensions) => {
    const h = hello({ cipherSuites: ciphers, extensions });
    const shuffled = hello({ cipherSuites: [...ciphers].reverse(), extensions: [...extensions].reverse() });
    expect(ja4(shuffled)).toBe(ja4(h));
    expect(ja4_r(shuffled)).toBe(ja4_r(h));
  });

  test.prop([
    fc.array(code, { maxLength: 30 }),
    fc.array(extension, { maxLength: 15 }),
    fc.array(fc.tuple(fc.nat(), grease), { maxLength: 4 }),
    fc.array(fc.tuple(fc.nat(), grease), { maxLength: 4 }),
  ])(
    'inserting GREASE ciphers or extensions changes no JA4 form and no JA3',
    (ciphers, extensions, gc, ge) => {
      const greasedCiphers = [...ciphers];
      for (const [at, g] of gc) greasedCiphers.splice(at % (greasedCiphers.length + 1), 0, g);
      const greasedExtensions: Extension[] = [...extensions];
      for (const [at, g] of ge)
        greasedExtensions.splice(at % (greasedExtensions.length + 1), 0, {
          type: g,
          body: new Uint8Array(0),
        });
      const plain = hello({ cipherSuites: ciphers, extensions });
      const greased = hello({ cipherSuites: greasedCiphers, extensions: greasedExtensions });
      expect(ja4All(greased)).toEqual(ja4All(plain));
      expect(ja3Full(greased)).toBe(ja3Full(plain));
    },
  );
});
