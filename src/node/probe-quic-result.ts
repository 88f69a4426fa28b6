/**
 * The parts of `probeQuic()` that are not sockets: the ClientHello a QUIC probe sends, the
 * session that reads the answer (src/quic/ with the probe engine), and the result and its
 * one-sentence conclusion, worded like `probe()`'s.
 */
import { type ClientHelloOptions, clientHello } from '../builder/client-hello.ts';
import type { RandomSource } from '../crypto/random.ts';
import { clientTransportParameters } from '../quic/transport-parameters.ts';
import type { QuicStopReason } from '../quic/types.ts';
import { quicVersionName } from '../quic/version.ts';
import { summarizeCertificates } from './certificates.ts';
import { isBuiltHello } from './probe.ts';
import { clipConclusion, conclude, summarize } from './probe-conclusion.ts';
import { QuicProbeSession } from './probe-quic-session.ts';
import type { QuicProbeOptions, QuicProbeOutcome, QuicProbeResult } from './probe-quic-types.ts';
import type { HelloWithKeyShares, ProbeResult } from './probe-types.ts';

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

/** A connection ID given in the options (checked) or 8 random bytes. */
export function connectionId(
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

/** The session of one QUIC probe: the hello to send (built with QUIC defaults unless given built) and the engine reading the answer. */
export function quicProbeSession(
  options: QuicProbeOptions,
  version: number,
  destinationConnectionId: Uint8Array,
  sourceConnectionId: Uint8Array,
): QuicProbeSession {
  const hello = helloToSend(options, sourceConnectionId);
  return new QuicProbeSession(hello, hello.keyShares ?? [], {
    version,
    destinationConnectionId,
    sourceConnectionId,
    retryOnHelloRetryRequest: options.retryOnHelloRetryRequest ?? true,
    decrypt: options.decrypt ?? true,
    abortOnViolation: options.abortOnViolation ?? true,
    ...(options.keylog ? { keylog: options.keylog } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
}

/** The result of a QUIC probe once its session stopped. */
export async function quicProbeResult(
  session: QuicProbeSession,
  target: { host: string; port: number },
  firstByteMs: number | null,
  totalMs: number,
): Promise<QuicProbeResult> {
  const { host, port } = target;
  const version = session.version;
  const destinationConnectionId = session.originalDestinationConnectionId;
  const sourceConnectionId = session.sourceConnectionId;
  const reason = session.stopReason ?? 'timeout';
  const engine = session.engine;
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
