/**
 * A worker thread of `hellokit pcap`: it decodes and fingerprints the connections the
 * command's thread has read from the capture, and sends back their output lines. The
 * command sends batches in capture order and writes the answers in that order, so the
 * output is the same as with no workers (src/cli/commands/pcap.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PcapBatch, PcapBatchResult } from './commands/pcap-batch.ts';
import { unpackBatch } from './commands/pcap-batch.ts';
import { type PcapLineOptions, streamLines } from './commands/pcap-lines.ts';
import { OutputBytes } from './commands/pcap-output.ts';

const options = workerData as PcapLineOptions;
const out = new OutputBytes();

parentPort?.on('message', (batch: PcapBatch) => {
  const handshakes: number[] = [];
  const warnings: string[][] = [];
  for (const stream of unpackBatch(batch)) {
    const found: string[] = [];
    handshakes.push(streamLines(stream, options, out, found));
    warnings.push(found);
  }
  const lines = out.take();
  const result: PcapBatchResult = { id: batch.id, lines, handshakes, warnings };
  parentPort?.postMessage(result, [lines.buffer as ArrayBuffer]);
});
