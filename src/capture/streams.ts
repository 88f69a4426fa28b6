/**
 * From capture bytes to per-connection handshake byte streams: TCP flows reassembled in
 * both directions, and QUIC connections' Initial CRYPTO streams. The layer above turns
 * these into TLS records and handshake messages.
 */

import { ipHeaderRecord, linkPayloadStart, readIpHeader } from './headers.ts';
import { parseIp } from './ip.ts';
import { IpReassembler } from './ip-reassembly.ts';
import { QuicInitialTracker } from './quic.ts';
import { readCapture } from './read-capture.ts';
import { type Endpoint, TcpReassembler } from './tcp.ts';
import { parseTcp, parseUdp } from './transport.ts';
import type { CapturedPacket, DecryptionSecrets } from './types.ts';

/** One connection's handshake bytes as found in a capture. */
export interface CapturedStream {
  readonly transport: 'tcp' | 'quic';
  /**
   * Number of the connection in order of first packet, counted per transport like
   * tshark's `tcp.stream` (every TCP flow) and `udp.stream` (every UDP conversation).
   */
  readonly index: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Capture time of the first packet, in seconds since the Unix epoch. */
  readonly firstSeen: number;
  /** TCP: the reassembled client→server bytes (TLS records). QUIC: the client's Initial CRYPTO stream (handshake messages, no record layer). */
  readonly clientBytes: Uint8Array;
  /** TCP: the reassembled server→client bytes. QUIC: the server's Initial CRYPTO stream. */
  readonly serverBytes: Uint8Array;
}

/** What {@link captureStreams} returns. */
export interface CaptureStreamsResult {
  /** Streams in order of first packet. */
  readonly streams: CapturedStream[];
  /** Capture damage and packets that could not be used (IP fragments, odd QUIC frames). */
  readonly warnings: string[];
  /** Decryption Secrets Blocks of a pcapng file (a TLS key log, for instance). */
  readonly decryptionSecrets: DecryptionSecrets[];
}

/** Options for {@link captureStreams}. */
export interface CaptureStreamsOptions {
  /** Most bytes kept per direction of each connection. Default 256 KiB. */
  readonly maxBytesPerDirection?: number;
}

/**
 * Reads a pcap or pcapng capture and returns the TCP and QUIC connections in it with
 * their handshake bytes. Damaged captures give what could be read plus warnings.
 * @throws {DecodeError} only when `bytes` is not a capture file at all
 * @example
 * const { streams } = captureStreams(bytes);
 * for (const s of streams) if (s.clientBytes[0] === 0x16) console.log(s.client.ip, '→', s.server.ip);
 */
export function captureStreams(bytes: Uint8Array, options: CaptureStreamsOptions = {}): CaptureStreamsResult {
  const capture = readCapture(bytes);
  const result = streamsFromPackets(capture.packets, options);
  return {
    streams: result.streams,
    warnings: [...capture.warnings, ...result.warnings],
    decryptionSecrets: capture.decryptionSecrets,
  };
}

/** The same as {@link captureStreams} for packets already read. */
export function streamsFromPackets(
  packets: readonly CapturedPacket[],
  options: CaptureStreamsOptions = {},
): { streams: CapturedStream[]; warnings: string[] } {
  const tcp = new TcpReassembler(options);
  const quic = new QuicInitialTracker(options);
  const udpConversations = new Map<string, { index: number; firstSeen: number }>();
  const warnings: string[] = [];
  const fragments = new IpReassembler();

  const header = ipHeaderRecord();
  for (let i = 0; i < packets.length; i++) {
    const packet = packets[i];
    const frame = packet.data;
    const link = linkPayloadStart(packet.linkType, frame);
    if (link < 0 || !readIpHeader(frame, link >> 1, header)) continue;
    if (header.protocol === 6 && !header.fragment) {
      // The usual packet, read in place (as the streaming reader reads it).
      tcp.pushFrame(packet.time, frame, header);
      continue;
    }
    if (header.protocol !== 17 && !header.fragment) continue;
    const packetIp = parseIp(frame.subarray(link >> 1));
    if (!packetIp) continue;
    // A fragment waits for the rest of its datagram; the last one to arrive brings it whole.
    const ip = packetIp.fragment ? fragments.push(packetIp) : packetIp;
    if (!ip) continue;
    if (ip.protocol === 6) {
      const segment = parseTcp(ip.payload);
      if (segment) tcp.push(packet.time, ip.src, ip.dst, segment);
    } else if (ip.protocol === 17) {
      const udp = parseUdp(ip.payload);
      if (!udp) continue;
      const src = { ip: ip.src, port: udp.srcPort };
      const dst = { ip: ip.dst, port: udp.dstPort };
      const key = conversationKey(src, dst);
      let conversation = udpConversations.get(key);
      if (!conversation) {
        conversation = { index: udpConversations.size, firstSeen: packet.time };
        udpConversations.set(key, conversation);
      }
      quic.push(packet.time, src, dst, udp.payload, conversation);
    }
  }
  const { dropped, incomplete } = fragments.stats();
  if (dropped + incomplete > 0) {
    warnings.push(
      `${dropped + incomplete} fragmented IP datagram${dropped + incomplete === 1 ? '' : 's'} not reassembled (${incomplete} missing fragments, ${dropped} dropped as too large, overlapping differently or too many)`,
    );
  }
  warnings.push(...quic.warnings);

  const streams: CapturedStream[] = [];
  for (const flow of tcp.flows()) {
    streams.push({
      transport: 'tcp',
      index: flow.index,
      client: flow.client,
      server: flow.server,
      firstSeen: flow.firstSeen,
      clientBytes: flow.clientBytes,
      serverBytes: flow.serverBytes,
    });
  }
  for (const conn of quic.connections()) {
    streams.push({
      transport: 'quic',
      index: conn.index,
      client: conn.client,
      server: conn.server,
      firstSeen: conn.firstSeen,
      clientBytes: conn.clientCrypto,
      serverBytes: conn.serverCrypto,
    });
  }
  // Stable: TCP before QUIC on equal times, each already in its own order.
  streams.sort((x, y) => x.firstSeen - y.firstSeen);
  return { streams, warnings };
}

function conversationKey(x: Endpoint, y: Endpoint): string {
  const ex = `${x.ip}|${x.port}`;
  const ey = `${y.ip}|${y.port}`;
  return ex < ey ? `${ex}/${ey}` : `${ey}/${ex}`;
}
