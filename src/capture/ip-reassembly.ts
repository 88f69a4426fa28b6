/**
 * IP fragment reassembly for captures (RFC 791 §3.2, RFC 8200 §4.5, RFC 815's idea of
 * holes): fragments of one datagram are keyed by addresses, protocol and identification, and
 * the datagram comes out whole once every byte from 0 to the end the last fragment names has
 * arrived. A capture is hostile input, so everything is bounded: datagram size, fragments per
 * datagram, datagrams pending at once (the oldest is dropped first). Fragments that overlap
 * with different bytes make the datagram ambiguous (RFC 5722 drops it for IPv6): it is dropped.
 */

import { RangeBuffer } from '../bytes/range-buffer.ts';
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
  /** The payload so far, by offset (the same buffer TCP and QUIC CRYPTO reassembly use). */
  readonly payload: RangeBuffer;
  fragments: number;
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
      entry = { first: ip, payload: new RangeBuffer(this.maxBytes), fragments: 0, total: null };
      this.pending.set(key, entry);
    }
    const end = info.offset + ip.payload.length;
    const total = info.more ? entry.total : end;
    const consistent =
      end <= this.maxBytes &&
      entry.fragments < this.maxFragments &&
      (entry.total === null || info.more || entry.total === end) &&
      (total === null || (end <= total && entry.payload.end <= total)) &&
      entry.payload.agrees(info.offset, ip.payload);
    if (!consistent) {
      this.pending.delete(key);
      this.dropped++;
      return undefined;
    }
    entry.total = total;
    if (info.offset === 0) entry.first = ip;
    entry.payload.write(info.offset, ip.payload);
    entry.fragments++;
    if (total === null || entry.payload.hasHole || entry.payload.contiguousLength < total) return undefined;
    const whole = entry.payload.contiguous();
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
