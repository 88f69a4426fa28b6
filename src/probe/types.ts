/**
 * The public shapes of {@link probe}: what it takes (target, hello, write strategy, bounds)
 * and what it returns (`ProbeResult`, the DESIGN.md contract).
 */

import type { ClientHelloOptions } from '../builder/client-hello.ts';
import type { KeyShare } from '../crypto/key-share.ts';
import type { RandomSource } from '../crypto/random.ts';
import type { ClientHello } from '../handshake/types.ts';
import type { ProbeClientCertificate } from './client-certificate.ts';
import type { ViolationAbort } from './engine.ts';
import type { ProbeResultBase } from './result-base.ts';
import type { ServerViolation } from './violations.ts';

export type { ProbeResultBase, ServerViolation, ViolationAbort };

/** What a server certificate says, in short. */
export interface CertificateSummary {
  /** Distinguished name, e.g. `CN=hellokit.test`. */
  readonly subject: string;
  /** DNS names and IP addresses from subjectAltName, as `DNS:name` / `IP:addr` (other kinds as `kind:value`). */
  readonly subjectAltNames: readonly string[];
  readonly issuer: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** Lower-case hex. */
  readonly serialNumber: string;
  readonly publicKey: {
    /** `EC`, `RSA`, `RSA-PSS` (an RSASSA-PSS key), `Ed25519`, `Ed448`, or OpenSSL's key type name. */
    readonly type: string;
    /** Key size in bits (RSA modulus, EC field size), when known. */
    readonly size?: number;
    /** Named curve for EC keys, e.g. `P-256`. */
    readonly curve?: string;
  };
  readonly selfSigned: boolean;
  /** SHA-256 of the DER, lower-case hex. */
  readonly sha256: string;
  /** DER length in bytes. */
  readonly length: number;
}

/** Where to connect: `'host:port'`, `'[v6]:port'`, `'host'` (port 443) or an object. */
export type ProbeTarget = string | { readonly host: string; readonly port?: number };

/** A ClientHello ready to send, with the private halves of its key shares (needed to decrypt TLS 1.3). */
export type HelloWithKeyShares = ClientHello & { readonly keyShares?: readonly KeyShare[] };

/**
 * How the hello's bytes (or probe's raw `bytes`) are written to the socket:
 * - `'single'`: one write of every record (default);
 * - `'per-record'`: one write per TLS record (see `hello.record.fragments` to have several;
 *   raw `bytes` must then be whole records);
 * - `{ splitAt }`: writes cut at these byte offsets of the record bytes (TCP segmentation
 *   tests), e.g. `{ splitAt: [1, 5] }` sends the first byte, the rest of the header, then the body.
 * `delayMs` waits between writes (default 0: the writes may still coalesce in one TCP segment).
 */
export type WriteStrategy =
  | 'single'
  | 'per-record'
  | { readonly splitAt: readonly number[]; readonly delayMs?: number }
  | { readonly perRecord: true; readonly delayMs?: number };

