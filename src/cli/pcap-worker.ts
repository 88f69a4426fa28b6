/**
 * A worker thread of `hellokit pcap`: it decodes and fingerprints the connections the
 * command's thread has read from the capture, and sends back their output lines. The
 * command writes the answers in the order it made the batches, so the output is the same
 * as with no workers (src/cli/commands/pcap.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { answerBatch, type PcapBatch, unpackBatch } from './commands/pcap-batch.ts';
import type { PcapLineOptions } from './commands/pcap-lines.ts';
import { OutputBytes } from './commands/pcap-output.ts';

const options = workerData as PcapLineOptions;
const out = new OutputBytes();

parentPort?.on('message', (batch: PcapBatch) => {
  const result = answerBatch(batch.id, unpackBatch(batch), options, out);
  parentPort?.postMessage(result, [
    result.lines.buffer as ArrayBuffer,
    result.handshakes.buffer as ArrayBuffer,
  ]);
});
