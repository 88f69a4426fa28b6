/**
 * TCP stream reassembly, enough to recover handshakes: flows keyed by the 4-tuple, both
 * directions, sequence numbers relative to the SYN (or to the lowest byte seen when the
 * capture starts mid-stream), out-of-order segments, retransmissions and overlaps (the
 * first copy of a byte wins), and a per-direction byte cap so memory stays bounded.
 */

import { RangeBuffer } from './reassembly.ts';
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

interface Flow {
  index: number;
  firstSeen: number;
  /** The endpoint that sent the flow's first packet, and the other one. */
  a: Endpoint;
  b: Endpoint;
  /** [a→b, b→a] */
  dirs: [Direction, Direction];
}

const DEFAULT_CAP = 256 * 1024;

/**
 * Collects TCP segments and hands back each flow's byte streams.
 * @example
 * const tcp = new TcpReassembler();
 * tcp.push(packet.time, ip.src, ip.dst, segment);
 * for (const flow of tcp.flows()) console.log(flow.index, flow.clientBytes.length);
 */
export class TcpReassembler {
  private readonly cap: number;
  private readonly current = new Map<string, Flow>();
  private readonly all: Flow[] = [];

  constructor(options: TcpReassemblerOptions = {}) {
    this.cap = options.maxBytesPerDirection ?? DEFAULT_CAP;
    if (!Number.isInteger(this.cap) || this.cap < 0) {
      throw new RangeError(`"maxBytesPerDirection" expected a non-negative integer, got ${this.cap}`);
    }
  }

  /** Adds one segment sent from `srcIp` to `dstIp` at capture time `time` (seconds). */
  push(time: number, srcIp: string, dstIp: string, segment: TcpSegment): void {
    const src: Endpoint = { ip: srcIp, port: segment.srcPort };
    const dst: Endpoint = { ip: dstIp, port: segment.dstPort };
    const key = flowKey(src, dst);
    const syn = (segment.flags & TCP_FLAGS.syn) !== 0;
    const ack = (segment.flags & TCP_FLAGS.ack) !== 0;
    let flow = this.current.get(key);
    if (flow && syn && !ack && this.startsNewFlow(flow, src, segment.seq)) flow = undefined;
    if (!flow) {
      flow = {
        index: this.all.length,
        firstSeen: time,
        a: src,
        b: dst,
        dirs: [this.direction(), this.direction()],
      };
      this.current.set(key, flow);
      this.all.push(flow);
    }
    const dir = flow.dirs[sameEndpoint(flow.a, src) ? 0 : 1];
    if (segment.flags & (TCP_FLAGS.fin | TCP_FLAGS.rst)) dir.closed = true;
    if (syn) {
      dir.sawSyn = true;
      if (ack) dir.sawSynAck = true;
      this.setSynBase(dir, segment.seq);
    }
    if (segment.payload.length === 0) return;
    // Data on a SYN (TCP Fast Open) starts one after the SYN's sequence number.
    const dataSeq = syn ? (segment.seq + 1) >>> 0 : segment.seq;
    if (dir.base === undefined) dir.base = dataSeq;
    let offset = (dataSeq - dir.base) | 0;
    if (offset < 0 && dir.isn === undefined && -offset < this.cap) {
      // No SYN seen: the stream starts at the lowest byte seen so far.
      dir.buffer.shift(-offset);
      dir.base = dataSeq;
      offset = 0;
    }
    if (offset >= this.cap) {
      dir.buffer.truncated = true;
      return;
    }
    dir.buffer.write(offset, segment.payload);
  }

  /** Every flow seen so far, in order of first packet. */
  flows(): TcpFlow[] {
    return this.all.map((flow) => {
      const [ab, ba] = flow.dirs;
      let clientIsA: boolean;
      let evidence: ClientEvidence;
      if (ab.sawSyn && !ab.sawSynAck) [clientIsA, evidence] = [true, 'syn'];
      else if (ba.sawSyn && !ba.sawSynAck) [clientIsA, evidence] = [false, 'syn'];
      else if (ab.sawSynAck) [clientIsA, evidence] = [false, 'syn-ack'];
      else if (ba.sawSynAck) [clientIsA, evidence] = [true, 'syn-ack'];
      else {
        const aBytes = ab.buffer.contiguous();
        const bBytes = ba.buffer.contiguous();
        if (looksLikeClientHello(aBytes)) [clientIsA, evidence] = [true, 'client-hello'];
        else if (looksLikeClientHello(bBytes)) [clientIsA, evidence] = [false, 'client-hello'];
        else [clientIsA, evidence] = [true, 'first-packet'];
      }
      const up = clientIsA ? ab : ba;
      const down = clientIsA ? ba : ab;
      const clientBytes = up.buffer.contiguous();
      const serverBytes = down.buffer.contiguous();
      const incomplete =
        up.buffer.truncated || down.buffer.truncated || up.buffer.hasHole || down.buffer.hasHole;
      return {
        index: flow.index,
        client: clientIsA ? flow.a : flow.b,
        server: clientIsA ? flow.b : flow.a,
        clientEvidence: evidence,
        firstSeen: flow.firstSeen,
        clientBytes,
        serverBytes,
        incomplete,
      };
    });
  }

  private direction(): Direction {
    return {
      base: undefined,
      sawSyn: false,
      sawSynAck: false,
      isn: undefined,
      closed: false,
      buffer: new RangeBuffer(this.cap),
    };
  }

  /** A SYN starts a new flow on a reused 4-tuple when its sequence number differs from the flow's. */
  private startsNewFlow(flow: Flow, src: Endpoint, seq: number): boolean {
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
