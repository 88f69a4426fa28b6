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
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { systemRandom } from '../crypto/random.ts';
import { QUIC_VERSION } from '../quic/version.ts';
import { parseProbeTarget, positiveOption } from './probe.ts';
import { connectionId, quicProbeResult, quicProbeSession } from './probe-quic-result.ts';
import type { QuicProbeSession } from './probe-quic-session.ts';
import type { QuicProbeOptions, QuicProbeResult, QuicStopReason } from './probe-quic-types.ts';
import type { ProbeTarget } from './probe-types.ts';

export { quicHelloOptions } from './probe-quic-result.ts';

/** Default whole-probe timeout, ms. */
export const DEFAULT_QUIC_TIMEOUT_MS = 10_000;
/** Default idle timeout, ms. */
export const DEFAULT_QUIC_IDLE_TIMEOUT_MS = 5_000;
/** Default wait before the first resend, ms. */
export const DEFAULT_QUIC_RESEND_AFTER_MS = 1_000;
/** Default number of resends. */
export const DEFAULT_QUIC_MAX_RESENDS = 2;
/** Default read cap, bytes. */
export const DEFAULT_QUIC_MAX_BYTES: number = 256 * 1024;
/** Default read cap, datagrams. */
export const DEFAULT_QUIC_MAX_DATAGRAMS = 64;

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
  const timeoutMs = positiveOption('timeoutMs', options.timeoutMs, DEFAULT_QUIC_TIMEOUT_MS);
  const idleTimeoutMs = Math.min(
    timeoutMs,
    positiveOption('idleTimeoutMs', options.idleTimeoutMs, DEFAULT_QUIC_IDLE_TIMEOUT_MS),
  );
  const resendAfterMs = positiveOption('resendAfterMs', options.resendAfterMs, DEFAULT_QUIC_RESEND_AFTER_MS);
  const maxResends = options.maxResends ?? DEFAULT_QUIC_MAX_RESENDS;
  if (!Number.isInteger(maxResends) || maxResends < 0 || maxResends > 5)
    throw new RangeError(`"maxResends" expected 0..5, got ${maxResends}`);
  const maxBytes = positiveOption('maxBytes', options.maxBytes, DEFAULT_QUIC_MAX_BYTES);
  const maxDatagrams = positiveOption('maxDatagrams', options.maxDatagrams, DEFAULT_QUIC_MAX_DATAGRAMS);
  const version = options.version ?? QUIC_VERSION.v1;
  if (!Number.isInteger(version) || version <= 0 || version > 0xffffffff)
    throw new RangeError(`"version" expected a QUIC version 1..0xffffffff, got ${version}`);
  const random = options.random ?? systemRandom;
  const sourceConnectionId = connectionId('sourceConnectionId', options.sourceConnectionId, random, 0);
  const destinationConnectionId = connectionId(
    'destinationConnectionId',
    options.destinationConnectionId,
    random,
    8,
  );
  const session = quicProbeSession(options, version, destinationConnectionId, sourceConnectionId);

  const started = performance.now();
  const now = () => Math.round((performance.now() - started) * 1000) / 1000;
  let firstByteMs: number | null = null;

  await new Promise<void>((resolve) => {
    const socket: Socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    let settled = false;
    let idleTimer: NodeJS.Timeout | undefined;
    let resendTimer: NodeJS.Timeout | undefined;
    let resends = 0;
    const send = (datagrams: readonly Uint8Array[]) => {
      for (const d of datagrams) socket.send(d);
    };
    const finish = (why: QuicStopReason, error?: string) => {
      if (settled) return;
      settled = true;
      session.stop(why, error);
      clearTimeout(totalTimer);
      if (idleTimer) clearTimeout(idleTimer);
      if (resendTimer) clearTimeout(resendTimer);
      socket.removeAllListeners('message');
      const close = why === 'connect_failed' || why === 'socket_error' ? [] : session.closeDatagram(now());
      if (close.length === 0) {
        socket.close();
        resolve();
        return;
      }
      socket.send(close[0], () => {
        socket.close();
        resolve();
      });
    };
    const armIdle = () => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(
        () => finish('idle_timeout', `no datagram for ${idleTimeoutMs} ms`),
        idleTimeoutMs,
      );
    };
    const armResend = () => {
      if (resends >= maxResends) return;
      resendTimer = setTimeout(
        () => {
          if (settled || session.answered) return;
          resends++;
          send(session.resend(now()));
          armIdle();
          armResend();
        },
        resendAfterMs * 2 ** resends,
      );
    };
    const totalTimer = setTimeout(
      () => finish('timeout', `no complete answer within ${timeoutMs} ms`),
      timeoutMs,
    );
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A connected UDP socket reports ICMP port unreachable as ECONNREFUSED.
      const text = `${e.code ?? ''} ${e.message}`.trim();
      finish(session.answered || e.code !== 'ECONNREFUSED' ? 'socket_error' : 'connect_failed', text);
    });
    socket.on('message', (message: Buffer) => {
      if (settled) return;
      // The cap holds to the byte: a datagram that would cross it is not read at all.
      if (session.bytesReceived + message.byteLength > maxBytes) {
        finish(
          'max_bytes',
          `stopped reading at ${session.bytesReceived} bytes: the next datagram (${message.byteLength} bytes) would pass the ${maxBytes}-byte cap`,
        );
        return;
      }
      if (firstByteMs === null) firstByteMs = now();
      armIdle();
      const datagram = new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
      let step: ReturnType<QuicProbeSession['receive']>;
      try {
        step = session.receive(datagram.slice(), now());
      } catch (e) {
        // Every server behaviour is a result, never an exception out of the socket handler.
        finish('protocol_error', (e as Error).message);
        return;
      }
      send(step.send);
      if (step.done) {
        finish(session.stopReason ?? 'protocol_error');
        return;
      }
      if (session.bytesReceived >= maxBytes)
        finish('max_bytes', `stopped reading after ${session.bytesReceived} bytes`);
      else if (session.datagramsReceived >= maxDatagrams)
        finish('max_datagrams', `stopped reading after ${session.datagramsReceived} datagrams`);
    });
    const open = () =>
      socket.connect(port, host, () => {
        if (settled) return;
        try {
          send(session.start(now()));
        } catch (e) {
          finish('connect_failed', (e as Error).message);
          return;
        }
        armIdle();
        armResend();
      });
    if (options.localAddress) socket.bind({ address: options.localAddress, port: 0 }, open);
    else open();
  });

  return quicProbeResult(session, { host, port }, firstByteMs, now());
}
