/** A tiny pcap/pcapng writer and packet builders for the capture tests (test code only). */

import { ecb, gcm } from '@noble/ciphers/aes.js';
import { concatBytes } from '../../../src/bytes/hex.ts';
import { type InitialKeys, initialKeys } from '../../../src/quic/index.ts';

export interface WrittenPacket {
  seconds: number;
  /** Microseconds or nanoseconds, as the file says. */
  fraction: number;
  data: Uint8Array;
  originalLength?: number;
}

function put32(v: DataView, at: number, x: number, le: boolean): void {
  v.setUint32(at, x >>> 0, le);
}

/** A classic pcap file. */
export function writePcap(
  packets: WrittenPacket[],
  options: { littleEndian?: boolean; nanosecond?: boolean; linkType?: number; snaplen?: number } = {},
): Uint8Array {
  const le = options.littleEndian ?? true;
  const parts: Uint8Array[] = [];
  const head = new Uint8Array(24);
  const hv = new DataView(head.buffer);
  put32(hv, 0, options.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, le);
  hv.setUint16(4, 2, le);
  hv.setUint16(6, 4, le);
  put32(hv, 16, options.snaplen ?? 65535, le);
  put32(hv, 20, options.linkType ?? 1, le);
  parts.push(head);
  for (const p of packets) {
    const rec = new Uint8Array(16);
    const rv = new DataView(rec.buffer);
    put32(rv, 0, p.seconds, le);
    put32(rv, 4, p.fraction, le);
    put32(rv, 8, p.data.length, le);
    put32(rv, 12, p.originalLength ?? p.data.length, le);
    parts.push(rec, p.data);
  }
  return concatBytes(...parts);
}

/** One pcapng block with the given type and body (padded), in the given byte order. */
export function block(type: number, body: Uint8Array, le: boolean): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  put32(v, 0, type, le);
  put32(v, 4, total, le);
  out.set(body, 8);
  put32(v, total - 4, total, le);
  return out;
}

function bytesOf(fill: (v: DataView) => void, length: number): Uint8Array {
  const out = new Uint8Array(length);
  fill(new DataView(out.buffer));
  return out;
}

/** pcapng options (code, value), terminated by opt_endofopt. */
export function pcapngOptions(options: [number, Uint8Array][], le: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [code, value] of options) {
    const padded = new Uint8Array(4 + ((value.length + 3) & ~3));
    const v = new DataView(padded.buffer);
    v.setUint16(0, code, le);
    v.setUint16(2, value.length, le);
    padded.set(value, 4);
    parts.push(padded);
  }
  if (options.length) parts.push(new Uint8Array(4));
  return concatBytes(...parts);
}

export function sectionHeader(le: boolean): Uint8Array {
  return block(
    0x0a0d0d0a,
    bytesOf((v) => {
      put32(v, 0, 0x1a2b3c4d, le);
      v.setUint16(4, 1, le);
      v.setUint16(6, 0, le);
      v.setBigInt64(8, -1n, le);
    }, 16),
    le,
  );
}

export function interfaceDescription(
  linkType: number,
  le: boolean,
  options: { tsresol?: number; tsoffset?: bigint; snaplen?: number } = {},
): Uint8Array {
  const opts: [number, Uint8Array][] = [[2, new TextEncoder().encode('eth0')]];
  if (options.tsresol !== undefined) opts.push([9, new Uint8Array([options.tsresol])]);
  if (options.tsoffset !== undefined)
    opts.push([14, bytesOf((v) => v.setBigInt64(0, options.tsoffset!, le), 8)]);
  const fixed = bytesOf((v) => {
    v.setUint16(0, linkType, le);
    put32(v, 4, options.snaplen ?? 0, le);
  }, 8);
  return block(1, concatBytes(fixed, pcapngOptions(opts, le)), le);
}

export function enhancedPacket(
  interfaceId: number,
  ticks: bigint,
  data: Uint8Array,
  le: boolean,
): Uint8Array {
  const fixed = bytesOf((v) => {
    put32(v, 0, interfaceId, le);
    put32(v, 4, Number(ticks >> 32n), le);
    put32(v, 8, Number(ticks & 0xffffffffn), le);
    put32(v, 12, data.length, le);
    put32(v, 16, data.length, le);
  }, 20);
  return block(6, concatBytes(fixed, data), le);
}

