/**
 * TCP stream reassembly, enough to recover handshakes: flows keyed by the 4-tuple, both
 * directions, sequence numbers relative to the SYN (or to the lowest byte seen when the
 * capture starts mid-stream), out-of-order segments, retransmissions and overlaps (the
 * first copy of a byte wins), and a per-direction byte cap so memory stays bounded.
 */

import { RangeBuffer } from '../bytes/range-buffer.ts';
import { TCP_FLAGS, type TcpSegment } from './transport.ts';

/** An IP address and port. */
export interface Endpoint {
  /** Address in text form (`192.0.2.1`, `2001:db8::1`). */
  readonly ip: string;
  readonly port: number;
}

/** How the client side of a flow was recognised, most certain first. */
export type ClientEvidence = 'syn' | 'syn-ack' | 'client-hello' | 'first-packet';

/** One reassembled TCP connection. */
export interface TcpFlow {
  /** Number of the flow in order of first packet, counting every TCP flow (like tshark's `tcp.stream`). */
  readonly index: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** How `client` was chosen. */
  readonly clientEvidence: ClientEvidence;
  /** Capture time of the flow's first packet, in seconds. */
  readonly firstSeen: number;
  /** Client→server bytes from the stream start up to the first hole (at most the byte cap). */
  readonly clientBytes: Uint8Array;
  /** Server→client bytes from the stream start up to the first hole (at most the byte cap). */
  readonly serverBytes: Uint8Array;
  /** True when a direction had more bytes than the cap, or a hole stopped its bytes early. */
  readonly incomplete: boolean;
}

/** Options for {@link TcpReassembler}. */
export interface TcpReassemblerOptions {
  /** Most bytes kept per direction of a flow. Default 256 KiB. */
  readonly maxBytesPerDirection?: number;
  /**
   * Keep every flow for {@link TcpReassembler.flows} (the default). A streaming reader sets
   * false: it takes each flow's bytes as they complete and {@link TcpReassembler.release}s it,
   * and flows evicted by {@link TcpReassembler.evict} are forgotten.
   */
  readonly keepFlows?: boolean;
  /** Called when a flow that was not released leaves the table: a reused 4-tuple replaced it, or it was evicted. */
  readonly onDrop?: (flow: TcpFlowState, reason: TcpDropReason) => void;
}

/** Why a flow left the table before it was released. */
export type TcpDropReason = 'replaced' | 'idle' | 'count' | 'memory';

/** Limits {@link TcpReassembler.evict} applies. */
export interface TcpEvictionLimits {
  /** Flows whose last packet is older than this many seconds of capture time go. */
  readonly idleSeconds: number;
  /** Most flows tracked (released ones included). */
  readonly maxFlows: number;
  /** Most bytes held in reassembly buffers across all flows. */
  readonly maxBufferedBytes: number;
}

interface Direction {
  /** Absolute sequence number of stream offset 0. */
  base: number | undefined;
  sawSyn: boolean;
  sawSynAck: boolean;
  isn: number | undefined;
  closed: boolean;
  buffer: RangeBuffer;
}

/** A flow as the reassembler tracks it (read its bytes with {@link TcpReassembler.view} or {@link TcpReassembler.peek}). */
export interface TcpFlowState {
  readonly index: number;
  readonly firstSeen: number;
  /** Capture time of its latest packet. */
  lastSeen: number;
  /** True once its handshake bytes were taken: later segments only update its state. */
  released: boolean;
  /** Set when either side sent RST. */
  reset: boolean;
  /** The endpoint that sent the flow's first packet, and the other one. */
  readonly a: Endpoint;
  readonly b: Endpoint;
  /** [a→b, b→a] */
  readonly dirs: [Direction, Direction];
  readonly key: string;
  /**
   * Where the reader above found the client's ClientHello record (-1 while not found), how
   * far it has searched, and for which side as client: kept here so a stream is searched once.
   */
  helloScan: { clientIsA: boolean; start: number; from: number } | undefined;
}

/** The client and server bytes of a flow so far, as views into its buffers (valid until the next push). */
export interface TcpFlowPeek {
  readonly client: Uint8Array;
  readonly server: Uint8Array;
  /** True when the client's bytes reached the byte cap (nothing more will come). */
  readonly clientFull: boolean;
  /** True when the server's bytes reached the byte cap. */
  readonly serverFull: boolean;
  /** True when both sides sent FIN, or either sent RST. */
  readonly closed: boolean;
  /** True when the client is the side that sent the flow's first packet. */
  readonly clientIsA: boolean;
}

const DEFAULT_CAP = 256 * 1024;
const NO_BYTES = new RangeBuffer(0);

/**
 * Collects TCP segments and hands back each flow's byte streams.
 * @example
 * const tcp = new TcpReassembler();
 * tcp.push(packet.time, ip.src, ip.dst, segment);
 * for (const flow of tcp.flows()) console.log(flow.index, flow.clientBytes.length);
 */
