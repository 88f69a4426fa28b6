import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { encodeClientHello } from '../../src/handshake/client-hello.ts';
import { parseProbeTarget, probe, probeResultToJson } from '../../src/node/index.ts';

const servers: Server[] = [];
const sockets = new Set<Socket>();

async function listen(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('probe against loopback servers that are not TLS servers', () => {
  let httpPort = 0;
  let silentPort = 0;
  let closedPort = 0;
  let finPort = 0;
  let resetPort = 0;
  let floodPort = 0;
  let alertPort = 0;
  beforeAll(async () => {
    httpPort = await listen((s) =>
      s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')),
    );
    silentPort = await listen(() => {});
    finPort = await listen((s) => s.once('data', () => s.end()));
    resetPort = await listen((s) => s.once('data', () => s.resetAndDestroy()));
    // endless valid-looking change_cipher_spec records: only the byte cap stops them
    floodPort = await listen((s) =>
      s.once('data', () => {
        const ccs = Buffer.alloc(6 * 1000);
        for (let i = 0; i < ccs.length; i += 6) ccs.set([20, 3, 3, 0, 1, 1], i);
        const pump = () => {
          while (!s.destroyed && s.write(ccs)) {}
          if (!s.destroyed) s.once('drain', pump);
        };
        pump();
      }),
    );
    alertPort = await listen((s) => s.once('data', () => s.end(Buffer.from([21, 3, 3, 0, 2, 2, 40]))));
    const tmp = createServer();
    tmp.listen(0, '127.0.0.1');
    await once(tmp, 'listening');
    closedPort = (tmp.address() as { port: number }).port;
    await new Promise((r) => tmp.close(r));
  });

  test('an HTTP answer is not_tls with the first bytes shown', async () => {
    const r = await probe(`127.0.0.1:${httpPort}`, { timeoutMs: 3000 });
    expect(r.outcome).toBe('not_tls');
    expect(new TextDecoder().decode(r.notTls!.firstBytes)).toMatch(/^HTTP\/1\.1 400/);
    expect(r.notTls!.reason).toMatch(/HTTP response/);
    expect(r.conclusion).toMatch(/does not speak TLS/);
    expect(r.transcript[0].direction).toBe('sent');
  });

  test('a silent server is a timeout, within the bound', async () => {
    const r = await probe(`127.0.0.1:${silentPort}`, { timeoutMs: 600, idleTimeoutMs: 300 });
    expect(r.outcome).toBe('timeout');
    expect(r.stopReason).toBe('idle_timeout');
    expect(r.timings.totalMs).toBeLessThan(1500);
    const total = await probe(`127.0.0.1:${silentPort}`, { timeoutMs: 400 });
    expect(total.outcome).toBe('timeout');
    expect(total.stopReason).toBe('timeout');
  });

  test('a closed port is connect_failed', async () => {
    const r = await probe({ host: '127.0.0.1', port: closedPort }, { timeoutMs: 3000 });
    expect(r.outcome).toBe('connect_failed');
    expect(r.error).toMatch(/ECONNREFUSED/);
    expect(r.timings.connectMs).toBeNull();
  });

  test('a FIN without an answer is closed; a reset is reset', async () => {
    expect((await probe(`127.0.0.1:${finPort}`, { timeoutMs: 3000 })).outcome).toBe('closed');
    expect((await probe(`127.0.0.1:${resetPort}`, { timeoutMs: 3000 })).outcome).toBe('reset');
  });

  test('a server sending records forever is cut at maxBytes', async () => {
    const r = await probe(`127.0.0.1:${floodPort}`, { timeoutMs: 5000, maxBytes: 64 * 1024 });
    expect(r.stopReason).toBe('max_bytes');
    expect(r.bytesReceived).toBe(64 * 1024);
  });

  test('a plaintext fatal alert is outcome alert, named', async () => {
    const r = await probe(`127.0.0.1:${alertPort}`, {
      timeoutMs: 3000,
      hello: { tls: '1.2', cipherSuites: [0xc02f] },
    });
    expect(r.outcome).toBe('alert');
    expect(r.alert).toMatchObject({ level: 2, description: 40, name: 'handshake_failure' });
    expect(r.conclusion).toMatch(/RSA-authenticated/);
    expect(JSON.parse(JSON.stringify(probeResultToJson(r))).alert.name).toBe('handshake_failure');
  });

  test('split writes deliver the same hello', async () => {
    let received = Buffer.alloc(0);
    const port = await listen((s) =>
      s.on('data', (d) => {
        received = Buffer.concat([received, d]);
      }),
    );
    const r = await probe(`127.0.0.1:${port}`, {
      timeoutMs: 800,
      idleTimeoutMs: 400,
      write: { splitAt: [1, 5, 50], delayMs: 20 },
    });
    expect(r.outcome).toBe('timeout');
    const sent = Buffer.concat(r.transcript.filter((t) => t.direction === 'sent').map((t) => t.bytes));
    expect(received.equals(sent)).toBe(true);
  });
});

describe('probe with raw bytes', () => {
  let received: Buffer[] = [];
  let alertPort = 0;
  beforeAll(async () => {
    // collects what arrives, then answers decode_error once the first 6 bytes are in
    alertPort = await listen((s) => {
      let total = 0;
      s.on('data', (d) => {
        received.push(d);
        total += d.length;
        if (total >= 6) s.end(Buffer.from([21, 3, 3, 0, 2, 2, 50]));
      });
    });
  });

  test('writes the bytes exactly, split where asked, and reads the answer with the same outcome rules', async () => {
    received = [];
    const bytes = Uint8Array.of(22, 3, 1, 0, 1, 9);
    const r = await probe(`127.0.0.1:${alertPort}`, {
      bytes,
      write: { splitAt: [1, 3], delayMs: 20 },
      timeoutMs: 2000,
    });
    expect(r.outcome, r.conclusion).toBe('alert');
    expect(r.alert).toMatchObject({ level: 2, description: 50, name: 'decode_error' });
    expect(r.sent).toEqual([]);
    expect(r.conclusion).toMatch(/decode_error \(50\) to bytes that do not parse as a ClientHello/);
    expect(r.transcript.filter((t) => t.direction === 'sent').map((t) => t.bytes.length)).toEqual([1, 2, 3]);
    expect(Buffer.concat(received).equals(Buffer.from(bytes))).toBe(true);
  });

  test('a hello in the bytes is parsed into sent; per-record writes one record at a time', async () => {
    received = [];
    const hello = clientHello({ serverName: 'hellokit.test', fragment: 3, seed: 'raw' });
    const bytes = encodeClientHello(hello);
    const r = await probe(`127.0.0.1:${alertPort}`, { bytes, write: 'per-record', timeoutMs: 2000 });
    expect(r.outcome, r.conclusion).toBe('alert');
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0].cipherSuites).toEqual(hello.cipherSuites);
    expect(r.conclusion).toMatch(/could not decode the hello/);
    const sent = r.transcript.filter((t) => t.direction === 'sent');
    expect(sent).toHaveLength(3);
    expect(Buffer.concat(sent.map((t) => t.bytes)).equals(Buffer.from(bytes))).toBe(true);
  });

  test('misuse is a TypeError or RangeError', async () => {
    const target = `127.0.0.1:${alertPort}`;
    const bytes = Uint8Array.of(22, 3, 1, 0, 1, 9);
    await expect(probe(target, { bytes, hello: { serverName: 'x.test' } })).rejects.toThrow(TypeError);
    await expect(probe(target, { bytes, serverName: 'x.test' })).rejects.toThrow(TypeError);
    await expect(probe(target, { bytes: [1, 2] as unknown as Uint8Array })).rejects.toThrow(TypeError);
    await expect(probe(target, { bytes: bytes.subarray(0, 5), write: 'per-record' })).rejects.toThrow(
      RangeError,
    );
    await expect(probe(target, { bytes, write: { splitAt: [6] } })).rejects.toThrow(RangeError);
  });
});

