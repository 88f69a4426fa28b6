/**
 * The link, IP and TCP headers of a captured frame read in place, as offsets into its bytes:
 * the per-packet path of a capture reader, which builds no object and no string per packet
 * (a capture can hold hundreds of millions). `decodeLink`, `parseIp` and `parseTcp`, the
 * readers that return objects, are built on these.
 */

/** LINKTYPE_* values understood by `decodeLink` (tcpdump.org link-layer header types). */
export const LINKTYPE = {
  null: 0,
  ethernet: 1,
  rawLegacy: 12,
  raw: 101,
  loop: 108,
  linuxSll: 113,
  ipv4: 228,
  ipv6: 229,
  linuxSll2: 276,
} as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q, 802.1ad (QinQ) and the pre-standard 0x9100 QinQ tag. */
const VLAN_TPIDS: ReadonlySet<number> = new Set([0x8100, 0x88a8, 0x9100, 0x9200]);

/** BSD address-family values for IPv6 differ per OS (NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30, Linux 10). */
const AF_INET = 2;
const AF_INET6: ReadonlySet<number> = new Set([10, 24, 28, 30]);

/**
 * Where the IP packet in a frame of the given link type starts: `offset * 2 + 1` when the
 * link layer announces IPv6, `offset * 2` for IPv4, -1 when the frame carries something
 * else (ARP, LLDP, …) or is too short.
 */
