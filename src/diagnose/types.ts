/**
 * The shapes diagnose works with: what one probe asks for ({@link ProbeSpec}), what came
 * back ({@link ProbeAnswer}, a platform-neutral view of hellokit/node's `ProbeResult`), and
 * what the interpretation says ({@link Finding}).
 */

import type { ProbeOutcome } from '../probe/types.ts';
import type { ServerViolation } from '../probe/violations.ts';

export type { ProbeOutcome };

/** The hello one probe sends. Fields left out take the prober's defaults. */
export interface ProbeSpec {
  /** Stable id, e.g. `sni.none`, `tls12.rsa_auth`. */
  readonly id: string;
  /** What the probe checks, in a few words (`TLS 1.2, RSA-authenticated suites only`). */
  readonly label: string;
  /** SNI host name; null sends no server_name. */
  readonly serverName: string | null;
  /** Versions offered, highest first. */
  readonly versions: readonly number[];
  readonly cipherSuites: readonly number[];
  readonly groups: readonly number[];
  /** Groups to send TLS 1.3 key shares for (default the first of `groups`). */
  readonly keyShareGroups?: readonly number[];
  /** signature_algorithms to offer (default the builder's list). */
  readonly signatureAlgorithms?: readonly number[];
  /** Read the whole answer, decrypting a TLS 1.3 flight, to get the certificates (default: the prober decides). */
  readonly readCertificates?: boolean;
  readonly alpn?: readonly string[];
  /** Add GREASE values (RFC 8701). */
  readonly grease?: boolean;
  /** Pad the ClientHello message (handshake header included) to this many bytes with a padding extension. */
  readonly padToLength?: number;
  /** Split the hello over this many records. */
  readonly records?: number;
  /** Write the hello in pieces of at most this many bytes, a short pause apart (several TCP segments). */
  readonly segmentBytes?: number;
  /**
   * Answer a TLS 1.3 CertificateRequest with an empty Certificate and the client Finished, and
   * read whether the server lets a client without a certificate in (probe's `answerCertificateRequest`).
   */
  readonly answerCertificateRequest?: boolean;
}

/** An alert as a probe reports it. */
export interface AnswerAlert {
  readonly level: number;
  readonly description: number;
  readonly name: string;
}

/** The server's CertificateRequest as a probe reports it (hellokit/node's `ProbeClientCertificate`): the fields diagnose reads. */
export interface AnswerClientCertificate {
  /** `required`, `optional`, or `requested` (not tested: the probe could not answer or tell). */
  readonly status: 'required' | 'optional' | 'requested';
  /** The server's answer to the empty Certificate: `alert`, `closed`, `reset`, `new_session_ticket`, `application_data`, `silence`, `change_cipher_spec` (TLS 1.2). */
  readonly answer?: string;
  readonly alert?: AnswerAlert;
  /** The CAs the server names, as distinguished names. */
  readonly certificateAuthorities: readonly string[];
  readonly signatureAlgorithmNames?: readonly string[];
}

/** A certificate as a probe reports it: the fields diagnose reads. */
export interface AnswerCertificate {
  /** Distinguished name, e.g. `CN=hellokit.test`. */
  readonly subject: string;
  readonly publicKey?: unknown;
  /** `DNS:name` / `IP:addr` entries of subjectAltName. */
  readonly subjectAltNames?: readonly string[];
  readonly issuer?: string;
  /** ISO 8601. */
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly selfSigned?: boolean;
  /** SHA-256 of the DER, hex. */
  readonly sha256?: string;
}

/**
 * What one probe saw: the fields of hellokit/node's `ProbeResult` diagnose reads (a
 * `ProbeResult` is assignable to it), plus what the prober knows about the hello it sent.
 */
export interface ProbeAnswer {
  readonly outcome: ProbeOutcome;
  readonly alert?: AnswerAlert;
  readonly serverHello?: {
    readonly version: number;
    readonly cipherSuite: number;
    readonly cipherSuiteName: string;
    readonly group: number | null;
    readonly groupName: string | null;
    readonly alpn: string | null;
  };
  readonly helloRetryRequest?: {
    readonly selectedGroup: number | null;
    readonly selectedGroupName: string | null;
  };
  /** The server's certificates, end-entity first (hellokit/node's `CertificateSummary`). */
  readonly certificates?: readonly AnswerCertificate[];
  /** Present when the server asked for a client certificate. */
  readonly clientCertificate?: AnswerClientCertificate;
  readonly timings?: { readonly totalMs: number };
  /** Bytes the server sent (0 for a close before it said anything). */
  readonly bytesReceived?: number;
  readonly error?: string;
  /** Length of the ClientHello message sent (handshake header included). */
  readonly helloLength?: number;
  /** The IP address the probe connected to (hellokit/node's `ConnectedTarget.ip`). */
  readonly ip?: string | null;
  /**
   * The server's RFC violations seen in this answer (hellokit/node's `ProbeResult.violations`),
   * e.g. a HelloRetryRequest answering a TLS 1.0-only hello. An answer that carries any is
   * never read as support for what the hello offered.
   */
  readonly violations?: readonly ServerViolation[];
}

/** Sends one probe. Diagnose is written against this, so it runs with fakes in tests. */
export type ProbeFn = (spec: ProbeSpec) => Promise<ProbeAnswer>;

/** How bad a finding is: `error` breaks some clients, `warning` is worth fixing, `info` is a fact. */
export type Severity = 'error' | 'warning' | 'info';

/** One probe's part in a finding. */
export interface Evidence {
  readonly probe: string;
  readonly sent: string;
  /** What came back, in words (`alert 80 internal_error`, `TLS 1.3, TLS_AES_128_GCM_SHA256`). */
  readonly got: string;
  readonly outcome: ProbeOutcome;
  readonly alert?: AnswerAlert;
}

/** One conclusion about the server. Extra fields (`alert`, `accepted`, ...) depend on the id. */
export interface Finding {
  readonly id: string;
  readonly severity: Severity;
  /** One sentence, plain words. */
  readonly explanation: string;
  readonly evidence: readonly Evidence[];
  /** What a client can do about it, when there is something. */
  readonly fix?: string;
  readonly [field: string]: unknown;
}

/** A whole diagnosis. */
export interface Diagnosis {
  readonly target: string;
  readonly serverName: string | null;
  readonly findings: readonly Finding[];
  /** Every probe that ran, with its answer, in the order sent. */
  readonly probes: readonly { readonly spec: ProbeSpec; readonly answer: ProbeAnswer }[];
  /** The id of the first hello the server accepted (the one the variations change), or null. */
  readonly working: string | null;
  /**
   * Hellos the server accepted, one per version it speaks, highest version first: what
   * certificate discovery starts from.
   */
  readonly accepted: readonly ProbeSpec[];
  /** Probes the time budget left out. */
  readonly skipped: readonly string[];
  readonly elapsedMs: number;
}
