import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CaptureScanner, type PendingStream } from '../../capture/scanner.ts';
import { type CaptureSource, chunksOf } from '../../capture/source.ts';
import type { Ja4AlpnRule } from '../../fingerprint/index.ts';
import { durationFlag, intFlag, parseFlags, stringFlag } from '../args.ts';
import type { Command, CommandIO } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { noteStdinWait } from '../input.ts';
import { schemaField } from '../json-contract.ts';
import { answerBatch, PcapWorkers, pcapWorkerScript } from './pcap-batch.ts';
import { type PcapLineOptions, streamLines } from './pcap-lines.ts';
import { OutputBytes } from './pcap-output.ts';

const flags = {
  json: {
    type: 'boolean',
    help: 'NDJSON: one line per handshake as it is found, then one summary line',
  },
  'ja4-alpn': {
    type: 'string',
    value: 'spec|reference',
    help: 'JA4 rule for non-alphanumeric ALPN (default spec)',
  },
  'flow-timeout': {
    type: 'string',
    value: 'TIME',
    help: 'forget a connection idle this long in capture time (default 120s)',
  },
  'max-flows': {
    type: 'string',
    value: 'N',
    help: 'most TCP connections (and UDP conversations) tracked at once (default 20000)',
  },
  threads: {
    type: 'string',
    value: 'N',
    help: 'worker threads that decode and fingerprint while this one reads (default 0: it does all; see docs/pcap.md)',
  },
} as const;

/** Bytes of output gathered before one write (a write per line would cost a system call each). */
const OUTPUT_BATCH = 64 * 1024;
/** Bytes read from a capture file per chunk. */
const READ_CHUNK = 256 * 1024;
/** Capture bytes read before worker threads are started: a small capture is done sooner without them. */
const WORKERS_AFTER = 8 * 1024 * 1024;
/** Connections per batch sent to a worker, and batches in flight per worker. */
const BATCH_STREAMS = 256;
const IN_FLIGHT_PER_WORKER = 4;
/** Batches answered and waiting for an older one before this thread waits for the oldest. */
const MAX_QUEUED = 16;
const NONE: readonly string[] = [];

