/**
 * The streaming capture reader: capture bytes in, handshakes out as soon as each is whole,
 * with memory bounded whatever the file size. A connection is decoded and forgotten once its
 * client hello(s) and the server's first message are whole (or it closes); connections idle
 * for longer than the flow timeout (capture time), beyond the flow count, or beyond the
 * buffer budget are evicted — their client hellos still come out, without a ServerHello, and
 * the warnings say so. The whole-buffer functions (captureHandshakes(bytes)) run on this.
 */

import { DecodeError } from '../bytes/errors.ts';
import { handshakeProgress } from './handshake-progress.ts';
import { ipHeaderRecord, linkPayloadStart, readIpHeader } from './headers.ts';
import { endpointText, parseIp } from './ip.ts';
import { IpReassembler } from './ip-reassembly.ts';
import { PcapParser, pcapMagic } from './pcap.ts';
import { isPcapng, PcapngParser } from './pcapng.ts';
import { type QuicConnectionState, QuicInitialTracker } from './quic.ts';
import { type CapturedHandshake, findClientHelloRecord, streamHandshakes } from './stream-handshakes.ts';
import type { CapturedStream } from './streams.ts';
import {
  type Endpoint,
  type TcpDropReason,
  type TcpFlowPeek,
  type TcpFlowState,
  TcpReassembler,
} from './tcp.ts';
import { parseTcp, parseUdp } from './transport.ts';
import type { CapturedPacket, DecryptionSecrets } from './types.ts';
import { WarningLog } from './warnings.ts';

/** Limits and choices of a {@link CaptureScanner}. */
export interface CaptureScanOptions {
  /** Most bytes kept per direction of each connection. Default 256 KiB. */
  readonly maxBytesPerDirection?: number;
  /** Seconds of capture time after which an idle connection is evicted. Default 120. */
  readonly flowTimeoutSeconds?: number;
  /** Most TCP connections and most UDP conversations tracked at once. Default 20 000 each. */
  readonly maxFlows?: number;
  /** Most bytes held in TCP reassembly buffers across all connections. Default 64 MiB. */
  readonly maxBufferedBytes?: number;
  /** Warning lines kept word for word per kind (the rest are counted). Default 10. */
  readonly warningsPerKind?: number;
  /** Called with each warning line that is kept, as it happens. */
  readonly onWarning?: (message: string) => void;
}

/** Why connections left the table before their handshake was whole, by reason. */
export interface CaptureEvictions {
  /** Idle longer than the flow timeout. */
  readonly idle: number;
  /** Over the flow count. */
  readonly count: number;
  /** Over the buffer budget. */
  readonly memory: number;
}

/** Counts of a scan so far. */
export interface CaptureScanStats {
  readonly format: 'pcap' | 'pcapng' | null;
  /** Capture bytes read. */
  readonly bytes: number;
  readonly packets: number;
  readonly handshakes: number;
  readonly tcpConnections: number;
  readonly quicConnections: number;
  /** Connections with a ClientHello that were evicted before the server's first message was whole. */
  readonly evicted: CaptureEvictions;
  /** Warnings counted, by kind (including those not kept word for word). */
  readonly warnings: Readonly<Record<string, number>>;
}

/**
 * A connection whose handshake bytes are all read, waiting to be decoded: what
 * {@link CaptureScanner.pushStreams} gives a caller that decodes elsewhere (in a worker).
 */
export interface PendingStream extends CapturedStream {
  /** Set when the connection left the flow table before the server's first message was whole. */
  readonly evicted?: 'idle' | 'count' | 'memory';
}

const DEFAULTS = {
  flowTimeoutSeconds: 120,
  maxFlows: 20_000,
  maxBufferedBytes: 64 * 1024 * 1024,
  /** Decryption Secrets Blocks kept, in bytes; more is a hostile file. */
  maxSecretsBytes: 16 * 1024 * 1024,
} as const;

/**
 * Reads a capture pushed in chunks and returns the handshakes each chunk completed.
 * @example
 * const scan = new CaptureScanner();
 * for await (const chunk of file.stream()) for (const h of scan.push(chunk)) show(h);
 * for (const h of scan.end()) show(h);
 * scan.warnings.lines();
 */
