/**
 * TLS Application-Layer Protocol Negotiation (ALPN) Protocol IDs (IANA, RFC 7301): the byte
 * strings of application_layer_protocol_negotiation. Every assigned id is printable ASCII, so
 * the table keys them by string.
 */
import { latin1, toHex } from '../bytes/hex.ts';
import { greaseName, isGreaseAlpn } from './grease.ts';
import type { Satisfies } from './satisfies.ts';

/** One ALPN protocol id. */
export interface AlpnProtocolInfo {
  /** The id exactly as sent (`h2`, `http/1.1`). */
  readonly id: string;
  /** The protocol it stands for. */
  readonly protocol: string;
  /** Whether IANA assigned the id; `false` for drafts' ids that clients still send. */
  readonly iana: boolean;
}

/** Every ALPN protocol id IANA assigned, then common unassigned ones. */
export const ALPN_PROTOCOLS = [
  { id: 'http/0.9', protocol: 'HTTP/0.9', iana: true },
  { id: 'http/1.0', protocol: 'HTTP/1.0', iana: true },
  { id: 'http/1.1', protocol: 'HTTP/1.1', iana: true },
  { id: 'spdy/1', protocol: 'SPDY/1', iana: true },
  { id: 'spdy/2', protocol: 'SPDY/2', iana: true },
  { id: 'spdy/3', protocol: 'SPDY/3', iana: true },
  { id: 'stun.turn', protocol: 'Traversal Using Relays around NAT (TURN)', iana: true },
  { id: 'stun.nat-discovery', protocol: 'NAT discovery using STUN', iana: true },
  { id: 'h2', protocol: 'HTTP/2 over TLS', iana: true },
  { id: 'h2c', protocol: 'HTTP/2 over TCP', iana: true },
  { id: 'webrtc', protocol: 'WebRTC Media and Data', iana: true },
  { id: 'c-webrtc', protocol: 'Confidential WebRTC Media and Data', iana: true },
  { id: 'ftp', protocol: 'FTP', iana: true },
  { id: 'imap', protocol: 'IMAP', iana: true },
  { id: 'pop3', protocol: 'POP3', iana: true },
  { id: 'managesieve', protocol: 'ManageSieve', iana: true },
  { id: 'coap', protocol: 'CoAP', iana: true },
  { id: 'xmpp-client', protocol: 'XMPP jabber:client namespace', iana: true },
  { id: 'xmpp-server', protocol: 'XMPP jabber:server namespace', iana: true },
  { id: 'acme-tls/1', protocol: 'acme-tls/1 (RFC 8737)', iana: true },
  { id: 'mqtt', protocol: 'OASIS Message Queuing Telemetry Transport (MQTT)', iana: true },
  { id: 'dot', protocol: 'DNS-over-TLS', iana: true },
  { id: 'ntske/1', protocol: 'Network Time Security Key Establishment, version 1', iana: true },
  { id: 'sunrpc', protocol: 'SunRPC', iana: true },
  { id: 'h3', protocol: 'HTTP/3', iana: true },
  { id: 'smb', protocol: 'SMB2', iana: true },
  { id: 'irc', protocol: 'IRC', iana: true },
  { id: 'nntp', protocol: 'NNTP (reading)', iana: true },
  { id: 'nnsp', protocol: 'NNTP (transit)', iana: true },
  { id: 'doq', protocol: 'DoQ', iana: true },
  { id: 'sip/2', protocol: 'SIP', iana: true },
  { id: 'tds/8.0', protocol: 'TDS/8.0', iana: true },
  { id: 'dicom', protocol: 'DICOM', iana: true },
  { id: 'postgresql', protocol: 'PostgreSQL', iana: true },
  { id: 'radius/1.0', protocol: 'RADIUS/1.0', iana: true },
  { id: 'radius/1.1', protocol: 'RADIUS/1.1', iana: true },
  { id: 'spdy/3.1', protocol: 'SPDY/3.1', iana: false },
  { id: 'h3-29', protocol: 'HTTP/3 (draft 29)', iana: false },
  { id: 'hq-interop', protocol: 'HTTP/0.9 over QUIC (interop tests)', iana: false },
] as const;
type _CheckAlpnProtocols = Satisfies<typeof ALPN_PROTOCOLS, readonly AlpnProtocolInfo[]>;

/** An ALPN id in the table. */
export type AlpnId = (typeof ALPN_PROTOCOLS)[number]['id'];

const BY_ID: ReadonlyMap<string, AlpnProtocolInfo> = new Map(ALPN_PROTOCOLS.map((p) => [p.id, p]));

/**
 * The table row of an ALPN id (ids are case-sensitive bytes: `H2` is not `h2`).
 * @example alpnProtocolInfo('h2')?.protocol // 'HTTP/2 over TLS'
 */
export function alpnProtocolInfo(id: string | Uint8Array): AlpnProtocolInfo | undefined {
  return BY_ID.get(typeof id === 'string' ? id : latin1(id));
}

/**
 * A printable name for an ALPN id: the id itself when it is printable ASCII, `GREASE(0x0a0a)`
 * for a GREASE id, else the hex of its bytes as `0x…` (a string id: JSON-quoted). Never throws.
 * @example alpnName(new Uint8Array([0x68, 0x32])) // 'h2'
 */
export function alpnName(id: string | Uint8Array): string {
  const text = typeof id === 'string' ? id : latin1(id);
  if (isGreaseAlpn(text)) return greaseName((text.charCodeAt(0) << 8) | text.charCodeAt(1));
  if (text.length > 0 && /^[\x21-\x7e]+$/.test(text)) return text;
  if (typeof id !== 'string') return `0x${toHex(id)}`;
  return JSON.stringify(text);
}
