/**
 * Captures larger than memory should need: the CLI runs in its own node process on files the
 * tests write (hostile ones that used to end in an out-of-memory abort, and a clean one with
 * many connections), and its peak resident memory must stay under 200 MB.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliChild } from './helpers/cli-child.ts';
import { fixtureHellos, syntheticCapture } from './helpers/synthetic-capture.ts';

const MB = 1024 * 1024;
const RSS_LIMIT = 200 * MB;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hellokit-pcap-memory-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `total` bytes: `head`, then `record` repeated (in 1 MiB writes). */
function writeRepeated(name: string, head: Uint8Array, record: Uint8Array, total: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  const perChunk = Math.floor(MB / record.length);
  const chunk = new Uint8Array(perChunk * record.length);
  for (let i = 0; i < perChunk; i++) chunk.set(record, i * record.length);
  for (let written = head.length; written < total; written += chunk.length) writeSync(fd, chunk);
  closeSync(fd);
  return path;
}

function lastJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

describe('hellokit pcap on hostile captures', () => {
  it('reads 80 MB of 16-byte pcap records with out-of-range timestamps in flat memory, warnings capped and counted', async () => {
    const head = new Uint8Array(24);
    const hv = new DataView(head.buffer);
    hv.setUint32(0, 0xa1b2c3d4, true);
    hv.setUint16(4, 2, true);
    hv.setUint16(6, 4, true);
    hv.setUint32(16, 65535, true);
    hv.setUint32(20, 1, true);
    // seconds 1, microseconds 0xffffffff (far past 999 999), no captured bytes.
    const record = new Uint8Array([1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0]);
    const path = writeRepeated('timestamps.pcap', head, record, 80 * MB);
    const r = await runCliChild(['pcap', '--json', path]);
    expect(r.code).toBe(0);
    const summary = lastJsonLine(r.stdout) as {
      type: string;
      packets: number;
      warnings: string[];
      warningCounts: Record<string, number>;
    };
    expect(summary.type).toBe('summary');
    expect(summary.packets).toBeGreaterThan(5_000_000);
    expect(summary.warningCounts['pcap-timestamp']).toBe(summary.packets);
    expect(summary.warnings.length).toBeLessThan(20);
    expect(summary.warnings.at(-1)).toMatch(
      /^\d+ more warnings of kind pcap-timestamp not shown \(\d+ in all\)$/,
    );
    expect(r.stderr.split('\n').length).toBeLessThan(20);
    expect(r.maxRss).toBeLessThan(RSS_LIMIT);
  });

  it('reads 80 MB of damaged 12-byte pcapng blocks in flat memory, warnings capped and counted', async () => {
    const shb = new Uint8Array(28);
    const sv = new DataView(shb.buffer);
    sv.setUint32(0, 0x0a0d0d0a, true);
    sv.setUint32(4, 28, true);
    sv.setUint32(8, 0x1a2b3c4d, true);
    sv.setUint16(12, 1, true);
    sv.setBigInt64(16, -1n, true);
    sv.setUint32(24, 28, true);
    // An Enhanced Packet Block of 12 bytes: framing intact, body missing.
    const block = new Uint8Array([6, 0, 0, 0, 12, 0, 0, 0, 12, 0, 0, 0]);
    const path = writeRepeated('damaged.pcapng', shb, block, 80 * MB);
    const r = await runCliChild(['pcap', '--json', path]);
    expect(r.code).toBe(0);
    const summary = lastJsonLine(r.stdout) as { warnings: string[]; warningCounts: Record<string, number> };
    expect(summary.warningCounts['pcapng-damaged-block']).toBeGreaterThan(6_000_000);
    expect(summary.warnings.length).toBeLessThan(20);
    expect(r.maxRss).toBeLessThan(RSS_LIMIT);
  });
});

describe('hellokit pcap streaming', () => {
  let capture: string;
  const connections = 20_000;
  beforeAll(() => {
    capture = join(dir, 'many.pcap');
    const fd = openSync(capture, 'w');
    // 20 new connections a second: 2 400 wait for a server at any time (the flow timeout is 120 s).
    for (const chunk of syntheticCapture({ connections, hellos: fixtureHellos(), spacingMicros: 50_000 }))
      writeSync(fd, chunk);
    closeSync(fd);
  });

  it('writes one NDJSON line per handshake and a summary line last, in flat memory', async () => {
    const r = await runCliChild(['pcap', '--json', capture]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(connections + 1);
    const first = JSON.parse(lines[0]);
    expect(first.type).toBe('handshake');
    expect(first.ja4).toMatch(/^t1[23][di]/);
    const summary = JSON.parse(lines[connections]);
    expect(summary).toMatchObject({ type: 'summary', format: 'pcap', handshakes: connections });
    // Each connection's ClientHello waits for a server that never answers; after the
    // 120 s flow timeout (connections are 50 ms apart; idle ones are looked for once a second
    // of capture time) it is reported without one.
    expect(summary.evicted.idle).toBeGreaterThanOrEqual(connections - 121 / 0.05 - 1);
    expect(summary.evicted.idle).toBeLessThanOrEqual(connections - 120 / 0.05);
    expect(summary.evicted).toMatchObject({ count: 0, memory: 0 });
    expect(r.maxRss).toBeLessThan(RSS_LIMIT);
  });

  it('stops quietly with exit 0 when its reader closes the pipe, as `| head` does', async () => {
    const r = await runCliChild(['pcap', '--json', capture], 3);
    expect(r.code).toBe(0);
    for (const line of r.stderr.trim().split('\n')) expect(line).toMatch(/^hellokit pcap: warning: /);
    expect(r.stdout.split('\n')).toHaveLength(3);
  });
});
