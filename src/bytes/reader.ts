import {
  DEFAULT_ALERT,
  type DecodeAlert,
  DecodeError,
  type DecodeErrorCode,
  formatPath,
  type PathSegment,
  type Problem,
} from './errors.ts';

/** Options for a top-level {@link Reader}. */
export interface ReaderOptions {
  /** Path of the structure being read, e.g. `['client_hello']`. */
  readonly path?: readonly PathSegment[];
  /** Offset of `bytes[0]` in the caller's input, so errors report input offsets. Default 0. */
  readonly baseOffset?: number;
  /** Strict (default) throws on every fault; lenient collects semantic faults in `problems`. */
  readonly strict?: boolean;
}

/** Width in bytes of a vector's length prefix. */
export type PrefixWidth = 1 | 2 | 3 | 4;

/** Constraints on a length-prefixed vector (RFC 8446 §3.4 `<floor..ceiling>`). */
export interface VectorLimits {
  /** Smallest allowed length in bytes; a shorter vector is `empty-list`/`bad-length`. */
  readonly min?: number;
  /** Largest allowed length in bytes. */
  readonly max?: number;
  /** The length must be a multiple of this (2 for a list of u16). */
  readonly multipleOf?: number;
}

/** A byte range read by a {@link Reader} while tracing, labelled with its field path. */
export interface TraceSpan {
  /** Input offsets: first byte and one past the last. */
  readonly start: number;
  readonly end: number;
  readonly path: string;
  /** `value`: a field read; `length`: a vector's length prefix; `vector`: a vector's content. */
  readonly kind: 'value' | 'length' | 'vector';
  /** The number read, for integer fields. */
  readonly value?: number;
}

let activeTrace: TraceSpan[] | null = null;
const NO_LIMITS: VectorLimits = Object.freeze({});
const NO_OPTIONS: ReaderOptions = Object.freeze({});

/**
 * Runs `fn` and returns the byte ranges every Reader read meanwhile, with field paths: the
 * data behind `hellokit decode --annotate`. Not re-entrant; the decode itself is unchanged.
 * @example
 * const { spans } = traceReads(() => parseClientHello(bytes));
 */
export function traceReads<T>(fn: () => T): { result: T | undefined; error: unknown; spans: TraceSpan[] } {
  const outer = activeTrace;
  const spans: TraceSpan[] = [];
  activeTrace = spans;
  try {
    return { result: fn(), error: undefined, spans };
  } catch (error) {
    return { result: undefined, error, spans };
  } finally {
    activeTrace = outer;
  }
}

/** State a reader shares with its sub-readers. */
export interface Shared {
  readonly path: PathSegment[];
  readonly strict: boolean;
  readonly problems: Problem[];
  readonly baseOffset: number;
  /**
   * The buffer under the input when the input is a plain `Uint8Array`, so views are made
   * straight from it ({@link Reader.view}); null for a subclass such as Node's `Buffer`.
   */
  readonly buffer: ArrayBufferLike | null;
  /** The input's `byteOffset` in {@link Shared.buffer}. */
  readonly byteOffset: number;
}

/**
 * A bounded cursor over bytes, in the style of Go's cryptobyte.String: reading a vector
 * returns a sub-reader that cannot run past the vector's end. Readers carry a field path
 * so every error names where it happened.
 *
 * @example
 * const r = new Reader(bytes, { path: ['client_hello'] });
 * const version = r.u16('legacy_version');
 * const sessionId = r.vectorBytes(1, 'legacy_session_id', { max: 32 });
 */
export class Reader {
  /** The whole input (sub-readers share it). */
  readonly data: Uint8Array;
  /** Read position, an index into `data`. */
  pos: number;
  /** End of this reader's window: an index into `data`, moved only by {@link openVector}. */
  private windowEnd: number;
  private readonly shared: Shared;