export function obsoletePacket(
  interfaceId: number,
  ticks: bigint,
  data: Uint8Array,
  le: boolean,
): Uint8Array {
  const fixed = bytesOf((v) => {
    v.setUint16(0, interfaceId, le);
    v.setUint16(2, 0, le);
    put32(v, 4, Number(ticks >> 32n), le);
    put32(v, 8, Number(ticks & 0xffffffffn), le);
    put32(v, 12, data.length, le);
    put32(v, 16, data.length, le);
  }, 20);
  return block(2, concatBytes(fixed, data), le);
}

export function simplePacket(data: Uint8Array, le: boolean): Uint8Array {
  return block(
    3,
    concatBytes(
      bytesOf((v) => put32(v, 0, data.length, le), 4),
      data,
    ),
    le,
  );
}

export function decryptionSecrets(secretsType: number, text: string, le: boolean): Uint8Array {
  const data = new TextEncoder().encode(text);
  const fixed = bytesOf((v) => {
    put32(v, 0, secretsType, le);
    put32(v, 4, data.length, le);
  }, 8);
  return block(10, concatBytes(fixed, data), le);
}

// ---- packets ----

export function parseIpv4(text: string): Uint8Array {
  return new Uint8Array(text.split('.').map(Number));
}

export function parseIpv6(text: string): Uint8Array {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  });
  return out;
}

export const FLAGS = { fin: 1, syn: 2, rst: 4, psh: 8, ack: 16 } as const;

export function tcp(
  srcPort: number,
  dstPort: number,
  seq: number,
  flags: number,
  payload: Uint8Array = new Uint8Array(0),
  ack = 0,
): Uint8Array {
  // 24-byte header: one MSS option, so the data offset is not the minimum.
  const h = bytesOf((v) => {
    v.setUint16(0, srcPort);
    v.setUint16(2, dstPort);
    v.setUint32(4, seq >>> 0);
    v.setUint32(8, ack >>> 0);
    v.setUint8(12, 6 << 4);
    v.setUint8(13, flags);
    v.setUint16(14, 65535);
    v.setUint32(20, 0x020405b4);
  }, 24);
  return concatBytes(h, payload);
}

export function udp(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const h = bytesOf((v) => {
    v.setUint16(0, srcPort);
    v.setUint16(2, dstPort);
    v.setUint16(4, 8 + payload.length);
  }, 8);
  return concatBytes(h, payload);
}

export function ipv4(
  src: string,
  dst: string,
  protocol: number,
  payload: Uint8Array,
  options: { ipOptions?: Uint8Array; moreFragments?: boolean; fragmentOffset?: number; id?: number } = {},
): Uint8Array {
  const opts = options.ipOptions ?? new Uint8Array(0);
  const ihl = 20 + opts.length;
  const h = bytesOf((v) => {
    v.setUint8(0, 0x40 | (ihl / 4));
    v.setUint16(2, ihl + payload.length);
    v.setUint16(4, options.id ?? 0);
    v.setUint16(6, (options.moreFragments ? 0x2000 : 0x4000) | (options.fragmentOffset ?? 0));
    v.setUint8(8, 64);
    v.setUint8(9, protocol);
  }, 20);
  h.set(parseIpv4(src), 12);
  h.set(parseIpv4(dst), 16);
  return concatBytes(h, opts, payload);
}

/** IPv6 with extension headers given as [type, body] (body sized to a multiple of 8 minus 2). */
export function ipv6(
  src: string,
  dst: string,
  protocol: number,
  payload: Uint8Array,
  extensions: [number, Uint8Array][] = [],
): Uint8Array {
  const chain: Uint8Array[] = [];
  const types = [...extensions.map((e) => e[0]), protocol];
  extensions.forEach(([, body], i) => {
    const ext = new Uint8Array(2 + body.length);
    ext[0] = types[i + 1];
    // The fragment header's second byte is reserved; the others carry (length / 8) - 1.
    ext[1] = types[i] === 44 ? 0 : ext.length / 8 - 1;
    ext.set(body, 2);
    chain.push(ext);
  });
  const rest = concatBytes(...chain, payload);
  const h = bytesOf((v) => {
    v.setUint32(0, 0x60000000);
    v.setUint16(4, rest.length);
    v.setUint8(6, types[0]);
    v.setUint8(7, 64);
  }, 40);
  h.set(parseIpv6(src), 8);
  h.set(parseIpv6(dst), 24);
  return concatBytes(h, rest);
}

