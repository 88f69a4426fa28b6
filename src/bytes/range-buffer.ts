/**
 * A bounded byte buffer filled by (offset, bytes) pieces that may arrive out of order,
 * repeat or overlap — the common core of TCP stream and QUIC CRYPTO stream reassembly.
 */

/**
 * Room for many small buffers carved out of shared slabs, for a reader that keeps one or two
 * short byte streams per connection and tens of thousands of connections a second. On V8 every
 * typed array over 64 bytes has its own store outside the heap (an allocation, a tracked
 * ArrayBuffer, a sweep when it dies); a slab makes that one store per many buffers, as Node's
 * pool does for small Buffers.
 *
 * Room is carved forward only and never handed out twice, so a view of a buffer's bytes stays
 * valid for as long as it is kept (it keeps its slab alive), even after the buffer is freed or
 * moved. A slab is let go once no buffer uses it. So that a few long-lived buffers cannot hold
 * many mostly-freed slabs, when the freed room in slabs still held passes half the room in use
 * or 4 MiB, whichever is less (plus four slabs), the buffers still in use are moved into fresh
 * slabs, packed: the slabs held stay within the bytes in use plus that much plus one slab.
 * @example
 * const pool = new SlabPool(); const buf = new RangeBuffer(1024, pool); buf.write(0, bytes); buf.free();
 */
export class SlabPool {
  /** Bytes in one slab. */
  readonly slabSize: number;
  /** The largest buffer carved from a slab; a larger one has an array of its own. */
  readonly largest: number;
  /** The slab being carved. */
  private current: Slab | undefined;
  /** Slabs some buffer uses, and the current one. */
  private readonly held = new Set<Slab>();
  private used = 0;

  constructor(slabSize: number = 16 * 1024, largest: number = slabSize / 4) {
    if (!Number.isInteger(slabSize) || slabSize < 1)
      throw new RangeError(`"slabSize" expected a positive integer, got ${slabSize}`);
    if (!Number.isInteger(largest) || largest < 0 || largest > slabSize)
      throw new RangeError(`"largest" expected an integer from 0 to slabSize, got ${largest}`);
    this.slabSize = slabSize;
    this.largest = largest;
  }

  /** Bytes of the slabs held now. */
  get heldBytes(): number {
    return this.held.size * this.slabSize;
  }

  /** Bytes of those slabs that buffers use now. */
  get usedBytes(): number {
    return this.used;
  }

  /**
   * Room for `size` bytes for `owner`, in the slab it returns from its `used - size`; none
   * when the buffer should have an array of its own.
   * @internal
   */
  carve(owner: RangeBuffer, size: number): Slab | undefined {
    if (size > this.largest) return undefined;
    let slab = this.current;
    if (slab === undefined || slab.used + size > this.slabSize) {
      if (slab !== undefined && slab.live === 0) this.held.delete(slab);
      slab = { bytes: new Uint8Array(this.slabSize), used: 0, live: 0, owners: [] };
      this.current = slab;
      this.held.add(slab);
    }
    slab.used += size;
    slab.live += size;
    slab.owners.push(owner);
    this.used += size;
    return slab;
  }

  /**
   * The owner at `index` in `slab` no longer uses its `size` bytes there.
   * @internal
   */
  giveBack(slab: Slab, index: number, size: number): void {
    slab.owners[index] = undefined;
    slab.live -= size;
    this.used -= size;
    if (slab.live === 0 && slab !== this.current) this.held.delete(slab);
    const spare = Math.min(this.used / 2, MAX_SPARE) + 4 * this.slabSize;
    if (this.heldBytes - this.used > spare) this.pack();
  }

  /** Moves every buffer still in a slab into fresh slabs, so the old ones can go. */
  private pack(): void {
    const slabs = [...this.held];
    this.held.clear();
    this.current = undefined;
    this.used = 0;
    for (const slab of slabs) {
      for (const owner of slab.owners) owner?.moveToSlab();
    }
  }
}

/** The most freed room a pool leaves in the slabs it holds (plus four slabs), however many bytes are in use. */
const MAX_SPARE = 4 * 1024 * 1024;

/** One slab: its bytes, how many are carved, how many of those buffers still use, and its buffers by index. */
interface Slab {
  readonly bytes: Uint8Array;
  used: number;
  live: number;
  readonly owners: (RangeBuffer | undefined)[];
}

