/**
 * `hellokit pcap` in parallel: the command's thread reads the capture (packets, flows,
 * reassembly) and hands the connections it completes, in batches, to worker threads that
 * decode, fingerprint and write their lines (src/cli/pcap-worker.ts). Batches carry one
 * transferred buffer of bytes each, and their answers are written in the order the batches
 * were sent, so the output is the same as with no workers.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PendingStream } from '../../capture/scanner.ts';
import type { CapturedStream } from '../../capture/streams.ts';
import { type PcapLineOptions, streamLines } from './pcap-lines.ts';
import type { OutputBytes } from './pcap-output.ts';

/**
 * A batch of connections: per connection {@link META} numbers in `meta` and two addresses in
 * `ips`, and their client and server bytes back to back in `bytes`. Numbers and bytes travel as
 * transferred buffers: cloning an object per connection cost more than decoding it.
 */
export interface PcapBatch {
  readonly id: number;
  readonly meta: Float64Array;
  readonly ips: readonly string[];
  readonly bytes: ArrayBuffer;
}

/** Numbers per connection in {@link PcapBatch.meta}: QUIC (1) or TCP (0), index, firstSeen, client port, server port, client bytes, server bytes. */
const META = 7;

/**
 * The answer to a batch: the lines (UTF-8, so the command's thread only writes them), each
 * connection's handshake count, and the warnings its bytes gave (`warningAt[i]` is the position
 * in the batch of the connection that gave `warningText[i]`).
 */
export interface PcapBatchResult {
  readonly id: number;
  readonly lines: Uint8Array;
  readonly handshakes: Uint32Array;
  readonly warningAt: readonly number[];
  readonly warningText: readonly string[];
}

/** Packs connections into a batch (their bytes copied into one buffer, which is transferred). */
export function packBatch(id: number, streams: readonly CapturedStream[]): PcapBatch {
  let total = 0;
  for (const s of streams) total += s.clientBytes.length + s.serverBytes.length;
  const bytes = new Uint8Array(total);
  const meta = new Float64Array(streams.length * META);
  const ips: string[] = new Array(streams.length * 2);
  let at = 0;
  for (let i = 0; i < streams.length; i++) {
    const s = streams[i];
    bytes.set(s.clientBytes, at);
    at += s.clientBytes.length;
    bytes.set(s.serverBytes, at);
    at += s.serverBytes.length;
    const m = i * META;
    meta[m] = s.transport === 'quic' ? 1 : 0;
    meta[m + 1] = s.index;
    meta[m + 2] = s.firstSeen;
    meta[m + 3] = s.client.port;
    meta[m + 4] = s.server.port;
    meta[m + 5] = s.clientBytes.length;
    meta[m + 6] = s.serverBytes.length;
    ips[2 * i] = s.client.ip;
    ips[2 * i + 1] = s.server.ip;
  }
  return { id, meta, ips, bytes: bytes.buffer };
}

/** The connections of a batch, their bytes as views of its buffer. */
export function unpackBatch(batch: PcapBatch): CapturedStream[] {
  const bytes = new Uint8Array(batch.bytes);
  const { meta, ips } = batch;
  const out: CapturedStream[] = [];
  let at = 0;
  for (let m = 0, i = 0; m < meta.length; m += META, i += 2) {
    const clientEnd = at + meta[m + 5];
    const serverEnd = clientEnd + meta[m + 6];
    const clientBytes = bytes.subarray(at, clientEnd);
    const serverBytes = bytes.subarray(clientEnd, serverEnd);
    at = serverEnd;
    out.push({
      transport: meta[m] === 1 ? 'quic' : 'tcp',
      index: meta[m + 1],
      client: { ip: ips[i], port: meta[m + 3] },
      server: { ip: ips[i + 1], port: meta[m + 4] },
      firstSeen: meta[m + 2],
      clientBytes,
      serverBytes,
    });
  }
  return out;
}

/** Decodes a batch's connections and writes their lines into `out`; the answer (its lines taken from `out`). */
export function answerBatch(
  id: number,
  streams: readonly CapturedStream[],
  options: PcapLineOptions,
  out: OutputBytes,
): PcapBatchResult {
  const handshakes = new Uint32Array(streams.length);
  const warningAt: number[] = [];
  const warningText: string[] = [];
  for (let i = 0; i < streams.length; i++) {
    handshakes[i] = streamLines(streams[i], options, out, warningText);
    while (warningAt.length < warningText.length) warningAt.push(i);
  }
  return { id, lines: out.take(), handshakes, warningAt, warningText };
}

