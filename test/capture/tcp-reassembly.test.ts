import { describe, expect, test } from 'vitest';
import { concatBytes } from '../../src/bytes/hex.ts';
import { captureStreams, parseTcp, RangeBuffer, TcpReassembler } from '../../src/capture/index.ts';
import { clientHelloRecord, ethernet, FLAGS, ipv4, tcp, writePcap } from './helpers/capture-writer.ts';

const C = '192.0.2.1';
const S = '198.51.100.7';
const hello = clientHelloRecord('split.example', 900);
const ISN = 0xfffffe00; // close to wrap-around, so sequence arithmetic must be modular

function pieces(bytes: Uint8Array, cuts: number[]): { offset: number; data: Uint8Array }[] {
  const bounds = [0, ...cuts, bytes.length];
  return bounds.slice(1).map((end, i) => ({ offset: bounds[i], data: bytes.subarray(bounds[i], end) }));
}

function push(r: TcpReassembler, time: number, src: string, dst: string, seg: Uint8Array) {
  r.push(time, src, dst, parseTcp(seg)!);
}

describe('TCP reassembly', () => {
  test('a ClientHello split over 5 segments, delivered out of order with a retransmission, comes out whole', () => {
    const segs = pieces(hello, [100, 350, 500, 777]);
    const order = [0, 3, 1, 4, 3, 2]; // segment 3 is retransmitted
    const frames = [
      ipv4(C, S, 6, tcp(50000, 443, ISN, FLAGS.syn)),
      ipv4(S, C, 6, tcp(443, 50000, 7, FLAGS.syn | FLAGS.ack)),
      ...order.map((i) => ipv4(C, S, 6, tcp(50000, 443, ISN + 1 + segs[i].offset, FLAGS.ack, segs[i].data))),
    ].map((ip) => ethernet(0x0800, ip));
    const file = writePcap(frames.map((data, i) => ({ seconds: 10, fraction: i, data })));
    const { streams, warnings } = captureStreams(file);
    expect(warnings).toEqual([]);
    expect(streams).toHaveLength(1);
    expect(streams[0].clientBytes).toEqual(hello);
    expect(streams[0].client).toEqual({ ip: C, port: 50000 });
    expect(streams[0].firstSeen).toBe(10);
  });

  test('overlapping segments keep the first copy of each byte', () => {
    const r = new TcpReassembler();
    push(r, 0, C, S, tcp(1, 443, 100, FLAGS.syn));
    push(r, 0, C, S, tcp(1, 443, 101, FLAGS.ack, new Uint8Array([1, 2, 3, 4])));
    push(r, 0, C, S, tcp(1, 443, 103, FLAGS.ack, new Uint8Array([9, 9, 5, 6])));
    push(r, 0, C, S, tcp(1, 443, 100, FLAGS.ack, new Uint8Array([8, 8]))); // reaches before the SYN's data start
    expect(Array.from(r.flows()[0].clientBytes)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('a capture without the SYN starts at the lowest sequence number seen, even when it arrives later', () => {
    const r = new TcpReassembler();
    const [p0, p1, p2] = pieces(hello, [300, 600]);
    push(r, 1, S, C, tcp(443, 50000, 5000, FLAGS.ack, new Uint8Array([0x15, 3, 3, 0, 2, 2, 40])));
    push(r, 2, C, S, tcp(50000, 443, 7000 + 300, FLAGS.ack, p1.data));
    push(r, 3, C, S, tcp(50000, 443, 7000, FLAGS.ack, p0.data));
    push(r, 4, C, S, tcp(50000, 443, 7000 + 600, FLAGS.ack, p2.data));
    const [flow] = r.flows();
    expect(flow.clientBytes).toEqual(hello);
    // No SYN: the side whose bytes look like a ClientHello is the client, though the server spoke first.
    expect(flow.client).toEqual({ ip: C, port: 50000 });
    expect(flow.clientEvidence).toBe('client-hello');
    expect(flow.firstSeen).toBe(1);
  });

  test('data captured before its SYN moves to its place after the SYN', () => {
    const r = new TcpReassembler();
    const [p0, p1] = pieces(hello, [400]);
    push(r, 0, C, S, tcp(50000, 443, ISN + 1 + 400, FLAGS.ack, p1.data));
    push(r, 1, C, S, tcp(50000, 443, ISN, FLAGS.syn));
    push(r, 2, C, S, tcp(50000, 443, ISN + 1, FLAGS.ack, p0.data));
    expect(r.flows()[0].clientBytes).toEqual(hello);
  });

  test('the side that answered with SYN-ACK is the server', () => {
    const r = new TcpReassembler();
    push(r, 0, S, C, tcp(443, 50000, 1, FLAGS.syn | FLAGS.ack));
    push(r, 1, C, S, tcp(50000, 443, 100, FLAGS.ack, new Uint8Array([1])));
    const [flow] = r.flows();
    expect(flow.client).toEqual({ ip: C, port: 50000 });
    expect(flow.clientEvidence).toBe('syn-ack');
  });

  test('keeps at most the byte cap per direction and says the flow is incomplete', () => {
    const r = new TcpReassembler({ maxBytesPerDirection: 1000 });
    push(r, 0, C, S, tcp(50000, 443, 0, FLAGS.syn));
    for (let i = 0; i < 100; i++)
      push(r, 0, C, S, tcp(50000, 443, 1 + i * 100, FLAGS.ack, new Uint8Array(100).fill(i)));
    const [flow] = r.flows();
    expect(flow.clientBytes.length).toBe(1000);
    expect(flow.clientBytes[999]).toBe(9);
    expect(flow.incomplete).toBe(true);
  });

  test('stops at the first hole', () => {
    const r = new TcpReassembler();
    push(r, 0, C, S, tcp(50000, 443, 0, FLAGS.syn));
    push(r, 0, C, S, tcp(50000, 443, 1, FLAGS.ack, new Uint8Array([1, 2])));
    push(r, 0, C, S, tcp(50000, 443, 5, FLAGS.ack, new Uint8Array([5])));
    const [flow] = r.flows();
    expect(Array.from(flow.clientBytes)).toEqual([1, 2]);
    expect(flow.incomplete).toBe(true);
  });

  test('numbers flows in order of first packet and starts a new one when a closed 4-tuple is reused', () => {
    const r = new TcpReassembler();
    push(r, 0, C, S, tcp(50000, 443, 10, FLAGS.syn));
    push(r, 1, C, S, tcp(50001, 443, 20, FLAGS.syn));
    push(r, 2, C, S, tcp(50000, 443, 11, FLAGS.fin | FLAGS.ack));
    push(r, 3, C, S, tcp(50000, 443, 10, FLAGS.syn)); // a retransmitted SYN is the same flow
    push(r, 4, C, S, tcp(50000, 443, 999, FLAGS.syn));
    push(r, 5, C, S, tcp(50000, 443, 1000, FLAGS.ack, new Uint8Array([7])));
    const flows = r.flows();
    expect(flows.map((f) => [f.index, f.client.port, f.firstSeen])).toEqual([
      [0, 50000, 0],
      [1, 50001, 1],
      [2, 50000, 4],
    ]);
    expect(Array.from(flows[2].clientBytes)).toEqual([7]);
  });

  test('reassembles both directions', () => {
    const r = new TcpReassembler();
    push(r, 0, C, S, tcp(50000, 443, 10, FLAGS.syn));
    push(r, 0, S, C, tcp(443, 50000, 77, FLAGS.syn | FLAGS.ack));
    push(r, 0, S, C, tcp(443, 50000, 80, FLAGS.ack, new Uint8Array([3, 4])));
    push(r, 0, S, C, tcp(443, 50000, 78, FLAGS.ack, new Uint8Array([1, 2])));
    expect(Array.from(r.flows()[0].serverBytes)).toEqual([1, 2, 3, 4]);
  });
});

describe('RangeBuffer', () => {
  test('fills holes without overwriting, in any order', () => {
    const b = new RangeBuffer(64);
    b.write(4, new Uint8Array([4, 5, 6]));
    b.write(0, new Uint8Array([0, 1]));
    expect(b.hasHole).toBe(true);
    b.write(1, new Uint8Array([9, 2, 3, 9, 9, 9, 7]));
    expect(Array.from(b.contiguous())).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(b.hasHole).toBe(false);
  });

  test('shifting moves bytes later', () => {
    const b = new RangeBuffer(64);
    b.write(0, new Uint8Array([5, 6]));
    b.shift(2);
    b.write(0, new Uint8Array([3, 4]));
    expect(Array.from(b.contiguous())).toEqual([3, 4, 5, 6]);
  });

  test('drops what lies past the cap', () => {
    const b = new RangeBuffer(3);
    b.write(1, concatBytes(new Uint8Array([1, 2, 3, 4])));
    b.write(0, new Uint8Array([0]));
    expect(Array.from(b.contiguous())).toEqual([0, 1, 2]);
    expect(b.truncated).toBe(true);
  });
});
