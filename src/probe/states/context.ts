/**
 * What every state of the probe's client shares: the engine's options, the first ClientHello,
 * what the probe has found so far (the material of the `ProbeResult`), the bytes to send and
 * the events of the current `receive` call, and the few acts every state performs: stop, run
 * the conformance rules (and abort where a client must), decode a message, write key log lines.
 * The states themselves hold the protocol state (key shares, transcript, keys); this holds
 * only what is reported.
 */

import type { KeyShare } from '../../crypto/key-share.ts';
import { tls13KeyLogLines } from '../../crypto/keylog.ts';
import type { RandomSource } from '../../crypto/random.ts';
import { encryptRecord, type RecordProtectionState } from '../../crypto/record-protection.ts';
import type { Certificate } from '../../handshake/certificate.ts';
import { handshakeTypeName } from '../../handshake/header.ts';
import { type ParsedHandshakeMessage, parseHandshakeMessage } from '../../handshake/messages.ts';
import type { ServerHello } from '../../handshake/server-hello.ts';
import type { ClientHello } from '../../handshake/types.ts';
import { ALERT } from '../../iana/alerts.ts';
import { alertLevelName, alertName } from '../../iana/lookup.ts';
import { ALERT_LEVELS, decodeAlert } from '../../records/alert.ts';
import { type DecodedRecord, encodeRecord } from '../../records/record.ts';
import type { CertificateDecompressors, CompressedCertificate } from '../decompress.ts';
import type {
  ProbeAlert,
  ProbeExtension,
  ProbeHelloRetryRequest,
  ProbeServerHello,
  ProbeServerKeyExchange,
  StopReason,
  TranscriptRecord,
} from '../types.ts';
import { type ConformanceEvent, checkConformance, type ServerViolation } from '../violations.ts';
import { AFTER_CLOSE_NOTIFY, DONE, type EngineEvent, type ProbeState } from './types.ts';

/** Options of a {@link ProbeEngine}. */
export interface ProbeEngineOptions {
  readonly retryOnHelloRetryRequest?: boolean;
  readonly decrypt?: boolean;
  readonly keylog?: (line: string) => void;
  /** Most bytes accepted from the server (default 256 KiB). */
  readonly maxBytes?: number;
  /** For the share made after a HelloRetryRequest. */
  readonly random?: RandomSource;
  /**
   * The exact bytes of the first flight, when they are not `encodeClientHello(hello)` (probe's
   * `bytes`). The TLS 1.3 transcript starts from the ClientHello message carried in them, so
   * a hello that was sent byte for byte is hashed byte for byte.
   */
  readonly helloBytes?: Uint8Array;
  /**
   * Stop once the ServerHello has been read, in every version: no TLS 1.2 Certificate or
   * ServerKeyExchange is read and no TLS 1.3 flight is decrypted (`stopReason` `server_hello`).
   * For scanners, which only ask what the server picked.
   */
  readonly stopAfterServerHello?: boolean;
  /**
   * Abort where a client must (RFC 8446 and friends): on a server violation whose rule names
   * an alert, send that alert and stop (default true). `false` records the violation and
   * reads on, for research.
   */
  readonly abortOnViolation?: boolean;
  /**
   * Decompressors for a TLS 1.3 CompressedCertificate (RFC 8879), by algorithm name
   * (default none: such a certificate is reported, not read). `hellokit/node` passes Node's
   * zlib and brotli; see `webCertificateDecompressors()` elsewhere.
   */
  readonly decompressors?: CertificateDecompressors;
  /**
   * Answer a TLS 1.3 CertificateRequest as a client without a certificate (an empty
   * Certificate and the client Finished) and read the server's verdict (default false: stop at
   * the server Finished). See `ProbeOptions.answerCertificateRequest`.
   */
  readonly answerCertificateRequest?: boolean;
  /** How long the verdict may take before silence counts as acceptance, ms (the driver's wait; default 1 000). */
  readonly certificateWaitMs?: number;
}

/** What the server's CertificateRequest asked, decoded, and what became of the probe's answer to it. */
export interface CertificateRequestFound {
  /** TLS 1.3 certificate_request_context (echoed in the client's Certificate); null in TLS 1.2. */
  readonly context: Uint8Array | null;
  readonly certificateAuthorities: readonly string[];
  readonly signatureAlgorithms: readonly number[];
  readonly certificateTypes?: readonly number[];
  /** Set when the client's empty Certificate and Finished were sent: how many alerts had come before. */
  alertsBefore?: number;
  /** Set when the server carried on after the client's Finished. */
  accepted?: 'new_session_ticket' | 'application_data' | 'silence' | 'change_cipher_spec';
}

