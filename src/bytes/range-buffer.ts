/**
 * A bounded byte buffer filled by (offset, bytes) pieces that may arrive out of order,
 * repeat or overlap — the common core of TCP stream and QUIC CRYPTO stream reassembly.
 */

/**
 * Pieces are placed at their offset; the first bytes written at an offset win (a later
 * overlapping piece fills only the holes). Bytes at or past `cap` are dropped, so memory
 * stays bounded whatever the input.
 * @example
 * const buf = new RangeBuffer(1024); buf.write(5, b); buf.write(0, a); buf.contiguous();
 */
export class RangeBuffer {
  /** The most bytes kept. */
  readonly cap: number;
  private data: Uint8Array = NONE;
  /**
   * The ranges that hold bytes, flat: start, end, start, end, … ([start, end) pairs, sorted,
   * disjoint and not adjacent). Flat numbers, changed in place: a stream written in order
   * (the usual case) only moves the last end, with no allocation per piece.
   */
  private ranges: number[] = [];
  /** {@link peek}'s view, kept until the bytes change (a reader looks more often than bytes come). */
  private view: Uint8Array | undefined;
  /** True once a piece reached past `cap`. */
  truncated = false;

  constructor(cap: number) {
    if (!Number.isInteger(cap) || cap < 0)
      throw new RangeError(`"cap" expected a non-negative integer, got ${cap}`);
    this.cap = cap;
  }

  /** Places `bytes` at `offset` (negative offsets lose their leading bytes). */
  write(offset: number, bytes: Uint8Array): void {
    let start = offset;
    let piece = bytes;
    if (start < 0) {
      piece = piece.subarray(Math.min(-start, piece.length));
      start = 0;
    }
    let end = start + piece.length;
    if (end > this.cap) {
      this.truncated = true;
      end = this.cap;
    }
    if (end <= start) return;
    this.grow(end);
    this.view = undefined;
    const r = this.ranges;
    const n = r.length;
    if (n === 0 || start === r[n - 1]) {
      // Nothing yet, or the piece starts where the last range ends: it all goes in.
      this.data.set(end - start === piece.length ? piece : piece.subarray(0, end - start), start);
      if (n === 0) r.push(start, end);
      else r[n - 1] = end;
      return;
    }
    // Fill only the holes between existing ranges, so earlier bytes win.
    let at = start;
    for (let i = 0; i < n; i += 2) {
      const rs = r[i];
      const re = r[i + 1];
      if (re <= at) continue;
      if (rs >= end) break;
      if (rs > at) this.data.set(piece.subarray(at - start, rs - start), at);
      at = Math.max(at, re);
      if (at >= end) break;
    }
    if (at < end) this.data.set(piece.subarray(at - start, end - start), at);
    this.addRange(start, end);
  }

  /** The bytes from offset 0 up to the first hole. */
  contiguous(): Uint8Array {
    const length = this.contiguousLength;
    return length === 0 ? new Uint8Array(0) : this.data.slice(0, length);
  }

  /** The bytes from offset 0 up to the first hole, as a view (valid until the next write). */
  peek(): Uint8Array {
    if (this.view === undefined) {
      const length = this.contiguousLength;
      this.view = length === 0 ? NONE : this.data.subarray(0, length);
    }
    return this.view;
  }

  /** Gives back the room allocated past the last byte written (for a buffer that will wait long). */
  compact(): void {
    const end = this.end;
    if (end < this.data.length) {
      this.data = this.data.slice(0, end);
      this.view = undefined;
    }
  }

  /** Bytes allocated for the buffer now. */
  get capacity(): number {
    return this.data.length;
  }

  /** Length of the bytes from offset 0 up to the first hole. */
  get contiguousLength(): number {
    return this.ranges.length > 0 && this.ranges[0] === 0 ? this.ranges[1] : 0;
  }

  /** True when some bytes lie past a hole (or no byte sits at offset 0). */
  get hasHole(): boolean {
    return this.ranges.length > 2 || (this.ranges.length === 2 && this.ranges[0] !== 0);
  }

  /** One past the last byte written (0 when none was). */
  get end(): number {
    return this.ranges.length === 0 ? 0 : this.ranges[this.ranges.length - 1];
  }

  /** True when `bytes` at `offset` equal every byte already written where they overlap. */
  agrees(offset: number, bytes: Uint8Array): boolean {
    const end = offset + bytes.length;
    const r = this.ranges;
    for (let k = 0; k < r.length; k += 2) {
      const rs = r[k];
      const re = r[k + 1];
      if (re <= offset) continue;
      if (rs >= end) break;
      for (let i = Math.max(rs, offset); i < Math.min(re, end); i++) {
        if (this.data[i] !== bytes[i - offset]) return false;
      }
    }
    return true;
  }

  /** True when no bytes were written. */
  get empty(): boolean {
    return this.ranges.length === 0;
  }

  /** Moves every byte `delta` places later (delta > 0), as when a stream's start turns out to be earlier. */
  shift(delta: number): void {
    if (delta <= 0 || this.ranges.length === 0) return;
    const old = this.data;
    const oldRanges = this.ranges;
    this.data = NONE;
    this.ranges = [];
    this.view = undefined;
    for (let k = 0; k < oldRanges.length; k += 2)
      this.write(oldRanges[k] + delta, old.subarray(oldRanges[k], oldRanges[k + 1]));
  }

  private grow(end: number): void {
    if (end <= this.data.length) return;
    // The first piece's size (most handshake streams are one segment, a few hundred bytes:
    // a buffer of just that size waits for the server without being trimmed), then doubling.
    let size = this.data.length === 0 ? Math.max(end, 256) : this.data.length * 2;
    while (size < end) size *= 2;
    size = Math.min(size, this.cap);
    const next = new Uint8Array(size);
    if (this.data.length > 0) next.set(this.data);
    this.data = next;
  }

  private addRange(start: number, end: number): void {
    const r = this.ranges;
    const out: number[] = [];
    let s = start;
    let e = end;
    let placed = false;
    for (let k = 0; k < r.length; k += 2) {
      if (r[k + 1] < s) out.push(r[k], r[k + 1]);
      else if (r[k] > e) {
        if (!placed) {
          out.push(s, e);
          placed = true;
        }
        out.push(r[k], r[k + 1]);
      } else {
        s = Math.min(s, r[k]);
        e = Math.max(e, r[k + 1]);
      }
    }
    if (!placed) out.push(s, e);
    this.ranges = out;
  }
}

/** The bytes of a buffer that has none (shared: never written to, since its length is 0). */
const NONE = new Uint8Array(0);
