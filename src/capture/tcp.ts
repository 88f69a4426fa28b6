/**
 * TCP stream reassembly, enough to recover handshakes: flows keyed by the 4-tuple, both
 * directions, sequence numbers relative to the SYN (or to the lowest byte seen when the
 * capture starts mid-stream), out-of-order segments, retransmissions and overlaps (the
 * first copy of a byte wins), and a per-direction byte cap so memory stays bounded.
 */

import { RangeBuffer, SlabPool } from '../bytes/range-buffer.ts';
import { type IpHeader, tcpHeaderLength } from './headers.ts';
import { ipv6Text } from './ip.ts';
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
const NO_PAYLOAD = new Uint8Array(0);

/**
 * A 4-tuple as the flow table compares it, in ten 32-bit words: the source address as four
 * words (IPv4: the address and three zeros), the source port with the address kind in its
 * upper half, then the same for the destination. Numbers, not strings: a packet's flow is
 * found without building a key.
 */
type Tuple = Int32Array;
const TUPLE_WORDS = 10;
const DST = 5;
/** Address kinds: IPv4, IPv6, and text that is neither in its canonical form (compared as text). */
const KIND_IPV4 = 1;
const KIND_IPV6 = 2;
const KIND_TEXT = 3;

const EVIDENCE: readonly ClientEvidence[] = ['syn', 'syn-ack', 'client-hello', 'first-packet'];

/**
 * The 4-tuples of the flows in the table, {@link TUPLE_WORDS} words per slot in one array: a
 * flow holds its slot's number, not an array (or endpoint objects) of its own.
 */
class TupleTable {
  words: Int32Array = new Int32Array(TUPLE_WORDS * 256);
  /** Slots handed out so far, and those given back since. */
  private used = 0;
  private readonly free: number[] = [];

  /** A slot holding a copy of `t`. */
  take(t: Tuple): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.used++;
      if (slot * TUPLE_WORDS >= this.words.length) {
        const words = new Int32Array(this.words.length * 2);
        words.set(this.words);
        this.words = words;
      }
    }
    this.words.set(t, slot * TUPLE_WORDS);
    return slot;
  }

  give(slot: number): void {
    this.free.push(slot);
  }

  /** The endpoint in words `at` (0 or {@link DST}) of `slot`. */
  endpoint(slot: number, at: number): Endpoint {
    const from = slot * TUPLE_WORDS + at;
    return { ip: addressText(this.words, from), port: this.words[from + 4] & 0xffff };
  }
}

/** A flow in the table: its state, its 4-tuple's slot, and its places in the hash chain and the recency list. */
class Flow implements TcpFlowState {
  readonly index: number;
  readonly firstSeen: number;
  lastSeen: number;
  released = false;
  reset = false;
  readonly dirs: [Direction, Direction];
  helloScan: TcpFlowState['helloScan'] = undefined;
  /** Where its 4-tuple is (-1 once it left the table). */
  slot: number;
  private readonly tuples: TupleTable;
  /** a and b, made from the 4-tuple when first asked for (most flows are only asked once, at the end). */
  private endpointA: Endpoint | undefined;
  private endpointB: Endpoint | undefined;
  readonly hash: number;
  /** The next flow whose 4-tuple has the same hash. */
  sameHash: Flow | undefined = undefined;
  /** Neighbours in the recency list (least recently used first). */
  older: Flow | undefined = undefined;
  newer: Flow | undefined = undefined;
  inTable = false;

  constructor(
    index: number,
    time: number,
    tuples: TupleTable,
    slot: number,
    hash: number,
    a: Endpoint | undefined,
    b: Endpoint | undefined,
  ) {
    this.index = index;
    this.firstSeen = time;
    this.lastSeen = time;
    this.dirs = [NO_DIRECTION, NO_DIRECTION];
    this.tuples = tuples;
    this.slot = slot;
    this.hash = hash;
    this.endpointA = a;
    this.endpointB = b;
  }

  get a(): Endpoint {
    this.endpointA ??= this.tuples.endpoint(this.slot, 0);
    return this.endpointA;
  }

  get b(): Endpoint {
    this.endpointB ??= this.tuples.endpoint(this.slot, DST);
    return this.endpointB;
  }

