/**
 * The result of a QUIC probe once its session stopped: its outcome, and its one-sentence
 * conclusion, worded like `probe()`'s over TCP where the outcome is the same.
 */

import { endpointText } from '../../capture/ip.ts';
import type { QuicStopReason } from '../../quic/types.ts';
import { quicVersionName } from '../../quic/version.ts';
import { clipConclusion, conclude, summarize } from '../conclusion.ts';
import type { ProbeResult } from '../types.ts';
import type { QuicProbeSession } from './session.ts';
import type { QuicProbeOutcome, QuicProbeResult, QuicProbeTimings } from './types.ts';

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

/** What a timeout says: what did arrive before the silence ("nothing listens" only when nothing came). */
function timeoutSentence(r: Omit<QuicProbeResult<unknown>, 'conclusion'>, at: string): string {
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

/** server_hello, hello_retry_request and alert read as they do over TCP: the sentence of the same result seen as a TCP one. */
function tcpSentence(
  r: Omit<QuicProbeResult<unknown>, 'conclusion'>,
  outcome: 'server_hello' | 'hello_retry_request' | 'alert',
): string {
  const tcpView = {
    target: r.target,
    outcome,
    stopReason:
      r.stopReason === 'complete' || r.stopReason === 'violation'
        ? r.stopReason
        : outcome === 'alert'
          ? 'alert'
          : outcome,
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
  } satisfies Omit<ProbeResult<unknown>, 'conclusion'>;
  const text = conclude(tcpView);
  return outcome === 'server_hello'
    ? text.replace('; not decrypted', '; Handshake packets not decrypted')
    : text;
}

/** One sentence about a QUIC probe, worded like probe()'s where the outcome is the same. */
function quicConclusion(r: Omit<QuicProbeResult<unknown>, 'conclusion'>): string {
  const at = endpointText(r.target.host, r.target.port);
  switch (r.outcome) {
    case 'connect_failed':
      return `could not send to ${at} over UDP: ${r.error ?? 'unknown error'}`;
    case 'version_negotiation':
      return `the server does not speak ${quicVersionName(r.quicVersion)}; it offers ${summarize(r.versionNegotiation?.versionNames ?? []) || 'no version'}`;
    case 'not_quic':
      return r.datagramsReceived > 0
        ? `the server answered ${r.datagramsReceived} datagram(s) (${r.bytesReceived} bytes) that are not QUIC packets for this connection${r.error ? `: ${r.error}` : ''}`
        : `the server broke the QUIC protocol: ${r.error ?? 'unknown'}`;
    case 'timeout':
      return timeoutSentence(r, at);
    case 'closed':
      return `the server closed the connection without a TLS alert: ${r.error ?? 'CONNECTION_CLOSE'}`;
    default:
      return tcpSentence(r, r.outcome);
  }
}

/** The result of a QUIC probe once its session stopped, with its certificates as the driver made them. */
export function quicProbeResult<C>(
  session: QuicProbeSession,
  target: QuicProbeResult['target'],
  timings: QuicProbeTimings,
  certificates: readonly C[],
): QuicProbeResult<C> {
  const reason = session.stopReason ?? 'timeout';
  const engine = session.engine;
  const base: Omit<QuicProbeResult<C>, 'conclusion'> = {
    target: { host: target.host, port: target.port },
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
    quicVersion: session.version,
    connectionIds: {
      originalDestination: session.originalDestinationConnectionId,
      source: session.sourceConnectionId,
      ...(session.serverConnectionId ? { server: session.serverConnectionId } : {}),
    },
    certificates,
    ...(engine.encryptedExtensions ? { encryptedExtensions: engine.encryptedExtensions } : {}),
    certificateRequested: engine.certificateRequested,
    finishedVerified: engine.finishedVerified,
    serverMessages: engine.serverMessages,
    timings: { firstByteMs: timings.firstByteMs, totalMs: timings.totalMs },
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
