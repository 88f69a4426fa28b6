/**
 * probeStream() over an in-memory pipe whose other end is Node's own TLS server (OpenSSL,
 * in-process, a real handshake and a real certificate), compared with probe() against the same
 * server listening on loopback: the same engine must read the same answer either way.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { createServer, type SecureContextOptions, type Server, type TlsOptions } from 'node:tls';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { summarizeCertificates } from '../../src/node/certificates.ts';
import { nodeCertificateDecompressors } from '../../src/node/decompress.ts';
import { probe } from '../../src/node/probe.ts';
import { selfSignedCertificate } from '../../src/node/self-signed.ts';
import { decompressCertificate, webCertificateDecompressors } from '../../src/probe/decompress.ts';
import { ProbeEngine, probeStream } from '../../src/probe/index.ts';
import type { ProbeResult } from '../../src/probe/types.ts';
import { TLS13_CERTIFICATE_PATH } from './state-paths.ts';

const NAME = 'stream.hellokit.test';
let tls: SecureContextOptions;
let server: Server;
let port: number;

/** Two Duplex ends joined in memory: what one writes, the other reads; end() on one ends the other. */
function pipePair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  for (const i of [0, 1]) {
    ends.push(
      new Duplex({
        read() {},
        write(chunk, _encoding, done) {
          ends[1 - i].push(chunk);
          done();
        },
        final(done) {
          ends[1 - i].push(null);
          done();
        },
      }),
    );
  }
  return [ends[0], ends[1]];
}

/**
 * The TLS server on the far end of an in-memory pipe: the same tls.Server that listens on
 * loopback for probe() (or one for TLS 1.2 only) is handed the pipe's other end as a connection.
 */
function tlsOverPipe(on: Server = server): Duplex {
  const [client, serverEnd] = pipePair();
  on.emit('connection', serverEnd);
  return client;
}

/** A Node TLS server (not listening) with the test certificate and `options`. */
function tlsServer(options: TlsOptions = {}): Server {
  const s = createServer({ ...tls, ...options }, (socket) => socket.on('error', () => {}));
  // The probe stops after the server's flight without a Finished of its own: the server errors.
  s.on('tlsClientError', () => {});
  return s;
}

