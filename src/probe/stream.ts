/**
 * `probeStream()`: the probe over any byte stream the caller has already opened — a pair of web
 * `ReadableStream` / `WritableStream` (a WebSocket bridge, a Deno or Bun connection, an SSH
 * channel, an in-memory pipe in a test), or an async iterable of chunks and a write function.
 * The same engine, bounds and {@link ProbeResult} as `probe()` in hellokit/node, which drives it
 * over a TCP socket. Platform-neutral: global timers and `performance` only.
 */
import type { CertificateDecompressors } from './decompress.ts';
import { webCertificateDecompressors } from './decompress.ts';
import {
  engineFor,
  engineOptionsFrom,
  ProbeClock,
  plannedWrites,
  probeBounds,
  probeResult,
} from './session.ts';
import type { ProbeOptions, ProbeResult, StopReason } from './types.ts';

/** The two ends of an open byte stream to the server. */
export interface ProbeDuplex {
  /** The server's bytes: a web ReadableStream, or any async iterable of Uint8Array chunks (a Node stream is one). */
  readonly readable: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  /** Where the client's bytes go: a web WritableStream (closed when the probe ends), or a write function. */
  readonly writable: WritableStream<Uint8Array> | ((bytes: Uint8Array) => void | Promise<void>);
}

/**
 * Options of {@link probeStream}: those of `probe()` that do not name a socket or a file, and
 * how certificates are decompressed and summarised.
 */
export interface StreamProbeOptions<C = Uint8Array> extends Omit<ProbeOptions, 'keylog' | 'localAddress'> {
  /** Receives NSS key log lines as the secrets become known (no file here: the platform may have none). */
  readonly keylog?: (line: string) => void;
  /** What `result.target` says (default `{ host: '', port: 0 }`: the stream has no address the probe knows). */
  readonly target?: { readonly host: string; readonly port: number };
  /** For a TLS 1.3 CompressedCertificate (default `webCertificateDecompressors()`; in Node pass `nodeCertificateDecompressors`). */
  readonly decompressors?: CertificateDecompressors;
  /**
   * Turns the server's certificates (DER, end-entity first) into `result.certificates`; without
   * it they stay raw DER. In Node, `summarizeCertificates` from hellokit/node gives the same
   * result as `probe()`.
   */
  readonly summarizeCertificates?: (chain: readonly Uint8Array[]) => readonly C[] | Promise<readonly C[]>;
}

/** True for a stream error that means the peer reset the connection. */
function isReset(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

function messageOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const text = e instanceof Error ? e.message : String(e);
  return typeof code === 'string' && !text.includes(code) ? `${code} ${text}` : text;
}

/**
 * A pull of the next chunk, and a way to stop pulling, for either kind of readable.
 * @internal shared by probeStream() and probeQuicDatagrams()
 */