describe('parseProbeTarget', () => {
  test('reads host:port, [v6]:port, bare hosts and objects', () => {
    expect(parseProbeTarget('example.test:8443')).toEqual({ host: 'example.test', port: 8443 });
    expect(parseProbeTarget('example.test')).toEqual({ host: 'example.test', port: 443 });
    expect(parseProbeTarget('[::1]:8443')).toEqual({ host: '::1', port: 8443 });
    expect(parseProbeTarget('::1')).toEqual({ host: '::1', port: 443 });
    expect(parseProbeTarget({ host: '127.0.0.1', port: 1 })).toEqual({ host: '127.0.0.1', port: 1 });
  });
  test('rejects a port outside 1..65535 and an empty host', () => {
    expect(() => parseProbeTarget('h:0')).toThrow(TypeError);
    expect(() => parseProbeTarget('h:70000')).toThrow(TypeError);
    expect(() => parseProbeTarget(':443')).toThrow(TypeError);
  });
  test('rejects a host that is neither a name nor an address, naming it', () => {
    // An unclosed bracket once became the host "[:" with port 1, and the probe went ahead.
    expect(() => parseProbeTarget('[::1')).toThrow('"target" host "[:" is neither a name nor an IP address');
    expect(() => parseProbeTarget('a:b:443')).toThrow(/host "a:b"/);
    expect(() => parseProbeTarget('host name:443')).toThrow(/host "host name"/);
    expect(() => parseProbeTarget({ host: 'x/y', port: 443 })).toThrow(/host "x\/y"/);
    expect(parseProbeTarget('[fe80::1%lo]:8443')).toEqual({ host: 'fe80::1%lo', port: 8443 });
  });
});
