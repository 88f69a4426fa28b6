/**
 * IP fragment reassembly for captures (RFC 791 §3.2, RFC 8200 §4.5, RFC 815's idea of
 * holes): fragments of one datagram are keyed by addresses, protocol and identification, and
 * the datagram comes out whole once every byte from 0 to the end the last fragment names has
 * arrived. A capture is hostile input, so everything is bounded: datagram size, fragments per
 * datagram, datagrams pending at once (the oldest is dropped first). Fragments that overlap
 * with different bytes make the datagram ambiguous (RFC 5722 drops it for IPv6): it is dropped.
 */
import type { IpPacket } from './ip.ts';

/** Limits of an {@link IpReassembler}. */
export interface IpReassemblyLimits {
  /** Largest datagram payload rebuilt (default 65 535 bytes, IPv4's limit). */
  readonly maxDatagramBytes?: number;
  /** Most fragments per datagram (default 128). */
  readonly maxFragments?: number;
  /** Most datagrams waiting for fragments at once (default 256). */
  readonly maxPending?: number;
}

interface Pending {
  /** The fragment at offset 0 once it came (its header fields describe the datagram). */
  first: IpPacket;
  readonly pieces: { readonly offset: number; readonly bytes: Uint8Array }[];
  /** Payload length, known once the last fragment (MF clear) has come. */
  total: number | null;
}

/** What happened to fragments that did not make a datagram. */
export interface IpReassemblyStats {
  /** Datagrams rebuilt. */
  readonly reassembled: number;
  /** Datagrams dropped: too large, too many fragments, overlapping with different bytes, or evicted. */
  readonly dropped: number;
  /** Datagrams still missing fragments. */
  readonly incomplete: number;
}

/**
 * Collects fragments; {@link push} returns the whole datagram (as an unfragmented
 * {@link IpPacket} with the first fragment's header fields) when its last missing piece arrives.
 * @example
 * const r = new IpReassembler();
 * for (const ip of packets) { const whole = ip.fragment ? r.push(ip) : ip; if (whole) use(whole); }
 */
export class IpReassembler {
  private readonly pending = new Map<string, Pending>();
  private readonly maxBytes: number;
  private readonly maxFragments: number;
  private readonly maxPending: number;
  private reassembled = 0;
  private dropped = 0;

  constructor(limits: IpReassemblyLimits = {}) {
    this.maxBytes = limits.maxDatagramBytes ?? 65_535;
    this.maxFragments = limits.maxFragments ?? 128;
    this.maxPending = limits.maxPending ?? 256;
  }

  /** Adds one fragment; the datagram when it is complete, else undefined. */
  push(ip: IpPacket): IpPacket | undefined {
    const info = ip.fragmentInfo;
    if (!info) return ip;
    const key = `${ip.version}|${ip.src}|${ip.dst}|${ip.protocol}|${info.id}`;
    let entry = this.pending.get(key);
    if (!entry) {
      if (this.pending.size >= this.maxPending) {
        this.pending.delete(this.pending.keys().next().value as string);
        this.dropped++;
      }
      entry = { first: ip, pieces: [], total: null };
      this.pending.set(key, entry);
    }
    const end = info.offset + ip.payload.length;
    const total = info.more ? entry.total : end;
    const consistent =
      end <= this.maxBytes &&
      entry.pieces.length < this.maxFragments &&
      (entry.total === null || info.more || entry.total === end) &&
      (total === null || (end <= total && entry.pieces.every((p) => p.offset + p.bytes.length <= total))) &&
      entry.pieces.every((p) => sameWhereOverlapping(p.offset, p.bytes, info.offset, ip.payload));
    if (!consistent) {
      this.pending.delete(key);
      this.dropped++;
      return undefined;
    }
    entry.total = total;
    if (info.offset === 0) entry.first = ip;
    entry.pieces.push({ offset: info.offset, bytes: ip.payload });
    const whole = assemble(entry);
    if (!whole) return undefined;
    this.pending.delete(key);
    this.reassembled++;
    const { fragmentInfo: _, ...header } = entry.first;
    return { ...header, fragment: false, payload: whole };
  }

  /** Counts so far; `incomplete` is what is still waiting. */
  stats(): IpReassemblyStats {
    return { reassembled: this.reassembled, dropped: this.dropped, incomplete: this.pending.size };
  }
}

/** True when two pieces agree on every byte both cover. */
function sameWhereOverlapping(aOffset: number, a: Uint8Array, bOffset: number, b: Uint8Array): boolean {
  const start = Math.max(aOffset, bOffset);
  const end = Math.min(aOffset + a.length, bOffset + b.length);
  for (let i = start; i < end; i++) if (a[i - aOffset] !== b[i - bOffset]) return false;
  return true;
}

/** The payload when the pieces cover 0..total without a hole, else undefined. */
function assemble(entry: Pending): Uint8Array | undefined {
  if (entry.total === null) return undefined;
  const pieces = [...entry.pieces].sort((x, y) => x.offset - y.offset);
  let covered = 0;
  for (const p of pieces) {
    if (p.offset > covered) return undefined;
    covered = Math.max(covered, p.offset + p.bytes.length);
  }
  if (covered < entry.total) return undefined;
  const out = new Uint8Array(entry.total);
  for (const p of pieces) out.set(p.bytes, p.offset);
  return out;
}