beforeAll(async () => {
  const { cert, key } = await selfSignedCertificate([NAME]);
  tls = { cert, key };
  server = tlsServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(() => server?.close());

/** What both drivers must agree on. */
function essentials(r: ProbeResult<unknown>) {
  return {
    outcome: r.outcome,
    stopReason: r.stopReason,
    version: r.serverHello?.versionName,
    suite: r.serverHello?.cipherSuiteName,
    group: r.serverHello?.groupName,
    certificates: r.certificates.length,
    finishedVerified: r.finishedVerified,
    serverMessages: r.serverMessages,
  };
}

describe('probeStream over an in-memory pipe to a Node TLS server', () => {
  it('reads the same TLS 1.3 answer as probe() over TCP, with web streams', async () => {
    const overTcp = await probe(`127.0.0.1:${port}`, { serverName: NAME });
    const web = Duplex.toWeb(tlsOverPipe());
    const overStream = await probeStream(
      { readable: web.readable as ReadableStream<Uint8Array>, writable: web.writable },
      { serverName: NAME, summarizeCertificates },
    );
    expect(overTcp.outcome).toBe('server_hello');
    expect(overTcp.finishedVerified).toBe(true);
    expect(essentials(overStream)).toEqual(essentials(overTcp));
    expect(overStream.certificates).toEqual(overTcp.certificates);
    expect(overStream.certificates[0].subjectAltNames).toEqual([`DNS:${NAME}`]);
    expect(overStream.conclusion).toBe(overTcp.conclusion);
    expect(overStream.timings.connectMs).toBe(0);
    expect(overStream.target).toEqual({ host: '', port: 0 });
  });

  it('reads a TLS 1.2 flight from an async iterable and a write function, certificates as raw DER', async () => {
    const end = tlsOverPipe(tlsServer({ maxVersion: 'TLSv1.2' }));
    const r = await probeStream(
      { readable: end, writable: (bytes) => void end.write(bytes) },
      { serverName: NAME, target: { host: NAME, port: 1 } },
    );
    expect(r.outcome).toBe('server_hello');
    expect(r.stopReason).toBe('complete');
    expect(r.serverHello?.versionName).toBe('TLS 1.2');
    expect(r.serverMessages.at(-1)).toBe('server_hello_done');
    expect(r.certificates).toHaveLength(1);
    expect(r.certificates[0]).toBeInstanceOf(Uint8Array);
    const [summary] = await summarizeCertificates(r.certificates);
    expect(summary.subjectAltNames).toEqual([`DNS:${NAME}`]);
    expect(r.target).toEqual({ host: NAME, port: 1 });
  });

  it('one byte per chunk reads the same answer as whole chunks', async () => {
    const web = Duplex.toWeb(tlsOverPipe());
    const byteByByte = (web.readable as ReadableStream<Uint8Array>).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          for (const b of chunk) out.enqueue(Uint8Array.of(b));
        },
      }),
    );
    const r = await probeStream({ readable: byteByByte, writable: web.writable }, { serverName: NAME });
    const whole = Duplex.toWeb(tlsOverPipe());
    const w = await probeStream(
      { readable: whole.readable as ReadableStream<Uint8Array>, writable: whole.writable },
      { serverName: NAME },
    );
    expect(r.finishedVerified).toBe(true);
    expect(essentials(r)).toEqual(essentials(w));
  });

  it('ProbeEngine driven by hand over the pipe, as docs/probe.md shows, walks the TLS 1.3 states to a verified Finished', async () => {
    const hello = clientHello({ serverName: NAME });
    const engine = new ProbeEngine(hello, hello.keyShares);
    const end = tlsOverPipe();
    const states: string[] = [engine.stateName];
    const messages: string[] = [];
    end.write(engine.helloBytes);
    for await (const chunk of end as AsyncIterable<Uint8Array>) {
      const step = engine.receive(chunk, 0);
      for (const bytes of step.send) end.write(bytes);
      for (const e of step.events) {
        if (e.kind === 'state') states.push(e.state);
        if (e.kind === 'message') messages.push(`${e.name}${e.encrypted ? ' (encrypted)' : ''}`);
      }
      if (step.done) break;
    }
    end.end();
    expect(engine.stopReason).toBe('complete');
    expect(engine.finishedVerified).toBe(true);
    expect(engine.serverHello?.versionName).toBe('TLS 1.3');
    expect(states).toEqual(TLS13_CERTIFICATE_PATH);
    expect(messages).toEqual([
      'server_hello',
      'encrypted_extensions (encrypted)',
      'certificate (encrypted)',
      'certificate_verify (encrypted)',
      'finished (encrypted)',
    ]);
    const [leaf] = await summarizeCertificates(await engine.certificates());
    expect(leaf.subjectAltNames).toEqual([`DNS:${NAME}`]);
  });

  it('a stream that ends without a byte is closed; one that stays silent times out within the bound', async () => {
    const closed = await probeStream({
      readable: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
      writable: () => {},
    });
    expect(closed.outcome).toBe('closed');
    const started = Date.now();
    const silent = await probeStream(
      { readable: new ReadableStream<Uint8Array>(), writable: () => {} },
      { idleTimeoutMs: 200 },
    );
    expect(silent.stopReason).toBe('idle_timeout');
    expect(silent.outcome).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a failing write is a socket error, not a throw', async () => {
    const r = await probeStream({
      readable: new ReadableStream<Uint8Array>(),
      writable: () => {
        throw new Error('the channel is closed');
      },
    });
    expect(r.stopReason).toBe('socket_error');
    expect(r.error).toBe('the channel is closed');
  });

  it('names a bad duplex', async () => {
    await expect(probeStream({ readable: 5 as never, writable: () => {} })).rejects.toThrow(
      /"readable" expected/,
    );
  });
});

describe('certificate decompression without node:zlib', () => {
  const certificateMessage = Uint8Array.from({ length: 900 }, (_, i) => (i * 7) % 256);
  const compressed = {
    algorithm: 1,
    uncompressedLength: certificateMessage.length,
    data: new Uint8Array(deflateSync(certificateMessage)),
  };

  it('DecompressionStream inflates what zlib compressed, as Node zlib does', async () => {
    const web = await decompressCertificate(compressed, webCertificateDecompressors());
    const node = await decompressCertificate(compressed, nodeCertificateDecompressors);
    expect(web).toBeInstanceOf(Uint8Array);
    expect(web).toEqual(node);
    expect((web as Uint8Array).subarray(4)).toEqual(certificateMessage);
  });

  it('brotli without a decompressor is reported as unavailable; a wrong length is named', async () => {
    expect(
      await decompressCertificate({ ...compressed, algorithm: 2 }, webCertificateDecompressors()),
    ).toMatch(/brotli.*decompression unavailable/);
    expect(
      await decompressCertificate({ ...compressed, uncompressedLength: 5 }, webCertificateDecompressors()),
    ).toMatch(/decompressed to 900 bytes, not the 5 announced/);
  });
});
