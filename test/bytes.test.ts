import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DecodeError, EncodeError, fromHex, Reader, toHex, traceReads, Writer } from '../src/bytes/index.ts';

describe('Reader', () => {
  it('reads a vector as a bounded sub-reader that cannot run past its end', () => {
    const r = new Reader(fromHex('0002 abcd ef'), { path: ['m'] });
    const sub = r.vector(2, 'v');
    expect(sub.u16('x')).toBe(0xabcd);
    expect(() => sub.u8('y')).toThrow(DecodeError);
    expect(r.u8('z')).toBe(0xef);
  });

  it('reads byte fields as views into the input, not copies', () => {
    const input = fromHex('02 abcd ef');
    const field = new Reader(input).vectorBytes(1, 'v');
    input[1] = 0x12;
    expect(toHex(field)).toBe('12cd');
    expect(field.buffer).toBe(input.buffer);
    expect(Object.getPrototypeOf(field)).toBe(Uint8Array.prototype);
  });

  it("makes views of the input's own kind, as subarray does", () => {
    class Tagged extends Uint8Array {}
    const input = new Tagged(fromHex('02 abcd ef'));
    const r = new Reader(input);
    expect(r.vectorBytes(1, 'v')).toBeInstanceOf(Tagged);
    expect(r.rest()).toBeInstanceOf(Tagged);
  });

  it('clamps a view to the input, never reaching the rest of its buffer', () => {
    const whole = fromHex('00 0102 0304');
    const r = new Reader(whole.subarray(1, 3));
    expect(toHex(r.view(0, 2))).toBe('0102');
    expect(toHex(r.view(1, 4))).toBe('02');
    expect(toHex(r.view(-1, 2))).toBe('02');
    expect(toHex(r.view(2, 1))).toBe('');
  });

  it('reads a vector through openVector as through a sub-reader, and gives the window back', () => {
    const r = new Reader(fromHex('0003 abcd ef 11'), { path: ['m'] });
    const outerEnd = r.openVector(2, 'v');
    expect(r.remaining).toBe(3);
    expect(r.u16('x')).toBe(0xabcd);
    r.closeVector(outerEnd);
    expect(r.u8('z')).toBe(0x11);
    expect(r.atEnd).toBe(true);
  });

  it('checks an opened vector against its window and limits as vector does', () => {
    const r = new Reader(fromHex('0003 abcd'), { path: ['m'] });
    const err = (() => {
      try {
        r.openVector(2, 'v');
      } catch (e) {
        return e as DecodeError;
      }
    })();
    expect(err?.code).toBe('truncated');
    expect(err?.path).toBe('m.v');
    const lenient = new Reader(fromHex('00 01'), { path: ['m'], strict: false });
    lenient.closeVector(lenient.openVector(1, 'w', { min: 1 }));
    expect(lenient.problems.map((p) => p.code)).toEqual(['empty-list']);
  });

  it('leaves an opened vector at its end however much of it was read', () => {
    const r = new Reader(fromHex('02 aabb cc'));
    r.closeVector(r.openVector(1, 'v'));
    expect(r.u8('after')).toBe(0xcc);
  });

  it('traces an opened vector as it traces a sub-reader', () => {
    const bytes = fromHex('0002 abcd');
    const spans = (read: (r: Reader) => void) =>
      traceReads(() => read(new Reader(bytes, { path: ['m'] }))).spans;
    const viaSub = spans((r) => r.vector(2, 'v').u16('x'));
    const viaOpen = spans((r) => {
      const end = r.openVector(2, 'v');
      r.u16('x');
      r.closeVector(end);
    });
    expect(viaOpen).toEqual(viaSub);
    expect(viaOpen.map((s) => s.kind)).toEqual(['length', 'vector', 'value']);
  });

  it("traces a vector's length prefix as one length span, and an empty one when it is cut short", () => {
    const whole = traceReads(() => new Reader(fromHex('000102'), { path: ['m'] }).vectorBytes(2, 'v'));
    expect(whole.spans.map((s) => [s.kind, s.path, s.start, s.end, s.value])).toEqual([
      ['length', 'm.v.length', 0, 2, 1],
      ['vector', 'm.v', 2, 3, undefined],
    ]);
    const cut = traceReads(() => new Reader(fromHex('00'), { path: ['m'] }).vectorBytes(2, 'v'));
    expect((cut.error as DecodeError).code).toBe('truncated');
    expect(cut.spans.map((s) => [s.kind, s.start, s.end, s.value])).toEqual([['length', 0, 0, 0]]);
  });

  it('names the field path and offset of a truncated vector', () => {
    const r = new Reader(fromHex('0001 0005 aa'), { path: ['client_hello'] });
    r.u16('legacy_version');
    const err = (() => {
      try {
        r.enter('extensions', () => r.enter(3, () => r.vector(2, 'host_name')));
      } catch (e) {
        return e as DecodeError;
      }
    })();
    expect(err).toBeInstanceOf(DecodeError);
    expect(err?.code).toBe('truncated');
    expect(err?.offset).toBe(2);
    expect(err?.path).toBe('client_hello.extensions[3].host_name');
    expect(err?.alert).toBe('decode_error');
  });

  it('reports trailing bytes', () => {
    const r = new Reader(fromHex('01 02'));
    r.u8('a');
    expect(() => r.done('body')).toThrow(/trailing/);
  });

  it('collects semantic problems in lenient mode instead of throwing', () => {
    const r = new Reader(fromHex('00'), { strict: false });
    r.vectorBytes(1, 'list', { min: 1 });
    expect(r.problems.map((p) => p.code)).toEqual(['empty-list']);
  });
});

describe('Writer', () => {
  it('fills in nested length prefixes when scopes close', () => {
    const w = new Writer(1);
    w.prefixed(2, 'outer', (w) => w.prefixed(1, 'inner', (w) => w.u16(0x1234)));
    expect(toHex(w.finish())).toBe('0003021234');
  });

  it('rejects content too long for its prefix', () => {
    const w = new Writer();
    expect(() => w.prefixed(1, 'ids', (w) => w.bytes(new Uint8Array(256)))).toThrow(EncodeError);
  });

  it('writes a forged length on request', () => {
    const w = new Writer();
    w.vector(2, 'v', fromHex('aabb'), 7);
    expect(toHex(w.finish())).toBe('0007aabb');
  });

  test.prop([fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 })])(
    'u16 vectors round-trip',
    (items) => {
      const w = new Writer();
      for (const item of items) w.vector(2, 'item', item);
      const r = new Reader(w.finish());
      for (const item of items) expect(r.vectorBytes(2, 'item')).toEqual(item);
      r.done();
    },
  );
});
