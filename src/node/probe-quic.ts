/**
 * `probeQuic()`: send one ClientHello in a QUIC Initial over UDP and report what the server
 * answered — ServerHello, HelloRetryRequest, a TLS alert in a CONNECTION_CLOSE, Version
 * Negotiation, Retry or silence — bounded by a total timeout, an idle timeout, a byte cap and
 * a datagram cap, with at most a few resends of the first Initial while the server is silent.
 *
 * The server's Initial packets give the ServerHello; its Handshake packets are decrypted with
 * the TLS 1.3 handshake secret to read EncryptedExtensions (the ALPN chosen), the certificates
 * and the Finished. 1-RTT packets are listed in the transcript, not decrypted. The probe never
 * sends its own Handshake flight: it closes the connection with an Initial CONNECTION_CLOSE.
 *
 * Everything but the socket is the platform-neutral QUIC probe (src/probe/quic/, the one
 * `probeQuicDatagrams()` runs); this file is the UDP socket and Node's defaults (its
 * certificate decompressors and `X509Certificate` summaries).
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { quicProbeSetup, runQuicProbe } from '../probe/quic/datagrams.ts';
import type { ProbeDuplex } from '../probe/stream.ts';
import { summarizeCertificates } from './certificates.ts';
import { nodeCertificateDecompressors } from './decompress.ts';
import type { QuicProbeOptions, QuicProbeResult } from './probe-quic-types.ts';
import type { ProbeTarget } from './probe-types.ts';
import { parseProbeTarget } from './target.ts';

export { quicHelloOptions } from '../probe/quic/hello.ts';

/**
 * A UDP socket connected to `host:port` as a datagram transport: each message one chunk of the
 * readable, each write one datagram, sent once the socket is connected. A socket that cannot
 * be bound or connected (no such name, a local address it cannot take) fails the writes; a
 * connected socket's errors (ICMP port unreachable as ECONNREFUSED) error the readable.
 * Cancelling the readable closes the socket once the datagrams written before it (the closing
 * CONNECTION_CLOSE) have gone out.
 */
function udpTransport(host: string, port: number, localAddress?: string): ProbeDuplex & { close(): void } {
  const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  let isConnected = false;
  let closed = false;
  let sending: Promise<unknown> = Promise.resolve();
  let notConnected: (e: Error) => void = () => {};
  const close = () => {
    if (closed) return;
    closed = true;
    socket.removeAllListeners('message');
    if (isConnected) void sending.finally(() => socket.close());
    else socket.close();
  };
  const connected = new Promise<void>((resolve, reject) => {
    notConnected = reject;
    const open = () =>
      socket.connect(port, host, (e?: Error) => {
        if (e) return reject(e);
        isConnected = true;
        resolve();
      });
    if (localAddress) socket.bind({ address: localAddress, port: 0 }, open);
    else open();
  });
  connected.catch(() => {});
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      socket.on('message', (message: Buffer) => {
        try {
          controller.enqueue(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
        } catch {
          // The stream has errored or been cancelled: the probe reads no more.
        }
      });
      socket.on('error', (e) => (isConnected ? controller.error(e) : notConnected(e)));
    },
    cancel: close,
  });
  const writable = (datagram: Uint8Array): Promise<void> => {
    const sent = connected.then(
      () => new Promise<void>((resolve, reject) => socket.send(datagram, (e) => (e ? reject(e) : resolve()))),
    );
    sending = Promise.allSettled([sending, sent]);
    return sent;
  };
  return { readable, writable, close };
}

/**
 * Sends one ClientHello in a QUIC Initial to `target` (UDP, default port 443) and reports
 * what came back.
 * @example
 * const r = await probeQuic('127.0.0.1:8443', { serverName: 'hellokit.test' });
 * r.outcome // 'server_hello'
 * r.serverHello?.cipherSuiteName // 'TLS_AES_128_GCM_SHA256'
 * @example
 * const r = await probeQuic('127.0.0.1:8443'); // no SNI
 * r.alert?.name // 'internal_error' from Caddy
 * @throws {TypeError|RangeError} for a malformed target or option; every server behaviour is a result
 */
export async function probeQuic(
  target: ProbeTarget,
  options: QuicProbeOptions = {},
): Promise<QuicProbeResult> {
  const { host, port } = parseProbeTarget(target);
  // Every option is checked before a socket is opened.
  const setup = quicProbeSetup({ ...options, decompressors: nodeCertificateDecompressors });
  const udp = udpTransport(host, port, options.localAddress);
  try {
    return await runQuicProbe(setup, udp, { host, port }, summarizeCertificates);
  } finally {
    udp.close();
  }
}