export function ethernet(etherType: number, payload: Uint8Array, vlans: [number, number][] = []): Uint8Array {
  const macs = new Uint8Array([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2]);
  const tags = vlans.map(([tpid, id]) => new Uint8Array([tpid >> 8, tpid & 0xff, id >> 8, id & 0xff]));
  // Frames shorter than 60 bytes are padded; the IP length must cut the padding off.
  const frame = concatBytes(macs, ...tags, new Uint8Array([etherType >> 8, etherType & 0xff]), payload);
  return frame.length < 60 ? concatBytes(frame, new Uint8Array(60 - frame.length)) : frame;
}

/** A TLS handshake record carrying a ClientHello-shaped message with an SNI, `size` bytes of body. */
export function clientHelloRecord(host: string, size = 300): Uint8Array {
  const name = new TextEncoder().encode(host);
  const body = new Uint8Array(size);
  body[0] = 3;
  body[1] = 3;
  for (let i = 2; i < size; i++) body[i] = (i * 7) & 0xff;
  body.set(name, 100);
  const hs = concatBytes(new Uint8Array([1, 0, size >> 8, size & 0xff]), body);
  return concatBytes(new Uint8Array([0x16, 3, 1, hs.length >> 8, hs.length & 0xff]), hs);
}

// ---- QUIC ----

function varint(n: number): Uint8Array {
  if (n < 64) return new Uint8Array([n]);
  if (n < 16384) return new Uint8Array([0x40 | (n >> 8), n & 0xff]);
  return new Uint8Array([0x80 | (n >>> 24), (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}

export function cryptoFrame(offset: number, data: Uint8Array): Uint8Array {
  return concatBytes(new Uint8Array([6]), varint(offset), varint(data.length), data);
}

/** A protected Initial packet (RFC 9001 §5), padded with PADDING frames to at least `minPayload` bytes. */
export function sealInitial(options: {
  version: number;
  dcid: Uint8Array;
  scid: Uint8Array;
  keys: InitialKeys;
  packetNumber: number;
  frames: Uint8Array;
  minPayload?: number;
}): Uint8Array {
  const pnLength = 2;
  let frames = options.frames;
  const min = options.minPayload ?? 40;
  if (frames.length < min) frames = concatBytes(frames, new Uint8Array(min - frames.length));
  const type = options.version === 1 ? 0 : 1;
  const first = 0xc0 | (type << 4) | (pnLength - 1);
  const length = pnLength + frames.length + 16;
  const header = concatBytes(
    new Uint8Array([
      first,
      options.version >>> 24,
      (options.version >> 16) & 0xff,
      (options.version >> 8) & 0xff,
      options.version & 0xff,
    ]),
    new Uint8Array([options.dcid.length]),
    options.dcid,
    new Uint8Array([options.scid.length]),
    options.scid,
    varint(0),
    new Uint8Array([0x40 | (length >> 8), length & 0xff]),
    new Uint8Array([(options.packetNumber >> 8) & 0xff, options.packetNumber & 0xff]),
  );
  const nonce = options.keys.iv.slice();
  nonce[10] ^= (options.packetNumber >> 8) & 0xff;
  nonce[11] ^= options.packetNumber & 0xff;
  const sealed = gcm(options.keys.key, nonce, header).encrypt(frames);
  const packet = concatBytes(header, sealed);
  const pnOffset = header.length - pnLength;
  const mask = ecb(options.keys.hp, { disablePadding: true }).encrypt(
    packet.subarray(pnOffset + 4, pnOffset + 20),
  );
  packet[0] ^= mask[0] & 0x0f;
  for (let i = 0; i < pnLength; i++) packet[pnOffset + i] ^= mask[1 + i];
  return packet;
}

export { initialKeys };
