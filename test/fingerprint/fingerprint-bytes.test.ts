import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import type { AsciiText } from '../../src/fingerprint/ascii-list.ts';
import {
  type ClientFingerprints,
  clientFingerprints,
  clientFingerprintsTo,
  fingerprintMemoSize,
} from '../../src/fingerprint/client-fingerprints.ts';
import { MEMO_WINDOW, setDigestMemo } from '../../src/fingerprint/digest.ts';
import { GREASE_VALUES, ja3, ja3All, ja3Full, ja4, ja4All } from '../../src/fingerprint/index.ts';
import type { Ja4Options } from '../../src/fingerprint/ja4.ts';
import {
  encodeClientHello,
  encodeClientHelloMessage,
  parseClientHello,
} from '../../src/handshake/client-hello.ts';
import { hello } from './build.ts';

const dir = join(process.cwd(), 'fixtures', 'clients');
const captured = readdirSync(dir)
  .filter((f) => f.endsWith('.bin'))
  .map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))] as const);

const code = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }),
  fc.constantFrom(...GREASE_VALUES),
  fc.constantFrom(0x00, 0x0a, 0x0b, 0x0d, 0x10, 0x2b),
);
const extension = fc.record({ type: code, body: fc.uint8Array({ maxLength: 24 }) });

describe('fingerprints from the bytes, without a typed decode', () => {
  it.each(captured)('%s: every JA4 form and JA3 as from the parsed hello', (_, bytes) => {
    const parsed = parseClientHello(bytes);
    expect(ja4All(bytes)).toEqual(ja4All(parsed));
    expect(ja3All(bytes)).toEqual({ ja3: ja3(parsed), ja3Full: ja3Full(parsed) });
    expect(ja4(bytes, { transport: 'quic', alpnRule: 'reference' })).toBe(
      ja4(parsed, { transport: 'quic', alpnRule: 'reference' }),
    );
  });

  it('found captured hellos to read', () => {
    expect(captured.length).toBeGreaterThan(10);
  });

  test.prop([fc.array(code, { maxLength: 30 }), fc.array(extension, { maxLength: 15 })])(
    'record and bare message give what the parsed hello gives, any extension bodies',
    (cipherSuites, extensions) => {
      const h = hello({ cipherSuites, extensions });
      const expected = ja4All(h);
      expect(ja4All(encodeClientHello(h))).toEqual(expected);
      expect(ja4All(encodeClientHelloMessage(h))).toEqual(expected);
      expect(ja3All(encodeClientHello(h))).toEqual(ja3All(h));
    },
  );

  it('a hello split over two records is read too', () => {
    const [, bytes] = captured.find(([f]) => f === 'chromium-sni-1.bin')!;
    const parsed = parseClientHello(bytes);
    const message = encodeClientHelloMessage(parsed).length;
    const split = encodeClientHello({
      ...parsed,
      record: { version: 0x0301, fragments: [100, message - 100] },
    });
    expect(parseClientHello(split).record?.fragments).toBeDefined();
    expect(ja4All(split)).toEqual(ja4All(parsed));
  });

  it('lengths that do not hold together are a DecodeError naming where', () => {
    const [, bytes] = captured.find(([f]) => f === 'chromium-sni-1.bin')!;
    // The first extension's length, one more than its body: it runs into the next.
    const broken = Uint8Array.from(bytes);
    const parsed = parseClientHello(bytes);
    const extStart =
      5 + 4 + 2 + 32 + 1 + parsed.legacySessionId.length + 2 + 2 * parsed.cipherSuites.length + 2 + 2;
    broken[extStart + 3] += 1;
    expect(() => ja4(broken)).toThrow(DecodeError);
    expect(() => ja3(broken)).toThrow(DecodeError);
    expect(() => ja4(broken)).toThrow(/client_hello\.extensions\[\d+\]|extensions/);
    expect(() => ja4(bytes.subarray(0, 60))).toThrow(DecodeError);
  });
});