export function sourceOf(readable: ProbeDuplex['readable']): {
  next: () => Promise<IteratorResult<Uint8Array>>;
  stop: () => void;
} {
  if (readable && typeof (readable as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (readable as ReadableStream<Uint8Array>).getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      stop: () => void reader.cancel().catch(() => {}),
    };
  }
  if (readable && typeof (readable as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    const iterator = (readable as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    return {
      next: () => iterator.next(),
      stop: () => void iterator.return?.()?.catch(() => {}),
    };
  }
  throw new TypeError('"readable" expected a ReadableStream or an async iterable of Uint8Array');
}

/**
 * A write and a close for either kind of writable; write errors go to `failed`.
 * @internal shared by probeStream() and probeQuicDatagrams()
 */
export function sinkOf(
  writable: ProbeDuplex['writable'],
  failed: (e: unknown) => void,
): { write: (bytes: Uint8Array) => void; close: () => void } {
  if (typeof writable === 'function') {
    return {
      write: (bytes) => {
        try {
          Promise.resolve(writable(bytes)).catch(failed);
        } catch (e) {
          failed(e);
        }
      },
      close: () => {},
    };
  }
  if (writable && typeof (writable as WritableStream<Uint8Array>).getWriter === 'function') {
    const writer = (writable as WritableStream<Uint8Array>).getWriter();
    return {
      write: (bytes) => void writer.write(bytes).catch(failed),
      // Our side closes (a TCP FIN on a socket underneath), as probe() does.
      close: () => void writer.close().catch(() => {}),
    };
  }
  throw new TypeError('"writable" expected a WritableStream or a write function');
}

/**
 * Sends one ClientHello (a value, or exact `bytes`) over `duplex` and reports what came back,
 * as `probe()` does over TCP. `timings.connectMs` is 0: the stream was open before the probe.
 * @example
 * // a Deno TCP connection, a WebSocket bridge, or Node: Duplex.toWeb(tls socket's raw side)
 * const r = await probeStream({ readable: conn.readable, writable: conn.writable }, { serverName: 'hellokit.test' });
 * r.outcome // 'server_hello'
 * r.certificates[0] // Uint8Array: the end-entity certificate's DER
 * @throws {TypeError|RangeError} for a malformed duplex or option; every server behaviour is a result
 */
export function probeStream(
  duplex: ProbeDuplex,
  options?: StreamProbeOptions<Uint8Array> & { readonly summarizeCertificates?: undefined },
): Promise<ProbeResult<Uint8Array>>;
export function probeStream<C>(
  duplex: ProbeDuplex,
  options: StreamProbeOptions<C> & {
    readonly summarizeCertificates: StreamProbeOptions<C>['summarizeCertificates'];
  },
): Promise<ProbeResult<C>>;
export async function probeStream<C>(
  duplex: ProbeDuplex,
  options: StreamProbeOptions<C> = {},
): Promise<ProbeResult<C | Uint8Array>> {
  if (!duplex || typeof duplex !== 'object')
    throw new TypeError(
      `"duplex" expected { readable, writable }, got ${duplex === null ? 'null' : typeof duplex}`,
    );
  const { timeoutMs, idleTimeoutMs, maxBytes } = probeBounds(options);
  const engine = engineFor(options, {
    ...engineOptionsFrom(options, maxBytes, false),
    decompressors: options.decompressors ?? webCertificateDecompressors(),
    ...(options.keylog ? { keylog: options.keylog } : {}),
  });
  const writes = plannedWrites(engine.helloBytes, options.write ?? 'single');

  const clock = new ProbeClock(timeoutMs, idleTimeoutMs);
  let firstByteMs: number | null = null;
  let fail: (e: unknown) => void = () => {};
  const source = sourceOf(duplex.readable);
  const sink = sinkOf(duplex.writable, (e) => fail(e));

  const reason = await new Promise<StopReason>((resolve) => {
    let settled = false;
    const finish = (why: StopReason, error?: string) => {
      if (settled) return;
      settled = true;
      engine.stop(why, error);
      clock.clear();
      sink.close();
      source.stop();
      resolve(engine.stopReason ?? why);
    };
    fail = (e) => finish(isReset(e) ? 'reset' : 'socket_error', messageOf(e));
    clock.start(finish);
    const send = (bytes: Uint8Array) => {
      if (settled) return;
      engine.logSent(bytes, clock.now());
      sink.write(bytes);
    };
    clock.armIdle();
    clock.schedule(writes, send);
    void (async () => {
      try {
        for (;;) {
          const next = await source.next();
          if (settled) return;
          if (next.done) return finish('closed');
          const chunk = next.value;
          if (!(chunk instanceof Uint8Array))
            return finish('socket_error', `the stream gave a ${typeof chunk}, not a Uint8Array`);
          if (chunk.length === 0) continue;
          firstByteMs ??= clock.now();
          clock.armIdle();
          const step = engine.receive(chunk, clock.now());
          for (const b of step.send) send(b);
          if (step.waitMs !== undefined) clock.armIdle(step.waitMs);
          if (step.done) return finish(engine.stopReason ?? 'complete');
        }
      } catch (e) {
        fail(e);
      }
    })();
  });

  const totalMs = clock.now();
  const chain = await engine.certificates();
  const certificates = options.summarizeCertificates ? await options.summarizeCertificates(chain) : chain;
  return probeResult<C | Uint8Array>(
    engine,
    reason,
    options.target ?? { host: '', port: 0 },
    { connectMs: 0, firstByteMs, totalMs },
    certificates,
  );
}
