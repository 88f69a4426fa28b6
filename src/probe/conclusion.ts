/**
 * The one-sentence conclusion of a probe: what came back and what it most likely means,
 * given the hello that was sent. The alert meanings come from docs/peers.md: the same fault
 * draws different alerts from different servers, so the sentence names likely causes.
 */

import { endpointText } from '../capture/ip.ts';
import type { ClientHello } from '../handshake/types.ts';
import { ALERT } from '../iana/alerts.ts';
import { cipherSuiteInfo } from '../iana/lookup.ts';
import { helloServerName, helloVersions } from './hello.ts';
import { versionLabel } from './states/expect-server-hello.ts';
import type { CertificateSummary, ProbeResult } from './types.ts';

/** A result without its conclusion; certificates may be summaries or raw DER (probeStream without a summariser). */
type ConclusionInput = Omit<ProbeResult<unknown>, 'conclusion'>;

/** True for a certificate summary (raw DER certificates are left out of the sentence). */
function isSummary(c: unknown): c is CertificateSummary {
  return typeof c === 'object' && c !== null && 'subjectAltNames' in c && 'publicKey' in c;
}

function offeredOnlyRsaAuth(hello: ClientHello): boolean {
  const tls12 = hello.cipherSuites
    .map((s) => cipherSuiteInfo(s))
    .filter((i) => i !== undefined && i.authentication !== 'any' && i.keyExchange !== 'NULL');
  return tls12.length > 0 && tls12.every((i) => i!.authentication === 'RSA');
}

function alertMeaning(description: number, hello: ClientHello, sni: string | null): string {
  const versions = helloVersions(hello);
  const tls12Only = !versions.includes(0x0304);
  switch (description) {
    case ALERT.internal_error:
      return sni === null
        ? 'the hello had no SNI and this server picks certificates by name; try --sni NAME'
        : `the server failed on its side; it may not serve the name ${JSON.stringify(sni)} (Caddy answers unknown names this way)`;
    case ALERT.unrecognized_name:
      return sni === null
        ? 'the server wants a name it knows and the hello had no SNI; try --sni NAME'
        : `the server has no certificate for ${JSON.stringify(sni)}; try the name it serves`;
    case ALERT.handshake_failure:
      if (tls12Only && offeredOnlyRsaAuth(hello))
        return 'the hello offered only RSA-authenticated suites; the server may have only an ECDSA certificate, offer an ECDHE-ECDSA suite';
      return 'nothing in common: no shared cipher suite, group, signature algorithm or usable certificate (GnuTLS also uses it for no shared version)';
    case ALERT.protocol_version:
      return `no TLS version in common (the hello offered ${versions.map(versionLabel).join(', ')})`;
    case ALERT.insufficient_security:
      return 'the server wants stronger cipher suites than the hello offered';
    case ALERT.illegal_parameter:
      return 'the server found a field of the hello invalid';
    case ALERT.decode_error:
      return 'the server could not decode the hello';
    case ALERT.missing_extension:
      return 'the server requires an extension the hello lacks';
    case ALERT.unsupported_extension:
      return 'the hello carried an extension the server does not accept there';
    case ALERT.no_application_protocol:
      return 'no ALPN protocol in common';
    case ALERT.close_notify:
      return 'the server closed the connection politely without answering';
    case ALERT.certificate_required:
      return 'the server requires a client certificate (mutual TLS)';
    default:
      return 'see RFC 8446 §6.2 for what the server means';
  }
}

/** Longest conclusion, in characters: one line a terminal and a log keep whole. */
export const MAX_CONCLUSION_LENGTH = 299;

/**
 * A list for a sentence: all of it when short, else the first few and how many more.
 * @example summarize(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) // 'a, b, c, d, e and 3 more (8 in all)'
 */
export function summarize(items: readonly string[], keep = 5): string {
  if (items.length <= keep + 1) return items.join(', ');
  return `${items.slice(0, keep).join(', ')} and ${items.length - keep} more (${items.length} in all)`;
}

/** `text` cut to the conclusion limit, with an ellipsis when cut. */
export function clipConclusion(text: string): string {
  return text.length <= MAX_CONCLUSION_LENGTH ? text : `${text.slice(0, MAX_CONCLUSION_LENGTH - 1)}…`;
}

/** A violation's message, short enough to leave room in the conclusion for the rest. */
function brief(message: string): string {
  return message.length <= 110 ? message : `${message.slice(0, 109)}…`;
}

/** What the abort and the other violations add to a conclusion. */
function violationText(result: ConclusionInput): string {
  const parts: string[] = [];
  const a = result.abort;
  if (a)
    parts.push(
      `aborted: server violated ${a.rfc} (${a.rule}: ${brief(a.message)}); sent alert ${a.alert.name}`,
    );
  const others = result.violations.filter((v) => !a || v.rule !== a.rule || v.message !== a.message);
  if (others.length > 0) {
    const ids = [...new Set(others.map((v) => v.rule))];
    parts.push(
      a
        ? `also ${summarize(ids)}`
        : others.length === 1
          ? `server violated ${others[0].rfc} (${others[0].rule}: ${brief(others[0].message)})`
          : `${others.length} RFC violations: ${summarize(ids)}`,
    );
  }
  return parts.join('; ');
}