describe('clientFingerprints: every client fingerprint from one reading', () => {
  it.each(captured)('%s: equals ja4All and ja3All, from the bytes and from the parsed hello', (_, bytes) => {
    const parsed = parseClientHello(bytes);
    for (const input of [bytes, parsed]) {
      expect(clientFingerprints(input)).toEqual({ ...ja4All(input), ...ja3All(input) });
      expect(clientFingerprints(input, { transport: 'quic', alpnRule: 'reference' })).toEqual({
        ...ja4All(input, { transport: 'quic', alpnRule: 'reference' }),
        ...ja3All(input),
      });
    }
  });

  /** What clientFingerprintsTo gives, made into strings, in the order it gave it. */
  function written(input: Parameters<typeof clientFingerprints>[0], options: Ja4Options, ja4Only = false) {
    const order: string[] = [];
    const got: Record<string, string> = {};
    const text = (t: AsciiText) => new TextDecoder().decode(t.bytes.subarray(0, t.length));
    clientFingerprintsTo(
      input,
      options,
      {
        ja3(value, full) {
          order.push('ja3', 'ja3Full');
          got.ja3 = value;
          got.ja3Full = text(full);
        },
        hashed(form, value) {
          order.push(form);
          got[form] = value;
        },
        raw(form, a, t) {
          order.push(form);
          got[form] = `${a}_${text(t)}`;
        },
      },
      ja4Only,
    );
    return { order, got: got as unknown as ClientFingerprints };
  }

  test.prop([fc.array(code, { maxLength: 30 }), fc.array(extension, { maxLength: 15 })])(
    'written to a sink, the same values in the order pcap lists them, any hello',
    (cipherSuites, extensions) => {
      const h = hello({ cipherSuites, extensions });
      for (const options of [{}, { transport: 'quic', alpnRule: 'reference' }] as const) {
        const { order, got } = written(h, options);
        expect(order).toEqual(['ja3', 'ja3Full', 'ja4', 'ja4_r', 'ja4_o', 'ja4_ro']);
        expect(got).toEqual(clientFingerprints(h, options));
        const { ja3, ja3Full, ja4 } = clientFingerprints(h, options);
        expect(written(h, options, true)).toEqual({
          order: ['ja3', 'ja3Full', 'ja4'],
          got: { ja3, ja3Full, ja4 },
        });
      }
    },
  );

  it.each(captured)('%s: written to a sink, the same values', (_, bytes) => {
    expect(written(bytes, {}).got).toEqual(clientFingerprints(bytes));
  });

  describe('the memo of whole hellos', () => {
    afterEach(() => setDigestMemo(true));
    /** `written` of each input with the memos off: what every read must give. */
    const uncached = (
      inputs: readonly (readonly [Uint8Array | ReturnType<typeof hello>, Ja4Options, boolean])[],
    ) => {
      setDigestMemo(false);
      const out = inputs.map(([h, o, only]) => written(h, o, only));
      setDigestMemo(true);
      return out;
    };

    test.prop([
      fc.array(
        fc.tuple(
          fc.array(code, { maxLength: 12 }),
          fc.array(extension, { maxLength: 8 }),
          fc.constantFrom<Ja4Options>({}, { transport: 'quic' }, { alpnRule: 'reference' }),
          fc.boolean(),
        ),
        { minLength: 1, maxLength: 6 },
      ),
    ])('gives what each hello gives without it, hellos repeated in any order', (list) => {
      const inputs = list.map(
        ([cipherSuites, extensions, o, only]) => [hello({ cipherSuites, extensions }), o, only] as const,
      );
      const expected = uncached(inputs);
      // Twice over: the first round fills the memo, the second reads it; every hello against every other's entry.
      for (let round = 0; round < 2; round++)
        expect(inputs.map(([h, o, only]) => written(h, o, only))).toEqual(expected);
    });

    it.each(captured)('%s: read from the memo, the same values', (_, bytes) => {
      const [expected] = uncached([[bytes, {}, false]]);
      expect(written(bytes, {})).toEqual(expected);
      const held = fingerprintMemoSize();
      expect(held).toBeGreaterThan(0);
      expect(written(bytes, {})).toEqual(expected);
      expect(fingerprintMemoSize()).toBe(held);
    });

    it('finds a hello again when only its GREASE values changed, and tells apart hellos one field apart', () => {
      const body = (values: number[], width: 1 | 2 = 2) => {
        const b = [...(width === 2 ? [0, 2 * values.length] : [2 * values.length])];
        for (const v of values) b.push(v >> 8, v & 0xff);
        return Uint8Array.from(b);
      };
      const make = (
        grease: number,
        change: Partial<Record<'alpn' | 'formats' | 'sigalgs' | 'versions' | 'groups', Uint8Array>> = {},
      ) =>
        hello({
          cipherSuites: [grease, 0x1301, 0x1302],
          extensions: [
            { type: grease, body: new Uint8Array(0) },
            { type: 0x0010, body: change.alpn ?? Uint8Array.of(0, 3, 2, 0x68, 0x32) },
            { type: 0x000b, body: change.formats ?? Uint8Array.of(1, 0) },
            { type: 0x000d, body: change.sigalgs ?? body([0x0403, 0x0804]) },
            { type: 0x002b, body: change.versions ?? body([grease, 0x0304, 0x0303], 1) },
            { type: 0x000a, body: change.groups ?? body([grease, 0x001d, 0x0017]) },
          ],
        });
      const [first, other] = [GREASE_VALUES[0], GREASE_VALUES[5]];
      const variants = [
        make(first, { alpn: Uint8Array.of(0, 3, 2, 0x68, 0x33) }),
        make(first, { formats: Uint8Array.of(2, 0, 1) }),
        make(first, { sigalgs: body([0x0804, 0x0403]) }),
        make(first, { versions: body([0x0303], 1) }),
        make(first, { groups: body([0x0017, 0x001d]) }),
      ];
      const inputs = [
        [make(first), {}, false],
        [make(other), {}, false],
        ...variants.map((v) => [v, {}, false] as const),
        [make(first), { transport: 'quic' }, false],
        [make(first), {}, true],
      ] as const;
      const expected = uncached(inputs);
      // The GREASE change leaves every fingerprint as it was; each variant changes at least one.
      expect(expected[1]).toEqual(expected[0]);
      for (const e of expected.slice(2)) expect(e).not.toEqual(expected[0]);
      expect(written(make(first), {})).toEqual(expected[0]);
      expect(fingerprintMemoSize()).toBe(1);
      expect(written(make(other), {})).toEqual(expected[0]);
      expect(fingerprintMemoSize()).toBe(1);
      for (const [i, [h, o, only]] of inputs.entries()) expect(written(h, o, only)).toEqual(expected[i]);
      expect(fingerprintMemoSize()).toBe(inputs.length - 1);
    });

    it('stays bounded, and stops keeping hellos that never come back', () => {
      const distinct = (i: number) => hello({ cipherSuites: [0x1301, i] });
      for (let i = 0; i < 3 * MEMO_WINDOW; i++) written(distinct(i), {});
      // After a window without a hit it pauses: it kept at most one window's hellos.
      expect(fingerprintMemoSize()).toBeLessThanOrEqual(MEMO_WINDOW);
      expect(fingerprintMemoSize()).toBeGreaterThan(0);
      const [expected] = uncached([[distinct(5 * MEMO_WINDOW), {}, false]]);
      expect(written(distinct(5 * MEMO_WINDOW), {})).toEqual(expected);
    });
  });

  it('checks its options as ja4 does', () => {
    expect(() => clientFingerprints(captured[0][1], { transport: 'udp' as 'tcp' })).toThrow(TypeError);
  });
});
