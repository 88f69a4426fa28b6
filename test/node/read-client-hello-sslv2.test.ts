import { readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toHex } from '../../src/bytes/hex.ts';
import { type ReadClientHelloError, readClientHello } from '../../src/node/read-client-hello.ts';
import { type ServeEvent, type ServeServer, startServe } from '../../src/node/serve.ts';

const DIR = join(import.meta.dirname, '../../fixtures/clients/sslv2');
const SSLV2 = new Uint8Array(readFileSync(join(DIR, 'testssl-sslv2.bin')));
const FACTS = JSON.parse(readFileSync(join(DIR, 'testssl-sslv2.json'), 'utf8')).tshark as {
  version: number;
  cipherSpecs: number[];
};

/** A loopback listener that runs readClientHello on every connection and keeps the outcome. */
async function peekServer() {
  const results: Promise<unknown>[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    results.push(readClientHello(socket, { timeoutMs: 5000 }).catch((e) => e));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    results,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Connects to 127.0.0.1:port and writes each chunk in turn; resolves when the peer closes. */
function send(port: number, chunks: Uint8Array[], end = false): Promise<void> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.setNoDelay(true);
      for (const c of chunks) s.write(c);
      if (end) s.end();
    });
    s.on('error', () => {});
    s.on('close', () => resolve());
    s.resume();
  });
}

describe('readClientHello on an SSLv2-compatible CLIENT-HELLO', () => {
  let server: Awaited<ReturnType<typeof peekServer>>;
  beforeAll(async () => {
    server = await peekServer();
  });
  afterAll(() => server.close());

  test('is still not-tls, now with the hello decoded in sslv2Hello', async () => {
    const before = server.results.length;
    const closed = send(server.port, [SSLV2]);
    await closed;
    const err = (await server.results[before]) as ReadClientHelloError;
    expect(err.code).toBe('not-tls');
    expect(err.message).toMatch(/SSLv2-compatible ClientHello: SSL 2\.0 \(0x0002\), 13 cipher specs/);
    expect(err.sslv2Hello?.version).toBe(FACTS.version);
    expect(err.sslv2Hello?.cipherSpecs).toEqual(FACTS.cipherSpecs);
    expect(toHex(err.bytes)).toBe(toHex(SSLV2));
  });

  test('reads a hello whose record arrives in pieces', async () => {
    const before = server.results.length;
    await send(server.port, [SSLV2.subarray(0, 4), SSLV2.subarray(4, 30), SSLV2.subarray(30)]);
    const err = (await server.results[before]) as ReadClientHelloError;
    expect(err.code).toBe('not-tls');
    expect(err.sslv2Hello?.cipherSpecs).toEqual(FACTS.cipherSpecs);
  });

  test('a client that hangs up inside the SSLv2 record is still not-tls, without a hello', async () => {
    const before = server.results.length;
    await send(server.port, [SSLV2.subarray(0, 20)], true);
    const err = (await server.results[before]) as ReadClientHelloError;
    expect(err.code).toBe('not-tls');
    expect(err.message).toMatch(/start of an SSLv2-compatible ClientHello \(20 of 66 bytes\), then closed/);
    expect(err.sslv2Hello).toBeUndefined();
  });

  test('an SSLv2 hello that does not decode is not-tls without sslv2Hello', async () => {
    const before = server.results.length;
    const bad = SSLV2.slice();
    bad[6] = 0x28; // cipher_spec_length 40: not a multiple of 3
    await send(server.port, [bad]);
    const err = (await server.results[before]) as ReadClientHelloError;
    expect(err.code).toBe('not-tls');
    expect(err.message).toMatch(/does not decode: sslv2_client_hello\.cipher_spec_length/);
    expect(err.sslv2Hello).toBeUndefined();
  });
});

describe('hellokit serve and an SSLv2-compatible CLIENT-HELLO', () => {
  let serve: ServeServer;
  const events: { line: string; event: ServeEvent }[] = [];
  beforeAll(async () => {
    serve = await startServe({
      timeoutMs: 5000,
      onConnection: (line, event) => events.push({ line, event }),
    });
  });
  afterAll(() => serve.close());

  test('reports the decoded hello: errorCode not-tls, the summary in sslv2Hello, one line', async () => {
    await send(serve.port, [SSLV2]);
    expect(events).toHaveLength(1);
    const { line, event } = events[0];
    expect(event.errorCode).toBe('not-tls');
    expect(event.sslv2Hello).toMatchObject({
      type: 'sslv2_client_hello',
      version: FACTS.version,
      cipherSpecs: FACTS.cipherSpecs,
      ja4: null,
    });
    expect(line).toMatch(
      /^127\.0\.0\.1:\d+ the client did not speak TLS: it sent an SSLv2-compatible ClientHello/,
    );
    expect(line).not.toContain('\n');
  });
});
