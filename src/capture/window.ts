/**
 * The bytes a streaming capture reader is looking at: what is left of earlier chunks (an
 * unfinished record or block) joined with the newest chunk. Only the unfinished part is
 * carried over, so memory is one chunk plus at most one record, whatever the file size.
 */

import type { CapturedPacket } from './types.ts';
import type { WarningLog } from './warnings.ts';

/** Bytes of a new chunk joined to held-over bytes before reading goes on in the chunk itself. */
const JOIN_HEAD = 64 * 1024;

/** A view of the bytes not yet consumed, with the file offset of their first byte. */
export interface ByteSpan {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** File offset of `bytes[0]`. */
  readonly fileOffset: number;
}

/**
 * Joins chunks into spans and keeps the unconsumed tail between them.
 * @example
 * const w = new ByteWindow(); const span = w.feed(chunk); w.consume(span, used);
 */
export class ByteWindow {
  private rest: Uint8Array = new Uint8Array(0);
  private restOffset = 0;

  /**
   * The unconsumed bytes followed by `chunk`, or by its first `limit` bytes only (see
   * {@link read}).
   */
  feed(chunk: Uint8Array, limit: number = chunk.length): ByteSpan {
    let bytes = chunk;
    if (this.rest.length > 0) {
      const head = chunk.subarray(0, limit);
      bytes = new Uint8Array(this.rest.length + head.length);
      bytes.set(this.rest);
      bytes.set(head, this.rest.length);
    }
    return {
      bytes,
      view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      fileOffset: this.restOffset,
    };
  }

  /**
   * Reads `chunk` through `parse` (which returns how many bytes of a span it used). Held-over
   * bytes are joined to a short head of the chunk only; once the held-over record is read,
   * reading goes on in the chunk itself, so a large chunk is not copied to join a few bytes.
   */
  read(chunk: Uint8Array, parse: (span: ByteSpan) => number): void {
    const held = this.rest.length;
    if (held > 0 && chunk.length > JOIN_HEAD) {
      const joined = this.feed(chunk, JOIN_HEAD);
      const used = parse(joined);
      if (used < held) {
        // The held-over record is longer than the head: join the rest of the chunk too.
        this.consume(joined, used);
        const whole = this.feed(chunk.subarray(JOIN_HEAD));
        this.consume(whole, parse(whole));
        return;
      }
      this.rest = new Uint8Array(0);
      this.restOffset = joined.fileOffset + used;
      chunk = chunk.subarray(used - held);
    }
    const span = this.feed(chunk);
    this.consume(span, parse(span));
  }

  /** Marks the first `used` bytes of `span` as read; the rest waits for the next chunk. */
  consume(span: ByteSpan, used: number): void {
    // A copy, so a caller's large chunk is not kept alive by a few leftover bytes.
    this.rest = used < span.bytes.length ? span.bytes.slice(used) : new Uint8Array(0);
    this.restOffset = span.fileOffset + used;
  }

  /** Bytes waiting for more input. */
  get pending(): Uint8Array {
    return this.rest;
  }

  /** File offset of the first pending byte. */
  get offset(): number {
    return this.restOffset;
  }
}

/** Where a streaming capture parser sends what it reads. */
export interface CaptureParserSink {
  packet(packet: CapturedPacket): void;
  readonly warnings: WarningLog;
}

/**
 * What the pcap and pcapng parsers share: chunks in through a {@link ByteWindow}, and a stop
 * on damage that ignores the rest of the input and says where reading stopped.
 */
export abstract class ChunkParser<Sink extends CaptureParserSink> {
  protected readonly window: ByteWindow = new ByteWindow();
  protected stopped = false;
  protected readonly sink: Sink;

  constructor(sink: Sink) {
    this.sink = sink;
  }

  /** True once damage stopped reading: later chunks are ignored. */
  get done(): boolean {
    return this.stopped;
  }

  /** Reads one more chunk; false once reading has stopped. */
  push(chunk: Uint8Array): boolean {
    if (this.stopped) return false;
    this.window.read(chunk, (span) => this.parse(span));
    return !this.stopped;
  }

  /** The input is over: a record or block left unfinished is reported as truncated. */
  abstract end(): void;

  /** Reads the whole records or blocks of `span`; how many bytes they took. */
  protected abstract parse(span: ByteSpan): number;

  protected stop(why: string, at: number): void {
    this.stopped = true;
    this.sink.warnings.add('capture-damage', `${why}; reading stopped at byte offset ${at}`);
  }
}