/**
 * Pieces are placed at their offset; the first bytes written at an offset win (a later
 * overlapping piece fills only the holes). Bytes at or past `cap` are dropped, so memory
 * stays bounded whatever the input. Given a {@link SlabPool}, a buffer of a few KiB is carved
 * from the pool's slabs; {@link free} gives its room back.
 * @example
 * const buf = new RangeBuffer(1024); buf.write(5, b); buf.write(0, a); buf.contiguous();
 */
export class RangeBuffer {
  /** The most bytes kept. */
  readonly cap: number;
  /**
   * The buffer's room: `room` bytes of `store` from `at` (a slab, or an array of its own from
   * 0). Kept as an offset, not a subarray: a connection that waits keeps one object fewer.
   */
  private store: Uint8Array = NONE;
  private at = 0;
  private room = 0;
  /**
   * The ranges that hold bytes: while there is at most one, [first, firstEnd) (empty when
   * equal) and no array; from the second on, all of them in `ranges`, flat: start, end, start,
   * end, … ([start, end) pairs, sorted, disjoint and not adjacent). Numbers changed in place: a
   * stream written in order (the usual case) only moves the last end, with no allocation.
   */
  private first = 0;
  private firstEnd = 0;
  private ranges: number[] | undefined = undefined;
  /**
   * {@link peek}'s view, kept until the bytes change (a reader looks more often than bytes
   * come) or the buffer is {@link compact}ed to wait.
   */
  private view: Uint8Array | undefined;
  /** True once a piece reached past `cap`. */
  truncated = false;
  private readonly pool: SlabPool | undefined;
  /** The slab `store` is (none when it is an array of its own), and this buffer's index among its owners. */
  private slab: Slab | undefined = undefined;
  private slabIndex = 0;

  constructor(cap: number, pool?: SlabPool) {
    if (!Number.isInteger(cap) || cap < 0)
      throw new RangeError(`"cap" expected a non-negative integer, got ${cap}`);
    this.cap = cap;
    this.pool = pool;
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
    let r = this.ranges;
    const nothingYet = r === undefined && this.firstEnd === this.first;
    if (nothingYet || start === this.end) {
      // Nothing yet, or the piece starts where the last range ends: it all goes in.
      this.store.set(end - start === piece.length ? piece : piece.subarray(0, end - start), this.at + start);
      if (nothingYet) this.first = start;
      if (r === undefined) this.firstEnd = end;
      else r[r.length - 1] = end;
      return;
    }
    r ??= this.ranges = [this.first, this.firstEnd];
    const n = r.length;
    // Fill only the holes between existing ranges, so earlier bytes win.
    let at = start;
    for (let i = 0; i < n; i += 2) {
      const rs = r[i];
      const re = r[i + 1];
      if (re <= at) continue;
      if (rs >= end) break;
      if (rs > at) this.store.set(piece.subarray(at - start, rs - start), this.at + at);
      at = Math.max(at, re);
      if (at >= end) break;
    }
    if (at < end) this.store.set(piece.subarray(at - start, end - start), this.at + at);
    this.addRange(start, end);
  }

  /** The bytes from offset 0 up to the first hole. */
  contiguous(): Uint8Array {
    const length = this.contiguousLength;
    return length === 0 ? new Uint8Array(0) : this.store.slice(this.at, this.at + length);
  }

  /** The bytes from offset 0 up to the first hole, as a view (valid until the next write). */
  peek(): Uint8Array {
    if (this.view === undefined) {
      const length = this.contiguousLength;
      const whole = length === this.store.length && this.at === 0;
      this.view = length === 0 ? NONE : whole ? this.store : this.store.subarray(this.at, this.at + length);
    }
    return this.view;
  }

  /** Gives back the room allocated past the last byte written (for a buffer that will wait long). */
  compact(): void {
    const end = this.end;
    if (end < this.room) this.resize(end);
    this.view = undefined;
  }

  /**
   * Empties the buffer and gives its room back (to its pool, if it has one). Views of its
   * bytes handed out before stay valid: the room is not handed out again.
   */
  free(): void {
    this.leaveSlab();
    this.setRoom(NONE, 0, 0);
    this.clearRanges();
  }

  /** Bytes allocated for the buffer now. */
  get capacity(): number {
    return this.room;
  }