/** `hellokit pcap FILE`: the handshakes in a pcap/pcapng capture with their fingerprints, streamed. */
export const pcapCommand: Command = {
  name: 'pcap',
  summary:
    'list the TLS/QUIC handshakes in a pcap or pcapng capture of any size (read as a stream), with JA3/JA4 (256 KiB kept per direction of a connection)',
  usage: 'pcap FILE|- [--json] [--flow-timeout TIME] [--max-flows N] [--threads N]',
  flags,
  async run(argv, io) {
    const started = performance.now();
    const { flags: f, positionals } = parseFlags('pcap', argv, flags);
    if (positionals.length !== 1)
      throw new UsageError('pcap: expects exactly one capture file (or - for stdin)');
    const alpnRule = (stringFlag(f, 'ja4-alpn') ?? 'spec') as Ja4AlpnRule;
    if (alpnRule !== 'spec' && alpnRule !== 'reference')
      throw new UsageError(`pcap: --ja4-alpn expects spec or reference, got ${JSON.stringify(alpnRule)}`);
    const flowTimeoutMs = durationFlag('pcap', f, 'flow-timeout', 120_000, 1, 365 * 86_400_000);
    const maxFlows = intFlag('pcap', f, 'max-flows', 20_000, 1, 10_000_000);
    const threads = intFlag('pcap', f, 'threads', 0, 0, 64);
    const lineOptions: PcapLineOptions = { json: f.json === true, alpnRule };
    const json = lineOptions.json;
    const source = await openCapture(positionals[0], io);
    const scanner = new CaptureScanner({
      flowTimeoutSeconds: flowTimeoutMs / 1000,
      maxFlows,
      onWarning: (w) => io.err(`hellokit pcap: warning: ${w}\n`),
    });
    const out = new BatchedOutput(io);
    const script = threads > 0 ? pcapWorkerScript() : undefined;
    let workers: PcapWorkers | undefined;
    // Writes the oldest batch's answer and settles its connections in the scanner.
    const takeOldest = async (): Promise<void> => {
      const sent = workers?.next();
      if (!sent) return;
      const r = await sent.result;
      let w = 0;
      for (let i = 0; i < sent.streams.length; i++) {
        const from = w;
        while (w < r.warningAt.length && r.warningAt[w] === i) w++;
        scanner.settle(sent.streams[i], r.handshakes[i], from === w ? NONE : r.warningText.slice(from, w));
      }
      await out.writeBytes(r.lines);
    };
    const here = new OutputBytes(OUTPUT_BATCH);
    const handle = async (streams: PendingStream[], last: boolean): Promise<void> => {
      if (!workers && script && scanner.stats().bytes >= WORKERS_AFTER) {
        workers = new PcapWorkers(script, threads, lineOptions, IN_FLIGHT_PER_WORKER);
      }
      if (!workers) {
        const warnings: string[] = [];
        for (const s of streams) {
          const handshakes = streamLines(s, lineOptions, out.bytes, warnings);
          scanner.settle(s, handshakes, warnings);
          warnings.length = 0;
          out.flushFull();
        }
        await out.maybeFlush();
        return;
      }
      // Each chunk's connections go out at once (a live capture's lines are not held back).
      // While every worker is busy this thread answers the batch itself instead of waiting.
      for (let i = 0; i < streams.length; i += BATCH_STREAMS) {
        const batch = streams.slice(i, i + BATCH_STREAMS);
        if (workers.busy) workers.keep(batch, answerBatch(-1, batch, lineOptions, here));
        else workers.send(batch);
        while (workers.oldestReady || workers.pending > MAX_QUEUED) await takeOldest();
      }
      if (last) while (workers.pending > 0) await takeOldest();
    };
    try {
      for await (const chunk of chunksOf(source)) {
        await handle(scanner.pushStreams(chunk), false);
        // Broken framing: nothing after it can be read, so stop reading the source.
        if (scanner.done) break;
      }
      await handle(scanner.endStreams(), true);
    } finally {
      await workers?.close();
    }
    scanner.finish();
    const stats = scanner.stats();
    // Kept warnings were printed as they came; what went over the cap is summed up here.
    for (const w of scanner.warnings.overflowLines()) io.err(`hellokit pcap: warning: ${w}\n`);
    if (json) {
      const summary = {
        ...schemaField('pcap'),
        type: 'summary',
        format: stats.format,
        bytes: stats.bytes,
        packets: stats.packets,
        handshakes: stats.handshakes,
        evicted: stats.evicted,
        warnings: scanner.warnings.lines(),
        warningCounts: stats.warnings,
        elapsedMs: Math.round(performance.now() - started),
      };
      out.write(`${JSON.stringify(summary)}\n`);
    } else if (stats.handshakes === 0) {
      out.write('no TLS or QUIC ClientHello found in this capture\n');
    }
    out.flush();
    return EXIT.ok;
  },
};

/** The capture's bytes as a stream: the file read in chunks, or standard input. */
async function openCapture(path: string, io: CommandIO): Promise<CaptureSource> {
  if (path === '-') {
    noteStdinWait('pcap', io);
    return io.stdinChunks ? io.stdinChunks() : [await io.readStdin(Number.MAX_SAFE_INTEGER)];
  }
  try {
    if (!(await stat(path)).isFile()) throw new UsageError(`pcap: ${path} is not a file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`pcap: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return createReadStream(path, { highWaterMark: READ_CHUNK });
}

/** Output written in batches, waiting for stdout to drain so a slow reader holds the capture's reading back. */
class BatchedOutput {
  /** The lines not yet written (UTF-8). */
  readonly bytes = new OutputBytes(OUTPUT_BATCH + 16 * 1024);
  private readonly io: CommandIO;

  constructor(io: CommandIO) {
    this.io = io;
  }

  write(text: string): void {
    this.bytes.text(text);
  }

  /** Lines already encoded (a batch's answer): written after what is pending. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    this.flush();
    this.emit(bytes);
    await this.io.drain?.();
  }

  /** Writes what is pending once it fills a batch (without waiting: see {@link maybeFlush}). */
  flushFull(): void {
    if (this.bytes.length >= OUTPUT_BATCH) this.flush();
  }

  /** Writes what is pending once it fills a batch, then waits until stdout has taken what was written. */
  async maybeFlush(): Promise<void> {
    this.flushFull();
    await this.io.drain?.();
  }

  flush(): void {
    if (this.bytes.length > 0) this.emit(this.bytes.take());
  }

  /** UTF-8 lines to stdout: as they are where the output takes bytes, else as text. */
  private emit(utf8: Uint8Array): void {
    if (utf8.length === 0) return;
    if (this.io.outText) this.io.outText(utf8);
    else this.io.out(decoder.decode(utf8));
  }
}

const decoder = new TextDecoder();