export class TcpReassembler {
  private readonly cap: number;
  /** Flows by 4-tuple, least recently used first. */
  private readonly current = new Map<string, TcpFlowState>();
  private readonly all: TcpFlowState[] | undefined;
  private readonly onDrop: ((flow: TcpFlowState, reason: TcpDropReason) => void) | undefined;
  private count = 0;
  private buffered = 0;

  constructor(options: TcpReassemblerOptions = {}) {
    this.cap = options.maxBytesPerDirection ?? DEFAULT_CAP;
    if (!Number.isInteger(this.cap) || this.cap < 0) {
      throw new RangeError(`"maxBytesPerDirection" expected a non-negative integer, got ${this.cap}`);
    }
    this.all = options.keepFlows === false ? undefined : [];
    this.onDrop = options.onDrop;
  }

  /** Flows tracked now (released ones included). */
  get size(): number {
    return this.current.size;
  }

  /** Bytes held in reassembly buffers now. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Adds one segment sent from `srcIp` to `dstIp` at capture time `time` (seconds); the flow it belongs to. */
  push(time: number, srcIp: string, dstIp: string, segment: TcpSegment): TcpFlowState {
    const src: Endpoint = { ip: srcIp, port: segment.srcPort };
    const dst: Endpoint = { ip: dstIp, port: segment.dstPort };
    const key = flowKey(src, dst);
    const syn = (segment.flags & TCP_FLAGS.syn) !== 0;
    const ack = (segment.flags & TCP_FLAGS.ack) !== 0;
    let flow = this.current.get(key);
    if (flow && syn && !ack && this.startsNewFlow(flow, src, segment.seq)) {
      this.remove(flow);
      if (!flow.released) this.onDrop?.(flow, 'replaced');
      flow = undefined;
    }
    if (!flow) {
      flow = {
        index: this.count++,
        firstSeen: time,
        lastSeen: time,
        released: false,
        reset: false,
        a: src,
        b: dst,
        dirs: [this.direction(), this.direction()],
        key,
        helloScan: undefined,
      };
      this.all?.push(flow);
    } else {
      // Least recently used first: a touched flow moves to the end.
      this.current.delete(key);
    }
    this.current.set(key, flow);
    if (time > flow.lastSeen) flow.lastSeen = time;
    const dir = flow.dirs[sameEndpoint(flow.a, src) ? 0 : 1];
    if (segment.flags & (TCP_FLAGS.fin | TCP_FLAGS.rst)) dir.closed = true;
    if (segment.flags & TCP_FLAGS.rst) flow.reset = true;
    if (syn) {
      dir.sawSyn = true;
      if (ack) dir.sawSynAck = true;
      this.setSynBase(dir, segment.seq);
    }
    if (segment.payload.length === 0 || flow.released) return flow;
    // Data on a SYN (TCP Fast Open) starts one after the SYN's sequence number.
    const dataSeq = syn ? (segment.seq + 1) >>> 0 : segment.seq;
    if (dir.base === undefined) dir.base = dataSeq;
    let offset = (dataSeq - dir.base) | 0;
    // Buffers are made on a direction's first data: most flows send data one way, or not at all.
    if (dir.buffer === NO_BYTES) dir.buffer = new RangeBuffer(this.cap);
    const before = dir.buffer.capacity;
    if (offset < 0 && dir.isn === undefined && -offset < this.cap) {
      // No SYN seen: the stream starts at the lowest byte seen so far.
      dir.buffer.shift(-offset);
      dir.base = dataSeq;
      offset = 0;
    }
    if (offset >= this.cap) {
      dir.buffer.truncated = true;
    } else {
      dir.buffer.write(offset, segment.payload);
    }
    this.buffered += dir.buffer.capacity - before;
    return flow;
  }

  /** Every flow seen so far, in order of first packet (none when `keepFlows` is false). */
  flows(): TcpFlow[] {
    return (this.all ?? []).map((flow) => this.view(flow));
  }

  /** A flow's client and server bytes (copies), with how its client was recognised. */
  view(flow: TcpFlowState): TcpFlow {
    return this.flow(flow, true);
  }

  /**
   * A flow's bytes as in {@link view}, handed over instead of copied (views of its buffers),
   * and the flow {@link release}d: its buffers are no longer the reassembler's.
   */
  take(flow: TcpFlowState): TcpFlow {
    const f = this.flow(flow, flow.released);
    this.release(flow);
    return f;
  }

  private flow(flow: TcpFlowState, copy: boolean): TcpFlow {
    const [clientIsA, evidence] = this.clientSide(flow);
    const [ab, ba] = flow.dirs;
    const up = clientIsA ? ab : ba;
    const down = clientIsA ? ba : ab;
    const incomplete =
      up.buffer.truncated || down.buffer.truncated || up.buffer.hasHole || down.buffer.hasHole;
    return {
      index: flow.index,
      client: clientIsA ? flow.a : flow.b,
      server: clientIsA ? flow.b : flow.a,
      clientEvidence: evidence,
      firstSeen: flow.firstSeen,
      clientBytes: copy ? up.buffer.contiguous() : up.buffer.peek(),
      serverBytes: copy ? down.buffer.contiguous() : down.buffer.peek(),
      incomplete,
    };
  }

