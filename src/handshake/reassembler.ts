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
  private buffer: Uint8Array = new Uint8Array(0);
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
    return this.buffer.length;
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
    const base = this.buffer.length;
    const data = base === 0 ? fragment : join(this.buffer, fragment);
    let segments = [...this.segments, { start: base, inputOffset }];
    const out: ReassembledMessage[] = [];
    let pos = 0;
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
      const own = segmentsFor(segments, pos, total);
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
    segments = segmentsFor(segments, pos, data.length - pos);
    this.buffer = data.slice(pos);
    this.segments = this.buffer.length === 0 ? [] : segments;
    return out;
  }

  /**
   * Declares that no more fragments come.
   * @throws {DecodeError} `truncated` when a message was left incomplete
   */
  end(): void {
    if (this.failed) throw this.failed;
    if (this.buffer.length > 0) {
      throw new DecodeError({
        code: 'truncated',
        offset: this.segments[0].inputOffset,
        path: 'handshake',
        alert: 'decode_error',
        detail: `input ended inside a handshake message (${this.buffer.length} bytes of it arrived)`,
      });
    }
  }
}

/** The segments of `all` covering bytes `from .. from+length` of the buffer, rebased to `from`. */
function segmentsFor(all: readonly Segment[], from: number, length: number): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < all.length; i++) {
    const start = all[i].start;
    const end = i + 1 < all.length ? all[i + 1].start : Number.POSITIVE_INFINITY;
    if (end <= from || start >= from + length) continue;
    const at = Math.max(start, from);
    out.push({ start: at - from, inputOffset: all[i].inputOffset + (at - start) });
  }
  if (out.length === 0) out.push({ start: 0, inputOffset: mapOffset(all, from) });
  return out;
}

/**
 * The input offset of byte `pos` of a message spread over `segments`.
 * @example mapOffset([{ start: 0, inputOffset: 5 }, { start: 10, inputOffset: 20 }], 12) // 22
 */
export function mapOffset(segments: readonly Segment[], pos: number): number {
  let seg = segments[0];
  for (const s of segments) if (s.start <= pos) seg = s;
  return seg ? seg.inputOffset + (pos - seg.start) : pos;
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

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
