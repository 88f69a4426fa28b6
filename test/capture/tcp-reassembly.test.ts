import { describe, expect, test } from 'vitest';
import { concatBytes } from '../../src/bytes/hex.ts';
import { ipHeaderRecord, readIpHeader } from '../../src/capture/headers.ts';
import {
  captureStreams,
  parseTcp,
  RangeBuffer,
  SlabPool,
  type TcpFlowState,
  TcpReassembler,
} from '../../src/capture/index.ts';
import { clientHelloRecord, ethernet, FLAGS, ipv4, ipv6, tcp, writePcap } from './helpers/capture-writer.ts';

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

describe('TCP flow table', () => {
  /** Adds an IP packet through the per-packet path, as the streaming reader does. */
  function pushFrame(r: TcpReassembler, time: number, ip: Uint8Array) {
    const header = ipHeaderRecord();
    expect(readIpHeader(ip, 0, header)).toBe(true);
    return r.pushFrame(time, ip, header);
  }
  const C6 = '2001:db8::1';
  const S6 = '2001:db8:0:1::7';

  test('a segment read in place and one given as address text find the same flow, either way round', () => {
    for (const [c, s, ip] of [
      [C, S, ipv4],
      [C6, S6, ipv6],
    ] as const) {
      const r = new TcpReassembler();
      const first = pushFrame(r, 0, ip(c, s, 6, tcp(50000, 443, 10, FLAGS.syn)));
      const answer = r.push(1, s, c, parseTcp(tcp(443, 50000, 77, FLAGS.syn | FLAGS.ack))!);
      const data = pushFrame(r, 2, ip(c, s, 6, tcp(50000, 443, 11, FLAGS.ack, new Uint8Array([1, 2]))));
      expect(answer).toBe(first);
      expect(data).toBe(first);
      expect(r.size).toBe(1);
      const [flow] = r.flows();
      expect(flow.client).toEqual({ ip: c, port: 50000 });
      expect(flow.server).toEqual({ ip: s, port: 443 });
      expect(Array.from(flow.clientBytes)).toEqual([1, 2]);
    }
  });

  test('address text that is not canonical is its own endpoint, as the text differs', () => {
    const r = new TcpReassembler();
    r.push(0, '192.0.2.1', S, parseTcp(tcp(50000, 443, 10, FLAGS.syn))!);
    r.push(0, '192.0.2.01', S, parseTcp(tcp(50000, 443, 10, FLAGS.syn))!);
    r.push(0, '2001:DB8::1', S, parseTcp(tcp(50000, 443, 10, FLAGS.syn))!);
    r.push(0, 'host-a', S, parseTcp(tcp(50000, 443, 10, FLAGS.syn))!);
    r.push(1, 'host-a', S, parseTcp(tcp(50000, 443, 11, FLAGS.ack, new Uint8Array([5])))!);
    expect(r.flows().map((f) => f.client.ip)).toEqual(['192.0.2.1', '192.0.2.01', '2001:DB8::1', 'host-a']);
    expect(Array.from(r.flows()[3].clientBytes)).toEqual([5]);
  });

  test('evicts the least recently used flows first, a flow touched again counting as new', () => {
    const dropped: number[] = [];
    const r = new TcpReassembler({ keepFlows: false, onDrop: (flow) => dropped.push(flow.index) });
    for (let port = 1; port <= 4; port++) r.push(port, C, S, parseTcp(tcp(port, 443, 10, FLAGS.syn))!);
    r.push(5, C, S, parseTcp(tcp(1, 443, 11, FLAGS.ack))!);
    r.evict(5, { idleSeconds: 100, maxFlows: 2, maxBufferedBytes: 1e9 });
    expect(dropped).toEqual([1, 2]);
    expect(r.size).toBe(2);
    r.evict(200, { idleSeconds: 100, maxFlows: 10, maxBufferedBytes: 1e9 });
    expect(dropped).toEqual([1, 2, 3, 0]);
    expect(r.size).toBe(0);
  });

  test('a flow keeps its endpoints after it leaves the table, and the flows after it reuse its place', () => {
    const r = new TcpReassembler({ keepFlows: false, onDrop: () => {} });
    const header = ipHeaderRecord();
    const left: { flow: TcpFlowState; ip: string; port: number }[] = [];
    for (let i = 0; i < 600; i++) {
      const ip = `10.0.${i >> 8}.${i & 255}`;
      const frame = ipv4(ip, S, 6, tcp(1000 + i, 443, 10, FLAGS.syn));
      readIpHeader(frame, 0, header);
      const flow = r.pushFrame(i, frame, header)!;
      expect(flow.index).toBe(i);
      left.push({ flow, ip, port: 1000 + i });
      // Every flow but the latest is idle for longer than a second, and goes.
      r.evict(i, { idleSeconds: 0.5, maxFlows: 1e6, maxBufferedBytes: 1e9 });
      expect(r.size).toBe(1);
    }
    for (const { flow, ip, port } of left) {
      expect(flow.a).toEqual({ ip, port });
      expect(flow.b).toEqual({ ip: S, port: 443 });
    }
  });

  test('many flows sharing the table each keep their own bytes', () => {
    const r = new TcpReassembler();
    for (let i = 0; i < 5000; i++) {
      const client = `10.${(i >> 8) & 255}.${i & 255}.1`;
      r.push(
        i,
        client,
        S,
        parseTcp(tcp(1024 + (i % 7), 443, i, FLAGS.ack, new Uint8Array([i & 255, i >> 8])))!,
      );
    }
    const flows = r.flows();
    expect(r.size).toBe(5000);
    expect(flows.every((f, i) => f.clientBytes[0] === (i & 255) && f.clientBytes[1] === i >> 8)).toBe(true);
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

  test('a stream written in order, piece after piece, is one range', () => {
    const b = new RangeBuffer(1024);
    for (let i = 0; i < 10; i++) b.write(i * 3, new Uint8Array([i, i, i]));
    expect(b.hasHole).toBe(false);
    expect(b.contiguousLength).toBe(30);
    expect(b.end).toBe(30);
    expect(b.peek()[29]).toBe(9);
  });

  test('peek shows the bytes of the latest write', () => {
    const b = new RangeBuffer(1024);
    b.write(0, new Uint8Array([1]));
    expect(Array.from(b.peek())).toEqual([1]);
    b.write(2, new Uint8Array([3]));
    expect(Array.from(b.peek())).toEqual([1]);
    b.write(1, new Uint8Array([2]));
    expect(Array.from(b.peek())).toEqual([1, 2, 3]);
    b.shift(1);
    expect(Array.from(b.peek())).toEqual([]);
  });
});

describe('RangeBuffer against a byte-by-byte model', () => {
  for (const pooled of [false, true]) {
    test(`random pieces in any order give the model's bytes, holes and end${pooled ? ' (from a pool)' : ''}`, () => {
      let seed = 7;
      const random = (n: number) => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return (seed >>> 8) % n;
      };
      const pool = pooled ? new SlabPool(2048, 512) : undefined;
      for (let round = 0; round < 40; round++) {
        const cap = 50 + random(700);
        const b = new RangeBuffer(cap, pool);
        const model: (number | undefined)[] = [];
        // The stream's own bytes: byte n is n & 255.
        for (let w = 0; w < 12; w++) {
          const offset = random(cap + 20) - 10;
          // Half the pieces are the stream's own bytes (overlaps agree), half are other bytes.
          const own = random(2) === 0;
          const piece = Uint8Array.from({ length: random(120) }, (_, i) =>
            own ? (offset + i) & 255 : random(256),
          );
          const agrees = Array.from(piece).every((v, i) => (model[offset + i] ?? v) === v);
          expect(b.agrees(offset, piece)).toBe(agrees);
          b.write(offset, piece);
          piece.forEach((v, i) => {
            const at = offset + i;
            if (at >= 0 && at < cap && model[at] === undefined) model[at] = v;
          });
          let contiguous = 0;
          while (model[contiguous] !== undefined) contiguous++;
          const end = model.length;
          expect(Array.from(b.contiguous())).toEqual(model.slice(0, contiguous));
          expect(Array.from(b.peek())).toEqual(model.slice(0, contiguous));
          expect(b.end).toBe(end);
          expect(b.empty).toBe(end === 0);
          expect(b.hasHole).toBe(end > contiguous);
        }
        if (round % 2 === 0) b.free();
      }
    });
  }
});

describe('SlabPool', () => {
  const filled = (length: number, value: number) => new Uint8Array(length).fill(value);

  test('small buffers share a slab, and a view handed out keeps its bytes after the buffer is freed', () => {
    const pool = new SlabPool(1024, 256);
    const a = new RangeBuffer(1000, pool);
    a.write(0, filled(100, 1));
    const kept = a.peek();
    a.free();
    expect(a.empty).toBe(true);
    const b = new RangeBuffer(1000, pool);
    b.write(0, filled(100, 2));
    expect(b.peek().buffer).toBe(kept.buffer);
    expect(Array.from(new Set(kept))).toEqual([1]);
    expect(Array.from(new Set(b.peek()))).toEqual([2]);
  });

  test('a buffer larger than the pool carves has an array of its own', () => {
    const pool = new SlabPool(1024, 256);
    const big = new RangeBuffer(1000, pool);
    big.write(0, filled(300, 3));
    expect(pool.heldBytes).toBe(0);
    expect(big.capacity).toBe(300);
  });

  test('a buffer that grows past what the pool carves keeps its bytes', () => {
    const pool = new SlabPool(1024, 256);
    const b = new RangeBuffer(4096, pool);
    for (let i = 0; i < 40; i++) b.write(i * 10, filled(10, i));
    expect(b.contiguousLength).toBe(400);
    expect(Array.from(b.peek().subarray(390))).toEqual(Array.from(filled(10, 39)));
    expect(pool.usedBytes).toBe(0);
  });

  test('long-lived buffers are packed, so freed room does not pile up in slabs they hold', () => {
    const pool = new SlabPool(1024, 256);
    const kept: { buffer: RangeBuffer; value: number }[] = [];
    for (let i = 0; i < 2000; i++) {
      const b = new RangeBuffer(1000, pool);
      b.write(0, filled(100, i % 251));
      // One buffer in ten lives on: without packing, each would hold a slab of mostly freed room.
      if (i % 10 === 0) kept.push({ buffer: b, value: i % 251 });
      else b.free();
      expect(pool.heldBytes).toBeLessThanOrEqual(1.5 * pool.usedBytes + 5 * 1024);
    }
    expect(pool.usedBytes).toBe(kept.length * 100);
    for (const { buffer, value } of kept) expect(Array.from(new Set(buffer.peek()))).toEqual([value]);
  });

  test('freed room left in held slabs stays under 4 MiB however many bytes are in use', () => {
    const pool = new SlabPool();
    const kept: RangeBuffer[] = [];
    const piece = filled(200, 5);
    for (let i = 0; i < 100_000; i++) {
      const b = new RangeBuffer(1000, pool);
      b.write(0, piece);
      // Every other buffer lives on: half of each slab is freed room.
      if (i % 2 === 0) kept.push(b);
      else b.free();
      if (i % 100 === 0)
        expect(pool.heldBytes - pool.usedBytes).toBeLessThanOrEqual(4 * 1024 * 1024 + 5 * 16 * 1024);
    }
    expect(pool.usedBytes).toBe(kept.length * 200);
    expect(kept.every((b) => b.peek().every((v) => v === 5))).toBe(true);
  });

  test('rejects a slab size or largest buffer out of range', () => {
    expect(() => new SlabPool(0)).toThrow(RangeError);
    expect(() => new SlabPool(1024, 2048)).toThrow(RangeError);
  });
});