  /**
   * A reader over all of `data`. (`shared`, `start` and `end` are internal: a vector's
   * sub-reader shares its parent's path, mode and problems over a window of the same bytes.)
   */
  constructor(data: Uint8Array, options: ReaderOptions = NO_OPTIONS, shared?: Shared, start = 0, end = 0) {
    this.data = data;
    if (shared) {
      this.pos = start;
      this.windowEnd = end;
      this.shared = shared;
    } else {
      this.pos = 0;
      this.windowEnd = data.length;
      this.shared = {
        path: [...(options.path ?? [])],
        strict: options.strict ?? true,
        problems: [],
        baseOffset: options.baseOffset ?? 0,
        buffer: Object.getPrototypeOf(data) === Uint8Array.prototype ? data.buffer : null,
        byteOffset: data.byteOffset,
      };
    }
  }

  /** End of this reader's window, an index into `data`. */
  get end(): number {
    return this.windowEnd;
  }
  /** Strict mode throws on every fault; lenient mode records semantic ones. */
  get strict(): boolean {
    return this.shared.strict;
  }
  /** Faults collected in lenient mode (shared with sub-readers). */
  get problems(): Problem[] {
    return this.shared.problems;
  }
  /** Bytes left in this reader's window. */
  get remaining(): number {
    return this.windowEnd - this.pos;
  }
  /** True when the window is consumed. */
  get atEnd(): boolean {
    return this.pos >= this.windowEnd;
  }
  /** Offset of the read position in the caller's input. */
  get offset(): number {
    return this.shared.baseOffset + this.pos;
  }
  /** The current field path as text. */
  get pathText(): string {
    return formatPath(this.shared.path);
  }

  /**
   * Pushes `segment` on the path; pair it with {@link popPath} in a `finally`. The same as
   * {@link enter} without a closure, for loops that run once per extension or list item.
   */
  pushPath(segment: PathSegment): void {
    this.shared.path.push(segment);
  }

  /** Pops the segment the matching {@link pushPath} pushed. */
  popPath(): void {
    this.shared.path.pop();
  }

  /** Runs `fn` with `segment` pushed on the path (a field name or a list index). */
  enter<T>(segment: PathSegment, fn: () => T): T {
    this.shared.path.push(segment);
    try {
      return fn();
    } finally {
      this.shared.path.pop();
    }
  }

  /** Throws a {@link DecodeError} at the current position (or `at`, an index into `data`). */
  fail(
    code: DecodeErrorCode,
    detail: string,
    options: { alert?: DecodeAlert; at?: number; field?: PathSegment } = {},
  ): never {
    throw new DecodeError(this.problemAt(code, detail, options));
  }

  /**
   * A semantic fault (duplicate extension, empty list, bad host name): thrown in strict
   * mode, recorded in lenient mode so decoding goes on.
   */
  problem(
    code: DecodeErrorCode,
    detail: string,
    options: { alert?: DecodeAlert; at?: number; field?: PathSegment } = {},
  ): void {
    const p = this.problemAt(code, detail, options);
    if (this.shared.strict) throw new DecodeError(p);
    this.shared.problems.push(p);
  }

  private problemAt(
    code: DecodeErrorCode,
    detail: string,
    options: { alert?: DecodeAlert; at?: number; field?: PathSegment },
  ): Problem {
    const path = options.field === undefined ? this.shared.path : [...this.shared.path, options.field];
    return {
      code,
      detail,
      offset: this.shared.baseOffset + (options.at ?? this.pos),
      path: formatPath(path),
      alert: options.alert ?? DEFAULT_ALERT[code],
    };
  }

  private trace(start: number, field: PathSegment, kind: TraceSpan['kind'], value?: number): void {
    this.traceRange(start, this.pos, field, kind, value);
  }

  /** Records the span from `start` to `end` (indices into `data`) while tracing. */
  private traceRange(
    start: number,
    end: number,
    field: PathSegment,
    kind: TraceSpan['kind'],
    value?: number,
  ): void {
    const base = this.shared.baseOffset;
    activeTrace!.push({
      start: base + start,
      end: base + end,
      path: formatPath([...this.shared.path, field]),
      kind,
      ...(value === undefined ? {} : { value }),
    });
  }

