/**
 * The fuzz runner against loopback node:net servers, and the command's usage errors (the
 * platform-neutral cases, shrink view and pacer are in test/fuzz/cases.test.ts).
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { fuzzCase } from '../../src/fuzz/cases.ts';
import { runFuzz } from '../../src/node/fuzz.ts';
import { minimizeFuzzCase } from '../../src/node/fuzz-minimize.ts';
import { sendHelloBytes } from '../../src/node/fuzz-send.ts';
import { cli } from '../cli/run.ts';

const servers: Server[] = [];
const sockets = new Set<Socket>();

async function listen(onData: (socket: Socket, data: Buffer) => void): Promise<string> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', (d) => onData(socket, d));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const hello = clientHello({ serverName: 'hellokit.test', seed: 'unit' });

describe('fuzz against loopback servers', () => {
  let alertTarget = '';
  let pickyTarget = '';
  beforeAll(async () => {
    // answers everything with a fatal decode_error alert
    alertTarget = await listen((s) => s.end(Uint8Array.of(21, 3, 3, 0, 2, 2, 50)));
    // decode_error when the third byte of the hello record is not 0x01, else handshake_failure
    pickyTarget = await listen((s, d) => s.end(Uint8Array.of(21, 3, 3, 0, 2, 2, d[2] === 1 ? 40 : 50)));
  });

  test('every case of a run is answered and counted', async () => {
    const report = await runFuzz(alertTarget, {
      hello,
      seed: 'unit',
      runs: 25,
      concurrency: 4,
      ratePerSecond: 1000,
      timeoutMs: 1000,
    });
    expect(report.baseline).toMatchObject({ id: 'unit-0', outcomeClass: 'alert:decode_error' });
    expect(report.cases).toHaveLength(25);
    expect(report.table.total).toBe(25);
    expect(report.cases.every((c) => c.outcomeClass === 'alert:decode_error' && !c.interesting)).toBe(true);
  });

  test('sendHelloBytes writes the bytes exactly, split where asked, and reads the answer', async () => {
    const r = await sendHelloBytes(alertTarget, Uint8Array.of(22, 3, 1, 0, 1, 9), {
      writes: [1, 3],
      timeoutMs: 1000,
    });
    expect(r.outcome).toBe('alert');
    expect(r.alert).toMatchObject({ description: 50, name: 'decode_error' });
    expect(r.sent).toEqual([]);
    expect(r.conclusion).toMatch(/do not parse as a ClientHello/);
    expect(r.transcript.filter((t) => t.direction === 'sent').map((t) => t.bytes.length)).toEqual([1, 2, 3]);
    await expect(sendHelloBytes(alertTarget, Uint8Array.of(1, 2), { writes: [2] })).rejects.toThrow(
      RangeError,
    );
  });

  test('minimizing keeps the answer and never grows the bytes', async () => {
    const c = fuzzCase(hello, 'unit', 0);
    const m = await minimizeFuzzCase(pickyTarget, c, 'alert:handshake_failure', {
      maxProbes: 60,
      ratePerSecond: 1000,
      timeoutMs: 1000,
    });
    expect(m.bytes.length).toBeLessThan(c.bytes.length);
    expect(m.result.outcomeClass).toBe('alert:handshake_failure');
    expect(m.bytes[2]).toBe(1);
    expect(m.probes).toBeLessThanOrEqual(61);
  });
});

describe('hellokit fuzz usage errors', () => {
  test.each([
    [['fuzz'], /needs the target/],
    [['fuzz', 'a:1', 'b:2'], /one target only/],
    [['fuzz', 'h:0'], /bad target/],
    [['fuzz', 'h:1', '--runs', '0'], /--runs expects a whole number 1\.\.100000/],
    [['fuzz', 'h:1', '--runs', '100001'], /--runs/],
    [['fuzz', 'h:1', '--concurrency', '65'], /--concurrency/],
    [['fuzz', 'h:1', '--rate', 'fast'], /--rate/],
    [['fuzz', 'h:1', '--timeout', '10ms'], /--timeout/],
    [['fuzz', 'h:1', '--timeout', '601'], /--timeout .*a bare number is seconds\), got 601\n$/],
    [['fuzz', 'h:1', '--mutators', 'nope'], /--mutators: unknown nope/],
    [['fuzz', 'h:1', '--replay', 'x'], /--replay/],
    [['fuzz', 'h:1', '--replay', 'a-1', '--seed', 'b'], /--replay a-1 is a case of seed a/],
    [['fuzz', 'h:1', '--seed', 'has space'], /--seed/],
    [['fuzz', 'h:1', '--tls', '1.1'], /--tls/],
    [['fuzz', 'h:1', '--bogus'], /unknown flag --bogus/],
  ])('%j exits 2 with one line naming the flag', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

test('a target that refuses the baseline ends the run with exit 3 (unreachable) and no case sent', async () => {
  const tmp = createServer();
  tmp.listen(0, '127.0.0.1');
  await once(tmp, 'listening');
  const port = (tmp.address() as { port: number }).port;
  await new Promise((r) => tmp.close(r));
  const report = await runFuzz(`127.0.0.1:${port}`, { hello, seed: 'unit', runs: 50, timeoutMs: 1000 });
  expect(report.baseline.outcome).toBe('connect_failed');
  expect(report.cases).toEqual([]);
  const r = await cli(['fuzz', `127.0.0.1:${port}`, '--runs', '50', '--timeout', '1']);
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/could not connect .*; no case sent/);
});
