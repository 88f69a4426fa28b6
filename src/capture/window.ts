/**
 * The bytes a streaming capture reader is looking at: what is left of earlier chunks (an
 * unfinished record or block) joined with the newest chunk. Only the unfinished part is
 * carried over, so memory is one chunk plus at most one record, whatever the file size.
 */

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

  /** The unconsumed bytes followed by `chunk`. */
  feed(chunk: Uint8Array): ByteSpan {
    let bytes = chunk;
    if (this.rest.length > 0) {
      bytes = new Uint8Array(this.rest.length + chunk.length);
      bytes.set(this.rest);
      bytes.set(chunk, this.rest.length);
    }
    return {
      bytes,
      view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      fileOffset: this.restOffset,
    };
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
