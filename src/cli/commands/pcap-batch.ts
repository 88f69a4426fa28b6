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
import type { Endpoint } from '../../capture/tcp.ts';
import type { PcapLineOptions } from './pcap-lines.ts';

/** A batch of connections: their fields, and their client and server bytes back to back in one buffer. */
export interface PcapBatch {
  readonly id: number;
  readonly streams: readonly {
    readonly transport: 'tcp' | 'quic';
    readonly index: number;
    readonly client: Endpoint;
    readonly server: Endpoint;
    readonly firstSeen: number;
    readonly clientLength: number;
    readonly serverLength: number;
  }[];
  readonly bytes: ArrayBuffer;
}

/**
 * A worker's answer to a batch: the lines (UTF-8, so the command's thread only writes them),
 * and per connection its handshake count and warnings.
 */
export interface PcapBatchResult {
  readonly id: number;
  readonly lines: Uint8Array;
  readonly handshakes: readonly number[];
  readonly warnings: readonly (readonly string[])[];
}

/** Packs connections into a batch (their bytes copied into one buffer, which is transferred). */
export function packBatch(id: number, streams: readonly PendingStream[]): PcapBatch {
  let total = 0;
  for (const s of streams) total += s.clientBytes.length + s.serverBytes.length;
  const bytes = new Uint8Array(total);
  let at = 0;
  const fields = streams.map(({ clientBytes, serverBytes, evicted: _evicted, ...stream }) => {
    bytes.set(clientBytes, at);
    at += clientBytes.length;
    bytes.set(serverBytes, at);
    at += serverBytes.length;
    return { ...stream, clientLength: clientBytes.length, serverLength: serverBytes.length };
  });
  return { id, streams: fields, bytes: bytes.buffer };
}

/** The connections of a batch, their bytes as views of its buffer. */
export function unpackBatch(batch: PcapBatch): CapturedStream[] {
  const bytes = new Uint8Array(batch.bytes);
  let at = 0;
  return batch.streams.map(({ clientLength, serverLength, ...stream }) => {
    const clientBytes = bytes.subarray(at, at + clientLength);
    at += clientLength;
    const serverBytes = bytes.subarray(at, at + serverLength);
    at += serverLength;
    return { ...stream, clientBytes, serverBytes };
  });
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

/** A sent batch: its connections (without their bytes) and the answer to come. */
interface InFlight {
  readonly streams: readonly PendingStream[];
  readonly result: Promise<PcapBatchResult>;
  /** True once the answer came. */
  ready: boolean;
}

/**
 * Worker threads that answer batches; {@link next} gives the answers in the order sent.
 * @example
 * const pool = new PcapWorkers(script, 2, options);
 * pool.send(streams); const { streams, result } = pool.next()!; write((await result).text);
 */
export class PcapWorkers {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (r: PcapBatchResult) => void; reject: (e: Error) => void }
  >();
  private readonly queue: InFlight[] = [];
  private nextId = 0;
  private failure: Error | undefined;

  constructor(script: URL, count: number, options: PcapLineOptions) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(script, {
        workerData: options,
        // A small young generation: each worker's heap counts toward the command's memory.
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
      });
      worker.on('message', (r: PcapBatchResult) => {
        const w = this.waiting.get(r.id);
        this.waiting.delete(r.id);
        w?.resolve(r);
      });
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a pcap worker thread stopped with exit code ${code}`));
      });
      this.workers.push(worker);
    }
  }

  /** Batches sent and not yet taken with {@link next}. */
  get pending(): number {
    return this.queue.length;
  }

  /** Sends a batch to the next worker in turn. */
  send(streams: readonly PendingStream[]): void {
    const id = this.nextId++;
    const batch = packBatch(id, streams);
    const result = new Promise<PcapBatchResult>((resolve, reject) => {
      if (this.failure) reject(this.failure);
      else this.waiting.set(id, { resolve, reject });
    });
    this.workers[id % this.workers.length].postMessage(batch, [batch.bytes]);
    // Only what settle() needs is kept here: the bytes went to the worker.
    const sent: InFlight = {
      streams: streams.map((s) => ({ ...s, clientBytes: EMPTY, serverBytes: EMPTY })),
      result,
      ready: false,
    };
    result.then(
      () => {
        sent.ready = true;
      },
      () => undefined,
    );
    this.queue.push(sent);
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

const EMPTY = new Uint8Array(0);
/** Young generation of a worker's heap, MB (V8's default is up to 48 per thread). */
const WORKER_YOUNG_MB = 8;
