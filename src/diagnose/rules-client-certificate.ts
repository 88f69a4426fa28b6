/**
 * The client-certificate rule (mutual TLS): a server that asks for a client certificate, and
 * whether a client without one gets in, from the `client_certificate` probe (TLS 1.3, the
 * CertificateRequest answered with an empty Certificate) or, for a server without TLS 1.3, the
 * `client_certificate_tls12` probe (the empty Certificate, an ECDHE, DHE or RSA key exchange and
 * the client's Finished; AES-GCM, ChaCha20-Poly1305 and AES-CBC suites). A server that asks for none makes
 * no finding.
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
    case 'change_cipher_spec':
      return 'its ChangeCipherSpec after the Finished (the handshake completed)';
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

export const clientCertificate: Rule<'client_certificate' | 'client_certificate_tls12'> = rule({
  findings: ['client_certificate'],
  reads: ['client_certificate', 'client_certificate_tls12'],
  check: (p, { working, observations }) => {
    const asking = [working, ...Object.values(observations.variations)].find(
      (r): r is ProbeRun => r?.answer.clientCertificate !== undefined,
    );
    const asked = asking?.answer.clientCertificate;
    if (!asking || !asked) return null;
    const tried = p.client_certificate ?? p.client_certificate_tls12;
    const tls12 = tried !== undefined && tried === p.client_certificate_tls12;
    const verdict = tried?.answer.clientCertificate;
    const common = {
      certificateAuthorities: asked.certificateAuthorities,
      ...(asked.signatureAlgorithmNames ? { signatureAlgorithms: asked.signatureAlgorithmNames } : {}),
    };
    if (tried && verdict?.status === 'required')
      return finding(
        'client_certificate',
        'error',
        `The server requires a client certificate (mutual TLS): a client without one is refused${tls12 ? '' : ' after its Finished'} — the empty Certificate got ${answerWords(verdict)}; ${authorities(asked)}.`,
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
      ? `the TLS ${tls12 ? '1.2' : '1.3'} probe could not tell (${tried.answer.error ?? (tls12 ? 'a cipher other than AES-GCM, AES-CBC and ChaCha20-Poly1305, or no answer to its Finished' : tried.answer.outcome)})`
      : 'no handshake with this server could be taken far enough to answer the request';
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