/** The violation the engine aborted on and the alert it sent. */
export interface ViolationAbort {
  readonly rule: ServerViolation['rule'];
  readonly rfc: string;
  readonly message: string;
  /** The alert sent (fatal), by name and code. */
  readonly alert: { readonly name: string; readonly description: number; readonly encrypted: boolean };
}

/** What the probe has found so far: written by the states, read through the engine's getters. */
export interface Findings {
  readonly sent: ClientHello[];
  readonly transcript: TranscriptRecord[];
  readonly alerts: ProbeAlert[];
  readonly serverMessages: string[];
  readonly violations: ServerViolation[];
  /** The certificates (DER) of a plain Certificate message. */
  readonly certificateChain: Uint8Array[];
  compressedCertificate?: CompressedCertificate;
  serverHello?: ProbeServerHello;
  helloRetryRequest?: ProbeHelloRetryRequest;
  serverKeyExchange?: ProbeServerKeyExchange;
  encryptedExtensions?: ProbeExtension[];
  certificateRequested: boolean;
  /** The CertificateRequest decoded (absent when none came or it did not decode). */
  certificateRequest?: CertificateRequestFound;
  finishedVerified: boolean;
  retried: boolean;
  stopReason: StopReason | null;
  error?: string;
  notTls?: { firstBytes: Uint8Array; reason: string };
  bytesReceived: number;
  abortedOn?: ViolationAbort;
}

/** The shared context of the states of one probe (see the file comment). */
export class EngineContext {
  readonly options: ProbeEngineOptions;
  /** The first ClientHello as a value; null when the bytes sent do not parse as one. */
  readonly hello: ClientHello | null;
  /** The first ClientHello handshake message exactly as sent (the TLS 1.3 transcript starts with it). */
  readonly clientHello1Message: Uint8Array | undefined;
  readonly found: Findings = {
    sent: [],
    transcript: [],
    alerts: [],
    serverMessages: [],
    violations: [],
    certificateChain: [],
    certificateRequested: false,
    finishedVerified: false,
    retried: false,
    stopReason: null,
    bytesReceived: 0,
  };
  /** Bytes to send, collected during one `receive` call. */
  send: Uint8Array[] = [];
  /** Events of the current `receive` call. */
  events: EngineEvent[] = [];
  /** Set during a `receive` call that started a bounded wait for the server's answer (ms). */
  waitMs: number | undefined;

  constructor(
    options: ProbeEngineOptions,
    hello: ClientHello | null,
    clientHello1Message: Uint8Array | undefined,
  ) {
    this.options = options;
    this.hello = hello;
    this.clientHello1Message = clientHello1Message;
    if (hello) this.found.sent.push(hello);
  }

  /** The ClientHello the server is answering now (the second one after a HelloRetryRequest). */
  get lastSent(): ClientHello | undefined {
    return this.found.sent[this.found.sent.length - 1];
  }

  /** Records why reading stopped and returns the stopped state; once stopped, later reasons are ignored. */
  stop(reason: StopReason, error?: string): ProbeState {
    if (this.found.stopReason !== null) return DONE;
    this.found.stopReason = reason;
    if (error !== undefined) this.found.error ??= error;
    return DONE;
  }

  /** Stops on a message the state does not take (RFC 8446 §6.2 unexpected_message). */
  unexpected(expected: string, message: { readonly msgType: number }): ProbeState {
    return this.stop(
      'protocol_error',
      `expected ${expected}, the server sent ${handshakeTypeName(message.msgType)}`,
    );
  }

  /**
   * Runs the conformance rules on `event` and records what they find. With `abort` (the
   * client may answer now) and `abortOnViolation` on, a rule that names an alert makes the
   * engine send it (sealed with `client` after a TLS 1.3 ServerHello, RFC 8446 §5) and stop:
   * the stopped state is returned, else undefined.
   */
  conform(
    event: ConformanceEvent,
    abort: { readonly client?: RecordProtectionState } | false,
  ): ProbeState | undefined {
    const abortOn = this.options.abortOnViolation !== false && abort !== false;
    const verdict = checkConformance(event, abortOn);
    this.found.violations.push(...verdict.violations);
    for (const violation of verdict.violations) this.events.push({ kind: 'violation', violation });
    if (!abortOn || !verdict.abort) return undefined;
    const { violation, alert } = verdict.abort;
    const description = ALERT[alert];
    const content = Uint8Array.of(2, description);
    const client = abort.client;
    this.send.push(
      client
        ? encryptRecord(client, 21, content).record
        : encodeRecord({ contentType: 21, version: 0x0303, fragment: content }),
    );
    this.found.abortedOn = {
      rule: violation.rule,
      rfc: violation.rfc,
      message: violation.message,
      alert: { name: alert, description, encrypted: client !== undefined },
    };
    return this.stop('violation', `${violation.message} (${violation.rfc})`);
  }

