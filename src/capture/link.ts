/**
 * Link layers that carry IP in the captures hellokit reads: Ethernet (with 802.1Q and
 * QinQ tags), raw IP, Linux cooked capture v1 and v2, and BSD loopback (NULL and LOOP).
 */

import { LINKTYPE, linkPayloadStart } from './headers.ts';

export { LINKTYPE };

/** An IP packet found inside a link-layer frame. */
export interface LinkPayload {
  /** IP version announced by the link layer (or by the first nibble for raw IP). */
  readonly ipVersion: 4 | 6;
  /** The network-layer bytes. */
  readonly payload: Uint8Array;
}

/**
 * Finds the IP packet in a frame of the given link type; `undefined` for frames that carry
 * something else (ARP, LLDP, …) or are too short.
 * @example
 * const ip = decodeLink(packet.linkType, packet.data);
 */
export function decodeLink(linkType: number, frame: Uint8Array): LinkPayload | undefined {
  const found = linkPayloadStart(linkType, frame);
  if (found < 0) return undefined;
  return { ipVersion: found & 1 ? 6 : 4, payload: frame.subarray(found >> 1) };
}