  private need(n: number, field: PathSegment, what: string): void {
    if (this.windowEnd - this.pos < n) {
      this.fail(
        'truncated',
        `needs ${n} byte${n === 1 ? '' : 's'} for ${what}, ${this.windowEnd - this.pos} left`,
        { field },
      );
    }
  }

  /** One byte. */
  u8(field: PathSegment): number {
    this.need(1, field, 'u8');
    const v = this.data[this.pos++];
    if (activeTrace) this.trace(this.pos - 1, field, 'value', v);
    return v;
  }
  /** Big-endian u16. */
  u16(field: PathSegment): number {
    this.need(2, field, 'u16');
    const d = this.data;
    const v = (d[this.pos] << 8) | d[this.pos + 1];
    this.pos += 2;
    if (activeTrace) this.trace(this.pos - 2, field, 'value', v);
    return v;
  }
  /** Big-endian u24. */
  u24(field: PathSegment): number {
    this.need(3, field, 'u24');
    const d = this.data;
    const v = (d[this.pos] << 16) | (d[this.pos + 1] << 8) | d[this.pos + 2];
    this.pos += 3;
    if (activeTrace) this.trace(this.pos - 3, field, 'value', v);
    return v;
  }
  /** Big-endian u32. */
  u32(field: PathSegment): number {
    this.need(4, field, 'u32');
    const d = this.data;
    const v =
      ((d[this.pos] << 24) | (d[this.pos + 1] << 16) | (d[this.pos + 2] << 8) | d[this.pos + 3]) >>> 0;
    this.pos += 4;
    if (activeTrace) this.trace(this.pos - 4, field, 'value', v);
    return v;
  }
  /**
   * A QUIC variable-length integer (RFC 9000 §16): the first byte's two high bits give its
   * length, 1, 2, 4 or 8 bytes. Every form is accepted, the shortest or not (RFC 9000 §16 lets
   * a sender use a longer one). Exact up to 2^53; above that the number is approximate and the
   * exact bytes are `data.subarray(start, pos)`.
   * @example new Reader(Uint8Array.of(0x40, 0x25)).varint('length') // 37
   */
  varint(field: PathSegment): number {
    this.need(1, field, 'a varint');
    const d = this.data;
    const at = this.pos;
    const width = 1 << (d[at] >> 6);
    this.need(width, field, `${width === 8 ? 'an' : 'a'} ${width}-byte varint`);
    // Each prefix is smaller than the whole, so the value is exact while it is below 2^53.
    let v = d[at] & 0x3f;
    for (let i = 1; i < width; i++) v = v * 256 + d[at + i];
    this.pos = at + width;
    if (activeTrace) this.trace(at, field, 'value', v);
    return v;
  }
  /** A length read with the given width. */
  uint(width: PrefixWidth, field: PathSegment): number {
    switch (width) {
      case 1:
        return this.u8(field);
      case 2:
        return this.u16(field);
      case 3:
        return this.u24(field);
      default:
        return this.u32(field);
    }
  }

  /**
   * A vector's length prefix, read in place rather than through uint(): this runs for every
   * vector, and a short straight read is what the JIT inlines into the codecs (through uint()
   * it was a switch over four readers and, while tracing, a swap of the trace; about 6% of a
   * ClientHello decode). Traced as one `length` span, not as a value. A prefix cut short goes
   * to uint(), which throws the `truncated` error; a traced read still records it, empty.
   */
  private readLength(width: PrefixWidth, field: PathSegment): number {
    const at = this.pos;
    if (this.windowEnd - at < width) {
      try {
        return this.uint(width, field);
      } finally {
        if (activeTrace) this.traceLength(at, field, 0);
      }
    }
    const d = this.data;
    let length = 0;
    for (let i = at; i < at + width; i++) length = length * 256 + d[i];
    this.pos = at + width;
    if (activeTrace) this.traceLength(at, field, length);
    return length;
  }

