/**
 * IPv4 and IPv6 headers, enough to reach the transport payload: IPv4 options, IPv6
 * extension headers (hop-by-hop, routing, destination options, fragment, AH), and
 * fragments, reported with what reassembly needs (ip-reassembly.ts).
 */

import { ipHeaderRecord, readIpHeader } from './headers.ts';

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

/**
 * Parses an IPv4 or IPv6 header; `undefined` when the bytes are too short or not IP.
 * @example
 * const ip = parseIp(link.payload); if (ip?.protocol === 6) parseTcp(ip.payload);
 */
export function parseIp(bytes: Uint8Array): IpPacket | undefined {
  const h = ipHeaderRecord();
  if (!readIpHeader(bytes, 0, h)) return undefined;
  const v4 = h.version === 4;
  const at = h.addresses;
  return {
    version: h.version,
    src: v4 ? ipv4Text(bytes.subarray(at, at + 4)) : ipv6Text(bytes.subarray(at, at + 16)),
    dst: v4 ? ipv4Text(bytes.subarray(at + 4, at + 8)) : ipv6Text(bytes.subarray(at + 16, at + 32)),
    protocol: h.protocol,
    payload: bytes.subarray(h.payloadStart, h.payloadEnd),
    fragment: h.fragment,
    ...(h.fragment
      ? { fragmentInfo: { id: h.fragmentId, offset: h.fragmentOffset, more: h.moreFragments } }
      : {}),
    ttl: h.ttl,
  };
}

/**
 * `host:port`, with an IPv6 address in brackets (RFC 3986 §3.2.2), so that the port cannot be
 * read as part of the address.
 * @example endpointText('::1', 443) // '[::1]:443'
 */
export function endpointText(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
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
