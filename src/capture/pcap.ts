/**
 * Classic libpcap files: the 24-byte global header and 16-byte record headers, in either
 * byte order, with microsecond (0xa1b2c3d4) or nanosecond (0xa1b23c4d) timestamps, plus
 * the "modified" Kuznetzov format (0xa1b2cd34) whose records carry 8 more header bytes.
 */

import type { CapturedPacket, CaptureReadResult } from './types.ts';
import { splitTimestamp } from './types.ts';

const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;
const MAGIC_KUZNETZOV = 0xa1b2cd34;

/** Largest record length accepted when the header's snap length is 0 or absurd (libpcap's own cap). */
const MAX_RECORD = 0x4000000;

/** The layout a classic pcap magic number announces, or undefined when `bytes` is not one. */
export function pcapMagic(
  bytes: Uint8Array,
): { littleEndian: boolean; nanosecond: boolean; recordHeader: number } | undefined {
  if (bytes.length < 4) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
  for (const littleEndian of [false, true]) {
    const magic = view.getUint32(0, littleEndian);
    if (magic === MAGIC_MICRO) return { littleEndian, nanosecond: false, recordHeader: 16 };
    if (magic === MAGIC_NANO) return { littleEndian, nanosecond: true, recordHeader: 16 };
    if (magic === MAGIC_KUZNETZOV) return { littleEndian, nanosecond: false, recordHeader: 24 };
  }
  return undefined;
}

/**
 * Reads a classic pcap file. Never throws for damage: a truncated or corrupt file gives the
 * packets read so far and a warning naming the byte offset where reading stopped.
 * @throws {TypeError} when `bytes` does not start with a pcap magic number (use `readCapture` to detect)
 * @example
 * const { packets, warnings } = readPcap(bytes);
 */
export function readPcap(bytes: Uint8Array): CaptureReadResult {
  const layout = pcapMagic(bytes);
  if (!layout) throw new TypeError('"bytes" is not a classic pcap file (no pcap magic number)');
  const packets: CapturedPacket[] = [];
  const warnings: string[] = [];
  const result: CaptureReadResult = { packets, warnings, format: 'pcap', decryptionSecrets: [] };
  if (bytes.length < 24) {
    warnings.push(
      `pcap global header truncated: ${bytes.length} of 24 bytes; reading stopped at byte offset 0`,
    );
    return result;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = layout.littleEndian;
  const snaplen = view.getUint32(16, le);
  // The FCS-length bits live in the top of the link-type word (pcap spec §5, LinkType field).
  const linkType = view.getUint32(20, le) & 0x0fffffff;
  const limit = snaplen > 0 && snaplen <= MAX_RECORD ? Math.max(snaplen, 262144) : MAX_RECORD;
  const units = layout.nanosecond ? 1_000_000_000n : 1_000_000n;

  let pos = 24;
  while (pos < bytes.length) {
    if (bytes.length - pos < layout.recordHeader) {
      warnings.push(
        `pcap record header truncated (${bytes.length - pos} of ${layout.recordHeader} bytes); reading stopped at byte offset ${pos}`,
      );
      break;
    }
    const tsSec = view.getUint32(pos, le);
    const tsFrac = view.getUint32(pos + 4, le);
    const inclLen = view.getUint32(pos + 8, le);
    const origLen = view.getUint32(pos + 12, le);
    if (inclLen > limit) {
      warnings.push(
        `pcap record claims ${inclLen} captured bytes (more than the ${limit}-byte limit); reading stopped at byte offset ${pos}`,
      );
      break;
    }
    const dataStart = pos + layout.recordHeader;
    if (dataStart + inclLen > bytes.length) {
      warnings.push(
        `pcap record data truncated (${bytes.length - dataStart} of ${inclLen} bytes); reading stopped at byte offset ${pos}`,
      );
      break;
    }
    if (BigInt(tsFrac) >= units) {
      warnings.push(`pcap record at byte offset ${pos} has a sub-second timestamp ${tsFrac} out of range`);
    }
    const ts = splitTimestamp(BigInt(tsSec) * units + BigInt(tsFrac), units);
    packets.push({
      linkType,
      ...ts,
      data: bytes.subarray(dataStart, dataStart + inclLen),
      originalLength: origLen,
      interfaceId: 0,
      fileOffset: pos,
    });
    pos = dataStart + inclLen;
  }
  return result;
}
