/** TCP and UDP headers: ports, TCP sequence number and flags, and the payload. */

import { tcpHeaderLength } from './headers.ts';

/** TCP flag bits (RFC 9293 §3.1). */
export const TCP_FLAGS = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10, urg: 0x20 } as const;

/** The parts of a TCP segment that stream reassembly needs. */
export interface TcpSegment {
  readonly srcPort: number;
  readonly dstPort: number;
  /** Sequence number (unsigned 32-bit). */
  readonly seq: number;
  /** Acknowledgment number (unsigned 32-bit). */
  readonly ack: number;
  /** The flag byte; test with {@link TCP_FLAGS}. */
  readonly flags: number;
  readonly payload: Uint8Array;
}

/** A UDP datagram's ports and payload. */
export interface UdpDatagram {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Uint8Array;
}

/**
 * Parses a TCP header (options skipped); `undefined` when too short.
 * @example parseTcp(ip.payload)?.flags & TCP_FLAGS.syn
 */
export function parseTcp(b: Uint8Array): TcpSegment | undefined {
  const dataOffset = tcpHeaderLength(b, 0, b.length);
  if (dataOffset < 0) return undefined;
  return {
    srcPort: (b[0] << 8) | b[1],
    dstPort: (b[2] << 8) | b[3],
    seq: ((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]) >>> 0,
    ack: ((b[8] << 24) | (b[9] << 16) | (b[10] << 8) | b[11]) >>> 0,
    flags: b[13],
    payload: b.subarray(dataOffset),
  };
}

/** Parses a UDP header; the payload is cut to the UDP length when it is shorter than what was captured. */
export function parseUdp(b: Uint8Array): UdpDatagram | undefined {
  if (b.length < 8) return undefined;
  const length = (b[4] << 8) | b[5];
  const end = length >= 8 ? Math.min(length, b.length) : b.length;
  return { srcPort: (b[0] << 8) | b[1], dstPort: (b[2] << 8) | b[3], payload: b.subarray(8, end) };
}
