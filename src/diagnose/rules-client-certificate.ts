/**
 * The client-certificate rule (mutual TLS): a server that asks for a client certificate, and
 * whether a client without one gets in, from the `client_certificate` probe (TLS 1.3, the
 * CertificateRequest answered with an empty Certificate). A server that asks for none makes no
 * finding. TLS 1.2 handshakes are not completed, so a TLS 1.2-only server stays `requested`.
 */
import { alertLabel, pickAlert } from './answer.ts';
import { finding, type ProbeRun } from './finding.ts';
import { type Rule, rule } from './rule.ts';
import type { AnswerClientCertificate } from './types.ts';

/** The CA names in a sentence. */
function authorities(asked: AnswerClientCertificate): string {
  const cas = asked.certificateAuthorities;
  if (cas.length === 0) return 'it names no CA (any CA it trusts)';
  const shown = cas.slice(0, 3).join('; ');
  return `it names ${cas.length === 1 ? 'the CA' : `${cas.length} CAs`} ${shown}${cas.length > 3 ? '; …' : ''}`;
}

/** How the server answered the empty Certificate, in words. */
function answerWords(c: AnswerClientCertificate): string {
  if (c.alert) return alertLabel(c.alert);
  switch (c.answer) {
    case 'new_session_ticket':
      return 'a NewSessionTicket (the handshake completed)';
    case 'application_data':
      return 'application data (the handshake completed)';
    case 'silence':
      return 'silence, no alert, until the wait ended';
    case 'reset':
      return 'a reset';
    default:
      return 'a close without an alert';
  }
}

const CLIENT_FIX =
  'give the client a certificate (and its key) issued by a CA the server names: curl --cert FILE --key FILE, openssl s_client -cert FILE -key FILE, Node tls.connect({ cert, key }).';

export const clientCertificate: Rule<'client_certificate'> = rule({
  findings: ['client_certificate'],
  reads: ['client_certificate'],
  check: (p, { working, observations }) => {
    const asking = [working, ...Object.values(observations.variations)].find(
      (r): r is ProbeRun => r?.answer.clientCertificate !== undefined,
    );
    const asked = asking?.answer.clientCertificate;
    if (!asking || !asked) return null;
    const tried = p.client_certificate;
    const verdict = tried?.answer.clientCertificate;
    const common = {
      certificateAuthorities: asked.certificateAuthorities,
      ...(asked.signatureAlgorithmNames ? { signatureAlgorithms: asked.signatureAlgorithmNames } : {}),
    };
    if (tried && verdict?.status === 'required')
      return finding(
        'client_certificate',
        'error',
        `The server requires a client certificate (mutual TLS): a client without one is refused after its Finished — the empty Certificate got ${answerWords(verdict)}; ${authorities(asked)}.`,
        [asking, tried],
        {
          status: 'required',
          answer: verdict.answer,
          ...common,
          ...(verdict.alert ? { alert: pickAlert(verdict.alert) } : {}),
        },
        `${CLIENT_FIX.charAt(0).toUpperCase()}${CLIENT_FIX.slice(1)} A client without one cannot connect; if such clients should get in, make the certificate optional on the server (openssl -verify, nginx ssl_verify_client optional, Caddy client_auth mode verify_if_given, HAProxy verify optional).`,
      );
    if (tried && verdict?.status === 'optional')
      return finding(
        'client_certificate',
        'info',
        `The server asks for a client certificate but lets a client without one in: the empty Certificate got ${answerWords(verdict)}; ${authorities(asked)}. An application behind it may still refuse such a client (nginx's ssl_verify_client on completes the handshake, then answers HTTP 400).`,
        [asking, tried],
        { status: 'optional', answer: verdict.answer, ...common },
      );
    const why = tried
      ? `the TLS 1.3 probe could not tell (${tried.answer.error ?? tried.answer.outcome})`
      : 'hellokit completes only TLS 1.3 handshakes, and none was completed with this server (it does not speak TLS 1.3)';
    return finding(
      'client_certificate',
      'warning',
      `The server asks for a client certificate; whether a client without one gets in was not tested: ${why}; ${authorities(asked)}. A server that requires one refuses a client without it after the client's Finished (TLS 1.3 alert 116 certificate_required; TLS 1.2 alert 40 handshake_failure or 42 bad_certificate).`,
      [asking, tried],
      { status: 'requested', ...common },
      `If a client fails with alert 40, 42 or 116 after its Finished: ${CLIENT_FIX}`,
    );
  },
});
