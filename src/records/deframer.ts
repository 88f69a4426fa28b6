/**
 * Incremental record deframing: bytes arrive in any chunking, whole records come out.
 */
import { DecodeError, type Problem } from '../bytes/errors.ts';
import { concatBytes } from '../bytes/hex.ts';
import { Reader } from '../bytes/reader.ts';
import { notTlsError } from './not-tls.ts';
import { checkRecordHeader, type DecodedRecord, RECORD_HEADER_LENGTH } from './record.ts';

/** Options for {@link RecordDeframer}. */
export interface RecordDeframerOptions {
  /** Enforce RFC 8446 §5.1/§5.2 limits (default true); lenient mode collects them in `problems`. */
  readonly strict?: boolean;
  /**
   * Most bytes kept waiting for a record to complete (default 5 + 2^16, every record a
   * 16-bit length can describe). A record that would need more is `too-large`.
   */
  readonly maxBufferedBytes?: number;
  /** Check that the stream starts like TLS and fail with `not-tls` otherwise (default true). */
  readonly detectNotTls?: boolean;
}

/**
 * Turns a byte stream into records. `push` accepts any chunking of the input (one byte at a
 * time, many records per chunk) and returns the records completed by that chunk; partial
 * records wait for the next chunk. Offsets are stream offsets. After an error the deframer
 * is failed and every later `push` throws the same error.
 *
 * @example
 * const d = new RecordDeframer();
 * socket.on('data', (chunk) => { for (const rec of d.push(chunk)) handle(rec) });
 */
export class RecordDeframer {
  private buffer: Uint8Array = new Uint8Array(0);
  private bufferOffset = 0;
  private failed: DecodeError | null = null;
  private readonly strict: boolean;
  private readonly maxBufferedBytes: number;
  private readonly detectNotTls: boolean;
  /** Faults collected in lenient mode. */
  readonly problems: Problem[] = [];

  constructor(options: RecordDeframerOptions = {}) {
    this.strict = options.strict ?? true;
    this.maxBufferedBytes = options.maxBufferedBytes ?? RECORD_HEADER_LENGTH + 0xffff;
    this.detectNotTls = options.detectNotTls ?? true;
    if (!Number.isInteger(this.maxBufferedBytes) || this.maxBufferedBytes < RECORD_HEADER_LENGTH) {
      throw new RangeError(
        `"maxBufferedBytes" expected an integer ≥ ${RECORD_HEADER_LENGTH}, got ${options.maxBufferedBytes}`,
      );
    }
  }

  /** Bytes waiting for their record to complete. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Stream offset of the first byte not yet returned in a record. */
  get offset(): number {
    return this.bufferOffset;
  }

  /** The error that stopped the deframer, if any. */
  get error(): DecodeError | null {
    return this.failed;
  }

  /**
   * Adds bytes; returns the records they complete, in order.
   * @throws {DecodeError} `not-tls`, `too-large`, `unexpected-message`, `bad-length`
   */
  push(chunk: Uint8Array): DecodedRecord[] {
    if (this.failed) throw this.failed;
    if (chunk.length === 0) return [];
    const data = this.buffer.length === 0 ? chunk : concatBytes(this.buffer, chunk);
    const out: DecodedRecord[] = [];
    let pos = 0;
    try {
      while (true) {
        const streamOffset = this.bufferOffset + pos;
        if (this.detectNotTls && streamOffset === 0) {
          const err = notTlsError(data.subarray(0, 32), 0);
          if (err) throw err;
        }
        if (data.length - pos < RECORD_HEADER_LENGTH) break;
        const r = new Reader(data.subarray(pos), {
          path: ['stream', 'record'],
          strict: this.strict,
          baseOffset: streamOffset,
        });
        const contentType = r.u8('content_type');
        const version = r.u16('legacy_record_version');
        const length = r.u16('length');
        checkRecordHeader(r, contentType, length, 0);
        if (RECORD_HEADER_LENGTH + length > this.maxBufferedBytes) {
          throw new DecodeError({
            code: 'too-large',
            offset: streamOffset + 3,
            path: 'stream.record.length',
            alert: 'record_overflow',
            detail: `record of ${length} bytes does not fit maxBufferedBytes ${this.maxBufferedBytes}`,
          });
        }
        if (data.length - pos < RECORD_HEADER_LENGTH + length) break;
        for (const p of r.problems) this.problems.push(p);
        const fragment = data.slice(pos + RECORD_HEADER_LENGTH, pos + RECORD_HEADER_LENGTH + length);
        out.push({ contentType, version, fragment, offset: streamOffset });
        pos += RECORD_HEADER_LENGTH + length;
      }
    } catch (e) {
      if (e instanceof DecodeError) this.failed = e;
      throw e;
    }
    this.buffer = pos === data.length ? new Uint8Array(0) : data.slice(pos);
    this.bufferOffset += pos;
    if (this.buffer.length > this.maxBufferedBytes) {
      this.failed = new DecodeError({
        code: 'too-large',
        offset: this.bufferOffset,
        path: 'stream',
        alert: 'record_overflow',
        detail: `${this.buffer.length} bytes buffered, over maxBufferedBytes ${this.maxBufferedBytes}`,
      });
      throw this.failed;
    }
    return out;
  }

  /**
   * Declares the end of the stream.
   * @throws {DecodeError} `truncated` when a record was left incomplete
   */
  end(): void {
    if (this.failed) throw this.failed;
    if (this.buffer.length > 0) {
      this.failed = new DecodeError({
        code: 'truncated',
        offset: this.bufferOffset,
        path: 'stream.record',
        alert: 'decode_error',
        detail: `stream ended inside a record (${this.buffer.length} bytes of it arrived)`,
      });
      throw this.failed;
    }
  }
}
