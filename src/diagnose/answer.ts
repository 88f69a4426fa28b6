/**
 * Reading one answer as a whole: whether the server went on with the hello, the alert that
 * refused it (before or after its ServerHello), and the answer in a few words. Every
 * decision diagnose makes goes through {@link accepted}.
 */
import { cipherSuiteName, versionName } from '../iana/lookup.ts';
import type { AnswerAlert, ProbeAnswer, ProbeSpec } from './types.ts';

/**
 * The alert that ended the handshake after the server's ServerHello, if one did. Caddy (Go)
 * answers a hello whose only ALPN protocol it lacks with a ServerHello and then an encrypted
 * `no_application_protocol` (120): the ServerHello is not acceptance. A warning alert other
 * than close_notify (s_server's `unrecognized_name` in TLS 1.2) does not end the handshake.
 */
export function alertAfterServerHello(answer: ProbeAnswer): AnswerAlert | undefined {
  const a = answer.alert;
  if (answer.outcome !== 'server_hello' || a === undefined) return undefined;
  return a.level !== 1 || a.description === 0 ? a : undefined;
}

/**
 * True when the server went on with the hello: a ServerHello not followed by a fatal alert,
 * or a HelloRetryRequest, in an answer without RFC violations (an HRR answering a TLS
 * 1.0-only hello does not mean the server speaks TLS 1.0).
 */
export function accepted(answer: ProbeAnswer | undefined): boolean {
  if (answer === undefined || (answer.violations?.length ?? 0) > 0) return false;
  if (answer.outcome === 'hello_retry_request') return true;
  return answer.outcome === 'server_hello' && alertAfterServerHello(answer) === undefined;
}

/**
 * True when the server went on with the hello ({@link accepted}) in a version the hello
 * offered. A hello offering only TLS 1.2 (legacy_version TLS 1.2, no supported_versions) may
 * be answered in TLS 1.1 or 1.0, which a client offering only TLS 1.2 refuses: such an answer
 * shows the server's version, not a hello that works.
 */
export function acceptedAsOffered(spec: ProbeSpec, answer: ProbeAnswer | undefined): boolean {
  if (!accepted(answer)) return false;
  const version = answer?.serverHello?.version;
  return version === undefined || spec.versions.includes(version);
}

/** `alert 80 internal_error`. */
export function alertLabel(alert: AnswerAlert): string {
  return `${alert.level === 1 ? 'warning ' : ''}alert ${alert.description} ${alert.name}`;
}

/** The alert's three contract fields (a `ProbeResult` alert carries more). */
export function pickAlert(alert: AnswerAlert): AnswerAlert {
  return { level: alert.level, description: alert.description, name: alert.name };
}

/** The alert that refused the hello, before or after a ServerHello; undefined when none did. */
export function refusalAlert(answer: ProbeAnswer): AnswerAlert | undefined {
  if (answer.outcome === 'alert') return answer.alert;
  return alertAfterServerHello(answer);
}

/**
 * What came back, in a few words: `TLS 1.3, TLS_AES_128_GCM_SHA256, x25519`,
 * `alert 40 handshake_failure`, or `TLS 1.3, TLS_AES_128_GCM_SHA256, then alert 120 no_application_protocol`.
 */
export function describeAnswer(answer: ProbeAnswer): string {
  switch (answer.outcome) {
    case 'server_hello': {
      const sh = answer.serverHello;
      const parts = sh
        ? [versionName(sh.version), sh.cipherSuiteName || cipherSuiteName(sh.cipherSuite)]
        : ['a ServerHello'];
      if (sh?.groupName) parts.push(sh.groupName);
      if (sh?.alpn) parts.push(`ALPN ${sh.alpn}`);
      const after = alertAfterServerHello(answer);
      if (after) parts.push(`then ${alertLabel(after)}`);
      return parts.join(', ');
    }
    case 'hello_retry_request': {
      const g = answer.helloRetryRequest?.selectedGroupName;
      return `a HelloRetryRequest${g ? ` for ${g}` : ''}`;
    }
    case 'alert':
      return answer.alert ? alertLabel(answer.alert) : 'an alert';
    case 'closed':
      return 'the connection closed without an alert';
    case 'reset':
      return 'the connection was reset';
    case 'timeout':
      return 'no answer in time';
    case 'not_tls':
      return 'an answer that is not TLS';
    case 'connect_failed':
      return `no connection${answer.error ? ` (${answer.error})` : ''}`;
  }
}
