/**
 * Large synthetic classic pcap captures, written in chunks so their size is not bounded by
 * memory: N TCP connections, each a SYN and one segment carrying a real ClientHello record
 * from fixtures/clients (round robin), client addresses and ports all different. Used by the
 * memory tests and by `npm run bench:pcap`.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Extension } from '../../../src/extensions/types.ts';
import { encodeClientHello, parseClientHello } from '../../../src/handshake/client-hello.ts';

/** The ClientHello records captured from real clients (fixtures/clients/*.bin). */
export function fixtureHellos(root: string = process.cwd()): Uint8Array[] {
  const dir = join(root, 'fixtures', 'clients');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(dir, f))))
    .filter((b) => b[0] === 0x16);
}

/** Options of {@link syntheticCapture}. */
export interface SyntheticCaptureOptions {
  readonly connections: number;
  readonly hellos: readonly Uint8Array[];
  /** Capture time between connections, in microseconds (default 10 000). */
  readonly spacingMicros?: number;
  /** Bytes per yielded chunk (default 1 MiB). */
  readonly chunkBytes?: number;
  /**
   * The hello of connection `i` (default: `hellos` round robin). Each must be no longer than
   * the longest of `hellos`.
   */
  readonly helloFor?: (connection: number) => Uint8Array;
}

/**
 * A hello for every connection as a browser that shuffles its extensions sends them (Chrome
 * since version 110): the fixture hellos round robin, each connection's extensions in an order
 * of its own (pre_shared_key stays last), so no two connections share a JA3 or JA4_o text.
 * The same lengths as the fixtures; the order comes from a seeded generator (same capture
 * every run).
 */
export function shuffledHellos(hellos: readonly Uint8Array[]): (connection: number) => Uint8Array {
  const parsed = hellos.map((h) => parseClientHello(h, { strict: false }));
  let seed = 1;
  const random = (below: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed % below;
  };
  return (connection) => {
    const hello = parsed[connection % parsed.length];
    const extensions: Extension[] = [...(hello.extensions ?? [])];
    const last = extensions.length > 0 && extensions[extensions.length - 1].type === 41 ? 1 : 0;
    for (let j = extensions.length - 1 - last; j > 0; j--) {
      const k = random(j + 1);
      [extensions[j], extensions[k]] = [extensions[k], extensions[j]];
    }
    return encodeClientHello({ ...hello, extensions });
  };
}

const ETH = 14;
const IP = 20;
const TCP = 20;

/** The capture's chunks: a classic pcap (microseconds, Ethernet), one connection after another. */
export function* syntheticCapture(options: SyntheticCaptureOptions): Generator<Uint8Array> {
  const spacing = options.spacingMicros ?? 10_000;
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const maxHello = Math.max(...options.hellos.map((h) => h.length));
  let buf = new Uint8Array(chunkBytes + 2 * (16 + ETH + IP + TCP) + maxHello);
  let view = new DataView(buf.buffer);
  let at = 0;
  view.setUint32(0, 0xa1b2c3d4, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, 262144, true);
  view.setUint32(20, 1, true);
  at = 24;
  let micros = 1_700_000_000 * 1_000_000;
  const packet = (i: number, flags: number, seq: number, payload?: Uint8Array): void => {
    const length = ETH + IP + TCP + (payload?.length ?? 0);
    view.setUint32(at, Math.floor(micros / 1_000_000), true);
    view.setUint32(at + 4, micros % 1_000_000, true);
    view.setUint32(at + 8, length, true);
    view.setUint32(at + 12, length, true);
    const f = at + 16;
    buf.fill(0, f, f + ETH + IP + TCP);
    buf.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00], f);
    const ip = f + ETH;
    buf[ip] = 0x45;
    view.setUint16(ip + 2, IP + TCP + (payload?.length ?? 0));
    buf[ip + 8] = 64;
    buf[ip + 9] = 6;
    // Client 10.a.b.c (a different address for every 60 000 connections), server 192.0.2.1.
    view.setUint32(ip + 12, (10 << 24) | (Math.floor(i / 60_000) + 1));
    view.setUint32(ip + 16, 0xc0000201);
    const tcp = ip + IP;
    view.setUint16(tcp, 1024 + (i % 60_000));
    view.setUint16(tcp + 2, 443);
    view.setUint32(tcp + 4, seq >>> 0);
    buf[tcp + 12] = 5 << 4;
    buf[tcp + 13] = flags;
    view.setUint16(tcp + 14, 65535);
    if (payload) buf.set(payload, tcp + TCP);
    at += 16 + length;
  };
  for (let i = 0; i < options.connections; i++) {
    const hello = options.helloFor ? options.helloFor(i) : options.hellos[i % options.hellos.length];
    const isn = (i * 2654435761) >>> 0;
    packet(i, 0x02, isn);
    micros += 100;
    packet(i, 0x18, isn + 1, hello);
    micros += spacing - 100;
    if (at >= chunkBytes) {
      yield buf.subarray(0, at);
      buf = new Uint8Array(buf.length);
      view = new DataView(buf.buffer);
      at = 0;
    }
  }
  if (at > 0) yield buf.subarray(0, at);
}
