/**
 * pcapng files (draft-ietf-opsawg-pcapng): Section Header Blocks in either byte order
 * (several sections per file), Interface Description Blocks with their own link type,
 * snap length, `if_tsresol` and `if_tsoffset`, Enhanced, Simple and obsolete Packet
 * Blocks, and Decryption Secrets Blocks. Other block types are skipped.
 */

import { latin1 } from '../bytes/hex.ts';
import type { CapturedPacket, CaptureReadResult, DecryptionSecrets } from './types.ts';
import { splitTimestamp } from './types.ts';
import { WarningLog } from './warnings.ts';
import { type ByteSpan, type CaptureParserSink, ChunkParser } from './window.ts';

/** pcapng block type codes read here (pcapng §10.1). */
export const PCAPNG_BLOCK = {
  sectionHeader: 0x0a0d0d0a,
  interfaceDescription: 0x00000001,
  packetObsolete: 0x00000002,
  simplePacket: 0x00000003,
  enhancedPacket: 0x00000006,
  decryptionSecrets: 0x0000000a,
} as const;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Names of Decryption Secrets types (pcapng §4.7). */
export const SECRETS_TYPE_NAMES: Readonly<Record<number, string>> = {
  1414288203: 'tls-key-log',
  1397966923: 'ssh-key-log',
  1464290124: 'wireguard-key-log',
  1515083595: 'zigbee-nwk-key',
  1514229843: 'zigbee-aps-key',
  1869636467: 'opc-ua-key-log',
};

/** Largest block accepted; larger claims are treated as corruption. */
const MAX_BLOCK = 0x4000000;

/** Most interfaces kept per section. */
const MAX_INTERFACES = 4096;

interface Interface {
  linkType: number;
  snaplen: number;
  unitsPerSecond: bigint;
  offsetSeconds: bigint;
}

/** True when `bytes` starts with a pcapng Section Header Block type. */
export function isPcapng(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x0d && bytes[2] === 0x0d && bytes[3] === 0x0a
  );
}

/** Where a pcapng parser sends what it reads: packets, warnings and decryption secrets. */
export interface PcapngParserSink extends CaptureParserSink {
  secrets?(secrets: DecryptionSecrets): void;
}

/**
 * Reads a pcapng file chunk by chunk: {@link push} each chunk, then {@link end}. A block
 * goes to the sink as soon as it is whole; only an unfinished block is held between chunks.
 * Broken framing stops reading with a warning naming the byte offset; a damaged block whose
 * framing is intact is skipped with a warning (capped per kind, see {@link WarningLog}).
 * @example
 * const p = new PcapngParser({ packet: (x) => use(x), warnings: new WarningLog() });
 * for await (const chunk of chunks) if (!p.push(chunk)) break;
 * p.end();
 */
export class PcapngParser extends ChunkParser<PcapngParserSink> {
  private le = true;
  private interfaces: Interface[] = [];
  private lastTime = { seconds: 0, nanoseconds: 0, time: 0 };

  /** Reads the whole blocks of `span`; how many bytes they took. */
  protected parse(span: ByteSpan): number {
    if (this.stopped) return 0;
    const { bytes, view, fileOffset } = span;
    let pos = 0;
    while (bytes.length - pos >= 12) {
      let type = view.getUint32(pos, this.le);
      if (isPcapng(bytes.subarray(pos, pos + 4))) {
        type = PCAPNG_BLOCK.sectionHeader;
        // The byte order of a section is set by its own byte-order magic (pcapng §4.1).
        const magicBE = view.getUint32(pos + 8, false);
        if (magicBE === BYTE_ORDER_MAGIC) this.le = false;
        else if (view.getUint32(pos + 8, true) === BYTE_ORDER_MAGIC) this.le = true;
        else {
          this.stop(
            `pcapng Section Header Block has no byte-order magic (0x${magicBE.toString(16)})`,
            fileOffset + pos,
          );
          break;
        }
      }
      const le = this.le;
      const total = view.getUint32(pos + 4, le);
      if (total < 12 || total % 4 !== 0 || total > MAX_BLOCK) {
        this.stop(
          `pcapng block of type 0x${type.toString(16)} has an invalid total length ${total}`,
          fileOffset + pos,
        );
        break;
      }
      if (pos + total > bytes.length) break;
      const trailer = view.getUint32(pos + total - 4, le);
      if (trailer !== total) {
        this.stop(
          `pcapng block of type 0x${type.toString(16)} has a trailing length ${trailer} that differs from its leading length ${total}`,
          fileOffset + pos,
        );
        break;
      }
      const damaged = this.block(span, type, pos, total);
      if (damaged) {
        // The block's framing is intact, so only this block is lost; reading goes on.
        const at = fileOffset + pos;
        this.sink.warnings.add(
          'pcapng-damaged-block',
          () => `pcapng block at byte offset ${at} is damaged: ${damaged}; block skipped`,
        );
      }
      pos += total;
    }
    return pos;
  }

