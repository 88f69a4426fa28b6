/**
 * Handshake reassembly (RFC 8446 §5.1): a message may span records and a record may hold
 * several messages. Fragments go in, whole messages come out.
 */
import { DecodeError, type Problem } from '../bytes/errors.ts';
import { HANDSHAKE_HEADER_LENGTH } from './header.ts';

/** Where a run of a message's bytes came from in the caller's input. */
export interface Segment {
  /** Index into the message's `raw` bytes where the run starts. */
  readonly start: number;
  /** Input offset of that byte. */
  readonly inputOffset: number;
}

/** A whole handshake message. */
export interface ReassembledMessage {
  readonly msgType: number;
  /** Body length. */
  readonly length: number;
  /** Header and body, exactly as received. */
  readonly raw: Uint8Array;
  /** The body (a view into `raw`). */
  readonly body: Uint8Array;
  /** Input offset of the header's first byte. */
  readonly offset: number;
  /** Input offsets of the message's runs, one per record it spans (for error offsets). */
  readonly segments: readonly Segment[];
}

/** Options for {@link HandshakeReassembler}. */
export interface HandshakeReassemblerOptions {
  /**
   * Largest body accepted (default 2^18, room for long certificate chains as Go's
   * crypto/tls allows). A header claiming more fails with `too-large` at once.
   */
  readonly maxMessageSize?: number;
}

/**
 * Collects handshake record fragments into messages.
 * @example
 * const hs = new HandshakeReassembler();
 * for (const rec of records) for (const msg of hs.push(rec.fragment, rec.offset + 5)) console.log(msg.msgType);
 */
export class HandshakeReassembler {
  // Pending bytes live in `storage[0 .. length)`, which doubles as it fills, and each push adds
  // one segment: a message sent one byte a record costs time in proportion to its size.
  private storage: Uint8Array = new Uint8Array(0);
  private length = 0;
  private segments: Segment[] = [];
  private failed: DecodeError | null = null;
  private readonly maxMessageSize: number;

  constructor(options: HandshakeReassemblerOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? 1 << 18;
    if (!Number.isInteger(this.maxMessageSize) || this.maxMessageSize < 0) {
      throw new RangeError(`"maxMessageSize" expected a non-negative integer, got ${options.maxMessageSize}`);
    }
  }

  /** Bytes of an incomplete message waiting for more fragments. */
  get pending(): number {
    return this.length;
  }

  /** Input offset of the pending partial message, or null. */
  get pendingOffset(): number | null {
    return this.segments.length > 0 ? this.segments[0].inputOffset : null;
  }

  /**
   * Adds one record's fragment; `inputOffset` is the input offset of its first byte.
   * @throws {DecodeError} `too-large` when a header claims more than `maxMessageSize`
   */
  push(fragment: Uint8Array, inputOffset = 0): ReassembledMessage[] {
    if (this.failed) throw this.failed;
    if (fragment.length === 0) return [];
    const base = this.length;
    const data = base === 0 ? fragment : this.append(fragment);
    const segments = this.segments;
    segments.push({ start: base, inputOffset });
    const out: ReassembledMessage[] = [];
    let pos = 0;
    let first = 0;
    while (data.length - pos >= HANDSHAKE_HEADER_LENGTH) {
      const length = (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3];
      if (length > this.maxMessageSize) {
        this.failed = new DecodeError({
          code: 'too-large',
          offset: mapOffset(segments, pos + 1),
          path: 'handshake.length',
          alert: 'decode_error',
          detail: `handshake message of ${length} bytes exceeds maxMessageSize ${this.maxMessageSize}`,
        });
        throw this.failed;
      }
      const total = HANDSHAKE_HEADER_LENGTH + length;
      if (data.length - pos < total) break;
      const raw = data.slice(pos, pos + total);
      first = firstSegment(segments, pos, first);
      const own = segmentsFor(segments, first, pos, total);
      out.push({
        msgType: raw[0],
        length,
        raw,
        body: raw.subarray(HANDSHAKE_HEADER_LENGTH),
        offset: own[0].inputOffset,
        segments: own,
      });
      pos += total;
    }
    if (pos === data.length) {
      this.length = 0;
      this.segments = [];
      if (this.storage.length > 1 << 16) this.storage = new Uint8Array(0);
    } else if (pos > 0 || base === 0) {
      // Keep the rest, at the start of `storage` (which already holds it when base > 0).
      const rest = data.length - pos;
      this.segments = segmentsFor(segments, firstSegment(segments, pos, first), pos, rest);
      if (base === 0) {
        if (this.storage.length < rest) this.storage = new Uint8Array(Math.max(rest * 2, 4096));
        this.storage.set(data.subarray(pos), 0);
      } else {
        this.storage.copyWithin(0, pos, pos + rest);
      }
      this.length = rest;
    }
    return out;
  }