/** One sentence describing `result`, at most {@link MAX_CONCLUSION_LENGTH} characters. */
export function conclude(result: ConclusionInput): string {
  const main = sentence(result);
  const violations = violationText(result);
  if (!violations) return clipConclusion(main);
  const full = `${main}; ${violations}`;
  if (full.length <= MAX_CONCLUSION_LENGTH) return full;
  // The violation part is what a reader most needs: shorten the rest first.
  const room = MAX_CONCLUSION_LENGTH - violations.length - 3;
  return room < 40 ? clipConclusion(full) : `${main.slice(0, room)}…; ${violations}`;
}

function sentence(result: ConclusionInput): string {
  const hello = result.sent[0];
  const sni = hello ? helloServerName(hello) : null;
  const retried = result.retried ? ' after a HelloRetryRequest' : '';
  switch (result.outcome) {
    case 'connect_failed':
      return `could not connect to ${endpointText(result.target.host, result.target.port)}: ${result.error ?? 'unknown error'}`;
    case 'not_tls':
      if (result.notTls) return `the server does not speak TLS here: ${result.notTls.reason}`;
      if (result.stopReason === 'max_bytes')
        return `the server kept sending (${result.bytesReceived} bytes, the cap) without a complete handshake answer`;
      return `the server broke the TLS protocol: ${result.error ?? 'unknown'}`;
    case 'timeout':
      return result.stopReason === 'idle_timeout'
        ? 'the server went silent before answering the hello (idle timeout)'
        : 'no answer to the hello before the timeout';
    case 'closed':
      return `the server closed the connection without an alert${retried} (FIN${result.bytesReceived ? ` after ${result.bytesReceived} bytes` : ', nothing sent'})`;
    case 'reset':
      return `the server reset the connection${retried} without an alert`;
    case 'alert': {
      const a = result.alert!;
      const what = `${a.levelName} alert ${a.name} (${a.description})${retried}`;
      // raw bytes (probe's `bytes`) that are no ClientHello: nothing to read a cause from
      if (!hello) return `${what} to bytes that do not parse as a ClientHello`;
      return `${what} — ${alertMeaning(a.description, hello, sni)}`;
    }
    case 'hello_retry_request': {
      const h = result.helloRetryRequest!;
      const reason = result.error && !result.abort ? `; ${result.error}` : '';
      return `HelloRetryRequest for ${h.selectedGroupName ?? 'a cookie round trip'} — the server wants a key share the hello did not carry${result.retried ? '' : '; not answered (retry is off)'}${reason}`;
    }
    case 'server_hello': {
      const sh = result.serverHello!;
      const hello = `${sh.versionName} ServerHello${retried} with ${sh.cipherSuiteName}${sh.groupName ? ` over ${sh.groupName}` : ''}`;
      const fatal =
        result.stopReason === 'alert' && result.alert && result.alert.description !== 0
          ? result.alert
          : undefined;
      const client = result.clientCertificate;
      if (client?.status === 'required') {
        const how = client.alert
          ? `${client.alert.levelName} alert ${client.alert.name} (${client.alert.description})`
          : `a ${client.answer === 'reset' ? 'reset' : 'close without an alert'}`;
        return `the server requires a client certificate: it answered the probe's empty Certificate with ${how} after its ${hello}`;
      }
      if (fatal) {
        // A ServerHello followed by a fatal alert is a refusal, whatever came before it (issue: Caddy's ALPN alert 120).
        const meaning = result.sent[0] ? ` — ${alertMeaning(fatal.description, result.sent[0], sni)}` : '';
        return `the server refused with ${fatal.levelName} alert ${fatal.name} (${fatal.description})${fatal.encrypted ? ', encrypted,' : ''} after its ${hello}${meaning}`;
      }
      const parts = [hello];
      const leaf = result.certificates[0];
      if (isSummary(leaf)) {
        const names = leaf.subjectAltNames.length > 0 ? leaf.subjectAltNames.join(', ') : leaf.subject;
        parts.push(
          `certificate for ${names} (${leaf.publicKey.type}${leaf.publicKey.curve ? ` ${leaf.publicKey.curve}` : leaf.publicKey.size ? ` ${leaf.publicKey.size}` : ''})`,
        );
      }
      let errorShown = false;
      if (sh.version >= 0x0304) {
        if (result.finishedVerified) parts.push('Finished verified');
        else if (result.stopReason === 'server_hello') {
          parts.push(result.error ? `not decrypted: ${result.error}` : 'not decrypted');
          errorShown = true;
        }
      }
      if (client?.status === 'optional')
        parts.push('client certificate optional (the server went on after an empty Certificate)');
      else if (client) parts.push('the server asks for a client certificate');
      if (result.alert && result.stopReason === 'alert')
        parts.push(`then ${result.alert.levelName} alert ${result.alert.name} (${result.alert.description})`);
      else if (result.stopReason === 'violation')
        errorShown = true; // the abort says it
      else if (result.stopReason !== 'complete' && result.stopReason !== 'server_hello') {
        parts.push(`then ${result.error ?? result.stopReason.replace('_', ' ')}`);
        errorShown = true;
      }
      // Anything else that went wrong (a certificate that does not decompress, …) is said too.
      if (result.error && !errorShown) parts.push(result.error);
      return parts.join('; ');
    }
  }
}
