/**
 * A small classic pcap (Ethernet, IPv4, TCP) carrying one connection's bytes in both
 * directions: the seed the fuzzer mutates to exercise the capture readers.
 */

function u32le(view: DataView, at: number, v: number): void {
  view.setUint32(at, v >>> 0, true);
}

function tcpFrame(
  from: { ip: number; port: number },
  to: { ip: number; port: number },
  seq: number,
  ack: number,
  flags: number,
  payload: Uint8Array,
): Uint8Array {
  const frame = new Uint8Array(14 + 20 + 20 + payload.length);
  const v = new DataView(frame.buffer);
  v.setUint16(12, 0x0800);
  const ip = 14;
  frame[ip] = 0x45;
  v.setUint16(ip + 2, 40 + payload.length);
  frame[ip + 8] = 64;
  frame[ip + 9] = 6;
  v.setUint32(ip + 12, from.ip);
  v.setUint32(ip + 16, to.ip);
  const tcp = ip + 20;
  v.setUint16(tcp, from.port);
  v.setUint16(tcp + 2, to.port);
  v.setUint32(tcp + 4, seq >>> 0);
  v.setUint32(tcp + 8, ack >>> 0);
  frame[tcp + 12] = 0x50;
  frame[tcp + 13] = flags;
  v.setUint16(tcp + 14, 65535);
  frame.set(payload, tcp + 20);
  return frame;
}

/**
 * A pcap of one TCP connection: handshake, `client` bytes (in two segments) and `server`
 * bytes from the server.
 */
export function seedCapture(client: Uint8Array, server: Uint8Array): Uint8Array {
  const c = { ip: 0x0a000001, port: 50000 };
  const s = { ip: 0x0a000002, port: 443 };
  const half = client.length >> 1;
  const frames = [
    tcpFrame(c, s, 1000, 0, 0x02, new Uint8Array(0)),
    tcpFrame(s, c, 5000, 1001, 0x12, new Uint8Array(0)),
    tcpFrame(c, s, 1001, 5001, 0x18, client.subarray(0, half)),
    tcpFrame(c, s, 1001 + half, 5001, 0x18, client.subarray(half)),
    tcpFrame(s, c, 5001, 1001 + client.length, 0x18, server),
  ];
  const size = 24 + frames.reduce((n, f) => n + 16 + f.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  u32le(v, 0, 0xa1b2c3d4);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  u32le(v, 16, 262144);
  u32le(v, 20, 1);
  let at = 24;
  frames.forEach((f, i) => {
    u32le(v, at, 1_700_000_000 + i);
    u32le(v, at + 8, f.length);
    u32le(v, at + 12, f.length);
    out.set(f, at + 16);
    at += 16 + f.length;
  });
  return out;
}