  /** A flow's contiguous bytes so far without copying them. */
  peek(flow: TcpFlowState): TcpFlowPeek {
    const [clientIsA] = this.clientSide(flow);
    const [ab, ba] = flow.dirs;
    const up = clientIsA ? ab : ba;
    const down = clientIsA ? ba : ab;
    return {
      client: up.buffer.peek(),
      server: down.buffer.peek(),
      clientFull: up.buffer.truncated,
      serverFull: down.buffer.truncated,
      closed: flow.reset || (ab.closed && ba.closed),
      clientIsA,
    };
  }

  /** Gives back a waiting flow's spare buffer room (its bytes stay). */
  compact(flow: TcpFlowState): void {
    for (const dir of flow.dirs) {
      this.buffered -= dir.buffer.capacity;
      dir.buffer.compact();
      this.buffered += dir.buffer.capacity;
    }
  }

  /**
   * Frees a flow's buffers once its bytes were taken. It stays in the table (so its later
   * segments are not read as a new connection) until it is evicted.
   */
  release(flow: TcpFlowState): void {
    if (flow.released) return;
    flow.released = true;
    for (const dir of flow.dirs) {
      this.buffered -= dir.buffer.capacity;
      dir.buffer = NO_BYTES;
    }
  }

  /**
   * Removes flows idle longer than `idleSeconds` before capture time `now`, then the least
   * recently used ones while there are more than `maxFlows` or their buffers hold more than
   * `maxBufferedBytes`. Flows not yet released go to `onDrop` first.
   */
  evict(now: number, limits: TcpEvictionLimits): void {
    for (const flow of this.current.values()) {
      let reason: TcpDropReason | undefined;
      if (flow.lastSeen < now - limits.idleSeconds) reason = 'idle';
      else if (this.current.size > limits.maxFlows) reason = 'count';
      else if (this.buffered > limits.maxBufferedBytes) reason = 'memory';
      else return;
      if (!flow.released) this.onDrop?.(flow, reason);
      this.release(flow);
      this.remove(flow);
    }
  }

  private remove(flow: TcpFlowState): void {
    if (this.current.get(flow.key) === flow) this.current.delete(flow.key);
  }

  private clientSide(flow: TcpFlowState): [boolean, ClientEvidence] {
    const [ab, ba] = flow.dirs;
    if (ab.sawSyn && !ab.sawSynAck) return [true, 'syn'];
    if (ba.sawSyn && !ba.sawSynAck) return [false, 'syn'];
    if (ab.sawSynAck) return [false, 'syn-ack'];
    if (ba.sawSynAck) return [true, 'syn-ack'];
    if (looksLikeClientHello(ab.buffer.peek())) return [true, 'client-hello'];
    if (looksLikeClientHello(ba.buffer.peek())) return [false, 'client-hello'];
    return [true, 'first-packet'];
  }

  private direction(): Direction {
    return {
      base: undefined,
      sawSyn: false,
      sawSynAck: false,
      isn: undefined,
      closed: false,
      buffer: NO_BYTES,
    };
  }

  /** A SYN starts a new flow on a reused 4-tuple when its sequence number differs from the flow's. */
  private startsNewFlow(flow: TcpFlowState, src: Endpoint, seq: number): boolean {
    const dir = flow.dirs[sameEndpoint(flow.a, src) ? 0 : 1];
    if (dir.isn !== undefined) return dir.isn !== seq;
    return flow.dirs[0].closed || flow.dirs[1].closed;
  }

  private setSynBase(dir: Direction, seq: number): void {
    dir.isn = seq;
    const base = (seq + 1) >>> 0;
    if (dir.base !== undefined && dir.base !== base) {
      // Data was seen before the SYN (capture reordering): move it to its place after the SYN.
      const delta = (dir.base - base) | 0;
      if (delta > 0) dir.buffer.shift(delta);
    }
    dir.base = base;
  }
}

/** True for bytes that start like a TLS handshake record carrying a ClientHello: 0x16 0x03 xx .. .. 0x01. */
export function looksLikeClientHello(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && bytes[0] === 0x16 && bytes[1] === 0x03 && bytes[5] === 0x01;
}

function sameEndpoint(x: Endpoint, y: Endpoint): boolean {
  return x.port === y.port && x.ip === y.ip;
}

function flowKey(x: Endpoint, y: Endpoint): string {
  const ex = `${x.ip}|${x.port}`;
  const ey = `${y.ip}|${y.port}`;
  return ex < ey ? `${ex}/${ey}` : `${ey}/${ex}`;
}
