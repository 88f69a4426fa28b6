/**
 * IPv4 and IPv6 headers, enough to reach the transport payload: IPv4 options, IPv6
 * extension headers (hop-by-hop, routing, destination options, fragment, AH), and
 * fragments, reported with what reassembly needs (ip-reassembly.ts).
 */

/** An IP packet's addresses and transport payload. */
export interface IpPacket {
  readonly version: 4 | 6;
  /** Source address in text form (`192.0.2.1`, `2001:db8::1`). */
  readonly src: string;
  /** Destination address in text form. */
  readonly dst: string;
  /** Transport protocol number (6 TCP, 17 UDP), after any IPv6 extension headers. */
  readonly protocol: number;
  /** The transport bytes, cut to the length the IP header announces (Ethernet padding removed). */
  readonly payload: Uint8Array;
  /** True for a fragment (other than an atomic IPv6 fragment): the payload is not a whole transport segment. */
  readonly fragment: boolean;
  /** For a fragment: its datagram's identification, its byte offset in it, and whether more follow. */
  readonly fragmentInfo?: IpFragmentInfo;
  /** Hop limit / TTL. */
  readonly ttl: number;
}

/** Where a fragment belongs (RFC 791 §3.2, RFC 8200 §4.5). */
export interface IpFragmentInfo {
  readonly id: number;
  /** Offset of this fragment's payload in the datagram's payload, in bytes. */
  readonly offset: number;
  /** The MF flag / M bit: more fragments follow. */
  readonly more: boolean;
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
 * Parses an IPv4 or IPv6 header; `undefined` when the bytes are too short or not IP.
 * @example
 * const ip = parseIp(link.payload); if (ip?.protocol === 6) parseTcp(ip.payload);
 */
export function parseIp(bytes: Uint8Array): IpPacket | undefined {
  if (bytes.length < 1) return undefined;
  const version = bytes[0] >> 4;
  if (version === 4) return ipv4(bytes);
  if (version === 6) return ipv6(bytes);
  return undefined;
}

function ipv4(b: Uint8Array): IpPacket | undefined {
  if (b.length < 20) return undefined;
  const ihl = (b[0] & 0x0f) * 4;
  if (ihl < 20 || b.length < ihl) return undefined;
  const totalLength = (b[2] << 8) | b[3];
  const flagsFragment = (b[6] << 8) | b[7];
  const moreFragments = (flagsFragment & 0x2000) !== 0;
  const fragmentOffset = flagsFragment & 0x1fff;
  // A total length of 0 occurs with TCP segmentation offload; then the capture length is all there is.
  const end = totalLength === 0 ? b.length : Math.min(totalLength, b.length);
  if (end < ihl) return undefined;
  return {
    version: 4,
    src: ipv4Text(b.subarray(12, 16)),
    dst: ipv4Text(b.subarray(16, 20)),
    protocol: b[9],
    payload: b.subarray(ihl, end),
    fragment: moreFragments || fragmentOffset !== 0,
    ...(moreFragments || fragmentOffset !== 0
      ? { fragmentInfo: { id: (b[4] << 8) | b[5], offset: fragmentOffset * 8, more: moreFragments } }
      : {}),
    ttl: b[8],
  };
}

function ipv6(b: Uint8Array): IpPacket | undefined {
  if (b.length < 40) return undefined;
  const payloadLength = (b[4] << 8) | b[5];
  // Payload length 0 means a jumbogram (RFC 2675) or offload; take what was captured.
  const end = payloadLength === 0 ? b.length : Math.min(40 + payloadLength, b.length);
  let next = b[6];
  let pos = 40;
  let fragment = false;
  let fragmentInfo: IpFragmentInfo | undefined;
  for (;;) {
    if (
      next === IPV6_EXTENSION.hopByHop ||
      next === IPV6_EXTENSION.routing ||
      next === IPV6_EXTENSION.destinationOptions
    ) {
      if (pos + 8 > end) return undefined;
      const len = (b[pos + 1] + 1) * 8;
      next = b[pos];
      pos += len;
    } else if (next === IPV6_EXTENSION.fragment) {
      if (pos + 8 > end) return undefined;
      const offsetFlags = (b[pos + 2] << 8) | b[pos + 3];
      // An atomic fragment (offset 0, M clear, RFC 6946) is a whole packet.
      if ((offsetFlags & 0xfff8) !== 0 || (offsetFlags & 1) !== 0) {
        fragment = true;
        const id = ((b[pos + 4] << 24) | (b[pos + 5] << 16) | (b[pos + 6] << 8) | b[pos + 7]) >>> 0;
        fragmentInfo = { id, offset: offsetFlags & 0xfff8, more: (offsetFlags & 1) !== 0 };
      }
      next = b[pos];
      pos += 8;
    } else if (next === IPV6_EXTENSION.authentication) {
      if (pos + 8 > end) return undefined;
      // AH counts its length in 4-octet units minus 2 (RFC 4302 §2.2).
      const len = (b[pos + 1] + 2) * 4;
      next = b[pos];
      pos += len;
    } else {
      break;
    }
    if (fragment) break;
  }
  if (pos > end) return undefined;
  return {
    version: 6,
    src: ipv6Text(b.subarray(8, 24)),
    dst: ipv6Text(b.subarray(24, 40)),
    protocol: next,
    payload: b.subarray(pos, end),
    fragment,
    ...(fragmentInfo ? { fragmentInfo } : {}),
    ttl: b[7],
  };
}

/** Dotted-quad text of 4 address bytes. */
export function ipv4Text(a: Uint8Array): string {
  return `${a[0]}.${a[1]}.${a[2]}.${a[3]}`;
}

/**
 * RFC 5952 text of 16 address bytes: lower-case hex, no leading zeros, the longest run of
 * two or more zero groups (the first on a tie) written as `::`.
 * @example ipv6Text(bytes) // '2001:db8::1'
 */
export function ipv6Text(a: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((a[i] << 8) | a[i + 1]);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number) => g.toString(16);
  if (bestStart < 0) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups
    .slice(bestStart + bestLen)
    .map(hex)
    .join(':');
  return `${head}::${tail}`;
}
