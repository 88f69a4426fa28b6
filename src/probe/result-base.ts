/**
 * What every probe result says, over TCP (`ProbeResult`, types.ts) and over QUIC
 * (`QuicProbeResult`, quic/types.ts): declared once, so a field means the same thing in both
 * and code that reads only these fields takes either result.
 */

import type { ClientHello } from '../handshake/types.ts';
import type { ViolationAbort } from './engine.ts';
import type { ProbeAlert, ProbeExtension, ProbeHelloRetryRequest, ProbeServerHello } from './types.ts';
import type { ServerViolation } from './violations.ts';

/**
 * The fields `ProbeResult` and `QuicProbeResult` share: `C` is a certificate as the driver made
 * it (a summary, or raw DER), `O` the outcomes and `S` the stop reasons of the transport.
 */
export interface ProbeResultBase<C, O extends string, S extends string> {
  /** Where the probe went. */
  readonly target: { readonly host: string; readonly port: number };
  readonly outcome: O;
  /** Why reading stopped (finer than `outcome`). */
  readonly stopReason: S;
  /**
   * The fatal alert (or the last alert) that came; absent when none. Over QUIC, the TLS alert of
   * a CONNECTION_CLOSE with a CRYPTO_ERROR (0x0100 + alert), as a fatal alert.
   */
  readonly alert?: ProbeAlert;
  readonly serverHello?: ProbeServerHello;
  readonly helloRetryRequest?: ProbeHelloRetryRequest;
  /** True when the probe answered a HelloRetryRequest with a second ClientHello. */
  readonly retried: boolean;
  /**
   * The server's certificates, end-entity first (TLS 1.2 Certificate or the decrypted TLS 1.3
   * one; over QUIC, from the decrypted Handshake packets).
   */
  readonly certificates: readonly C[];
  /** TLS 1.3 EncryptedExtensions. */
  readonly encryptedExtensions?: readonly ProbeExtension[];
  /** True when the server asked for a client certificate. */
  readonly certificateRequested: boolean;
  /** TLS 1.3: the server Finished matched the key schedule. TLS 1.2: always false (not computed). */
  readonly finishedVerified: boolean;
  /** Handshake messages read from the server, by name, in order (over QUIC: Initial, then Handshake CRYPTO stream). */
  readonly serverMessages: readonly string[];
  /** What went wrong, when something did (connect error, protocol error, decrypt failure). */
  readonly error?: string;
  /** The ClientHello(s) sent: the first one, and the second after a HelloRetryRequest. */
  readonly sent: readonly ClientHello[];
  /** Bytes received in total. */
  readonly bytesReceived: number;
  /** The server's RFC violations, in the order seen; empty when none (docs/violations.md). */
  readonly violations: readonly ServerViolation[];
  /** The violation the probe aborted on and the alert it sent (over QUIC, in its CONNECTION_CLOSE), when it did. */
  readonly abort?: ViolationAbort;
  /** One sentence: what happened and what it means. */
  readonly conclusion: string;
}