export class CaptureScanner {
  /** Capture damage, unusable packets, evictions: capped per kind, counted. */
  readonly warnings: WarningLog;
  /** Decryption Secrets Blocks of a pcapng file (up to 16 MiB of them). */
  readonly decryptionSecrets: DecryptionSecrets[] = [];
  private parser: PcapParser | PcapngParser | undefined;
  private format: 'pcap' | 'pcapng' | null = null;
  private head = new Uint8Array(0);
  private readonly tcp: TcpReassembler;
  private readonly quic: QuicInitialTracker;
  private readonly fragments = new IpReassembler();
  /** The IP header of the packet being read (one record, filled in place for every packet). */
  private readonly ipHeader = ipHeaderRecord();
  private readonly udp = new Map<string, { index: number; firstSeen: number; lastSeen: number }>();
  private udpCount = 0;
  private readonly idleSeconds: number;
  private readonly maxFlows: number;
  private readonly maxBufferedBytes: number;
  private out: PendingStream[] = [];
  private readonly evicted = { idle: 0, count: 0, memory: 0 };
  private bytes = 0;
  private packets = 0;
  private handshakes = 0;
  private secretsBytes = 0;
  private ended = false;
  /** Capture time at which idle connections are next looked for. */
  private nextIdleCheck = Number.NEGATIVE_INFINITY;
  /** Set while end() empties the table: those connections are not evictions. */
  private flushing = false;

  constructor(options: CaptureScanOptions = {}) {
    this.idleSeconds = positive(
      'flowTimeoutSeconds',
      options.flowTimeoutSeconds ?? DEFAULTS.flowTimeoutSeconds,
    );
    this.maxFlows = positive('maxFlows', options.maxFlows ?? DEFAULTS.maxFlows);
    this.maxBufferedBytes = positive(
      'maxBufferedBytes',
      options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes,
    );
    this.warnings = new WarningLog(options.warningsPerKind, options.onWarning);
    this.tcp = new TcpReassembler({
      maxBytesPerDirection: options.maxBytesPerDirection,
      keepFlows: false,
      onDrop: (flow, reason) => this.dropTcp(flow, reason),
    });
    this.quic = new QuicInitialTracker({
      maxBytesPerDirection: options.maxBytesPerDirection,
      keepConnections: false,
      warn: (m) => this.warnings.add('quic-frames', m),
    });
  }

  /** True once the capture's framing broke: the rest of the input would be ignored. */
  get done(): boolean {
    return this.parser?.done ?? false;
  }

  /**
   * Reads one more chunk; the handshakes it completed.
   * @throws {DecodeError} when the input does not start like a pcap or pcapng file
   */
  push(chunk: Uint8Array): CapturedHandshake[] {
    return this.decode(this.pushStreams(chunk));
  }

  /** The input is over: connections still open are decoded with what they have. */
  end(): CapturedHandshake[] {
    if (this.ended) return [];
    const out = this.decode(this.endStreams());
    this.finish();
    return out;
  }

  /**
   * Reads one more chunk; the connections it completed, not yet decoded. A caller that
   * decodes them elsewhere (`streamHandshakes`, in a worker) reports each one back with
   * {@link settle}, in this order, and calls {@link finish} after the last.
   * @throws {DecodeError} when the input does not start like a pcap or pcapng file
   */
  pushStreams(chunk: Uint8Array): PendingStream[] {
    if (this.ended) throw new TypeError('CaptureScanner: push() after end()');
    this.bytes += chunk.length;
    // A subclass (Node's Buffer) makes every packet's subarray go through its constructor.
    if (chunk.constructor !== Uint8Array)
      chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    if (!this.parser) {
      const head = new Uint8Array(this.head.length + chunk.length);
      head.set(this.head);
      head.set(chunk, this.head.length);
      if (head.length < 4) {
        this.head = head;
        return [];
      }
      this.head = new Uint8Array(0);
      this.start(head);
      chunk = head;
    }
    this.parser?.push(chunk);
    return this.take();
  }

