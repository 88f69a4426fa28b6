import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clientHelloArb,
  clientHelloFieldMap,
  MUTATORS,
  type Mutation,
  mutate,
  mutationArb,
  mutatorById,
} from '../../src/arbitraries/index.ts';
import { DecodeError } from '../../src/bytes/errors.ts';
import {
  encodeClientHello,
  encodeClientHelloMessage,
  parseClientHello,
} from '../../src/handshake/client-hello.ts';
import type { ClientHello } from '../../src/handshake/types.ts';

const dir = join(import.meta.dirname, '../../fixtures/clients');
const FIXTURES: Uint8Array[] = readdirSync(dir)
  .filter((f) => f.endsWith('.bin'))
  .sort()
  .map((f) => new Uint8Array(readFileSync(join(dir, f))));
const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7];

function strict(bytes: Uint8Array): ClientHello | DecodeError {
  try {
    return parseClientHello(bytes);
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
}

/** Checks a mutation against what it claims: a strict parse rejects or accepts as said, and nothing but DecodeError escapes. */
function checkClaim(m: Mutation): ClientHello | DecodeError {
  const result = strict(m.bytes);
  if (m.expect === 'reject') {
    expect(result, m.description).toBeInstanceOf(DecodeError);
    if (m.codes) expect(m.codes, m.description).toContain((result as DecodeError).code);
  }
  if (m.expect === 'accept') expect(result, m.description).not.toBeInstanceOf(DecodeError);
  return result;
}

function eachCase(id: string, fn: (hello: Uint8Array, m: Mutation) => void): void {
  let applied = 0;
  for (const hello of FIXTURES) {
    if (!mutatorById(id).applies(hello)) continue;
    for (const seed of SEEDS) {
      const m = mutate(hello, id, seed);
      expect(m.id).toBe(id);
      checkClaim(m);
      fn(hello, m);
      applied++;
    }
  }
  expect(applied, `${id} applied to no fixture`).toBeGreaterThan(0);
}

const ext = (h: ClientHello) => (h.extensions ?? []).map((e) => e.type);

describe('mutators', () => {
  it('the table has unique ids and a description for each', () => {
    expect(new Set(MUTATORS.map((m) => m.id)).size).toBe(MUTATORS.length);
    for (const m of MUTATORS) expect(m.description.length).toBeGreaterThan(10);
  });

  it('are deterministic for a seed', () => {
    for (const m of MUTATORS) {
      if (!m.applies(FIXTURES[0])) continue;
      expect(mutate(FIXTURES[0], m.id, 'x').bytes).toEqual(mutate(FIXTURES[0], m.id, 'x').bytes);
    }
  });

  it('reject input that is not a valid ClientHello with a TypeError', () => {
    expect(() => mutate(Uint8Array.of(22, 3, 1, 0, 1, 1), 'truncate', 1)).toThrow(TypeError);
  });

  it('truncate: the bytes are a strict prefix and strict parsing says truncated', () => {
    eachCase('truncate', (hello, m) => {
      expect(m.bytes.length).toBeLessThan(hello.length);
      expect(m.bytes).toEqual(hello.subarray(0, m.bytes.length));
    });
  });

  for (const target of [
    'record',
    'handshake',
    'legacy_session_id',
    'cipher_suites',
    'legacy_compression_methods',
    'extensions',
    'extension_data',
    'inner',
  ]) {
    for (const direction of ['longer', 'shorter'] as const) {
      const id = `length-${direction}:${target}`;
      it(`${id}: exactly one length field changes, in the stated direction`, () => {
        eachCase(id, (hello, m) => {
          expect(m.bytes.length).toBe(hello.length);
          const diff: number[] = [];
          for (let i = 0; i < hello.length; i++) if (hello[i] !== m.bytes[i]) diff.push(i);
          expect(diff.length).toBeGreaterThan(0);
          expect(diff.at(-1)! - diff[0]).toBeLessThan(3);
          const match = / length (\d+) → (\d+)/.exec(m.description)!;
          const [before, after] = [Number(match[1]), Number(match[2])];
          if (direction === 'longer') expect(after).toBeGreaterThan(before);
          else expect(after).toBeLessThan(before);
          if (target === 'inner') expect(m.field).toMatch(/extensions\[\d+\]\.[a-z_]+\./);
          else if (target === 'record') expect(m.field).toMatch(/^record\[\d+\]\.length$/);
          else if (target === 'handshake') expect(m.field).toBe('client_hello.length');
          else if (target === 'extension_data') expect(m.field).toMatch(/extension_data$/);
          else expect(m.field).toBe(`client_hello.${target}`);
        });
      });
    }
  }

  it('length-longer:inner on server_name reaches host_name and server_name_list', () => {
    const sni = FIXTURES.find((h) => ext(parseClientHello(h)).includes(0))!;
    const fields = new Set(
      Array.from({ length: 200 }, (_, s) => mutate(sni, 'length-longer:inner', s).field),
    );
    expect([...fields].some((f) => f?.endsWith('server_name.server_name_list'))).toBe(true);
    expect([...fields].some((f) => f?.endsWith('.host_name'))).toBe(true);
  });

  it('duplicate-extension: strict parsing says duplicate, and the extension appears twice', () => {
    eachCase('duplicate-extension', (_hello, m) => {
      const lenient = parseClientHello(m.bytes, { strict: false });
      const types = ext(lenient);
      expect(new Set(types).size).toBe(types.length - 1);
    });
  });

  it('remove-extension: parses, with one extension fewer and the rest in order', () => {
    eachCase('remove-extension', (hello, m) => {
      const before = ext(parseClientHello(hello));
      const after = ext(parseClientHello(m.bytes));
      expect(after.length).toBe(before.length - 1);
      const i = Number(/extensions\[(\d+)\]/.exec(m.description)![1]);
      expect(after).toEqual(before.filter((_, k) => k !== i));
    });
  });

  it('reorder-extensions: parses, with the same extensions in another order', () => {
    eachCase('reorder-extensions', (hello, m) => {
      const before = ext(parseClientHello(hello));
      const after = ext(parseClientHello(m.bytes));
      expect(after).not.toEqual(before);
      expect([...after].sort()).toEqual([...before].sort());
    });
  });

  it('flip-bytes: only bytes inside the named field change', () => {
    eachCase('flip-bytes', (hello, m) => {
      const h = parseClientHello(hello);
      const message = encodeClientHelloMessage(h);
      const field = clientHelloFieldMap(message).fields.find((f) => f.path === m.field)!;
      const flipped = [...m.description.matchAll(/(\d+)\^0x/g)].map((x) => Number(x[1]));
      for (const at of flipped) {
        expect(at).toBeGreaterThanOrEqual(field.start);
        expect(at).toBeLessThan(field.end);
      }
      expect(m.bytes.length).toBe(hello.length);
    });
  });

  it('swap-field: parses, with the named field taken from the donor', () => {
    const donor = FIXTURES[FIXTURES.length - 1];
    for (const hello of FIXTURES.slice(0, 4)) {
      for (const seed of SEEDS) {
        const m = mutatorById('swap-field').apply(hello, seededBytes(seed), { donor });
        const h = checkClaim(m) as ClientHello;
        const d = parseClientHello(donor);
        if (m.field === 'client_hello.cipher_suites') expect(h.cipherSuites).toEqual(d.cipherSuites);
        if (m.field === 'client_hello.random') expect(h.random).toEqual(d.random);
        if (m.field === 'client_hello.extensions') expect(ext(h)).toEqual(ext(d));
      }
    }
    eachCase('swap-field', () => {});
  });

  it('swap-server-hello-extensions: strict parsing rejects the ServerHello-form bodies', () => {
    eachCase('swap-server-hello-extensions', (_hello, m) => {
      expect(m.expect).toBe('reject');
      const lenient = parseClientHello(m.bytes, { strict: false });
      expect(ext(lenient)).toEqual([43, 51]);
    });
  });

  it('split-records: parses to the same hello over the records stated', () => {
    eachCase('split-records', (hello, m) => {
      const h = parseClientHello(m.bytes);
      const points = /\[([\d, ]+)\]/.exec(m.description)![1].split(', ').map(Number);
      expect(h.record?.fragments?.length).toBe(points.length + 1);
      expect(encodeClientHelloMessage(h)).toEqual(encodeClientHelloMessage(parseClientHello(hello)));
    });
    const m = mutatorById('split-records').apply(FIXTURES[0], seededBytes(0), { points: [1, 4] });
    expect(parseClientHello(m.bytes).record?.fragments?.slice(0, 2)).toEqual([1, 3]);
  });

  it('split-writes: bytes unchanged, write points inside them', () => {
    eachCase('split-writes', (hello, m) => {
      expect(m.bytes).toEqual(hello);
      expect(m.writes!.length).toBeGreaterThan(0);
      for (const w of m.writes!) expect(w > 0 && w < hello.length).toBe(true);
    });
  });

  it('record-type: strict parsing rejects the retyped record', () => {
    eachCase('record-type', (hello, m) => {
      const at = Number(/at byte (\d+)/.exec(m.description)![1]);
      expect(m.bytes[at]).not.toBe(hello[at]);
    });
  });

  it('record-version: parses, with the record version changed', () => {
    eachCase('record-version', (hello, m) => {
      const h = parseClientHello(m.bytes);
      const before = parseClientHello(hello).record!;
      expect([h.record!.version, ...(h.record!.versions ?? [])]).not.toEqual([
        before.version,
        ...(before.versions ?? []),
      ]);
    });
  });

  it('handshake-type: strict parsing says unexpected-message', () => {
    eachCase('handshake-type', () => {});
  });

  it('legacy-version: parses, with legacy_version changed', () => {
    eachCase('legacy-version', (hello, m) => {
      expect(parseClientHello(m.bytes).legacyVersion).not.toBe(parseClientHello(hello).legacyVersion);
    });
  });

  it('every mutator is covered by a test above', () => {
    const tested = new Set([
      'truncate',
      'duplicate-extension',
      'remove-extension',
      'reorder-extensions',
      'flip-bytes',
      'swap-field',
      'swap-server-hello-extensions',
      'split-records',
      'split-writes',
      'record-type',
      'record-version',
      'handshake-type',
      'legacy-version',
    ]);
    for (const m of MUTATORS) if (!m.id.startsWith('length-')) expect(tested).toContain(m.id);
  });

  it('mutationArb over arbitrary hellos: every claim holds and the seed replays the case', () => {
    fc.assert(
      fc.property(
        clientHelloArb().chain((hello) => fc.tuple(fc.constant(hello), mutationArb(hello))),
        ([hello, m]) => {
          checkClaim(m);
          expect(mutate(hello, m.id, m.seed).bytes).toEqual(m.bytes);
          expect(encodeClientHello(hello).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

function seededBytes(seed: number) {
  let x = seed * 2654435761 + 1;
  return (n: number) =>
    Uint8Array.from({ length: n }, () => {
      x = (x * 1103515245 + 12345) >>> 0;
      return x >>> 24;
    });
}
