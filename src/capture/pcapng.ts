/**
 * pcapng files (draft-ietf-opsawg-pcapng): Section Header Blocks in either byte order
 * (several sections per file), Interface Description Blocks with their own link type,
 * snap length, `if_tsresol` and `if_tsoffset`, Enhanced, Simple and obsolete Packet
 * Blocks, and Decryption Secrets Blocks. Other block types are skipped.
 */

import { latin1 } from '../bytes/hex.ts';
import type { CapturedPacket, CaptureReadResult, DecryptionSecrets } from './types.ts';
import { splitTimestamp } from './types.ts';

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
  const warnings: string[] = [];
  const decryptionSecrets: DecryptionSecrets[] = [];
  const result: CaptureReadResult = { packets, warnings, format: 'pcapng', decryptionSecrets };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le = true;
  let interfaces: Interface[] = [];
  let lastTime = { seconds: 0, nanoseconds: 0, time: 0 };
  let pos = 0;
  let warnedInterfaces = 0;

  const stop = (why: string, at: number): void => {
    warnings.push(`${why}; reading stopped at byte offset ${at}`);
  };

  while (pos < bytes.length) {
    if (bytes.length - pos < 12) {
      stop(
        `pcapng block header truncated (${bytes.length - pos} bytes left, a block needs at least 12)`,
        pos,
      );
      break;
    }
    let type = view.getUint32(pos, le);
    if (isPcapng(bytes.subarray(pos, pos + 4))) {
      type = PCAPNG_BLOCK.sectionHeader;
      // The byte order of a section is set by its own byte-order magic (pcapng §4.1).
      const magicBE = view.getUint32(pos + 8, false);
      if (magicBE === BYTE_ORDER_MAGIC) le = false;
      else if (view.getUint32(pos + 8, true) === BYTE_ORDER_MAGIC) le = true;
      else {
        stop(`pcapng Section Header Block has no byte-order magic (0x${magicBE.toString(16)})`, pos);
        break;
      }
    }
    const total = view.getUint32(pos + 4, le);
    if (total < 12 || total % 4 !== 0 || total > MAX_BLOCK) {
      stop(`pcapng block of type 0x${type.toString(16)} has an invalid total length ${total}`, pos);
      break;
    }
    if (pos + total > bytes.length) {
      stop(
        `pcapng block of type 0x${type.toString(16)} truncated (${bytes.length - pos} of ${total} bytes)`,
        pos,
      );
      break;
    }
    const trailer = view.getUint32(pos + total - 4, le);
    if (trailer !== total) {
      stop(
        `pcapng block of type 0x${type.toString(16)} has a trailing length ${trailer} that differs from its leading length ${total}`,
        pos,
      );
      break;
    }
    const body = pos + 8;
    const bodyEnd = pos + total - 4;
    const bodyLen = bodyEnd - body;
    let damaged: string | undefined;

    switch (type) {
      case PCAPNG_BLOCK.sectionHeader: {
        if (bodyLen < 16) damaged = 'Section Header Block shorter than 28 bytes';
        else interfaces = [];
        break;
      }
      case PCAPNG_BLOCK.interfaceDescription: {
        if (bodyLen < 8) {
          damaged = 'Interface Description Block shorter than 20 bytes';
          break;
        }
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
        interfaces.push(iface);
        break;
      }
      case PCAPNG_BLOCK.enhancedPacket:
      case PCAPNG_BLOCK.packetObsolete: {
        const enhanced = type === PCAPNG_BLOCK.enhancedPacket;
        if (bodyLen < 20) {
          damaged = `${enhanced ? 'Enhanced' : 'obsolete'} Packet Block shorter than 32 bytes`;
          break;
        }
        const interfaceId = enhanced ? view.getUint32(body, le) : view.getUint16(body, le);
        const high = view.getUint32(body + 4, le);
        const low = view.getUint32(body + 8, le);
        const capLen = view.getUint32(body + 12, le);
        const origLen = view.getUint32(body + 16, le);
        if (capLen > bodyLen - 20) {
          damaged = `packet claims ${capLen} captured bytes but its block holds ${bodyLen - 20}`;
          break;
        }
        const iface = interfaces[interfaceId];
        if (!iface) {
          if (warnedInterfaces++ < 5) {
            warnings.push(
              `pcapng packet at byte offset ${pos} names interface ${interfaceId}, which this section does not describe; packet skipped`,
            );
          }
          break;
        }
        lastTime = splitTimestamp(
          (BigInt(high) << 32n) | BigInt(low),
          iface.unitsPerSecond,
          iface.offsetSeconds,
        );
        packets.push({
          linkType: iface.linkType,
          ...lastTime,
          data: bytes.subarray(body + 20, body + 20 + capLen),
          originalLength: origLen,
          interfaceId,
          fileOffset: pos,
        });
        break;
      }
      case PCAPNG_BLOCK.simplePacket: {
        if (bodyLen < 4) {
          damaged = 'Simple Packet Block shorter than 16 bytes';
          break;
        }
        const iface = interfaces[0];
        if (!iface) {
          if (warnedInterfaces++ < 5) {
            warnings.push(
              `pcapng Simple Packet Block at byte offset ${pos} comes before any interface is described; packet skipped`,
            );
          }
          break;
        }
        const origLen = view.getUint32(body, le);
        // The captured length is implied: the smallest of the original length, the snap length and the block (pcapng §4.4).
        let capLen = Math.min(origLen, bodyLen - 4);
        if (iface.snaplen > 0) capLen = Math.min(capLen, iface.snaplen);
        // A Simple Packet Block has no timestamp; it inherits the previous packet's time.
        packets.push({
          linkType: iface.linkType,
          ...lastTime,
          data: bytes.subarray(body + 4, body + 4 + capLen),
          originalLength: origLen,
          interfaceId: 0,
          fileOffset: pos,
        });
        break;
      }
      case PCAPNG_BLOCK.decryptionSecrets: {
        if (bodyLen < 8) {
          damaged = 'Decryption Secrets Block shorter than 20 bytes';
          break;
        }
        const secretsType = view.getUint32(body, le);
        const length = view.getUint32(body + 4, le);
        if (length > bodyLen - 8) {
          damaged = `Decryption Secrets Block claims ${length} bytes of secrets but holds ${bodyLen - 8}`;
          break;
        }
        const data = bytes.subarray(body + 8, body + 8 + length);
        decryptionSecrets.push({
          secretsType,
          typeName: SECRETS_TYPE_NAMES[secretsType] ?? 'unknown',
          text: latin1(data),
          data,
          fileOffset: pos,
        });
        break;
      }
      default:
        break;
    }
    if (damaged) {
      // The block's framing is intact, so only this block is lost; reading goes on.
      warnings.push(`pcapng block at byte offset ${pos} is damaged: ${damaged}; block skipped`);
    }
    pos += total;
  }
  return result;
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
