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
import { type ClientHelloOptions, clientHello } from '../builder/client-hello.ts';
import { QUIC_VERSION } from '../capture/quic-initial.ts';
import { type RandomSource, systemRandom } from '../crypto/random.ts';
import { summarizeCertificates } from './certificates.ts';
import { isBuiltHello, parseProbeTarget, positiveOption } from './probe.ts';
import { clipConclusion, conclude, summarize } from './probe-conclusion.ts';
import { clientTransportParameters, quicVersionName } from './probe-quic-packets.ts';
import { QuicProbeSession } from './probe-quic-session.ts';
import type {
  QuicProbeOptions,
  QuicProbeOutcome,
  QuicProbeResult,
  QuicStopReason,
} from './probe-quic-types.ts';
import type { HelloWithKeyShares, ProbeResult, ProbeTarget } from './probe-types.ts';

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

const QUIC_EXTENSION = 57;
const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

function mentionsTransportParameters(o: ClientHelloOptions): boolean {
  const named = (t: string | number) => t === QUIC_EXTENSION || t === 'quic_transport_parameters';
  return (
    (o.addExtensions ?? []).some((e) => named(e.type)) ||
    (o.replaceExtensions ?? []).some((e) => named(e.type)) ||
    Object.keys(o.extensionBodies ?? {}).some((k) => named(k) || Number(k) === QUIC_EXTENSION)
  );
}

/**
 * The ClientHello options of a QUIC probe: the caller's, over QUIC defaults (TLS 1.3 only and
 * its suites unless a preset or the caller says otherwise, ALPN h3, an empty legacy_session_id),
 * plus quic_transport_parameters naming `sourceConnectionId` unless the caller gave that extension.
 * @example clientHello(quicHelloOptions({ serverName: 'example.test' }, scid))
 */
export function quicHelloOptions(
  options: ClientHelloOptions,
  sourceConnectionId: Uint8Array,
): ClientHelloOptions {
  // An option given as undefined leaves the QUIC default in place.
  const given = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as ClientHelloOptions;
  const plain = given.preset === undefined;
  return {
    ...(plain && given.tls === undefined && given.versions === undefined ? { tls: '1.3' as const } : {}),
    ...(plain && given.cipherSuites === undefined && given.rawCipherSuites === undefined
      ? { cipherSuites: TLS13_SUITES }
      : {}),
    alpn: ['h3'],
    sessionId: 0,
    ...given,
    ...(mentionsTransportParameters(given)
      ? {}
      : {
          addExtensions: [
            ...(given.addExtensions ?? []),
            { type: QUIC_EXTENSION, body: clientTransportParameters(sourceConnectionId) },
          ],
        }),
  };
}

function helloToSend(options: QuicProbeOptions, sourceConnectionId: Uint8Array): HelloWithKeyShares {
  const given = options.hello;
  if (given && isBuiltHello(given)) return given;
  return clientHello(
    quicHelloOptions(
      { ...(given ?? {}), ...(options.serverName !== undefined ? { serverName: options.serverName } : {}) },
      sourceConnectionId,
    ),
  );
}

function connectionId(
  name: string,
  given: Uint8Array | undefined,
  random: RandomSource,
  min: number,
): Uint8Array {
  if (given === undefined) return random(8);
  if (!(given instanceof Uint8Array) || given.length < min || given.length > 20)
    throw new RangeError(
      `"${name}" expected ${min}..20 bytes, got ${given instanceof Uint8Array ? given.length : typeof given}`,
    );
  return given;
}

function outcomeOf(session: QuicProbeSession, reason: QuicStopReason): QuicProbeOutcome {
  const engine = session.engine;
  if (reason === 'connect_failed') return 'connect_failed';
  if (engine.serverHello) return 'server_hello';
  if (reason === 'alert') return 'alert';
  if (reason === 'version_negotiation') return 'version_negotiation';
  if (
    engine.helloRetryRequest &&
    (!engine.retried || reason === 'hello_retry_request' || reason === 'violation')
  )
    return 'hello_retry_request';
  if (reason === 'connection_close') return 'closed';
  if (session.datagramsReceived > 0 && !session.answered) return 'not_quic';
  if (reason === 'protocol_error') return 'not_quic';
  return 'timeout';
}