  private traceLength(at: number, field: PathSegment, length: number): void {
    this.trace(at, field === 'length' ? field : `${String(field)}.length`, 'length', length);
  }

  /** `n` bytes (a view into the input, not a copy). */
  bytes(n: number, field: PathSegment): Uint8Array {
    this.need(n, field, field === undefined ? 'bytes' : String(field));
    const out = this.view(this.pos, this.pos + n);
    this.pos += n;
    if (activeTrace) this.trace(this.pos - n, field, 'value');
    return out;
  }

  /**
   * `data[start..end)` as a view (no copy) of the input's own kind: a `Buffer`'s views are
   * `Buffer`s, as `subarray` makes them. A plain `Uint8Array`'s are built from its buffer:
   * `subarray` goes through the species constructor and converts its arguments on every call
   * (ECMA-262 §23.2.3.28), which costs about as much again as the view itself on V8, and a
   * ClientHello's result holds some thirty views. Indices out of order or past `data` are
   * clamped as `subarray` clamps them, so a view never reaches outside `data`.
   * @example r.view(start, r.pos) // the bytes read since `start`
   */
  view(start: number, end: number): Uint8Array {
    const { buffer, byteOffset } = this.shared;
    if (buffer === null || !(0 <= start && start <= end && end <= this.data.length)) {
      return this.data.subarray(start, end);
    }
    return new Uint8Array(buffer, byteOffset + start, end - start);
  }

  /** Every byte left in the window. */
  rest(): Uint8Array {
    const out = this.view(this.pos, this.windowEnd);
    this.pos = this.windowEnd;
    return out;
  }

  /** Bytes ahead without consuming them. */
  peek(n: number): Uint8Array {
    return this.data.subarray(this.pos, Math.min(this.windowEnd, this.pos + n));
  }

  /**
   * A length-prefixed vector as a bounded sub-reader; the parent skips past it.
   * The length must fit in this window (else `truncated`) and meet `limits`.
   */
  vector(width: PrefixWidth, field: PathSegment, limits: VectorLimits = NO_LIMITS): Reader {
    const length = this.vectorLength(width, field, limits);
    const sub = new Reader(this.data, NO_OPTIONS, this.shared, this.pos, this.pos + length);
    this.pos += length;
    if (activeTrace) this.trace(this.pos - length, field, 'vector');
    return sub;
  }

  /**
   * Narrows this reader's window to a length-prefixed vector's content, checked as
   * {@link vector} checks it, and returns the window's previous end for {@link closeVector}.
   * The vector is read as through a sub-reader, without allocating one: for the vectors read
   * once per extension or list item. Pair it with `closeVector` in a `finally`, so the window
   * is given back however the reading ends.
   * @example
   * const outerEnd = r.openVector(2, 'extension_data');
   * try { value = codec.decode(r, context); r.done(); } finally { r.closeVector(outerEnd); }
   */
  openVector(width: PrefixWidth, field: PathSegment, limits: VectorLimits = NO_LIMITS): number {
    const length = this.vectorLength(width, field, limits);
    const outerEnd = this.windowEnd;
    this.windowEnd = this.pos + length;
    if (activeTrace) this.traceRange(this.pos, this.windowEnd, field, 'vector');
    return outerEnd;
  }

  /**
   * Leaves the vector {@link openVector} opened: the position moves to its end, however much
   * of it was read, and the window ends at `outerEnd` again, where a sub-reader's parent is.
   */
  closeVector(outerEnd: number): void {
    this.pos = this.windowEnd;
    this.windowEnd = outerEnd;
  }

  /** Reads a vector's length prefix and checks it; the position is left at the content. */
  private vectorLength(width: PrefixWidth, field: PathSegment, limits: VectorLimits): number {
    const lengthAt = this.pos;
    const length = this.readLength(width, field);
    if (length > this.windowEnd - this.pos) {
      this.fail(
        'truncated',
        `length ${length} runs past the end (${this.windowEnd - this.pos} byte${this.windowEnd - this.pos === 1 ? '' : 's'} left)`,
        {
          field,
          at: lengthAt,
        },
      );
    }
    if (limits !== NO_LIMITS) this.checkLimits(length, field, lengthAt, limits);
    return length;
  }