/** Options of {@link probe}. */
export interface ProbeOptions {
  /**
   * The hello to send: a built ClientHello (from `clientHello()` or `parseClientHello()`),
   * or builder options for `clientHello()`. Absent: `clientHello({ serverName })`. A built
   * hello needs its `keyShares` (on it or here) for a TLS 1.3 answer to be decrypted.
   */
  readonly hello?: HelloWithKeyShares | ClientHelloOptions;
  /** SNI for the built hello (overrides `hello.serverName` when `hello` is builder options; ignored for a built hello). */
  readonly serverName?: string | null;
  /**
   * Exact bytes to write instead of a hello: one or more TLS records, valid or not (a mutated
   * hello, an SSLv2 hello, a record before the hello). Not with `hello` or `serverName`.
   * `write` still applies (`'per-record'` needs whole records). `sent` holds the hello the
   * bytes carry when they parse (leniently), else nothing.
   *
   * Without `keyShares` the probe only reads the answer: it stops after a TLS 1.3 ServerHello
   * (no decryption) and does not answer a HelloRetryRequest, whatever `decrypt` and
   * `retryOnHelloRetryRequest` say. With the private halves of the key shares the bytes carry,
   * it decrypts and retries as for a hello value (the transcript hashes the bytes as sent).
   * @example
   * const r = await probe('127.0.0.1:8443', { bytes: mutated, write: { splitAt: [5] } });
   * r.outcome // 'alert'
   */
  readonly bytes?: Uint8Array;
  /**
   * Private halves of the hello's key shares, when not carried on `hello`; with `bytes`, the
   * shares of the ClientHello in the bytes (they make decryption and a HelloRetryRequest answer possible).
   */
  readonly keyShares?: readonly KeyShare[];
  /** How the hello (or `bytes`) is written (default `'single'`). */
  readonly write?: WriteStrategy;
  /** Whole-probe limit from connect to the last byte, in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Longest silence from the server once connected, in ms (default 5 000, never above `timeoutMs`). */
  readonly idleTimeoutMs?: number;
  /** Most bytes read from the server (default 256 KiB); the probe stops reading there. */
  readonly maxBytes?: number;
  /**
   * Answer a HelloRetryRequest once, as a real client does: a new share for the requested
   * group, the cookie echoed, the transcript restarted with message_hash (default true).
   * `false` stops at the HelloRetryRequest.
   */
  readonly retryOnHelloRetryRequest?: boolean;
  /** Decrypt the TLS 1.3 server flight (default true). `false` stops after the ServerHello. */
  readonly decrypt?: boolean;
  /**
   * Receives NSS key log lines (SSLKEYLOGFILE format, no trailing newline) as the secrets
   * become known, so Wireshark/tshark can decrypt a capture of the probe. A `file` is
   * appended to (created 0600); a symbolic link there is refused unless `follow`.
   */
  readonly keylog?: ((line: string) => void) | { readonly file: string; readonly follow?: boolean };
  /** Randomness for the key share made after a HelloRetryRequest (default the system CSPRNG). */
  readonly random?: RandomSource;
  /** Bind the local end to this address (default: the OS picks). */
  readonly localAddress?: string;
  /**
   * Abort where RFC 8446 (or the extension's RFC) says a client aborts: on such a server
   * violation the probe sends the alert the rule names and stops (`stopReason` `violation`).
   * Default true; `false` records the violation and carries on, for research (docs/violations.md).
   */
  readonly abortOnViolation?: boolean;
  /**
   * When a TLS 1.3 server asks for a client certificate, answer as a client without one does
   * (RFC 8446 §4.4.2): a ChangeCipherSpec when the hello carried a legacy_session_id, an empty
   * Certificate echoing the certificate_request_context and the client Finished; then read the
   * server's answer for up to `certificateWaitMs` to tell `clientCertificate.status` `required`
   * from `optional`. Default false: the probe stops at the server's Finished, as it does for a
   * server that asks for nothing (whose results this option never changes). In TLS 1.2, at the
   * server's ServerHelloDone: an empty Certificate, an ECDHE ClientKeyExchange, ChangeCipherSpec
   * and the client Finished (suites with AES-GCM, ChaCha20-Poly1305 or AES-CBC; for others the
   * status stays `requested`).
   */
  readonly answerCertificateRequest?: boolean;
  /**
   * With `answerCertificateRequest`: how long the server may stay silent after the client's
   * Finished before its silence counts as accepting the empty Certificate, in ms (default 1 000,
   * never above `idleTimeoutMs`).
   */
  readonly certificateWaitMs?: number;
}

/** The eight ways a probe ends (DESIGN.md); diagnose re-exports it. */
export type ProbeOutcome =
  | 'server_hello'
  | 'hello_retry_request'
  | 'alert'
  | 'closed'
  | 'reset'
  | 'timeout'
  | 'not_tls'
  | 'connect_failed';

/** An alert, with names. */
export interface ProbeAlert {
  /** 1 warning, 2 fatal. */
  readonly level: number;
  /** `warning`, `fatal` or `unknown(N)`. */
  readonly levelName: string;
  /** AlertDescription code, e.g. 80. */
  readonly description: number;
  /** IANA name, e.g. `internal_error`. */
  readonly name: string;
  /** True when it came inside a TLS 1.3 encrypted record. */
  readonly encrypted: boolean;
}

/** One extension as the server sent it. */
export interface ProbeExtension {
  readonly type: number;
  readonly name: string;
  readonly body: Uint8Array;
}

/** What the ServerHello said. */
export interface ProbeServerHello {
  /** The negotiated version (supported_versions when present, else legacy_version), e.g. 0x0304. */
  readonly version: number;
  /** `TLS 1.3`, `TLS 1.2`, ... */
  readonly versionName: string;
  readonly cipherSuite: number;
  readonly cipherSuiteName: string;
  /** The key exchange group: the key_share group in TLS 1.3, the ServerKeyExchange curve in TLS 1.2; null when unknown. */
  readonly group: number | null;
  readonly groupName: string | null;
  /** The ALPN protocol the server chose (ServerHello in TLS 1.2, EncryptedExtensions in TLS 1.3). */
  readonly alpn: string | null;
  readonly random: Uint8Array;
  readonly legacySessionIdEcho: Uint8Array;
  /** `tls12`/`tls11` when the random carries a downgrade sentinel (RFC 8446 §4.1.3). */
  readonly downgrade: 'tls12' | 'tls11' | null;
  readonly extensions: readonly ProbeExtension[];
}