export function linkPayloadStart(linkType: number, frame: Uint8Array): number {
  switch (linkType) {
    case LINKTYPE.ethernet:
      return ethernet(frame);
    case LINKTYPE.raw:
    case LINKTYPE.rawLegacy:
      return rawIp(frame);
    case LINKTYPE.ipv4:
      return frame.length > 0 ? 0 : -1;
    case LINKTYPE.ipv6:
      return frame.length > 0 ? 1 : -1;
    case LINKTYPE.null:
    case LINKTYPE.loop:
      return loopback(frame, linkType === LINKTYPE.loop);
    case LINKTYPE.linuxSll:
      // SLL: packet type, ARPHRD type, address length, 8 address bytes, protocol (all big-endian).
      return frame.length >= 16 ? byEtherType(u16(frame, 14), frame, 16) : -1;
    case LINKTYPE.linuxSll2:
      // SLL2: protocol, reserved, interface index, ARPHRD type, packet type, address length, 8 address bytes.
      return frame.length >= 20 ? byEtherType(u16(frame, 0), frame, 20) : -1;
    default:
      return -1;
  }
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

function ethernet(frame: Uint8Array): number {
  let pos = 12;
  if (frame.length < pos + 2) return -1;
  let type = u16(frame, pos);
  // Each VLAN tag is a TPID followed by a 2-byte TCI; QinQ stacks them.
  while (VLAN_TPIDS.has(type)) {
    pos += 4;
    if (frame.length < pos + 2) return -1;
    type = u16(frame, pos);
  }
  return byEtherType(type, frame, pos + 2);
}

function byEtherType(type: number, frame: Uint8Array, at: number): number {
  if (frame.length <= at) return -1;
  if (type === ETHERTYPE_IPV4) return at * 2;
  if (type === ETHERTYPE_IPV6) return at * 2 + 1;
  return -1;
}

function rawIp(frame: Uint8Array): number {
  if (frame.length === 0) return -1;
  const version = frame[0] >> 4;
  if (version === 4) return 0;
  if (version === 6) return 1;
  return -1;
}

function loopback(frame: Uint8Array, networkOrder: boolean): number {
  if (frame.length < 5) return -1;
  // NULL stores the family in the capturing host's byte order, which the file does not say; try both.
  const big = ((frame[0] << 24) | (frame[1] << 16) | (frame[2] << 8) | frame[3]) >>> 0;
  const little = ((frame[3] << 24) | (frame[2] << 16) | (frame[1] << 8) | frame[0]) >>> 0;
  for (const family of networkOrder ? [big] : [little, big]) {
    if (family === AF_INET) return 4 * 2;
    if (AF_INET6.has(family)) return 4 * 2 + 1;
  }
  return -1;
}

/** An IP header read in place by {@link readIpHeader}: one record, reused from packet to packet. */
export interface IpHeader {
  version: 4 | 6;
  /** Offset of the source address (4 or 16 bytes), the destination right after it. */
  addresses: number;
  /** Transport protocol number (6 TCP, 17 UDP), after any IPv6 extension headers. */
  protocol: number;
  /** The transport bytes, cut to the length the IP header announces (Ethernet padding removed). */
  payloadStart: number;
  payloadEnd: number;
  /** True for a fragment (other than an atomic IPv6 fragment); then the three fields below say where it belongs. */
  fragment: boolean;
  fragmentId: number;
  /** Offset of the fragment's payload in its datagram's payload, in bytes. */
  fragmentOffset: number;
  moreFragments: boolean;
  /** Hop limit / TTL. */
  ttl: number;
}

/** A blank {@link IpHeader} to fill. */
export function ipHeaderRecord(): IpHeader {
  return {
    version: 4,
    addresses: 0,
    protocol: 0,
    payloadStart: 0,
    payloadEnd: 0,
    fragment: false,
    fragmentId: 0,
    fragmentOffset: 0,
    moreFragments: false,
    ttl: 0,
  };
}

/** IPv6 extension headers that share the `next header, length in 8-octet units` layout (RFC 8200 §4). */
const IPV6_EXTENSION = {
  hopByHop: 0,
  routing: 43,
  fragment: 44,
  authentication: 51,
  destinationOptions: 60,
} as const;

/**
 * Reads the IPv4 or IPv6 header that starts at `at` in `b` into `out`; false when the bytes
 * are too short or not IP (then `out` holds nothing meaningful).
 */
export function readIpHeader(b: Uint8Array, at: number, out: IpHeader): boolean {
  if (b.length - at < 1) return false;
  const version = b[at] >> 4;
  if (version === 4) return ipv4(b, at, out);
  if (version === 6) return ipv6(b, at, out);
  return false;
}

function ipv4(b: Uint8Array, at: number, out: IpHeader): boolean {
  const length = b.length - at;
  if (length < 20) return false;
  const ihl = (b[at] & 0x0f) * 4;
  if (ihl < 20 || length < ihl) return false;
  const totalLength = (b[at + 2] << 8) | b[at + 3];
  const flagsFragment = (b[at + 6] << 8) | b[at + 7];
  const moreFragments = (flagsFragment & 0x2000) !== 0;
  const fragmentOffset = flagsFragment & 0x1fff;
  // A total length of 0 occurs with TCP segmentation offload; then the capture length is all there is.
  const end = totalLength === 0 ? length : Math.min(totalLength, length);
  if (end < ihl) return false;
  out.version = 4;
  out.addresses = at + 12;
  out.protocol = b[at + 9];
  out.payloadStart = at + ihl;
  out.payloadEnd = at + end;
  out.fragment = moreFragments || fragmentOffset !== 0;
  out.fragmentId = (b[at + 4] << 8) | b[at + 5];
  out.fragmentOffset = fragmentOffset * 8;
  out.moreFragments = moreFragments;
  out.ttl = b[at + 8];
  return true;
}

function ipv6(b: Uint8Array, at: number, out: IpHeader): boolean {
  const length = b.length - at;
  if (length < 40) return false;
  const payloadLength = (b[at + 4] << 8) | b[at + 5];
  // Payload length 0 means a jumbogram (RFC 2675) or offload; take what was captured.
  const end = at + (payloadLength === 0 ? length : Math.min(40 + payloadLength, length));
  let next = b[at + 6];
  let pos = at + 40;
  out.fragment = false;
  for (;;) {
    if (
      next === IPV6_EXTENSION.hopByHop ||
      next === IPV6_EXTENSION.routing ||
      next === IPV6_EXTENSION.destinationOptions
    ) {
      if (pos + 8 > end) return false;
      const len = (b[pos + 1] + 1) * 8;
      next = b[pos];
      pos += len;
    } else if (next === IPV6_EXTENSION.fragment) {
      if (pos + 8 > end) return false;
      const offsetFlags = (b[pos + 2] << 8) | b[pos + 3];
      // An atomic fragment (offset 0, M clear, RFC 6946) is a whole packet.
      if ((offsetFlags & 0xfff8) !== 0 || (offsetFlags & 1) !== 0) {
        out.fragment = true;
        out.fragmentId = ((b[pos + 4] << 24) | (b[pos + 5] << 16) | (b[pos + 6] << 8) | b[pos + 7]) >>> 0;
        out.fragmentOffset = offsetFlags & 0xfff8;
        out.moreFragments = (offsetFlags & 1) !== 0;
      }
      next = b[pos];
      pos += 8;
    } else if (next === IPV6_EXTENSION.authentication) {
      if (pos + 8 > end) return false;
      // AH counts its length in 4-octet units minus 2 (RFC 4302 §2.2).
      const len = (b[pos + 1] + 2) * 4;
      next = b[pos];
      pos += len;
    } else {
      break;
    }
    if (out.fragment) break;
  }
  if (pos > end) return false;
  out.version = 6;
  out.addresses = at + 8;
  out.protocol = next;
  out.payloadStart = pos;
  out.payloadEnd = end;
  out.ttl = b[at + 7];
  return true;
}

/**
 * Length of the TCP header of the segment in `b` from `start` to `end` (options included),
 * or -1 when the segment is too short for it.
 */
export function tcpHeaderLength(b: Uint8Array, start: number, end: number): number {
  if (end - start < 20) return -1;
  const dataOffset = (b[start + 12] >> 4) * 4;
  return dataOffset < 20 || dataOffset > end - start ? -1 : dataOffset;
}