  /** The input is over: every connection still open, not yet decoded (see {@link pushStreams}). */
  endStreams(): PendingStream[] {
    if (this.ended) return [];
    this.ended = true;
    if (!this.parser) this.start(this.head);
    this.parser?.end();
    // Every connection still waiting comes out now, in order of last use.
    this.flushing = true;
    this.tcp.evict(Number.POSITIVE_INFINITY, { idleSeconds: 0, maxFlows: 0, maxBufferedBytes: 0 });
    this.quic.evict(Number.POSITIVE_INFINITY, 0, 0, (conn) => this.flushQuic(conn));
    return this.take();
  }

  /**
   * What decoding one pending stream found: its handshake count and the warnings its bytes
   * gave. An evicted connection that held a ClientHello is counted and named in a warning.
   */
  settle(stream: PendingStream, handshakes: number, decodeWarnings: readonly string[]): void {
    this.handshakes += handshakes;
    for (const w of decodeWarnings) this.warnings.add('stream-decoding', w);
    if (stream.evicted === undefined || handshakes === 0) return;
    this.evicted[stream.evicted]++;
    const reason = REASONS[stream.evicted];
    // Built only while the kind is under its cap: a capture can evict thousands of connections.
    this.warnings.add(
      'evicted',
      () =>
        `${stream.transport} stream ${stream.index} (${where(stream.client, stream.server)}) evicted (${reason}) before the server's first message; its ClientHello is reported without it`,
    );
  }

  /** After the last stream is settled: the warnings that sum up the capture (fragments, evictions). */
  finish(): void {
    const { dropped, incomplete } = this.fragments.stats();
    if (dropped + incomplete > 0) {
      this.warnings.add(
        'ip-fragments',
        `${dropped + incomplete} fragmented IP datagram${dropped + incomplete === 1 ? '' : 's'} not reassembled (${incomplete} missing fragments, ${dropped} dropped as too large, overlapping differently or too many)`,
      );
    }
    const lost = this.evicted.idle + this.evicted.count + this.evicted.memory;
    if (lost > 0) {
      this.warnings.add(
        'evictions',
        `${lost} connection${lost === 1 ? '' : 's'} with a ClientHello evicted before the server's first message: ${this.evicted.idle} idle longer than ${this.idleSeconds} s of capture time, ${this.evicted.count} over the ${this.maxFlows}-flow limit, ${this.evicted.memory} over the ${this.maxBufferedBytes}-byte buffer budget`,
      );
    }
  }

  /** Decodes pending streams here and settles them. */
  private decode(streams: PendingStream[]): CapturedHandshake[] {
    const out: CapturedHandshake[] = [];
    const warnings: string[] = [];
    for (const stream of streams) {
      const found = streamHandshakes(stream, warnings);
      this.settle(stream, found.length, warnings);
      warnings.length = 0;
      for (const h of found) out.push(h);
    }
    return out;
  }

  /** Counts so far. */
  stats(): CaptureScanStats {
    return {
      format: this.format,
      bytes: this.bytes,
      packets: this.packets,
      handshakes: this.handshakes,
      tcpConnections: this.tcp.size,
      quicConnections: this.quic.size,
      evicted: { ...this.evicted },
      warnings: this.warnings.counts(),
    };
  }

  private start(head: Uint8Array): void {
    const sink = {
      packet: (p: CapturedPacket) => this.packet(p),
      secrets: (s: DecryptionSecrets) => this.secrets(s),
      warnings: this.warnings,
    };
    if (isPcapng(head)) {
      this.format = 'pcapng';
      this.parser = new PcapngParser(sink);
    } else if (pcapMagic(head)) {
      this.format = 'pcap';
      this.parser = new PcapParser(sink);
    } else {
      throw notACapture(head);
    }
  }

