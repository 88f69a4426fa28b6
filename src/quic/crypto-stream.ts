/**
 * One CRYPTO stream (RFC 9000 §19.6) of one packet number space, as a receiver reassembles
 * it: frames placed by offset in any order (repeats and overlaps keep the first bytes), and
 * the bytes that became contiguous since the last look handed on once.
 */
import { RangeBuffer } from '../bytes/range-buffer.ts';

/**
 * A bounded CRYPTO stream reassembler.
 * @example
 * const s = new CryptoStream(64 * 1024);
 * s.write(5, later); s.write(0, first);
 * s.take(); // first and later, joined; the next take() gives only what comes after
 */
export class CryptoStream {
  private readonly buffer: RangeBuffer;
  private handed = 0;

  /** @param cap the most bytes kept (a frame reaching past it is cut) */
  constructor(cap: number) {
    this.buffer = new RangeBuffer(cap);
  }

  /** Places the data of one CRYPTO frame at its offset. */
  write(offset: number, data: Uint8Array): void {
    this.buffer.write(offset, data);
  }

  /** True once a frame reached past the cap. */
  get truncated(): boolean {
    return this.buffer.truncated;
  }

  /** Bytes from offset 0 up to the first hole. */
  get contiguousLength(): number {
    return this.buffer.contiguousLength;
  }

  /** The bytes that became contiguous since the last call (empty when none did). */
  take(): Uint8Array {
    const length = this.buffer.contiguousLength;
    if (length <= this.handed) return new Uint8Array(0);
    const fresh = this.buffer.peek().slice(this.handed, length);
    this.handed = length;
    return fresh;
  }
}
