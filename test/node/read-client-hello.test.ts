import { spawn } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { TLSSocket, connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { ja4All } from '../../src/fingerprint/ja4.ts';
import { encodeClientHello } from '../../src/handshake/client-hello.ts';
import {
  clientHelloServerName,
  type PeekedClientHello,
  type ReadClientHelloError,
  readClientHello,
} from '../../src/node/read-client-hello.ts';
import { selfSignedCertificate } from '../../src/node/self-signed.ts';

const cert = await selfSignedCertificate(['peek.hellokit.test']);

/** A loopback server that peeks each hello, then finishes TLS with Node and answers "pong". */
async function peekServer(options: Parameters<typeof readClientHello>[1] = {}) {
  const results: Promise<PeekedClientHello>[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const peeked = readClientHello(socket, options);
    results.push(peeked);
    peeked.then(
      () => {
        const tls = new TLSSocket(socket, { isServer: true, cert: cert.cert, key: cert.key });
        tls.on('error', () => {});
        tls.on('secure', () => tls.end('pong'));
      },
      () => {},
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    results,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function nodeClient(port: number, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = tlsConnect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false });
    let text = '';
    c.on('data', (d) => {
      text += d;
    });
    c.on('end', () => resolve(text));
    c.on('error', reject);
  });
}

function rawClient(port: number, writes: { bytes: Uint8Array; delayMs?: number }[]): Promise<Socket> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, async () => {
      s.setNoDelay(true);
      for (const w of writes) {
        if (w.delayMs) await new Promise((r) => setTimeout(r, w.delayMs));
        if (!s.destroyed) s.write(w.bytes);
      }
      resolve(s);
    });
    s.on('error', () => {});
  });
}

function closed(s: Socket): Promise<void> {
  return new Promise((r) => {
    if (s.destroyed) return r();
    s.on('close', () => r());
    s.resume();
  });
}

