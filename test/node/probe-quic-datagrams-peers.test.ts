/**
 * probeQuicDatagrams(), the platform-neutral QUIC probe, against Caddy's HTTP/3 on loopback
 * over a UDP socket the test opens itself (not hellokit/node's adapter): the same result as
 * probeQuic(). Then Caddy's datagrams, recorded, are replayed to a second probe over an
 * in-memory pair: the same hello and connection IDs give the same handshake read to the
 * verified Finished, and the same datagrams sent, byte for byte.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { fromHex, toHex } from '../../src/bytes/hex.ts';
import { summarizeCertificates } from '../../src/node/certificates.ts';
import { probeQuic } from '../../src/node/probe-quic.ts';
import { probeQuicDatagrams } from '../../src/probe/quic/datagrams.ts';
import { quicHelloOptions } from '../../src/probe/quic/hello.ts';
import type { ProbeDuplex } from '../../src/probe/stream.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';

const NAME = 'hellokit.test';
const bounds = { timeoutMs: 5000, idleTimeoutMs: 3000 } as const;
const sourceConnectionId = fromHex('5c1d000000000001');
const destinationConnectionId = fromHex('dc1d0000000000000001');

/** A UDP socket connected to 127.0.0.1:`port` as a datagram pair, recording what each side sent. */
async function udpPair(
  port: number,
): Promise<{ transport: ProbeDuplex; received: Uint8Array[]; sent: Uint8Array[]; socket: Socket }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
  const received: Uint8Array[] = [];
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      socket.on('message', (m: Buffer) => {
        received.push(new Uint8Array(m));
        controller.enqueue(new Uint8Array(m));
      });
    },
    cancel: () => {
      socket.removeAllListeners('message');
    },
  });
  const sent: Uint8Array[] = [];
  const writable = (d: Uint8Array) => {
    sent.push(d);
    return new Promise<void>((resolve) => socket.send(d, () => resolve()));
  };
  return { transport: { readable, writable }, received, sent, socket };
}

/** A pair that answers the probe's first datagram with every datagram of `server`, and records what it wrote. */
function replayPair(server: readonly Uint8Array[]): { transport: ProbeDuplex; written: Uint8Array[] } {
  const written: Uint8Array[] = [];
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const readable = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
  });
  const writable = (d: Uint8Array) => {
    written.push(d);
    if (written.length === 1) for (const s of server) controller.enqueue(s);
  };
  return { transport: { readable, writable }, written };
}

describePeer('caddy', () => {
  let caddy: Peer;
  beforeAll(async () => {
    caddy = await startPeer('caddy', { names: [NAME], http3: true });
  });
  afterAll(stopAll);

  test('over a UDP socket of its own, probeQuicDatagrams reads what probeQuic reads; replayed in memory, the same again', async () => {
    // One built hello for both runs: its key share decrypts the replayed flight too.
    const hello = clientHello(quicHelloOptions({ serverName: NAME }, sourceConnectionId));
    const options = { ...bounds, hello, sourceConnectionId, destinationConnectionId };

    const udp = await udpPair(caddy.port);
    const live = await probeQuicDatagrams(udp.transport, {
      ...options,
      target: { host: '127.0.0.1', port: caddy.port },
      summarizeCertificates,
    });
    udp.socket.close();
    const viaNode = await probeQuic(`127.0.0.1:${caddy.port}`, { ...bounds, serverName: NAME });
    expect(live.outcome).toBe('server_hello');
    expect(live.stopReason).toBe('complete');
    expect(live.finishedVerified).toBe(true);
    expect(live.serverHello!.alpn).toBe('h3');
    expect(live.certificates[0]).toMatchObject({ subject: `CN=${NAME}`, subjectAltNames: [`DNS:${NAME}`] });
    expect(live.certificates.map((c) => c.sha256)).toEqual(viaNode.certificates.map((c) => c.sha256));
    expect(live.serverMessages).toEqual(viaNode.serverMessages);
    expect(live.conclusion).toBe(viaNode.conclusion);

    const replay = replayPair(udp.received);
    const again = await probeQuicDatagrams(replay.transport, options);
    expect(again.stopReason).toBe('complete');
    expect(again.finishedVerified).toBe(true);
    expect(again.serverHello).toEqual(live.serverHello);
    expect(again.encryptedExtensions).toEqual(live.encryptedExtensions);
    expect(again.serverMessages).toEqual(live.serverMessages);
    // No summariser: the DER chain, which hellokit/node's summariser turns into the live summaries.
    expect(await summarizeCertificates(again.certificates)).toEqual(live.certificates);
    expect(toHex(again.connectionIds.server!)).toBe(toHex(live.connectionIds.server!));
    // The replay sends what the live probe sent (Initial, ACKs, the closing CONNECTION_CLOSE).
    expect(replay.written.map((d) => toHex(d))).toEqual(udp.sent.map((d) => toHex(d)));
    expect(again.transcript.map((d) => [d.direction, d.size])).toEqual(
      live.transcript.map((d) => [d.direction, d.size]),
    );
  });
});