/** What the HelloRetryRequest asked for. */
export interface ProbeHelloRetryRequest {
  readonly cipherSuite: number;
  readonly cipherSuiteName: string;
  /** The group the server wants a share for; null when it only sent a cookie. */
  readonly selectedGroup: number | null;
  readonly selectedGroupName: string | null;
  /** Length of the cookie to echo, 0 when none. */
  readonly cookieLength: number;
  readonly extensions: readonly ProbeExtension[];
}

/** The TLS 1.2 ServerKeyExchange, as far as the probe reads it. */
export interface ProbeServerKeyExchange {
  readonly kind: 'ecdhe' | 'dhe' | 'raw';
  /** The named curve (ECDHE), or null. */
  readonly group: number | null;
  readonly groupName: string | null;
  /** DHE prime size in bits, or null. */
  readonly dhBits: number | null;
  readonly signatureAlgorithm: number | null;
}

/** Decrypted content of a TLS 1.3 record. */
export interface DecryptedContent {
  readonly contentType: number;
  readonly contentTypeName: string;
  readonly length: number;
  /** Handshake messages that were completed by this record, by name. */
  readonly messages: readonly string[];
}

/** One record sent or received. */
export interface TranscriptRecord {
  readonly direction: 'sent' | 'received';
  /** Milliseconds since the probe started (connect began). */
  readonly atMs: number;
  readonly contentType: number;
  readonly contentTypeName: string;
  /** legacy_record_version. */
  readonly version: number;
  /** Fragment length from the header. */
  readonly length: number;
  /** The whole record, header included. */
  readonly bytes: Uint8Array;
  /** Handshake messages completed by this (plaintext) record, by name. */
  readonly messages?: readonly string[];
  /** For TLS 1.3 records the probe decrypted. */
  readonly decrypted?: DecryptedContent;
}

/** Timings, in ms since the probe started. */
export interface ProbeTimings {
  /** TCP connect took this long (null when it failed). */
  readonly connectMs: number | null;
  /** The first byte from the server arrived at (null when none came). */
  readonly firstByteMs: number | null;
  /** From the start to the end of reading (certificate parsing afterwards is not counted). */
  readonly totalMs: number;
}

/** Why the probe stopped reading. */
export type StopReason =
  /** The server's flight was read to its end (ServerHelloDone, or the verified Finished). */
  | 'complete'
  /** A fatal alert came. */
  | 'alert'
  | 'hello_retry_request'
  /** Stopped after the ServerHello because `decrypt` is false or the keys could not be computed. */
  | 'server_hello'
  | 'closed'
  | 'reset'
  | 'timeout'
  | 'idle_timeout'
  | 'max_bytes'
  | 'not_tls'
  /** The server's bytes were TLS records but broke the protocol (undecodable message, bad MAC, ...). */
  | 'protocol_error'
  /** The server violated an RFC rule where a client must abort; the probe sent the alert the rule names. */
  | 'violation'
  | 'connect_failed'
  | 'socket_error';

/** What {@link probe} found: the fields every probe result has (result-base.ts), and those of TCP. */
export interface ProbeResult<C = CertificateSummary> extends ProbeResultBase<C, ProbeOutcome, StopReason> {
  /**
   * Where the probe went. `ip`, set by hellokit/node's socket adapter, is the address connected
   * to (for a host name, the one DNS gave); transports that do not know it leave it out.
   */
  readonly target: { readonly host: string; readonly port: number; readonly ip?: string | null };
  /** Every alert received, warnings included, in order. */
  readonly alerts: readonly ProbeAlert[];
  readonly serverKeyExchange?: ProbeServerKeyExchange;
  /** Present when the server asked for a client certificate: what it asked and whether one is required. */
  readonly clientCertificate?: ProbeClientCertificate;
  readonly timings: ProbeTimings;
  readonly transcript: readonly TranscriptRecord[];
  /** The first bytes the peer sent, when the answer was not TLS. */
  readonly notTls?: { readonly firstBytes: Uint8Array; readonly reason: string };
}
