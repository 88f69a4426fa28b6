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

const options = workerData as PcapLineOptions;
const utf8 = new TextEncoder();

parentPort?.on('message', (batch: PcapBatch) => {
  let text = '';
  const handshakes: number[] = [];
  const warnings: string[][] = [];
  for (const stream of unpackBatch(batch)) {
    const lines = streamLines(stream, options);
    text += lines.text;
    handshakes.push(lines.handshakes);
    warnings.push(lines.warnings);
  }
  const lines = utf8.encode(text);
  const result: PcapBatchResult = { id: batch.id, lines, handshakes, warnings };
  parentPort?.postMessage(result, [lines.buffer]);
});