  /** Appends `fragment` to the pending bytes; returns them all. */
  private append(fragment: Uint8Array): Uint8Array {
    const needed = this.length + fragment.length;
    if (this.storage.length < needed) {
      const grown = new Uint8Array(Math.max(needed, this.storage.length * 2));
      grown.set(this.storage.subarray(0, this.length), 0);
      this.storage = grown;
    }
    this.storage.set(fragment, this.length);
    this.length = needed;
    return this.storage.subarray(0, needed);
  }

  /**
   * Declares that no more fragments come.
   * @throws {DecodeError} `truncated` when a message was left incomplete
   */
  end(): void {
    if (this.failed) throw this.failed;
    if (this.length > 0) {
      throw new DecodeError({
        code: 'truncated',
        offset: this.segments[0].inputOffset,
        path: 'handshake',
        alert: 'decode_error',
        detail: `input ended inside a handshake message (${this.length} bytes of it arrived)`,
      });
    }
  }
}

/** Index of the segment of `all` holding byte `pos`, searching on from `hint` (positions only grow). */
function firstSegment(all: readonly Segment[], pos: number, hint: number): number {
  let i = hint;
  while (i + 1 < all.length && all[i + 1].start <= pos) i++;
  return i;
}

/**
 * The segments of `all` covering bytes `from .. from+length` of the buffer, rebased to `from`;
 * `first` is the index of the segment holding `from`.
 */
function segmentsFor(all: readonly Segment[], first: number, from: number, length: number): Segment[] {
  const out: Segment[] = [];
  for (let i = first; i < all.length && all[i].start < from + length; i++) {
    const at = Math.max(all[i].start, from);
    out.push({ start: at - from, inputOffset: all[i].inputOffset + (at - all[i].start) });
  }
  if (out.length === 0) out.push({ start: 0, inputOffset: mapOffset(all, from) });
  return out;
}

/**
 * The input offset of byte `pos` of a message spread over `segments`.
 * @example mapOffset([{ start: 0, inputOffset: 5 }, { start: 10, inputOffset: 20 }], 12) // 22
 */
export function mapOffset(segments: readonly Segment[], pos: number): number {
  if (segments.length === 0) return pos;
  // the last segment starting at or before `pos` (segments are in order of `start`), else the first
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].start <= pos) lo = mid;
    else hi = mid - 1;
  }
  const seg = segments[lo];
  return seg.inputOffset + (pos - seg.start);
}

/**
 * Runs a decoder that reports offsets relative to a message's `raw` bytes and rewrites the
 * offsets of thrown errors and collected problems to input offsets.
 */
export function withInputOffsets<T>(segments: readonly Segment[], fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DecodeError) throw remapError(e, segments);
    throw e;
  }
}

/** A copy of `e` with its offset moved into the input. */
export function remapError(e: DecodeError, segments: readonly Segment[]): DecodeError {
  return new DecodeError({ ...remapProblem(e, segments) });
}

/** A copy of `p` with its offset moved into the input. */
export function remapProblem(p: Problem, segments: readonly Segment[]): Problem {
  return {
    code: p.code,
    offset: mapOffset(segments, p.offset),
    path: p.path,
    alert: p.alert,
    detail: p.detail,
  };
}
