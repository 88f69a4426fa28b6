/**
 * Classic libpcap files: the 24-byte global header and 16-byte record headers, in either
 * byte order, with microsecond (0xa1b2c3d4) or nanosecond (0xa1b23c4d) timestamps, plus
 * the "modified" Kuznetzov format (0xa1b2cd34) whose records carry 8 more header bytes.
 * Read in chunks by {@link PcapParser}; {@link readPcap} reads a whole file at once.
 */

import type { CapturedPacket, CaptureReadResult } from './types.ts';
import { WarningLog } from './warnings.ts';
import { type ByteSpan, type CaptureParserSink, ChunkParser } from './window.ts';

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

interface Layout {
  readonly le: boolean;
  readonly recordHeader: number;
  readonly unitsPerSecond: number;
  readonly nanosPerUnit: number;
  readonly linkType: number;
  readonly limit: number;
}

/**
 * Reads a classic pcap file chunk by chunk: {@link push} each chunk, then {@link end}.
 * Packets go to the sink as soon as their record is whole; only an unfinished record is
 * held between chunks. Damage stops reading with a warning naming the byte offset.
 * @example
 * const p = new PcapParser({ packet: (x) => use(x), warnings: new WarningLog() });
 * for await (const chunk of chunks) if (!p.push(chunk)) break;
 * p.end();
 */
export class PcapParser extends ChunkParser<CaptureParserSink> {
  private layout: Layout | undefined;

  /** The input is over: a record left unfinished is reported as truncated. */
  end(): void {
    if (this.stopped) return;
    this.stopped = true;
    const rest = this.window.pending;
    const at = this.window.offset;
    if (!this.layout) {
      this.stop(`pcap global header truncated: ${rest.length} of 24 bytes`, 0);
      return;
    }
    if (rest.length === 0) return;
    const { recordHeader, le } = this.layout;
    if (rest.length < recordHeader) {
      this.stop(`pcap record header truncated (${rest.length} of ${recordHeader} bytes)`, at);
      return;
    }
    const inclLen = new DataView(rest.buffer, rest.byteOffset, rest.byteLength).getUint32(8, le);
    this.stop(`pcap record data truncated (${rest.length - recordHeader} of ${inclLen} bytes)`, at);
  }

  /** Reads the whole records of `span`; how many bytes they took. */
  protected parse(span: ByteSpan): number {
    if (this.stopped) return 0;
    let pos = 0;
    if (!this.layout) {
      if (span.bytes.length < 24) return 0;
      this.layout = readGlobalHeader(span);
      pos = 24;
    }
    return this.records(span, pos, this.layout);
  }

  private records(span: ByteSpan, start: number, layout: Layout): number {
    const { bytes, view, fileOffset } = span;
    const { le, recordHeader, unitsPerSecond, nanosPerUnit, linkType, limit } = layout;
    let pos = start;
    while (bytes.length - pos >= recordHeader) {
      const tsSec = view.getUint32(pos, le);
      const tsFrac = view.getUint32(pos + 4, le);
      const inclLen = view.getUint32(pos + 8, le);
      const origLen = view.getUint32(pos + 12, le);
      if (inclLen > limit) {
        this.stop(
          `pcap record claims ${inclLen} captured bytes (more than the ${limit}-byte limit)`,
          fileOffset + pos,
        );
        return pos;
      }
      const dataStart = pos + recordHeader;
      if (dataStart + inclLen > bytes.length) break;
      let seconds = tsSec;
      let units = tsFrac;
      if (tsFrac >= unitsPerSecond) {
        const at = fileOffset + pos;
        this.sink.warnings.add(
          'pcap-timestamp',
          () => `pcap record at byte offset ${at} has a sub-second timestamp ${tsFrac} out of range`,
        );
        // As a whole count of units, an overlong fraction carries into the seconds.
        const carry = Math.floor(tsFrac / unitsPerSecond);
        seconds += carry;
        units -= carry * unitsPerSecond;
      }
      this.sink.packet({
        linkType,
        time: seconds + units / unitsPerSecond,
        seconds,
        nanoseconds: units * nanosPerUnit,
        data: bytes.subarray(dataStart, dataStart + inclLen),
        originalLength: origLen,
        interfaceId: 0,
        fileOffset: fileOffset + pos,
      });
      pos = dataStart + inclLen;
    }
    return pos;
  }
}

function readGlobalHeader(span: ByteSpan): Layout {
  const magic = pcapMagic(span.bytes);
  if (!magic) throw new TypeError('"bytes" is not a classic pcap file (no pcap magic number)');
  const le = magic.littleEndian;
  const snaplen = span.view.getUint32(16, le);
  return {
    le,
    recordHeader: magic.recordHeader,
    unitsPerSecond: magic.nanosecond ? 1_000_000_000 : 1_000_000,
    nanosPerUnit: magic.nanosecond ? 1 : 1000,
    // The FCS-length bits live in the top of the link-type word (pcap spec §5, LinkType field).
    linkType: span.view.getUint32(20, le) & 0x0fffffff,
    limit: snaplen > 0 && snaplen <= MAX_RECORD ? Math.max(snaplen, 262144) : MAX_RECORD,
  };
}

/**
 * Reads a classic pcap file. Never throws for damage: a truncated or corrupt file gives the
 * packets read so far and a warning naming the byte offset where reading stopped.
 * @throws {TypeError} when `bytes` does not start with a pcap magic number (use `readCapture` to detect)
 * @example
 * const { packets, warnings } = readPcap(bytes);
 */
export function readPcap(bytes: Uint8Array): CaptureReadResult {
  if (!pcapMagic(bytes)) throw new TypeError('"bytes" is not a classic pcap file (no pcap magic number)');
  const packets: CapturedPacket[] = [];
  const warnings = new WarningLog();
  const parser = new PcapParser({ packet: (p) => packets.push(p), warnings });
  parser.push(bytes);
  parser.end();
  return { packets, warnings: warnings.lines(), format: 'pcap', decryptionSecrets: [] };
}
