/** One entry point for capture files: detects classic pcap or pcapng by the magic number. */

import { pcapMagic, readPcap } from './pcap.ts';
import { isPcapng, readPcapng } from './pcapng.ts';
import { notACapture } from './scanner.ts';
import type { CaptureReadResult } from './types.ts';

/**
 * Reads a pcap or pcapng capture. Damage never throws: a truncated or corrupt file gives
 * the packets read so far plus a warning naming the byte offset where reading stopped.
 * @throws {DecodeError} only when `bytes` is not a capture file at all (unknown magic number)
 * @example
 * const { packets, warnings } = readCapture(new Uint8Array(await file.arrayBuffer()));
 */
export function readCapture(bytes: Uint8Array): CaptureReadResult {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"bytes" expected Uint8Array');
  if (isPcapng(bytes)) return readPcapng(bytes);
  if (pcapMagic(bytes)) return readPcap(bytes);
  throw notACapture(bytes);
}