  /**
   * The conformance rules on a ServerHello or HelloRetryRequest answering the last ClientHello
   * (none for raw bytes that do not parse as one); the stopped state when the engine aborted.
   */
  conformServerHello(
    message: ServerHello,
    previousRetry: ServerHello | null,
    keyShares: readonly KeyShare[],
    sharedSecret?: () => Uint8Array,
  ): ProbeState | undefined {
    const hello = this.lastSent;
    if (!hello) return undefined;
    const event = { kind: 'server_hello', hello, message, previousRetry, keyShares } as const;
    return this.conform(sharedSecret ? { ...event, sharedSecret } : event, {});
  }

  /** Decodes a handshake message leniently; a message that does not decode stops the engine (null). */
  parse(raw: Uint8Array, version?: number, keyExchange?: 'ecdhe' | 'dhe'): ParsedHandshakeMessage | null {
    try {
      return parseHandshakeMessage(raw, {
        strict: false,
        ...(version ? { version } : {}),
        ...(keyExchange ? { keyExchange } : {}),
      });
    } catch (e) {
      this.stop(
        'protocol_error',
        `cannot decode the server's ${handshakeTypeName(raw[0])}: ${(e as Error).message}`,
      );
      return null;
    }
  }

  /** The chain of a plain Certificate message replaces any read before. */
  takeCertificate(m: Certificate): void {
    this.found.certificateChain.length = 0;
    for (const entry of m.certificateList) this.found.certificateChain.push(entry.certData);
  }

  /** Writes NSS key log lines for `secrets`; a failing sink is reported, never thrown. */
  keyLog(secrets: Parameters<typeof tls13KeyLogLines>[1]): void {
    if (!this.options.keylog) return;
    try {
      // The client random: the hello's, or bytes 6..38 of the message sent (type, length, version first).
      const random = this.hello?.random ?? this.clientHello1Message?.subarray(6, 38);
      if (!random) return;
      for (const line of tls13KeyLogLines(random, secrets)) this.options.keylog(line);
    } catch (e) {
      this.found.error ??= `the key log could not be written: ${(e as Error).message}`;
    }
  }

  /**
   * Records an alert from the server and returns the state it leads to: none for a warning
   * (s_server sends unrecognized_name as a warning in TLS 1.2 and carries on; TLS 1.3 has no
   * warnings, but the level is reported as the server sent it), AfterCloseNotify for
   * close_notify, Done for anything else.
   */
  alert(fragment: Uint8Array, encrypted: boolean): ProbeState | undefined {
    if (fragment.length < 2)
      return this.stop('protocol_error', `an alert record of ${fragment.length} byte(s)`);
    // Lenient: a level other than warning/fatal is shown as sent, and bytes after the two are ignored.
    const { level, description } = decodeAlert(fragment.subarray(0, 2), { strict: false });
    const alert = {
      level,
      levelName: alertLevelName(level),
      description,
      name: alertName(description),
      encrypted,
    };
    this.found.alerts.push(alert);
    this.events.push({ kind: 'alert', alert });
    if (level === ALERT_LEVELS.warning && description !== ALERT.close_notify) return undefined;
    this.stop('alert');
    return description === ALERT.close_notify ? AFTER_CLOSE_NOTIFY : DONE;
  }

  /** A record after the server's close_notify: RFC 8446 §6.1 says none may come. */
  afterCloseNotify(record: DecodedRecord): void {
    if (this.found.violations.some((v) => v.rule === 'alert_after_close_notify')) return;
    const alert =
      record.contentType === 21 && record.fragment.length >= 2
        ? decodeAlert(record.fragment.subarray(0, 2), { strict: false })
        : null;
    this.conform({ kind: 'after_close_notify', contentType: record.contentType, alert }, false);
  }
}