/** One sentence about a QUIC probe, worded like probe()'s where the outcome is the same. */
function quicConclusion(r: Omit<QuicProbeResult, 'conclusion'>): string {
  const at = `${r.target.host}:${r.target.port}`;
  switch (r.outcome) {
    case 'connect_failed':
      return `could not send to ${at} over UDP: ${r.error ?? 'unknown error'}`;
    case 'version_negotiation':
      return `the server does not speak ${quicVersionName(r.quicVersion)}; it offers ${summarize(r.versionNegotiation?.versionNames ?? []) || 'no version'}`;
    case 'not_quic':
      return r.datagramsReceived > 0
        ? `the server answered ${r.datagramsReceived} datagram(s) (${r.bytesReceived} bytes) that are not QUIC packets for this connection${r.error ? `: ${r.error}` : ''}`
        : `the server broke the QUIC protocol: ${r.error ?? 'unknown'}`;
    case 'timeout': {
      // Say what did arrive before the silence: "nothing listens" only when nothing came.
      const vn = r.ignoredVersionNegotiation;
      if (vn)
        return `the server sent a Version Negotiation that lists the version we sent (${quicVersionName(r.quicVersion)}) among ${summarize(vn.versionNames)}; RFC 9000 §6.2 says to discard it, and nothing else came (${r.datagramsSent} datagram(s) sent)`;
      if (r.retry)
        return `the server sent a Retry (token of ${r.retry.token.length} bytes); the probe sent its Initial again with the token and no answer followed (${r.datagramsSent} datagram(s) sent)`;
      if (r.datagramsReceived > 0)
        return `the server sent ${r.datagramsReceived} datagram(s) (${r.bytesReceived} bytes) and then went silent before its handshake was complete`;
      return r.stopReason === 'idle_timeout'
        ? `no QUIC answer from ${at} (${r.datagramsSent} Initial datagram(s) sent; nothing listens on this UDP port, or the server drops the hello)`
        : `no complete answer before the timeout (${r.datagramsSent} datagram(s) sent)`;
    }
    case 'closed':
      return `the server closed the connection without a TLS alert: ${r.error ?? 'CONNECTION_CLOSE'}`;
    default: {
      // server_hello, hello_retry_request and alert read as they do over TCP.
      const tcpView = {
        target: r.target,
        outcome: r.outcome,
        stopReason:
          r.stopReason === 'complete' || r.stopReason === 'violation'
            ? r.stopReason
            : r.outcome === 'alert'
              ? 'alert'
              : r.outcome,
        ...(r.alert ? { alert: r.alert } : {}),
        alerts: r.alert ? [r.alert] : [],
        ...(r.serverHello ? { serverHello: r.serverHello } : {}),
        ...(r.helloRetryRequest ? { helloRetryRequest: r.helloRetryRequest } : {}),
        retried: r.retried,
        certificates: r.certificates,
        certificateRequested: r.certificateRequested,
        finishedVerified: r.finishedVerified,
        serverMessages: r.serverMessages,
        timings: { connectMs: null, firstByteMs: r.timings.firstByteMs, totalMs: r.timings.totalMs },
        transcript: [],
        sent: r.sent,
        bytesReceived: r.bytesReceived,
        violations: r.violations,
        ...(r.abort ? { abort: r.abort } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
      } satisfies Omit<ProbeResult, 'conclusion'>;
      const text = conclude(tcpView);
      return r.outcome === 'server_hello'
        ? text.replace('; not decrypted', '; Handshake packets not decrypted')
        : text;
    }
  }
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
  const hello = helloToSend(options, sourceConnectionId);
  const session = new QuicProbeSession(hello, hello.keyShares ?? [], {
    version,
    destinationConnectionId,
    sourceConnectionId,
    retryOnHelloRetryRequest: options.retryOnHelloRetryRequest ?? true,
    decrypt: options.decrypt ?? true,
    abortOnViolation: options.abortOnViolation ?? true,
    ...(options.keylog ? { keylog: options.keylog } : {}),
    ...(options.random ? { random: options.random } : {}),
  });

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

  const reason = session.stopReason ?? 'timeout';
  const engine = session.engine;
  const totalMs = now();
  const certificates = await summarizeCertificates(await engine.certificates());
  const base: Omit<QuicProbeResult, 'conclusion'> = {
    target: { host, port },
    transport: 'quic',
    outcome: outcomeOf(session, reason),
    stopReason: reason,
    ...(session.alert ? { alert: session.alert } : {}),
    ...(session.connectionClose ? { connectionClose: session.connectionClose } : {}),
    ...(engine.serverHello ? { serverHello: engine.serverHello } : {}),
    ...(engine.helloRetryRequest ? { helloRetryRequest: engine.helloRetryRequest } : {}),
    retried: engine.retried,
    ...(session.versionNegotiation ? { versionNegotiation: session.versionNegotiation } : {}),
    ...(session.ignoredVersionNegotiation
      ? { ignoredVersionNegotiation: session.ignoredVersionNegotiation }
      : {}),
    ...(session.retry ? { retry: session.retry } : {}),
    quicVersion: version,
    connectionIds: {
      originalDestination: destinationConnectionId,
      source: sourceConnectionId,
      ...(session.serverConnectionId ? { server: session.serverConnectionId } : {}),
    },
    certificates,
    ...(engine.encryptedExtensions ? { encryptedExtensions: engine.encryptedExtensions } : {}),
    certificateRequested: engine.certificateRequested,
    finishedVerified: engine.finishedVerified,
    serverMessages: engine.serverMessages,
    timings: { firstByteMs, totalMs },
    transcript: session.transcript,
    ...(session.error !== undefined ? { error: session.error } : {}),
    sent: engine.sent,
    bytesReceived: session.bytesReceived,
    datagramsReceived: session.datagramsReceived,
    datagramsSent: session.datagramsSent,
    violations: engine.violations,
    ...(engine.abortedOn ? { abort: engine.abortedOn } : {}),
  };
  return { ...base, conclusion: clipConclusion(quicConclusion(base)) };
}