  /** The input is over: a block left unfinished is reported as truncated. */
  end(): void {
    if (this.stopped) return;
    this.stopped = true;
    const rest = this.window.pending;
    const at = this.window.offset;
    if (rest.length === 0) return;
    if (rest.length < 12) {
      this.stop(`pcapng block header truncated (${rest.length} bytes left, a block needs at least 12)`, at);
      return;
    }
    const view = new DataView(rest.buffer, rest.byteOffset, rest.byteLength);
    const type = isPcapng(rest) ? PCAPNG_BLOCK.sectionHeader : view.getUint32(0, this.le);
    this.stop(
      `pcapng block of type 0x${type.toString(16)} truncated (${rest.length} of ${view.getUint32(4, this.le)} bytes)`,
      at,
    );
  }

  /** Reads one whole block; a reason when it is damaged. */
  private block(span: ByteSpan, type: number, pos: number, total: number): string | undefined {
    const { bytes, view } = span;
    const le = this.le;
    const fileOffset = span.fileOffset + pos;
    const body = pos + 8;
    const bodyEnd = pos + total - 4;
    const bodyLen = bodyEnd - body;
    switch (type) {
      case PCAPNG_BLOCK.sectionHeader: {
        if (bodyLen < 16) return 'Section Header Block shorter than 28 bytes';
        this.interfaces = [];
        return undefined;
      }
      case PCAPNG_BLOCK.interfaceDescription: {
        if (bodyLen < 8) return 'Interface Description Block shorter than 20 bytes';
        const iface: Interface = {
          linkType: view.getUint16(body, le),
          snaplen: view.getUint32(body + 4, le),
          unitsPerSecond: 1_000_000n,
          offsetSeconds: 0n,
        };
        for (const opt of options(view, body + 8, bodyEnd, le)) {
          if (opt.code === 9 && opt.length >= 1) {
            // if_tsresol: top bit clear = 10^-n seconds, set = 2^-n seconds (pcapng §4.2).
            const v = bytes[opt.start];
            const n = BigInt(v & 0x7f);
            iface.unitsPerSecond = v & 0x80 ? 1n << n : 10n ** n;
          } else if (opt.code === 14 && opt.length >= 8) {
            iface.offsetSeconds = view.getBigInt64(opt.start, le);
          }
        }
        // A hostile file can describe interfaces without end; a section needs far fewer.
        if (this.interfaces.length >= MAX_INTERFACES)
          return `more than ${MAX_INTERFACES} interfaces in one section`;
        this.interfaces.push(iface);
        return undefined;
      }
      case PCAPNG_BLOCK.enhancedPacket:
      case PCAPNG_BLOCK.packetObsolete: {
        const enhanced = type === PCAPNG_BLOCK.enhancedPacket;
        if (bodyLen < 20) return `${enhanced ? 'Enhanced' : 'obsolete'} Packet Block shorter than 32 bytes`;
        const interfaceId = enhanced ? view.getUint32(body, le) : view.getUint16(body, le);
        const high = view.getUint32(body + 4, le);
        const low = view.getUint32(body + 8, le);
        const capLen = view.getUint32(body + 12, le);
        const origLen = view.getUint32(body + 16, le);
        if (capLen > bodyLen - 20)
          return `packet claims ${capLen} captured bytes but its block holds ${bodyLen - 20}`;
        const iface = this.interfaces[interfaceId];
        if (!iface) {
          this.sink.warnings.add(
            'pcapng-unknown-interface',
            () =>
              `pcapng packet at byte offset ${fileOffset} names interface ${interfaceId}, which this section does not describe; packet skipped`,
          );
          return undefined;
        }
        this.lastTime = timestamp(high, low, iface);
        this.sink.packet({
          linkType: iface.linkType,
          ...this.lastTime,
          data: bytes.subarray(body + 20, body + 20 + capLen),
          originalLength: origLen,
          interfaceId,
          fileOffset,
        });
        return undefined;
      }
      case PCAPNG_BLOCK.simplePacket: {
        if (bodyLen < 4) return 'Simple Packet Block shorter than 16 bytes';
        const iface = this.interfaces[0];
        if (!iface) {
          this.sink.warnings.add(
            'pcapng-unknown-interface',
            () =>
              `pcapng Simple Packet Block at byte offset ${fileOffset} comes before any interface is described; packet skipped`,
          );
          return undefined;
        }
        const origLen = view.getUint32(body, le);
        // The captured length is implied: the smallest of the original length, the snap length and the block (pcapng §4.4).
        let capLen = Math.min(origLen, bodyLen - 4);
        if (iface.snaplen > 0) capLen = Math.min(capLen, iface.snaplen);
        // A Simple Packet Block has no timestamp; it inherits the previous packet's time.
        this.sink.packet({
          linkType: iface.linkType,
          ...this.lastTime,
          data: bytes.subarray(body + 4, body + 4 + capLen),
          originalLength: origLen,
          interfaceId: 0,
          fileOffset,
        });
        return undefined;
      }
      case PCAPNG_BLOCK.decryptionSecrets: {
        if (bodyLen < 8) return 'Decryption Secrets Block shorter than 20 bytes';
        const secretsType = view.getUint32(body, le);
        const length = view.getUint32(body + 4, le);
        if (length > bodyLen - 8)
          return `Decryption Secrets Block claims ${length} bytes of secrets but holds ${bodyLen - 8}`;
        // A copy: the chunk it came in is not kept alive by the secrets.
        const data = bytes.slice(body + 8, body + 8 + length);
        this.sink.secrets?.({
          secretsType,
          typeName: SECRETS_TYPE_NAMES[secretsType] ?? 'unknown',
          text: latin1(data),
          data,
          fileOffset,
        });
        return undefined;
      }
      default:
        return undefined;
    }
  }
}