  /** Makes a and b while the 4-tuple is at hand; its slot, which the next flow may take. */
  leaveTable(): number {
    this.endpointA = this.a;
    this.endpointB = this.b;
    const slot = this.slot;
    this.slot = -1;
    return slot;
  }

  get key(): string {
    return flowKey(this.a, this.b);
  }
}

/**
 * Collects TCP segments and hands back each flow's byte streams.
 * @example
 * const tcp = new TcpReassembler();
 * tcp.push(packet.time, ip.src, ip.dst, segment);
 * for (const flow of tcp.flows()) console.log(flow.index, flow.clientBytes.length);
 */
export class TcpReassembler {
  private readonly cap: number;
  /** Where the flows' buffers are carved: one or two short streams per connection, many connections. */
  private readonly pool = new SlabPool();
  /** Flows by the hash of their 4-tuple (one chain per hash). */
  private readonly byHash = new Map<number, Flow>();
  /** The recency list's ends: least and most recently used. */
  private oldest: Flow | undefined;
  private newest: Flow | undefined;
  private tracked = 0;
  private readonly all: TcpFlowState[] | undefined;
  private readonly onDrop: ((flow: TcpFlowState, reason: TcpDropReason) => void) | undefined;
  private count = 0;
  private buffered = 0;
  /** The 4-tuple of the segment being added (reused). */
  private readonly tuple: Tuple = new Int32Array(TUPLE_WORDS);
  private readonly tuples = new TupleTable();
  /** Set by {@link find}: the segment goes from the flow's `a` to its `b`. */
  private forward = true;

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
    return this.tracked;
  }

  /** Bytes held in reassembly buffers now. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Adds one segment sent from `srcIp` to `dstIp` at capture time `time` (seconds); the flow it belongs to. */
  push(time: number, srcIp: string, dstIp: string, segment: TcpSegment): TcpFlowState {
    const t = this.tuple;
    t[4] = segment.srcPort | (addressWords(srcIp, t, 0) << 16);
    t[DST + 4] = segment.dstPort | (addressWords(dstIp, t, DST) << 16);
    return this.add(time, segment.seq, segment.flags, segment.payload, srcIp, dstIp);
  }

  /**
   * Adds the TCP segment of a captured frame whose IP header was read in place (the
   * per-packet path of a capture reader: no object per packet); the flow it belongs to, or
   * undefined when the segment is too short for a TCP header.
   * @internal
   */
  pushFrame(time: number, frame: Uint8Array, ip: IpHeader): TcpFlowState | undefined {
    const start = ip.payloadStart;
    const end = ip.payloadEnd;
    const headerLength = tcpHeaderLength(frame, start, end);
    if (headerLength < 0) return undefined;
    const t = this.tuple;
    const at = ip.addresses;
    let kind = KIND_IPV4;
    if (ip.version === 4) {
      t[0] = word(frame, at);
      t[DST] = word(frame, at + 4);
      t[1] = t[2] = t[3] = t[DST + 1] = t[DST + 2] = t[DST + 3] = 0;
    } else {
      kind = KIND_IPV6;
      for (let i = 0; i < 4; i++) {
        t[i] = word(frame, at + 4 * i);
        t[DST + i] = word(frame, at + 16 + 4 * i);
      }
    }
    t[4] = (frame[start] << 8) | frame[start + 1] | (kind << 16);
    t[DST + 4] = (frame[start + 2] << 8) | frame[start + 3] | (kind << 16);
    const seq = word(frame, start + 4) >>> 0;
    const flags = frame[start + 13];
    const payload = end > start + headerLength ? frame.subarray(start + headerLength, end) : NO_PAYLOAD;
    return this.add(time, seq, flags, payload, undefined, undefined);
  }

  /** Adds the segment whose 4-tuple is in {@link tuple} (`srcIp`/`dstIp`: its addresses' text, when at hand). */
  private add(
    time: number,
    seq: number,
    flags: number,
    payload: Uint8Array,
    srcIp: string | undefined,
    dstIp: string | undefined,
  ): TcpFlowState {
    const t = this.tuple;
    const hash = (endpointHash(t, 0) + endpointHash(t, DST)) | 0;
    const syn = (flags & TCP_FLAGS.syn) !== 0;
    const ack = (flags & TCP_FLAGS.ack) !== 0;
    let flow = this.find(hash, srcIp, dstIp);
    if (flow && syn && !ack && this.startsNewFlow(flow, seq)) {
      this.remove(flow);
      if (!flow.released) this.onDrop?.(flow, 'replaced');
      // Neither kept for flows() nor taken: its buffers go back to the pool.
      if (this.all === undefined) this.release(flow);
      flow = undefined;
    }
    if (!flow) {
      // Text the caller gave is kept as it was (an address not in canonical form is compared as text).
      const a = srcIp === undefined ? undefined : { ip: srcIp, port: t[4] & 0xffff };
      const b = dstIp === undefined ? undefined : { ip: dstIp, port: t[DST + 4] & 0xffff };
      flow = new Flow(this.count++, time, this.tuples, this.tuples.take(t), hash, a, b);
      this.forward = true;
      this.insert(flow);
      this.all?.push(flow);
    } else {
      // Least recently used first: a touched flow moves to the end.
      this.unlinkRecency(flow);
      this.linkRecency(flow);
    }
    if (time > flow.lastSeen) flow.lastSeen = time;
    const side = this.forward ? 0 : 1;
    let dir = flow.dirs[side];
    if (dir === NO_DIRECTION) {
      dir = direction();
      flow.dirs[side] = dir;
    }
    if (flags & (TCP_FLAGS.fin | TCP_FLAGS.rst)) dir.closed = true;
    if (flags & TCP_FLAGS.rst) flow.reset = true;
    if (syn) {
      dir.sawSyn = true;
      if (ack) dir.sawSynAck = true;
      this.setSynBase(dir, seq);
    }
    if (payload.length === 0 || flow.released) return flow;
    // Data on a SYN (TCP Fast Open) starts one after the SYN's sequence number.
    const dataSeq = syn ? (seq + 1) >>> 0 : seq;
    if (dir.base === undefined) dir.base = dataSeq;
    let offset = (dataSeq - dir.base) | 0;
    // Buffers are made on a direction's first data: most flows send data one way, or not at all.
    if (dir.buffer === NO_BYTES) dir.buffer = new RangeBuffer(this.cap, this.pool);
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
      dir.buffer.write(offset, payload);
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
    const side = clientSide(flow);
    const clientIsA = (side & 1) === 1;
    const [ab, ba] = flow.dirs;
    const up = clientIsA ? ab : ba;
    const down = clientIsA ? ba : ab;
    const incomplete =
      up.buffer.truncated || down.buffer.truncated || up.buffer.hasHole || down.buffer.hasHole;
    return {
      index: flow.index,
      client: clientIsA ? flow.a : flow.b,
      server: clientIsA ? flow.b : flow.a,
      clientEvidence: EVIDENCE[side >> 1],
      firstSeen: flow.firstSeen,
      clientBytes: copy ? up.buffer.contiguous() : up.buffer.peek(),
      serverBytes: copy ? down.buffer.contiguous() : down.buffer.peek(),
      incomplete,
    };
  }

  /** A flow's contiguous bytes so far without copying them. */
  peek(flow: TcpFlowState): TcpFlowPeek {
    const clientIsA = (clientSide(flow) & 1) === 1;
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
      if (dir.buffer === NO_BYTES) continue;
      this.buffered -= dir.buffer.capacity;
      dir.buffer.free();
      dir.buffer = NO_BYTES;
    }
  }

  /**
   * Removes flows idle longer than `idleSeconds` before capture time `now`, then the least
   * recently used ones while there are more than `maxFlows` or their buffers hold more than
   * `maxBufferedBytes`. Flows not yet released go to `onDrop` first.
   */
  evict(now: number, limits: TcpEvictionLimits): void {
    for (let flow = this.oldest; flow !== undefined; flow = this.oldest) {
      let reason: TcpDropReason | undefined;
      if (flow.lastSeen < now - limits.idleSeconds) reason = 'idle';
      else if (this.tracked > limits.maxFlows) reason = 'count';
      else if (this.buffered > limits.maxBufferedBytes) reason = 'memory';
      else return;
      if (!flow.released) this.onDrop?.(flow, reason);
      this.release(flow);
      this.remove(flow);
    }
  }

  /** The flow of the segment in {@link tuple}, and (in {@link forward}) which way it goes. */
  private find(hash: number, srcIp: string | undefined, dstIp: string | undefined): Flow | undefined {
    const t = this.tuple;
    const f = this.tuples.words;
    for (let flow = this.byHash.get(hash); flow !== undefined; flow = flow.sameHash) {
      const at = flow.slot * TUPLE_WORDS;
      if (sameWords(f, at, t, 0) && sameWords(f, at + DST, t, DST)) {
        if (t[4] >>> 16 === KIND_TEXT || t[DST + 4] >>> 16 === KIND_TEXT) {
          if (flow.a.ip !== srcIp || flow.b.ip !== dstIp) continue;
        }
        this.forward = true;
        return flow;
      }
      if (sameWords(f, at, t, DST) && sameWords(f, at + DST, t, 0)) {
        if (t[4] >>> 16 === KIND_TEXT || t[DST + 4] >>> 16 === KIND_TEXT) {
          if (flow.a.ip !== dstIp || flow.b.ip !== srcIp) continue;
        }
        this.forward = false;
        return flow;
      }
    }
    return undefined;
  }

  private insert(flow: Flow): void {
    flow.sameHash = this.byHash.get(flow.hash);
    this.byHash.set(flow.hash, flow);
    this.linkRecency(flow);
    flow.inTable = true;
    this.tracked++;
  }

  private remove(state: TcpFlowState): void {
    const flow = state as Flow;
    if (!flow.inTable) return;
    flow.inTable = false;
    this.tracked--;
    this.tuples.give(flow.leaveTable());
    this.unlinkRecency(flow);
    const first = this.byHash.get(flow.hash);
    if (first === flow) {
      if (flow.sameHash === undefined) this.byHash.delete(flow.hash);
      else this.byHash.set(flow.hash, flow.sameHash);
    } else {
      let before = first;
      while (before !== undefined && before.sameHash !== flow) before = before.sameHash;
      if (before !== undefined) before.sameHash = flow.sameHash;
    }
    flow.sameHash = undefined;
  }

  private linkRecency(flow: Flow): void {
    flow.older = this.newest;
    flow.newer = undefined;
    if (this.newest) this.newest.newer = flow;
    else this.oldest = flow;
    this.newest = flow;
  }

  private unlinkRecency(flow: Flow): void {
    if (flow.older) flow.older.newer = flow.newer;
    else this.oldest = flow.newer;
    if (flow.newer) flow.newer.older = flow.older;
    else this.newest = flow.older;
    flow.older = flow.newer = undefined;
  }

  /** A SYN starts a new flow on a reused 4-tuple when its sequence number differs from the flow's. */
  private startsNewFlow(flow: TcpFlowState, seq: number): boolean {
    const dir = flow.dirs[this.forward ? 0 : 1];
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

/**
 * Which side of a flow is the client and how that was recognised, as one number:
 * `evidence * 2 + 1` when it is `a` (evidence indexes {@link EVIDENCE}), `evidence * 2` when `b`.
 */
function clientSide(flow: TcpFlowState): number {
  const [ab, ba] = flow.dirs;
  if (ab.sawSyn && !ab.sawSynAck) return 0 * 2 + 1;
  if (ba.sawSyn && !ba.sawSynAck) return 0 * 2;
  if (ab.sawSynAck) return 1 * 2;
  if (ba.sawSynAck) return 1 * 2 + 1;
  if (looksLikeClientHello(ab.buffer.peek())) return 2 * 2 + 1;
  if (looksLikeClientHello(ba.buffer.peek())) return 2 * 2;
  return 3 * 2 + 1;
}

function direction(): Direction {
  return {
    base: undefined,
    sawSyn: false,
    sawSynAck: false,
    isn: undefined,
    closed: false,
    buffer: NO_BYTES,
  };
}

/**
 * The state of a direction that sent nothing yet (shared, never written: a flow's direction
 * gets its own on its first packet). Many connections in a capture are seen one way only.
 */
const NO_DIRECTION: Direction = Object.freeze(direction());

/** True for bytes that start like a TLS handshake record carrying a ClientHello: 0x16 0x03 xx .. .. 0x01. */
export function looksLikeClientHello(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && bytes[0] === 0x16 && bytes[1] === 0x03 && bytes[5] === 0x01;
}

function flowKey(x: Endpoint, y: Endpoint): string {
  const ex = `${x.ip}|${x.port}`;
  const ey = `${y.ip}|${y.port}`;
  return ex < ey ? `${ex}/${ey}` : `${ey}/${ex}`;
}

/** Four bytes big-endian, as a signed 32-bit number (kept small: a number V8 stores unboxed). */
function word(b: Uint8Array, at: number): number {
  return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}

function sameWords(x: Tuple, xi: number, y: Tuple, yi: number): boolean {
  return (
    x[xi] === y[yi] &&
    x[xi + 4] === y[yi + 4] &&
    x[xi + 1] === y[yi + 1] &&
    x[xi + 2] === y[yi + 2] &&
    x[xi + 3] === y[yi + 3]
  );
}

/** A hash of one endpoint's five words (murmur3's mixing); the two ends are added, so either direction hashes alike. */
function endpointHash(t: Tuple, at: number): number {
  let h = 0x9747b28c;
  for (let i = at; i < at + 5; i++) {
    let k = Math.imul(t[i], 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Writes the words of an address given as text into `t` from `at`; its kind. Only the
 * canonical text of an address (what the capture readers write: dotted quad, RFC 5952)
 * becomes its words, so two texts share words exactly when they are the same text; any other
 * text is hashed and compared as text.
 */
function addressWords(text: string, t: Tuple, at: number): number {
  t[at + 1] = t[at + 2] = t[at + 3] = 0;
  const quad = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (quad) {
    const w = (Number(quad[1]) << 24) | (Number(quad[2]) << 16) | (Number(quad[3]) << 8) | Number(quad[4]);
    if (dottedQuad(w) === text) {
      t[at] = w;
      return KIND_IPV4;
    }
  } else if (text.includes(':') && ipv6Words(text, t, at)) {
    return KIND_IPV6;
  }
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  t[at] = h;
  return KIND_TEXT;
}

/** Parses IPv6 text into four words at `at`; false unless it is an address's canonical (RFC 5952) text. */
function ipv6Words(text: string, t: Tuple, at: number): boolean {
  const gap = text.indexOf('::');
  const head = gap < 0 ? text : text.slice(0, gap);
  const tail = gap < 0 ? '' : text.slice(gap + 2);
  const front = head === '' ? [] : head.split(':');
  const back = tail === '' ? [] : tail.split(':');
  const missing = 8 - front.length - back.length;
  if (gap < 0 ? missing !== 0 : missing < 1) return false;
  const groups = [...front, ...new Array<string>(missing).fill('0'), ...back];
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-f]{1,4}$/.test(groups[i])) return false;
    const g = Number.parseInt(groups[i], 16);
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  }
  if (ipv6Text(bytes) !== text) return false;
  for (let i = 0; i < 4; i++) t[at + i] = word(bytes, 4 * i);
  return true;
}

function dottedQuad(w: number): string {
  let text = QUADS.get(w);
  if (text === undefined) {
    if (QUADS.size >= QUADS_KEPT) QUADS.clear();
    text = `${w >>> 24}.${(w >>> 16) & 0xff}.${(w >>> 8) & 0xff}.${w & 0xff}`;
    QUADS.set(w, text);
  }
  return text;
}

/**
 * IPv4 texts by address, bounded: a capture names the same servers and clients over and over,
 * and each new flow would otherwise build its two texts (and the output flatten them) again.
 */
const QUADS = new Map<number, string>();
const QUADS_KEPT = 4096;

/** The text of an address from its words (the kind is in the port word). */
function addressText(t: Tuple, at: number): string {
  if (t[at + 4] >>> 16 === KIND_IPV4) return dottedQuad(t[at]);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 4; i++) {
    const w = t[at + i];
    bytes[4 * i] = w >>> 24;
    bytes[4 * i + 1] = (w >>> 16) & 0xff;
    bytes[4 * i + 2] = (w >>> 8) & 0xff;
    bytes[4 * i + 3] = w & 0xff;
  }
  return ipv6Text(bytes);
}