  private take(): PendingStream[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private secrets(s: DecryptionSecrets): void {
    this.secretsBytes += s.data.length;
    if (this.secretsBytes > DEFAULTS.maxSecretsBytes) {
      this.warnings.add(
        'secrets-limit',
        `pcapng Decryption Secrets Block at byte offset ${s.fileOffset} skipped: more than ${DEFAULTS.maxSecretsBytes} bytes of secrets in the capture`,
      );
      return;
    }
    this.decryptionSecrets.push(s);
  }

  private packet(packet: CapturedPacket): void {
    this.packets++;
    const frame = packet.data;
    const link = linkPayloadStart(packet.linkType, frame);
    if (link < 0) return;
    const header = this.ipHeader;
    if (!readIpHeader(frame, link >> 1, header)) return;
    const time = packet.time;
    if (header.protocol === 6 && !header.fragment) {
      // The usual packet, read in place.
      const flow = this.tcp.pushFrame(time, frame, header);
      if (flow) this.tcpPushed(time, flow);
      return;
    }
    if (header.protocol !== 17 && !header.fragment) return;
    const packetIp = parseIp(frame.subarray(link >> 1));
    if (!packetIp) return;
    // A fragment waits for the rest of its datagram; the last one to arrive brings it whole.
    const ip = packetIp.fragment ? this.fragments.push(packetIp) : packetIp;
    if (!ip) return;
    if (ip.protocol === 6) {
      const segment = parseTcp(ip.payload);
      if (!segment) return;
      this.tcpPushed(time, this.tcp.push(time, ip.src, ip.dst, segment));
    } else if (ip.protocol === 17) {
      const udp = parseUdp(ip.payload);
      if (!udp) return;
      const src = { ip: ip.src, port: udp.srcPort };
      const dst = { ip: ip.dst, port: udp.dstPort };
      const conn = this.quic.push(time, src, dst, udp.payload, this.conversation(time, src, dst));
      if (conn && !conn.released) this.checkQuic(conn);
      this.quic.evict(time, this.idleSeconds, this.maxFlows, (c, reason) => this.flushQuic(c, reason));
    }
  }

  /** After a TCP segment: is its connection's handshake whole, and are connections to evict? */
  private tcpPushed(time: number, flow: TcpFlowState): void {
    if (!flow.released) this.checkTcp(flow);
    if (
      time >= this.nextIdleCheck ||
      this.tcp.size > this.maxFlows ||
      this.tcp.bufferedBytes > this.maxBufferedBytes
    ) {
      // Idle connections are looked for once a second of capture time, not on every packet.
      this.nextIdleCheck = time + 1;
      this.tcp.evict(time, {
        idleSeconds: this.idleSeconds,
        maxFlows: this.maxFlows,
        maxBufferedBytes: this.maxBufferedBytes,
      });
    }
  }

  /** The UDP conversation's number (every conversation counts, like tshark's udp.stream) and first time. */
  private conversation(time: number, src: Endpoint, dst: Endpoint): { index: number; firstSeen: number } {
    const key = conversationKey(src, dst);
    let c = this.udp.get(key);
    if (c) this.udp.delete(key);
    else c = { index: this.udpCount++, firstSeen: time, lastSeen: time };
    if (time > c.lastSeen) c.lastSeen = time;
    this.udp.set(key, c);
    for (const [k, old] of this.udp) {
      if (old.lastSeen >= time - this.idleSeconds && this.udp.size <= this.maxFlows) break;
      this.udp.delete(k);
    }
    return c;
  }

  private checkTcp(flow: TcpFlowState): void {
    const peek = this.tcp.peek(flow);
    // Closed, or a side's bytes reached the cap: nothing more that matters will come.
    if (peek.closed || peek.serverFull) {
      this.flushTcp(flow);
      return;
    }
    const start = this.clientHelloStart(flow, peek);
    if (start < 0) return;
    if (handshakeProgress(peek.client, start, true, 1).messages < 1) return;
    if (peek.server.length === 0) {
      // The client has said its part and waits, perhaps for a long time: keep only its bytes.
      this.tcp.compact(flow);
      return;
    }
    const server = handshakeProgress(peek.server, 0, true, 1);
    if (server.messages < 1 && !server.other) return;
    if (server.helloRetryRequest && handshakeProgress(peek.client, start, true, 2).messages < 2) return;
    this.flushTcp(flow);
  }

  /**
   * Where the client's ClientHello record starts, -1 while none is found. A search that had to
   * look past the first byte is remembered on the flow, so a stream is searched once.
   */
  private clientHelloStart(flow: TcpFlowState, peek: TcpFlowPeek): number {
    const scan = flow.helloScan;
    if (scan?.clientIsA !== peek.clientIsA) {
      // Nothing to search yet, or (the usual case) the client's bytes start with it and it is
      // found again at once: nothing to remember.
      if (peek.client.length < 6 && !peek.clientFull) return -1;
      const start = findClientHelloRecord(peek.client);
      if (start === 0) return 0;
      flow.helloScan = { clientIsA: peek.clientIsA, start, from: 0 };
      return this.searched(flow, peek, flow.helloScan);
    }
    if (scan.start < 0) {
      scan.start = findClientHelloRecord(peek.client, scan.from);
      return this.searched(flow, peek, scan);
    }
    return scan.start;
  }

  /** After a search for the ClientHello: where to search from next time when none was found. */
  private searched(
    flow: TcpFlowState,
    peek: TcpFlowPeek,
    scan: NonNullable<TcpFlowState['helloScan']>,
  ): number {
    if (scan.start < 0) {
      scan.from = Math.max(0, peek.client.length - 5);
      // Nothing more will come: the byte cap was reached without a ClientHello.
      if (peek.clientFull) this.tcp.release(flow);
    }
    return scan.start;
  }

  private dropTcp(flow: TcpFlowState, reason: TcpDropReason): void {
    this.flushTcp(flow, reason === 'replaced' || this.flushing ? undefined : reason);
  }

  private flushTcp(flow: TcpFlowState, evicted?: PendingStream['evicted']): void {
    const f = this.tcp.take(flow);
    flow.helloScan = undefined;
    this.pend(
      {
        transport: 'tcp',
        index: f.index,
        client: f.client,
        server: f.server,
        firstSeen: f.firstSeen,
        clientBytes: f.clientBytes,
        serverBytes: f.serverBytes,
      },
      evicted,
    );
  }

  /** Queues a finished connection, marked when it was evicted (no `evicted` key otherwise). */
  private pend(stream: Mutable<PendingStream>, evicted: PendingStream['evicted']): void {
    if (evicted) stream.evicted = evicted;
    this.out.push(stream);
  }

  private checkQuic(conn: QuicConnectionState): void {
    const { client, server } = this.quic.peek(conn);
    if (handshakeProgress(client, 0, false, 1).messages < 1) return;
    const answer = handshakeProgress(server, 0, false, 1);
    if (answer.messages < 1) return;
    if (answer.helloRetryRequest && handshakeProgress(client, 0, false, 2).messages < 2) return;
    this.flushQuic(conn);
  }

  private flushQuic(conn: QuicConnectionState, reason?: 'idle' | 'count'): void {
    const c = this.quic.view(conn);
    this.quic.release(conn);
    this.pend(
      {
        transport: 'quic',
        index: c.index,
        client: c.client,
        server: c.server,
        firstSeen: c.firstSeen,
        clientBytes: c.clientCrypto,
        serverBytes: c.serverCrypto,
      },
      reason,
    );
  }
}

const REASONS: Record<TcpDropReason, string> = {
  idle: 'idle longer than the flow timeout',
  count: 'over the flow limit',
  memory: 'over the buffer budget',
  replaced: 'its 4-tuple was reused',
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function where(client: Endpoint, server: Endpoint): string {
  return `${endpointText(client.ip, client.port)} → ${endpointText(server.ip, server.port)}`;
}

function positive(name: string, value: number): number {
  if (!(value > 0)) throw new RangeError(`"${name}" expected a positive number, got ${value}`);
  return value;
}

function conversationKey(x: Endpoint, y: Endpoint): string {
  const ex = `${x.ip}|${x.port}`;
  const ey = `${y.ip}|${y.port}`;
  return ex < ey ? `${ex}/${ey}` : `${ey}/${ex}`;
}

/** The error for input that is not a capture file (what readCapture throws too). */
export function notACapture(bytes: Uint8Array): DecodeError {
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
  return new DecodeError({
    code: 'illegal-value',
    offset: 0,
    path: 'capture',
    alert: 'decode_error',
    detail:
      bytes.length < 4
        ? `${bytes.length} bytes is too short for a capture file`
        : `not a pcap or pcapng file (magic number 0x${head})`,
  });
}
