import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/bytes/errors.ts';
import { captureHandshakes } from '../../src/capture/handshakes.ts';
import { CaptureScanner } from '../../src/capture/scanner.ts';
import { WarningLog } from '../../src/capture/warnings.ts';
import { ja4 } from '../../src/fingerprint/ja4.ts';
import { parseClientHello } from '../../src/handshake/client-hello.ts';
import { ethernet, FLAGS, ipv4, tcp, writePcap } from './helpers/capture-writer.ts';

const PCAP = join(process.cwd(), '..', 'shared', 'conformance', 'ja4', 'pcap');
const fixture = (path: string) => new Uint8Array(readFileSync(join(process.cwd(), 'fixtures', path)));
const CLIENT_HELLO = fixture('clients/curl-sni.bin');
const SERVER_HELLO = fixture('servers/caddy-tls13.bin');

/** Cuts `bytes` into chunks of pseudo-random sizes from 1 to `max` bytes. */
function chunked(bytes: Uint8Array, max: number, seed = 7): Uint8Array[] {
  const out: Uint8Array[] = [];
  let x = seed;
  for (let at = 0; at < bytes.length; ) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (x % max);
    out.push(bytes.slice(at, at + n));
    at += n;
  }
  return out;
}

function webStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> & { cancelled: boolean } {
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
    cancel() {
      tagged.cancelled = true;
    },
  });
  const tagged = Object.assign(stream, { cancelled: false });
  return tagged;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const summary = (h: { transport: string; stream: number; helloIndex: number; serverHello: unknown }) =>
  `${h.transport} ${h.stream}/${h.helloIndex} ${ja4((h as never as { clientHello: never }).clientHello)} ${(h.serverHello as { cipherSuite?: number } | null)?.cipherSuite ?? '-'}`;

/** One TCP connection from 10.0.0.N: SYN, SYN-ACK, the ClientHello, and (when `answer`) the ServerHello. */
function connection(n: number, time: number, answer: boolean) {
  const c = `10.0.0.${n}`;
  const s = '192.0.2.1';
  const port = 40000 + n;
  const frames = [
    ipv4(c, s, 6, tcp(port, 443, 1000, FLAGS.syn)),
    ipv4(s, c, 6, tcp(443, port, 5000, FLAGS.syn | FLAGS.ack, undefined, 1001)),
    ipv4(c, s, 6, tcp(port, 443, 1001, FLAGS.ack | FLAGS.psh, CLIENT_HELLO, 5001)),
    ...(answer
      ? [ipv4(s, c, 6, tcp(443, port, 5001, FLAGS.ack | FLAGS.psh, SERVER_HELLO, 1001 + CLIENT_HELLO.length))]
      : []),
  ];
  return frames.map((f, i) => ({ seconds: time, fraction: i, data: ethernet(0x0800, f) }));
}

