/**
 * Where a streaming capture reader gets its bytes: a web `ReadableStream` (`File.stream()`,
 * `fetch().body`), any async iterable of `Uint8Array` (a Node `Readable` is one), or a plain
 * iterable of chunks.
 */

/** A stream of capture bytes in chunks of any size. */
export type CaptureSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/**
 * The chunks of `source`, in order. A `ReadableStream` is read with its reader (Safari's has
 * no async iterator) and cancelled when the loop stops early.
 * @example
 * for await (const chunk of chunksOf(file.stream())) total += chunk.length;
 */
export async function* chunksOf(source: CaptureSource): AsyncGenerator<Uint8Array> {
  if (isReadableStream(source)) {
    const reader = source.getReader();
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          finished = true;
          return;
        }
        yield checkChunk(value);
      }
    } finally {
      if (!finished) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  if (Symbol.asyncIterator in source) {
    for await (const chunk of source as AsyncIterable<Uint8Array>) yield checkChunk(chunk);
    return;
  }
  if (Symbol.iterator in source) {
    for (const chunk of source as Iterable<Uint8Array>) yield checkChunk(chunk);
    return;
  }
  throw new TypeError('"source" expected a ReadableStream, an async iterable or an iterable of Uint8Array');
}

function isReadableStream(x: unknown): x is ReadableStream<Uint8Array> {
  return typeof (x as ReadableStream | null)?.getReader === 'function';
}

function checkChunk(chunk: unknown): Uint8Array {
  if (!(chunk instanceof Uint8Array))
    throw new TypeError(`capture source chunks expected Uint8Array, got ${typeof chunk}`);
  return chunk;
}
