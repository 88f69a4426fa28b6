/**
 * The bytes `hellokit pcap` writes are made in place (src/cli/commands/pcap-output.ts): each
 * value must come out exactly as JSON.stringify and a UTF-8 encoder would write it.
 */
import { describe, expect, it } from 'vitest';
import { OutputBytes } from '../../src/cli/commands/pcap-output.ts';

const utf8 = new TextEncoder();
const STRINGS = [
  '',
  't13d1517h2_8daaf6152771_cb7bf5808d99',
  'quote " and backslash \\',
  'tab\tnewline\ncontrol\u0001\u001f del\u007f',
  'café → 東京 🙂',
  'lone \ud800 surrogate \udfff',
  'x'.repeat(5_000),
  // Long strings take the Buffer copy when nothing needs escaping; these do.
  'a long string with "quotes" and a \\ backslash '.repeat(4),
  `${'ascii '.repeat(20)}then é`,
  `${'ascii '.repeat(20)}then a control \u0002`,
];

function written(write: (out: OutputBytes) => void, initial?: number): Uint8Array {
  const out = new OutputBytes(initial);
  write(out);
  return out.take();
}

describe('OutputBytes', () => {
  it('writes each string as JSON.stringify does, in UTF-8', () => {
    for (const s of STRINGS) {
      expect(written((out) => out.json(s), 16)).toEqual(utf8.encode(JSON.stringify(s)));
    }
    expect(written((out) => out.json(null))).toEqual(utf8.encode('null'));
  });

  it('writes text as UTF-8, lone surrogates as U+FFFD like every encoder on the way out', () => {
    for (const s of STRINGS) expect(written((out) => out.text(s), 16)).toEqual(utf8.encode(s));
  });

  it('writes numbers as JSON does, and null for what JSON cannot hold', () => {
    const numbers = [
      0,
      -0,
      7,
      10,
      443,
      65535,
      1700000000,
      2 ** 31 - 1,
      2 ** 31,
      1700000000.05,
      -1,
      -1.5e-7,
      2 ** 53,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ];
    expect(
      new TextDecoder().decode(
        written((out) => {
          for (const n of numbers) out.number(n);
        }),
      ),
    ).toBe(numbers.map((n) => JSON.stringify(n)).join(''));
  });

  it('writes what JSON puts between the quotes, and copies ASCII bytes as they are', () => {
    for (const s of STRINGS) {
      expect(written((out) => out.jsonChars(s), 4)).toEqual(utf8.encode(JSON.stringify(s).slice(1, -1)));
    }
    const list = utf8.encode('xx1301,1302_000a,0017yy');
    expect(
      written((out) => {
        out.char(0x22);
        out.ascii(list, 2, list.length - 2);
        out.char(0x22);
      }, 2),
    ).toEqual(utf8.encode('"1301,1302_000a,0017"'));
  });

  it('keeps every byte across growth, and take() starts afresh', () => {
    const out = new OutputBytes(8);
    for (const s of STRINGS) {
      out.json(s);
      out.raw(new Uint8Array([0x2c]));
    }
    const first = out.take();
    expect(new TextDecoder().decode(first)).toBe(`${STRINGS.map((s) => JSON.stringify(s)).join(',')},`);
    expect(out.length).toBe(0);
    out.text('next');
    expect(out.take()).toEqual(utf8.encode('next'));
    expect(new TextDecoder().decode(first).startsWith('"",')).toBe(true);
  });
});
