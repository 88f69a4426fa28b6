/**
 * The public shapes of a QUIC probe (`probeQuic()` in hellokit/node over UDP, and
 * {@link probeQuicDatagrams} over any datagram transport): what it takes and what it returns.
 * The fields every probe result has are `ProbeResultBase`'s (../result-base.ts), as for
 * `ProbeResult` over TCP.
 */

import type { ClientHelloOptions } from '../../builder/client-hello.ts';
import type { RandomSource } from '../../crypto/random.ts';
import type { QuicConnectionClose } from '../../quic/frames.ts';
import type {
  QuicDatagramRecord,
  QuicRetry,
  QuicStopReason,
  QuicVersionNegotiation,
} from '../../quic/types.ts';
import type { ProbeResultBase } from '../result-base.ts';
import type { CertificateSummary, HelloWithKeyShares } from '../types.ts';

/**
 * How a QUIC probe ends. The first five mean what they mean for `probe()` over TCP:
 * - `server_hello`, `hello_retry_request`, `alert` (a CONNECTION_CLOSE carrying a TLS alert,
 *   error code 0x0100 + alert), `timeout`, `connect_failed` (the datagram could not be sent,
 *   or ICMP port unreachable came back);
 * - `closed`: a CONNECTION_CLOSE with a transport error that is not a TLS alert;
 * - `version_negotiation`: the server does not speak the version offered and listed its own;
 * - `not_quic`: datagrams came back, none of them a QUIC packet for this connection.
 */
export type QuicProbeOutcome =
  | 'server_hello'
  | 'hello_retry_request'
  | 'alert'
  | 'closed'
  | 'timeout'
  | 'connect_failed'
  | 'version_negotiation'
  | 'not_quic';

/** Options of `probeQuic()` (hellokit/node, over UDP) and {@link probeQuicDatagrams}. */
export interface QuicProbeOptions {
  /**
   * The hello: a built ClientHello, or `clientHello()` options. Options get QUIC defaults
   * unless they set them: TLS 1.3 only, ALPN `h3`, an empty legacy_session_id (RFC 9001 §8.4)
   * and a quic_transport_parameters extension (0x39) naming this probe's Source Connection ID.
   * A built hello is sent as it is: it needs its own quic_transport_parameters (with
   * initial_source_connection_id equal to `sourceConnectionId`) for a server to accept it.
   */
  readonly hello?: HelloWithKeyShares | ClientHelloOptions;
  /** SNI for the built hello (overrides `hello.serverName` for options; ignored for a built hello). */
  readonly serverName?: string | null;
  /** QUIC version in the long header (default 1). v1 and v2 are sealed with their own Initial keys; any other value asks for Version Negotiation. */
  readonly version?: number;
  /** The client's Source Connection ID (default 8 random bytes). */
  readonly sourceConnectionId?: Uint8Array;
  /** The Destination Connection ID the Initial keys come from (default 8 random bytes; at least 8 bytes, RFC 9000 §7.2). */
  readonly destinationConnectionId?: Uint8Array;
  /** Whole-probe limit, ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Longest silence after the last datagram sent or received, ms (default 5 000, never above `timeoutMs`). */
  readonly idleTimeoutMs?: number;
  /** Wait this long for a first answer before sending the Initial again, doubling each time (default 1 000). */
  readonly resendAfterMs?: number;
  /** How many times the first Initial is resent while the server is silent (default 2, at most 5). */
  readonly maxResends?: number;
  /** Most bytes read from the server (default 256 KiB). */
  readonly maxBytes?: number;
  /** Most datagrams read from the server (default 64). */
  readonly maxDatagrams?: number;
  /**
   * Decrypt the server's Handshake packets (default true) to read EncryptedExtensions (the ALPN
   * chosen), the certificates and the Finished. `false` stops at the ServerHello.
   */
  readonly decrypt?: boolean;
  /**
   * Abort on a server violation where a client must (default true): the CONNECTION_CLOSE
   * carries the alert. `false` records it and reads on (docs/violations.md).
   */
  readonly abortOnViolation?: boolean;
  /** Receives NSS key log lines (SSLKEYLOGFILE format) as the TLS secrets become known. */
  readonly keylog?: (line: string) => void;
  /** Answer a HelloRetryRequest once with a second ClientHello in the Initial CRYPTO stream (default true). */
  readonly retryOnHelloRetryRequest?: boolean;
  /** Randomness for connection IDs and the key share made after a HelloRetryRequest (default the system CSPRNG). */
  readonly random?: RandomSource;
  /** Bind the local end to this address (hellokit/node's UDP socket; default: the OS picks). */
  readonly localAddress?: string;
}

/** Timings, in ms since the probe started. */
export interface QuicProbeTimings {
  /** The first datagram from the server arrived at (null when none came). */
  readonly firstByteMs: number | null;
  readonly totalMs: number;
}

/** What a QUIC probe found: the fields every probe result has, and those of QUIC. */
export interface QuicProbeResult<C = CertificateSummary>
  extends ProbeResultBase<C, QuicProbeOutcome, QuicStopReason> {
  readonly transport: 'quic';
  readonly connectionClose?: QuicConnectionClose;
  readonly versionNegotiation?: QuicVersionNegotiation;
  /**
   * A Version Negotiation the probe discarded because it lists the version sent (RFC 9000
   * §6.2: a client ignores it); the versions it listed.
   */
  readonly ignoredVersionNegotiation?: QuicVersionNegotiation;
  readonly retry?: QuicRetry;
  /** The QUIC version the probe sent. */
  readonly quicVersion: number;
  readonly connectionIds: {
    /** The Destination Connection ID of the first Initial (the Initial keys' input). */
    readonly originalDestination: Uint8Array;
    readonly source: Uint8Array;
    /** The server's Source Connection ID, once one of its Initials was opened. */
    readonly server?: Uint8Array;
  };
  readonly timings: QuicProbeTimings;
  readonly transcript: readonly QuicDatagramRecord[];
  readonly datagramsReceived: number;
  readonly datagramsSent: number;
}
