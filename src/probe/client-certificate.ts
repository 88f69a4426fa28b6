/** What a probe learns when the server asks for a client certificate (mutual TLS). */
import type { ProbeAlert } from './types.ts';

/**
 * Whether a client without a certificate gets in, as far as the probe found out:
 * - `required`: the server refused the probe's empty Certificate (an alert such as
 *   certificate_required (116), bad_certificate (42) or handshake_failure (40), or it closed);
 * - `optional`: it carried on (a NewSessionTicket, application data, or silence until the wait
 *   ended; in TLS 1.2 its ChangeCipherSpec after the client's Finished);
 * - `requested`: not tested — `answerCertificateRequest` off, a TLS 1.2 suite the probe cannot
 *   finish with (it answers with AES-GCM, ChaCha20-Poly1305 or AES-CBC), or the server's
 *   answer could not be read (in TLS 1.2 also silence, or an alert that says the client's own
 *   records were wrong: bad_record_mac, decode_error, decrypt_error).
 */
export type ClientCertificateStatus = 'required' | 'optional' | 'requested';

/** What showed a {@link ClientCertificateStatus}: the server's first answer to the empty Certificate. */
export type ClientCertificateAnswer =
  | 'alert'
  | 'closed'
  | 'reset'
  | 'new_session_ticket'
  | 'application_data'
  | 'silence'
  | 'change_cipher_spec';

/** The server's CertificateRequest, and whether it lets a client without a certificate in. */
export interface ProbeClientCertificate {
  readonly status: ClientCertificateStatus;
  /** The server's answer to the empty Certificate, which decided `status`; absent for `requested`. */
  readonly answer?: ClientCertificateAnswer;
  /** The alert that refused the empty Certificate (`answer` `alert`). */
  readonly alert?: ProbeAlert;
  /**
   * The certificate authorities the server accepts client certificates from, as distinguished
   * names (`O=hellokit, CN=client-ca.test`), in the server's order: the certificate_authorities
   * extension (TLS 1.3) or field (TLS 1.2). Empty when the server names none (any CA it trusts).
   */
  readonly certificateAuthorities: readonly string[];
  /** The signature schemes a client certificate may sign with (signature_algorithms; TLS 1.2 supported_signature_algorithms). */
  readonly signatureAlgorithms: readonly number[];
  readonly signatureAlgorithmNames: readonly string[];
  /** TLS 1.2 only: the ClientCertificateType codes (1 rsa_sign, 64 ecdsa_sign, ...). */
  readonly certificateTypes?: readonly number[];
}
