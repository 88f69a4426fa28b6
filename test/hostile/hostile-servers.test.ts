/**
 * probe() against misbehaving servers: every case ends in the outcome docs/fuzz.md lists
 * for it, within its timeout, with bounded memory.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { type ProbeOptions, type ProbeResult, probe } from '../../src/node/index.ts';
import { closeAll, type HostileKind, serverHelloMessage, startHostile } from './servers.ts';

afterAll(closeAll);

const TIMEOUT_MS = 1500;
const IDLE_MS = 1000;
/** Slack over the timeout for connect, timers and teardown on a loaded 2-core machine. */
const SLACK_MS = 1000;

async function probeHostile(kind: HostileKind, options: ProbeOptions = {}): Promise<ProbeResult> {
  const server = await startHostile(kind);
  const r = await probe(server.target, { timeoutMs: TIMEOUT_MS, idleTimeoutMs: IDLE_MS, ...options });
  expect(r.timings.totalMs, `${kind} ran past its timeout`).toBeLessThan(
    (options.timeoutMs ?? TIMEOUT_MS) + SLACK_MS,
  );
  return r;
}

describe('probe against hostile servers', () => {
  test('garbage bytes are not_tls, with the reason and the first bytes', async () => {
    const r = await probeHostile('garbage');
    expect(r.outcome, r.conclusion).toBe('not_tls');
    expect(r.stopReason).toBe('not_tls');
    expect(r.notTls!.reason).toMatch(/first byte 0x9e is not a TLS content type/);
    expect(r.notTls!.firstBytes[0]).toBe(0x9e);
    expect(r.notTls!.firstBytes.length).toBeLessThanOrEqual(64);
  });

  test('an HTTP response is not_tls with the first bytes shown', async () => {
    const r = await probeHostile('http');
    expect(r.outcome, r.conclusion).toBe('not_tls');
    expect(new TextDecoder().decode(r.notTls!.firstBytes)).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(r.notTls!.reason).toMatch(/HTTP response/);
    expect(r.conclusion).toMatch(/does not speak TLS/);
  });

  test('a record header claiming 2^16-1 bytes is refused at the header, without waiting for the body', async () => {
    const r = await probeHostile('huge-record-then-silence');
    expect(r.outcome, r.conclusion).toBe('not_tls');
    expect(r.stopReason).toBe('protocol_error');
    expect(r.error).toMatch(/65535 bytes exceeds 16384/);
    expect(r.timings.totalMs).toBeLessThan(IDLE_MS);
  });

  test('an endless stream is cut at the byte cap, with bounded memory', async () => {
    const maxBytes = 256 * 1024;
    const before = process.memoryUsage().heapUsed;
    const r = await probeHostile('endless-stream', { maxBytes });
    const grown = process.memoryUsage().heapUsed - before;
    expect(r.outcome, r.conclusion).toBe('not_tls');
    expect(r.stopReason).toBe('max_bytes');
    expect(r.bytesReceived).toBe(maxBytes);
    expect(r.error).toMatch(/stopped reading after 262144 bytes/);
    expect(r.conclusion).toBe(
      'the server kept sending (262144 bytes, the cap) without a complete handshake answer',
    );
    // 256 KiB of 6-byte records is ~44 000 transcript entries; the heap must stay well bounded.
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });

  test('one byte per second is ended by the total timeout, not kept alive by the idle timer', async () => {
    const r = await probeHostile('one-byte-per-second', { timeoutMs: 2500, idleTimeoutMs: 1500 });
    expect(r.outcome, r.conclusion).toBe('timeout');
    expect(r.stopReason).toBe('timeout');
    expect(r.bytesReceived).toBeGreaterThanOrEqual(2);
    expect(r.bytesReceived).toBeLessThanOrEqual(4);
  });

  test('a RST in the middle of a record is reset', async () => {
    const r = await probeHostile('reset-mid-record');
    expect(r.outcome, r.conclusion).toBe('reset');
    expect(r.bytesReceived).toBe(20);
    expect(r.serverHello).toBeUndefined();
  });

  test('a RST right after the accept is reset, not connect_failed: the connection was established', async () => {
    const r = await probeHostile('accept-then-reset');
    expect(r.outcome, r.conclusion).toBe('reset');
    expect(r.stopReason).toBe('reset');
    expect(r.conclusion).toMatch(/^the server reset the connection/);
    expect(r.violations).toEqual([]);
  });

  test('a close before anything is sent is closed', async () => {
    const r = await probeHostile('close-before-anything');
    expect(r.outcome, r.conclusion).toBe('closed');
    expect(r.bytesReceived).toBe(0);
    expect(r.conclusion).toMatch(/nothing sent/);
  });

  test('a ServerHello spread over one-byte records is reassembled into a server_hello', async () => {
    const r = await probeHostile('server-hello-one-byte-records');
    expect(r.outcome, r.conclusion).toBe('server_hello');
    expect(r.serverHello!.cipherSuite).toBe(0xc02f);
    expect(r.serverHello!.version).toBe(0x0303);
    const received = r.transcript.filter((t) => t.direction === 'received');
    expect(received).toHaveLength(serverHelloMessage().length);
    expect(received.every((t) => t.length === 1)).toBe(true);
    expect(received[received.length - 1].messages).toEqual(['server_hello']);
  });

  test('a valid ServerHello then silence is server_hello, with the timeout noted', async () => {
    const r = await probeHostile('server-hello-then-silence');
    expect(r.outcome, r.conclusion).toBe('server_hello');
    expect(['idle_timeout', 'timeout']).toContain(r.stopReason);
    expect(r.conclusion).toMatch(/no byte from the server|timeout/);
    // the flight never came: the server stalled after its ServerHello
    expect(r.violations.map((v) => v.rule)).toEqual(['stalled_after_server_hello']);
    expect(r.conclusion).toContain('stalled_after_server_hello');
  });

  test('an alert with an unknown description is an alert, with the number and unknown(N)', async () => {
    const r = await probeHostile('unknown-alert');
    expect(r.outcome, r.conclusion).toBe('alert');
    expect(r.alert).toMatchObject({ level: 2, description: 200, name: 'unknown(0xc8)' });
    expect(r.conclusion).toMatch(/\(200\)/);
  });

  test('a warning alert followed by a ServerHello is server_hello with the warning recorded', async () => {
    const r = await probeHostile('warning-then-server-hello');
    expect(r.outcome, r.conclusion).toBe('server_hello');
    expect(r.alerts).toEqual([
      expect.objectContaining({
        level: 1,
        levelName: 'warning',
        description: 112,
        name: 'unrecognized_name',
      }),
    ]);
    expect(r.serverHello!.cipherSuite).toBe(0xc02f);
  });
});