describe('captureHandshakes over a stream', () => {
  for (const name of [
    'tls-handshake.pcapng',
    'chrome-cloudflare-quic-with-secrets.pcapng',
    'tls-alpn-h2.pcap',
  ]) {
    it(`${name}: chunks of any size give the same handshakes as the whole file`, async () => {
      const bytes = new Uint8Array(readFileSync(join(PCAP, name)));
      const whole = captureHandshakes(bytes).handshakes.map(summary).sort();
      for (const max of [1, 100, 70_000]) {
        const streamed = await collect(captureHandshakes(webStream(chunked(bytes, max))));
        expect(streamed.map(summary).sort()).toEqual(whole);
      }
    });
  }

  it('reads a Node Readable and an async generator alike', async () => {
    const bytes = new Uint8Array(readFileSync(join(PCAP, 'tls-alpn-h2.pcap')));
    const fromNode = await collect(captureHandshakes(Readable.from(chunked(bytes, 500))));
    async function* gen() {
      yield* chunked(bytes, 300);
    }
    const fromGenerator = await collect(captureHandshakes(gen()));
    expect(fromNode.map(summary)).toEqual(fromGenerator.map(summary));
    expect(fromNode).toHaveLength(1);
  });

  it('yields a handshake as soon as the ServerHello is whole, before the capture ends', () => {
    const file = writePcap([...connection(1, 100, true), ...connection(2, 101, false)]);
    const answered = writePcap(connection(1, 100, true));
    const scanner = new CaptureScanner();
    const early = scanner.push(answered);
    expect(early.map((h) => h.client.ip)).toEqual(['10.0.0.1']);
    expect(early[0].serverHello?.cipherSuite).toBe(0x1301);
    const late = [...scanner.push(file.subarray(answered.length)), ...scanner.end()];
    expect(late.map((h) => [h.client.ip, h.serverHello])).toEqual([['10.0.0.2', null]]);
  });

  it('evicts a connection idle longer than the flow timeout and says so, keeping its ClientHello', async () => {
    const file = writePcap([...connection(1, 100, false), ...connection(2, 300, true)]);
    const stream = captureHandshakes([file], { flowTimeoutSeconds: 120 });
    const found = await collect(stream);
    expect(found.map((h) => [h.client.ip, h.serverHello === null])).toEqual([
      ['10.0.0.1', true],
      ['10.0.0.2', false],
    ]);
    expect(stream.stats().evicted).toEqual({ idle: 1, count: 0, memory: 0 });
    expect(stream.warnings()).toEqual([
      expect.stringMatching(/^tcp stream 0 \(10\.0\.0\.1:40001 → 192\.0\.2\.1:443\) evicted \(idle/),
      expect.stringMatching(/^1 connection with a ClientHello evicted .* 1 idle longer than 120 s/),
    ]);
  });

  it('evicts the least recently used connection beyond --max-flows', async () => {
    const file = writePcap([
      ...connection(1, 100, false),
      ...connection(2, 101, false),
      ...connection(3, 102, false),
    ]);
    const stream = captureHandshakes([file], { maxFlows: 2 });
    const found = await collect(stream);
    expect(found.map((h) => h.client.ip)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(stream.stats().evicted).toEqual({ idle: 0, count: 1, memory: 0 });
  });

  it('evicts the least recently used connections when their buffers pass the byte budget', async () => {
    const conns = [1, 2, 3, 4, 5, 6].flatMap((n) => connection(n, 100 + n, false));
    const stream = captureHandshakes([writePcap(conns)], { maxBufferedBytes: 4 * CLIENT_HELLO.length });
    const found = await collect(stream);
    expect(found).toHaveLength(6);
    expect(stream.stats().evicted.memory).toBeGreaterThan(0);
    expect(stream.stats().evicted.memory).toBeLessThan(6);
  });

  it('finds a ClientHello that follows an HTTP CONNECT exchange, sent in later segments', async () => {
    const c = '10.0.0.9';
    const s = '192.0.2.1';
    const connect = new TextEncoder().encode('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n');
    const ok = new TextEncoder().encode('HTTP/1.1 200 Connection established\r\n\r\n');
    const half = 100;
    let seq = 1001;
    const segment = (bytes: Uint8Array) => {
      const frame = ipv4(c, s, 6, tcp(40009, 443, seq, FLAGS.ack | FLAGS.psh, bytes, 5001));
      seq += bytes.length;
      return frame;
    };
    const frames = [
      ipv4(c, s, 6, tcp(40009, 443, 1000, FLAGS.syn)),
      ipv4(s, c, 6, tcp(443, 40009, 5000, FLAGS.syn | FLAGS.ack, undefined, 1001)),
      segment(connect),
      ipv4(s, c, 6, tcp(443, 40009, 5001, FLAGS.ack | FLAGS.psh, ok, seq)),
      // The hello in two segments: the search goes on where the last one stopped.
      segment(CLIENT_HELLO.subarray(0, half)),
      segment(CLIENT_HELLO.subarray(half)),
    ];
    const file = writePcap(frames.map((f, i) => ({ seconds: 100, fraction: i, data: ethernet(0x0800, f) })));
    const found = await collect(captureHandshakes([file]));
    expect(found).toHaveLength(1);
    expect(found[0].clientHelloOffset).toBe(connect.length + 5);
    expect(ja4(found[0].clientHello)).toBe(ja4(parseClientHello(CLIENT_HELLO)));
  });

  it('forgets a finished connection but does not read its later segments as a new one', async () => {
    const later = ipv4(
      '10.0.0.1',
      '192.0.2.1',
      6,
      tcp(40001, 443, 1001 + CLIENT_HELLO.length, FLAGS.ack, CLIENT_HELLO),
    );
    const file = writePcap([
      ...connection(1, 100, true),
      { seconds: 101, fraction: 0, data: ethernet(0x0800, later) },
    ]);
    const found = await collect(captureHandshakes([file]));
    expect(found).toHaveLength(1);
  });

  it('stops reading the source when the loop stops', async () => {
    // Its connections have ServerHellos, so the first handshake comes long before the end.
    const bytes = new Uint8Array(readFileSync(join(PCAP, 'tls-handshake.pcapng')));
    const source = webStream(chunked(bytes, 1000));
    for await (const _ of captureHandshakes(source)) break;
    expect(source.cancelled).toBe(true);
  });

  it('rejects a stream that is not a capture with a DecodeError', async () => {
    await expect(
      collect(captureHandshakes([new TextEncoder().encode('GET / HTTP/1.1\r\n')])),
    ).rejects.toThrow(DecodeError);
    await expect(collect(captureHandshakes([new Uint8Array([0xd4, 0xc3])]))).rejects.toThrow(/too short/);
  });
});

describe('WarningLog', () => {
  it('keeps the first lines of each kind and counts the rest', () => {
    const shown: string[] = [];
    const log = new WarningLog(2, (m) => shown.push(m));
    for (let i = 0; i < 5; i++) log.add('a', `a${i}`);
    log.add('b', () => 'b0');
    expect(shown).toEqual(['a0', 'a1', 'b0']);
    expect(log.counts()).toEqual({ a: 5, b: 1 });
    expect(log.total).toBe(6);
    expect(log.lines()).toEqual(['a0', 'a1', 'b0', '3 more warnings of kind a not shown (5 in all)']);
  });

  it('builds a lazy message only when it is kept', () => {
    const log = new WarningLog(1);
    let built = 0;
    for (let i = 0; i < 100; i++)
      log.add('x', () => {
        built++;
        return 'x';
      });
    expect(built).toBe(1);
  });
});
