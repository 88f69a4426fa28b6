/**
 * Every handshake in a capture: from a whole buffer (a result with all of them) or from a
 * stream of chunks (an async iterable that yields each one as soon as it is whole, with
 * memory bounded whatever the capture's size).
 */
import { CaptureScanner, type CaptureScanOptions, type CaptureScanStats } from './scanner.ts';
import { type CaptureSource, chunksOf } from './source.ts';
import type { CapturedHandshake } from './stream-handshakes.ts';

export * from './stream-handshakes.ts';

/** What {@link captureHandshakes} returns for a whole buffer. */
export interface CaptureHandshakesResult {
  readonly handshakes: CapturedHandshake[];
  /** Capture damage, unusable packets, and streams whose TLS bytes stopped decoding (capped per kind, with counts). */
  readonly warnings: string[];
}

/** Options for {@link captureHandshakes}. */
export type CaptureHandshakesOptions = CaptureScanOptions;

/**
 * Every ClientHello in a pcap or pcapng capture, with the ServerHello that answered it.
 *
 * Given bytes, returns them all (in order of their connection's first packet). Given a
 * stream — a web `ReadableStream` such as `File.stream()`, a Node `Readable`, any async
 * iterable of `Uint8Array` — returns a {@link CaptureHandshakeStream} that yields each
 * handshake as soon as its connection's hellos are whole, in that order.
 * Damaged captures give what could be read, and warnings that say where reading stopped.
 * @throws {DecodeError} when the input is not a pcap or pcapng file
 * @example
 * const { handshakes } = captureHandshakes(fileBytes);
 * for await (const h of captureHandshakes(file.stream())) console.log(h.server.ip, ja4(h.clientHello));
 */
export function captureHandshakes(
  bytes: Uint8Array,
  options?: CaptureHandshakesOptions,
): CaptureHandshakesResult;
export function captureHandshakes(
  source: CaptureSource,
  options?: CaptureHandshakesOptions,
): CaptureHandshakeStream;
export function captureHandshakes(
  input: Uint8Array | CaptureSource,
  options: CaptureHandshakesOptions = {},
): CaptureHandshakesResult | CaptureHandshakeStream {
  if (!(input instanceof Uint8Array)) return new CaptureHandshakeStream(input, options);
  const scanner = new CaptureScanner(options);
  const handshakes = [...scanner.push(input), ...scanner.end()];
  // The order of the connections' first packets (TCP before QUIC on a tie), as tshark numbers them.
  handshakes.sort(
    (x, y) =>
      x.firstSeen - y.firstSeen ||
      (x.transport === y.transport ? 0 : x.transport === 'tcp' ? -1 : 1) ||
      x.stream - y.stream ||
      x.helloIndex - y.helloIndex,
  );
  return { handshakes, warnings: scanner.warnings.lines() };
}

/**
 * The handshakes of a capture read as a stream. Iterate it once; afterwards (or during)
 * {@link warnings} and {@link stats} tell what else was met. Reading stops when the loop
 * stops (the source is cancelled).
 * @example
 * const hs = captureHandshakes(file.stream());
 * for await (const h of hs) show(h);
 * console.log(hs.stats().packets, hs.warnings());
 */
export class CaptureHandshakeStream implements AsyncIterable<CapturedHandshake> {
  private readonly source: CaptureSource;
  private readonly scanner: CaptureScanner;
  private used = false;

  constructor(source: CaptureSource, options: CaptureHandshakesOptions = {}) {
    this.source = source;
    this.scanner = new CaptureScanner(options);
  }

  /** The warnings so far: kept lines, then how many more of each kind were counted. */
  warnings(): string[] {
    return this.scanner.warnings.lines();
  }

  /** One line per kind of warning that went over the cap, with its count. */
  overflowWarnings(): string[] {
    return this.scanner.warnings.overflowLines();
  }

  /** Counts so far: bytes, packets, handshakes, connections tracked, evictions, warnings by kind. */
  stats(): CaptureScanStats {
    return this.scanner.stats();
  }

  /** Decryption Secrets Blocks met so far (pcapng). */
  get decryptionSecrets(): CaptureScanner['decryptionSecrets'] {
    return this.scanner.decryptionSecrets;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<CapturedHandshake> {
    if (this.used) throw new TypeError('a CaptureHandshakeStream can be iterated once');
    this.used = true;
    for await (const chunk of chunksOf(this.source)) {
      yield* this.scanner.push(chunk);
      // Broken framing: nothing after it can be read, so stop reading the source.
      if (this.scanner.done) break;
    }
    yield* this.scanner.end();
  }
}