/** Capture time of a 64-bit timestamp; exact integer arithmetic only when the count is too large for a double. */
function timestamp(
  high: number,
  low: number,
  iface: Interface,
): { seconds: number; nanoseconds: number; time: number } {
  if (iface.unitsPerSecond === 1_000_000n && iface.offsetSeconds === 0n && high < 0x200000) {
    // The common case (microseconds, no offset) in plain numbers: 2^53 microseconds is 285 years.
    const ticks = high * 0x100000000 + low;
    const seconds = Math.floor(ticks / 1_000_000);
    const micros = ticks - seconds * 1_000_000;
    return { seconds, nanoseconds: micros * 1000, time: seconds + micros / 1_000_000 };
  }
  return splitTimestamp((BigInt(high) << 32n) | BigInt(low), iface.unitsPerSecond, iface.offsetSeconds);
}

/**
 * Reads a pcapng file. Never throws for damage: a truncated or corrupt file gives the
 * packets read so far and a warning naming the byte offset where reading stopped.
 * @throws {TypeError} when `bytes` does not start with a Section Header Block (use `readCapture` to detect)
 * @example
 * const { packets, decryptionSecrets } = readPcapng(bytes);
 * const keyLog = decryptionSecrets.filter((s) => s.typeName === 'tls-key-log').map((s) => s.text).join('');
 */
export function readPcapng(bytes: Uint8Array): CaptureReadResult {
  if (!isPcapng(bytes)) throw new TypeError('"bytes" is not a pcapng file (no Section Header Block)');
  const packets: CapturedPacket[] = [];
  const decryptionSecrets: DecryptionSecrets[] = [];
  const warnings = new WarningLog();
  const parser = new PcapngParser({
    packet: (p) => packets.push(p),
    secrets: (s) => decryptionSecrets.push(s),
    warnings,
  });
  parser.push(bytes);
  parser.end();
  return { packets, warnings: warnings.lines(), format: 'pcapng', decryptionSecrets };
}

/** The options of a block: code, value start and length (pcapng §3.5). Stops quietly at malformed options. */
function* options(
  view: DataView,
  start: number,
  end: number,
  le: boolean,
): Generator<{ code: number; start: number; length: number }> {
  let pos = start;
  while (pos + 4 <= end) {
    const code = view.getUint16(pos, le);
    const length = view.getUint16(pos + 2, le);
    if (code === 0) return;
    if (pos + 4 + length > end) return;
    yield { code, start: pos + 4, length };
    pos += 4 + ((length + 3) & ~3);
  }
}