/**
 * The worker script one folder up: dist/cli/pcap-worker.js for tsc's output,
 * dist/cli-bundle/pcap-worker.js for the bundle (whose commands sit in commands/).
 * Undefined when running from the TypeScript sources (tests): then there are no workers.
 */
export function pcapWorkerScript(): URL | undefined {
  for (const relative of ['../pcap-worker.js', './pcap-worker.js']) {
    const url = new URL(relative, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/** A batch on its way: its connections and the answer to come. */
interface InFlight {
  readonly streams: readonly PendingStream[];
  readonly result: Promise<PcapBatchResult>;
  /** True once the answer came. */
  ready: boolean;
}

/**
 * Worker threads that answer batches, and the queue of answers in the order the batches were
 * made ({@link next}); batches answered by the command's own thread ({@link keep}) wait in the
 * same queue, so the output keeps the capture's order.
 * @example
 * const pool = new PcapWorkers(script, 1, options);
 * if (pool.busy) pool.keep(streams, answerBatch(...)); else pool.send(streams);
 * const { streams, result } = pool.next()!; write((await result).lines);
 */
export class PcapWorkers {
  private readonly workers: Worker[] = [];
  /** Batches sent to each worker and not yet answered. */
  private readonly load: number[] = [];
  private readonly waiting = new Map<
    number,
    { worker: number; resolve: (r: PcapBatchResult) => void; reject: (e: Error) => void }
  >();
  private readonly queue: InFlight[] = [];
  private readonly perWorker: number;
  private nextId = 0;
  private failure: Error | undefined;

  /** `perWorker`: batches in flight per worker before it counts as busy. */
  constructor(script: URL, count: number, options: PcapLineOptions, perWorker: number) {
    this.perWorker = perWorker;
    for (let i = 0; i < count; i++) {
      const worker = new Worker(script, {
        workerData: options,
        // A small young generation: each worker's heap counts toward the command's memory.
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
      });
      worker.on('message', (r: PcapBatchResult) => {
        const w = this.waiting.get(r.id);
        this.waiting.delete(r.id);
        if (!w) return;
        this.load[w.worker]--;
        w.resolve(r);
      });
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a pcap worker thread stopped with exit code ${code}`));
      });
      this.workers.push(worker);
      this.load.push(0);
    }
  }

  /** Batches made and not yet taken with {@link next}. */
  get pending(): number {
    return this.queue.length;
  }

  /** True when every worker has its fill of batches in flight. */
  get busy(): boolean {
    return this.load.every((n) => n >= this.perWorker);
  }

  /** Sends a batch to the least loaded worker. */
  send(streams: readonly PendingStream[]): void {
    const id = this.nextId++;
    const batch = packBatch(id, streams);
    let worker = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i] < this.load[worker]) worker = i;
    const result = new Promise<PcapBatchResult>((resolve, reject) => {
      if (this.failure) reject(this.failure);
      else this.waiting.set(id, { worker, resolve, reject });
    });
    this.load[worker]++;
    this.workers[worker].postMessage(batch, [batch.meta.buffer as ArrayBuffer, batch.bytes]);
    const sent: InFlight = { streams, result, ready: false };
    result.then(
      () => {
        sent.ready = true;
      },
      () => undefined,
    );
    this.queue.push(sent);
  }

  /** Queues the answer to a batch made here (behind the batches sent before it). */
  keep(streams: readonly PendingStream[], result: PcapBatchResult): void {
    this.nextId++;
    this.queue.push({ streams, result: Promise.resolve(result), ready: true });
  }

  /** True when the oldest batch's answer has come (taking it will not wait). */
  get oldestReady(): boolean {
    return this.queue[0]?.ready === true;
  }

  /** The oldest batch not yet taken, or undefined. */
  next(): InFlight | undefined {
    return this.queue.shift();
  }

  /** Stops every worker (at the end, or when the reader of the output went away). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}

/** Young generation of a worker's heap, MB (V8's default is up to 48 per thread). */
const WORKER_YOUNG_MB = 8;