  /** Length of the bytes from offset 0 up to the first hole. */
  get contiguousLength(): number {
    const r = this.ranges;
    if (r === undefined) return this.first === 0 ? this.firstEnd : 0;
    return r.length > 0 && r[0] === 0 ? r[1] : 0;
  }

  /** True when some bytes lie past a hole (or no byte sits at offset 0). */
  get hasHole(): boolean {
    const r = this.ranges;
    if (r === undefined) return this.firstEnd > this.first && this.first !== 0;
    return r.length > 2 || (r.length === 2 && r[0] !== 0);
  }

  /** One past the last byte written (0 when none was). */
  get end(): number {
    const r = this.ranges;
    if (r === undefined) return this.firstEnd;
    return r.length === 0 ? 0 : r[r.length - 1];
  }

  /** True when `bytes` at `offset` equal every byte already written where they overlap. */
  agrees(offset: number, bytes: Uint8Array): boolean {
    const end = offset + bytes.length;
    const r = this.spans();
    for (let k = 0; k < r.length; k += 2) {
      const rs = r[k];
      const re = r[k + 1];
      if (re <= offset) continue;
      if (rs >= end) break;
      for (let i = Math.max(rs, offset); i < Math.min(re, end); i++) {
        if (this.store[this.at + i] !== bytes[i - offset]) return false;
      }
    }
    return true;
  }

  /** True when no bytes were written. */
  get empty(): boolean {
    return this.ranges === undefined ? this.firstEnd === this.first : this.ranges.length === 0;
  }

  /** Moves every byte `delta` places later (delta > 0), as when a stream's start turns out to be earlier. */
  shift(delta: number): void {
    if (delta <= 0 || this.empty) return;
    const old = this.store;
    const oldAt = this.at;
    const oldRanges = this.spans();
    this.leaveSlab();
    this.setRoom(NONE, 0, 0);
    this.clearRanges();
    for (let k = 0; k < oldRanges.length; k += 2)
      this.write(oldRanges[k] + delta, old.subarray(oldAt + oldRanges[k], oldAt + oldRanges[k + 1]));
  }

  private grow(end: number): void {
    if (end <= this.room) return;
    // The first piece's size (most handshake streams are one segment, a few hundred bytes:
    // a buffer of just that size waits for the server without being trimmed), then doubling.
    // Without a pool, at least 256 bytes first: an array of its own costs more than its bytes.
    let size = this.room === 0 ? Math.max(end, this.pool ? 0 : 256) : this.room * 2;
    while (size < end) size *= 2;
    this.resize(Math.min(size, this.cap));
  }

  /** Moves the bytes into new room of `size` bytes (at least {@link end}). */
  private resize(size: number): void {
    const old = this.store;
    const oldAt = this.at;
    this.leaveSlab();
    const slab = size === 0 ? undefined : this.pool?.carve(this, size);
    if (slab === undefined) this.setRoom(new Uint8Array(size), 0, size);
    else {
      this.slab = slab;
      this.slabIndex = slab.owners.length - 1;
      this.setRoom(slab.bytes, slab.used - size, size);
    }
    const end = Math.min(this.end, size);
    if (end > 0) this.store.set(old.subarray(oldAt, oldAt + end), this.at);
  }

  private setRoom(store: Uint8Array, at: number, room: number): void {
    this.store = store;
    this.at = at;
    this.room = room;
    this.view = undefined;
  }

  /** Gives the buffer's room in its slab back to the pool (its bytes stay readable where they are). */
  private leaveSlab(): void {
    const slab = this.slab;
    if (slab === undefined) return;
    this.slab = undefined;
    this.pool?.giveBack(slab, this.slabIndex, this.room);
  }

  /**
   * Moves the bytes into room carved now: the pool is packing its buffers into fresh slabs
   * and has already let go of the one this buffer was in.
   * @internal
   */
  moveToSlab(): void {
    this.slab = undefined;
    this.resize(this.room);
  }

  /** The ranges, flat (see {@link ranges}). */
  private spans(): readonly number[] {
    return this.ranges ?? (this.firstEnd > this.first ? [this.first, this.firstEnd] : []);
  }

  private clearRanges(): void {
    this.first = 0;
    this.firstEnd = 0;
    this.ranges = undefined;
  }

  private addRange(start: number, end: number): void {
    const r = this.spans();
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