  /** A length-prefixed vector's content as bytes. */
  vectorBytes(width: PrefixWidth, field: PathSegment, limits: VectorLimits = NO_LIMITS): Uint8Array {
    const length = this.vectorLength(width, field, limits);
    const out = this.view(this.pos, this.pos + length);
    this.pos += length;
    if (activeTrace) this.trace(this.pos - length, field, 'vector');
    return out;
  }

  /**
   * A length-prefixed list: `item` is called with this reader, its window narrowed to the
   * vector ({@link openVector}), until the vector is used up; the path carries the field and
   * the item index.
   */
  list<T>(
    width: PrefixWidth,
    field: PathSegment,
    item: (r: Reader, index: number) => T,
    limits: VectorLimits = NO_LIMITS,
  ): T[] {
    const outerEnd = this.openVector(width, field, limits);
    const out: T[] = [];
    const path = this.shared.path;
    path.push(field);
    try {
      for (let i = 0; this.pos < this.windowEnd; i++) {
        path.push(i);
        try {
          out.push(item(this, i));
        } finally {
          path.pop();
        }
      }
    } finally {
      path.pop();
      this.closeVector(outerEnd);
    }
    return out;
  }

  /** A length-prefixed list of u16 values (cipher suites, groups, signature schemes). */
  u16List(width: PrefixWidth, field: PathSegment, limits: VectorLimits = NO_LIMITS): number[] {
    const lengthAt = this.pos;
    // What `vector` does, without the sub-reader the values are read straight from `data`.
    const length = this.vectorLength(width, field, limits);
    const start = this.pos;
    this.pos += length;
    if (activeTrace) this.trace(start, field, 'vector');
    if (length & 1) {
      this.fail('bad-length', `length ${length} is not a multiple of 2`, { field, at: lengthAt });
    }
    const d = this.data;
    const out = new Array<number>(length >> 1);
    for (let i = 0, p = start; i < out.length; p += 2, i++) out[i] = (d[p] << 8) | d[p + 1];
    return out;
  }

  /** A length-prefixed list of u8 values. */
  u8List(width: PrefixWidth, field: PathSegment, limits: VectorLimits = NO_LIMITS): number[] {
    // A plain loop: Array.from over a Uint8Array goes through the iterator protocol.
    const length = this.vectorLength(width, field, limits);
    const start = this.pos;
    this.pos += length;
    if (activeTrace) this.trace(start, field, 'vector');
    const d = this.data;
    const out = new Array<number>(length);
    for (let i = 0; i < length; i++) out[i] = d[start + i];
    return out;
  }

  private checkLimits(length: number, field: PathSegment, at: number, limits: VectorLimits): void {
    if (limits.min !== undefined && length < limits.min) {
      if (length === 0)
        this.problem('empty-list', `must not be empty (at least ${limits.min} bytes)`, { field, at });
      else this.problem('bad-length', `length ${length} is below the minimum ${limits.min}`, { field, at });
    }
    if (limits.max !== undefined && length > limits.max) {
      this.problem('bad-length', `length ${length} is above the maximum ${limits.max}`, { field, at });
    }
    if (limits.multipleOf !== undefined && length % limits.multipleOf !== 0) {
      this.fail('bad-length', `length ${length} is not a multiple of ${limits.multipleOf}`, { field, at });
    }
  }

  /** Fails with `trailing` unless the window is consumed (`field` names what has leftovers). */
  done(field?: PathSegment): void {
    if (this.pos < this.windowEnd) {
      const n = this.windowEnd - this.pos;
      this.fail('trailing', `${n} unread byte${n === 1 ? '' : 's'} after the end`, { field });
    }
  }
}