describe('readClientHello', () => {
  let server: Awaited<ReturnType<typeof peekServer>>;
  beforeAll(async () => {
    server = await peekServer({ timeoutMs: 2000 });
  });
  afterAll(() => server.close());

  test('reads a Node client hello and leaves the stream intact for tls.TLSSocket', async () => {
    const before = server.results.length;
    expect(await nodeClient(server.port, 'peek.hellokit.test')).toBe('pong');
    const peeked = await server.results[before];
    expect(clientHelloServerName(peeked.hello)).toBe('peek.hellokit.test');
    expect(peeked.records).toBe(1);
    expect(peeked.helloBytes[0]).toBe(0x16);
  });

  test('reads openssl s_client and the handshake then completes', async () => {
    const before = server.results.length;
    const out = await new Promise<string>((resolve) => {
      const p = spawn(
        'openssl',
        ['s_client', '-connect', `127.0.0.1:${server.port}`, '-servername', 'peek.hellokit.test', '-quiet'],
        {
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let text = '';
      p.stdout.on('data', (d) => {
        text += d;
      });
      p.on('close', () => resolve(text));
      setTimeout(() => p.kill(), 5000).unref();
    });
    expect(out).toContain('pong');
    const peeked = await server.results[before];
    expect(clientHelloServerName(peeked.hello)).toBe('peek.hellokit.test');
  });

  test('reads a hello that arrives one byte per TCP segment, and one split over many records', async () => {
    const hello = clientHello({ serverName: 'peek.hellokit.test', fragment: 7, seed: 1 });
    const bytes = encodeClientHello(hello);
    const before = server.results.length;
    const writes = [
      ...Array.from(bytes.subarray(0, 40), (b) => ({ bytes: Uint8Array.of(b), delayMs: 1 })),
      { bytes: bytes.subarray(40), delayMs: 1 },
    ];
    const s = await rawClient(server.port, writes);
    const peeked = await server.results[before];
    s.destroy();
    expect(peeked.records).toBe(7);
    expect(peeked.reads).toBeGreaterThan(5);
    expect(Buffer.from(peeked.helloBytes).equals(Buffer.from(bytes))).toBe(true);
    expect(ja4All(peeked.hello)).toEqual(ja4All(hello));
  });

  test('gives a not-tls error to an HTTP client and releases its socket', async () => {
    const before = server.results.length;
    const s = await rawClient(server.port, [
      { bytes: new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n') },
    ]);
    const err = (await server.results[before].catch((e) => e)) as ReadClientHelloError;
    expect(err.code).toBe('not-tls');
    expect(err.message).toMatch(/HTTP request/);
    await closed(s);
  });

  test('gives a not-client-hello error to a client whose first record is not a handshake', async () => {
    const before = server.results.length;
    const s = await rawClient(server.port, [{ bytes: Uint8Array.of(0x15, 3, 3, 0, 2, 2, 40) }]);
    const err = (await server.results[before].catch((e) => e)) as ReadClientHelloError;
    expect(err.code).toBe('not-client-hello');
    await closed(s);
  });

  test('gives a timeout error to a client that sends half a hello and stalls', async () => {
    const bytes = encodeClientHello(clientHello({ serverName: 'peek.hellokit.test' }));
    const before = server.results.length;
    const started = Date.now();
    const s = await rawClient(server.port, [{ bytes: bytes.subarray(0, 50) }]);
    const err = (await server.results[before].catch((e) => e)) as ReadClientHelloError;
    expect(err.code).toBe('timeout');
    expect(err.bytes.length).toBe(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    await closed(s);
  });

  test('gives a closed error to a client that hangs up mid-hello', async () => {
    const bytes = encodeClientHello(clientHello({ serverName: 'peek.hellokit.test' }));
    const before = server.results.length;
    const s = await rawClient(server.port, [{ bytes: bytes.subarray(0, 30) }]);
    s.end();
    const err = (await server.results[before].catch((e) => e)) as ReadClientHelloError;
    expect(err.code).toBe('closed');
  });
});

describe('readClientHello limits', () => {
  test('gives a too-large error to a hello over maxBytes, and releases the socket', async () => {
    const server = await peekServer({ timeoutMs: 2000, maxBytes: 1024 });
    try {
      const bytes = encodeClientHello(clientHello({ serverName: 'peek.hellokit.test', padding: 3000 }));
      const s = await rawClient(server.port, [{ bytes }]);
      const err = (await server.results[0].catch((e) => e)) as ReadClientHelloError;
      expect(err.code).toBe('too-large');
      await closed(s);
    } finally {
      await server.close();
    }
  });

  test('gives a too-large error to a hello whose many small records pass maxBytes within one read', async () => {
    const hello = clientHello({ serverName: 'peek.hellokit.test', fragment: 100, seed: 2 });
    const bytes = encodeClientHello(hello);
    const messageLength = bytes.length - 100 * 5;
    // The message fits, its records do not; all of it arrives in one write (one read).
    const maxBytes = messageLength + 100;
    expect(bytes.length).toBeGreaterThan(maxBytes);
    const server = await peekServer({ timeoutMs: 2000, maxBytes });
    try {
      const s = await rawClient(server.port, [{ bytes }]);
      const err = (await server.results[0].catch((e) => e)) as ReadClientHelloError;
      expect(err.code).toBe('too-large');
      expect(err.message).toContain(`(limit ${maxBytes})`);
      await closed(s);
    } finally {
      await server.close();
    }
  });

  test('accepts a post-quantum-sized hello split over two segments under the default limit', async () => {
    const server = await peekServer({ timeoutMs: 2000 });
    try {
      const hello = clientHello({
        serverName: 'peek.hellokit.test',
        groups: ['X25519MLKEM768', 'x25519'],
        keyShares: ['X25519MLKEM768', 'x25519'],
      });
      const bytes = encodeClientHello(hello);
      expect(bytes.length).toBeGreaterThan(1400);
      const s = await rawClient(server.port, [
        { bytes: bytes.subarray(0, 1000) },
        { bytes: bytes.subarray(1000), delayMs: 20 },
      ]);
      const peeked = await server.results[0];
      s.destroy();
      expect(peeked.reads).toBe(2);
      expect(peeked.helloBytes.length).toBe(bytes.length);
    } finally {
      await server.close();
    }
  });

  test('firstByteTimeoutMs: a silent client is a timeout that got nothing, sooner; one that sent a byte waits for timeoutMs', async () => {
    const server = await peekServer({ timeoutMs: 1500, firstByteTimeoutMs: 300 });
    try {
      let started = Date.now();
      const silent = await rawClient(server.port, []);
      while (server.results.length < 1) await new Promise((r) => setTimeout(r, 5));
      let err = (await server.results[0].catch((e) => e)) as ReadClientHelloError;
      expect(err.code).toBe('timeout');
      expect(err.message).toMatch(/within 300 ms \(got nothing\)/);
      expect(Date.now() - started).toBeLessThan(1400);
      await closed(silent);
      started = Date.now();
      const slow = await rawClient(server.port, [{ bytes: Uint8Array.of(22) }]);
      while (server.results.length < 2) await new Promise((r) => setTimeout(r, 5));
      err = (await server.results[1].catch((e) => e)) as ReadClientHelloError;
      expect(err.code).toBe('timeout');
      expect(err.message).toMatch(/within 1500 ms/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      await closed(slow);
    } finally {
      await server.close();
    }
  });

  test('rejects nonsense options with RangeError', () => {
    const s = new (class extends Object {})() as unknown as Socket;
    expect(() => readClientHello(s, { timeoutMs: 0 })).toThrow(RangeError);
    expect(() => readClientHello(s, { firstByteTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => readClientHello(s, { maxBytes: 3 })).toThrow(RangeError);
  });
});
