/**
 * Link layers that carry IP in the captures hellokit reads: Ethernet (with 802.1Q and
 * QinQ tags), raw IP, Linux cooked capture v1 and v2, and BSD loopback (NULL and LOOP).
 */

/** LINKTYPE_* values understood by {@link decodeLink} (tcpdump.org link-layer header types). */
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

/** An IP packet found inside a link-layer frame. */
export interface LinkPayload {
  /** IP version announced by the link layer (or by the first nibble for raw IP). */
  readonly ipVersion: 4 | 6;
  /** The network-layer bytes. */
  readonly payload: Uint8Array;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q, 802.1ad (QinQ) and the pre-standard 0x9100 QinQ tag. */
const VLAN_TPIDS: ReadonlySet<number> = new Set([0x8100, 0x88a8, 0x9100, 0x9200]);

/** BSD address-family values for IPv6 differ per OS (NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30, Linux 10). */
const AF_INET = 2;
const AF_INET6: ReadonlySet<number> = new Set([10, 24, 28, 30]);

/**
 * Finds the IP packet in a frame of the given link type; `undefined` for frames that carry
 * something else (ARP, LLDP, …) or are too short.
 * @example
 * const ip = decodeLink(packet.linkType, packet.data);
 */
export function decodeLink(linkType: number, frame: Uint8Array): LinkPayload | undefined {
  switch (linkType) {
    case LINKTYPE.ethernet:
      return ethernet(frame);
    case LINKTYPE.raw:
    case LINKTYPE.rawLegacy:
      return rawIp(frame);
    case LINKTYPE.ipv4:
      return frame.length > 0 ? { ipVersion: 4, payload: frame } : undefined;
    case LINKTYPE.ipv6:
      return frame.length > 0 ? { ipVersion: 6, payload: frame } : undefined;
    case LINKTYPE.null:
    case LINKTYPE.loop:
      return loopback(frame, linkType === LINKTYPE.loop);
    case LINKTYPE.linuxSll:
      // SLL: packet type, ARPHRD type, address length, 8 address bytes, protocol (all big-endian).
      return frame.length >= 16 ? byEtherType(u16(frame, 14), frame.subarray(16)) : undefined;
    case LINKTYPE.linuxSll2:
      // SLL2: protocol, reserved, interface index, ARPHRD type, packet type, address length, 8 address bytes.
      return frame.length >= 20 ? byEtherType(u16(frame, 0), frame.subarray(20)) : undefined;
    default:
      return undefined;
  }
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

function ethernet(frame: Uint8Array): LinkPayload | undefined {
  let pos = 12;
  if (frame.length < pos + 2) return undefined;
  let type = u16(frame, pos);
  // Each VLAN tag is a TPID followed by a 2-byte TCI; QinQ stacks them.
  while (VLAN_TPIDS.has(type)) {
    pos += 4;
    if (frame.length < pos + 2) return undefined;
    type = u16(frame, pos);
  }
  return byEtherType(type, frame.subarray(pos + 2));
}

function byEtherType(type: number, payload: Uint8Array): LinkPayload | undefined {
  if (payload.length === 0) return undefined;
  if (type === ETHERTYPE_IPV4) return { ipVersion: 4, payload };
  if (type === ETHERTYPE_IPV6) return { ipVersion: 6, payload };
  return undefined;
}

function rawIp(frame: Uint8Array): LinkPayload | undefined {
  if (frame.length === 0) return undefined;
  const version = frame[0] >> 4;
  if (version === 4 || version === 6) return { ipVersion: version, payload: frame };
  return undefined;
}

function loopback(frame: Uint8Array, networkOrder: boolean): LinkPayload | undefined {
  if (frame.length < 5) return undefined;
  const view = new DataView(frame.buffer, frame.byteOffset, 4);
  // NULL stores the family in the capturing host's byte order, which the file does not say; try both.
  const families = networkOrder
    ? [view.getUint32(0, false)]
    : [view.getUint32(0, true), view.getUint32(0, false)];
  const payload = frame.subarray(4);
  for (const family of families) {
    if (family === AF_INET) return { ipVersion: 4, payload };
    if (AF_INET6.has(family)) return { ipVersion: 6, payload };
  }
  return undefined;
}
