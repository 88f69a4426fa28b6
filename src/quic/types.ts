/**
 * The shapes a QUIC client session reports: its transcript of datagrams and packets, Version
 * Negotiation and Retry, why it stopped, and what it asks of the TLS engine it drives.
 */

/** Why a QUIC client session stopped reading (finer than a probe's `outcome`). */
export type QuicStopReason =
  /** The server's flight was read to its Finished (which `finishedVerified` says matched). */
  | 'complete'
  /** Stopped after the ServerHello: `decrypt` is false, or the Handshake keys could not be made. */
  | 'server_hello'
  | 'hello_retry_request'
  | 'alert'
  | 'connection_close'
  | 'version_negotiation'
  | 'timeout'
  | 'idle_timeout'
  | 'max_bytes'
  | 'max_datagrams'
  /** The server's Initial CRYPTO stream or packets broke the protocol. */
  | 'protocol_error'
  /** The server broke an RFC rule where a client aborts: the CONNECTION_CLOSE carries the alert (CRYPTO_ERROR). */
  | 'violation'
  | 'connect_failed'
  | 'socket_error';

/** One QUIC packet in a datagram, as far as the session could read it. */
export interface QuicPacketRecord {
  /** `initial`, `0rtt`, `handshake`, `retry`, `version_negotiation`, `1rtt` (short header) or `unknown`. */
  readonly type: string;
  /** Bytes of the packet in the datagram. */
  readonly length: number;
  /** For Initial packets the probe opened (sent ones always). */
  readonly packetNumber?: number;
  /** Frame names of an opened Initial packet, in order (runs of padding count once). */
  readonly frames?: readonly string[];
  /** Why the packet was not read (cannot decrypt, malformed, ...). */
  readonly note?: string;
}

/** One datagram sent or received. */
export interface QuicDatagramRecord {
  readonly direction: 'sent' | 'received';
  /** Milliseconds since the probe started. */
  readonly atMs: number;
  /** Bytes in the UDP payload. */
  readonly size: number;
  readonly packets: readonly QuicPacketRecord[];
}

/** A Version Negotiation packet (RFC 9000 §17.2.1). */
export interface QuicVersionNegotiation {
  /** The versions the server listed, in its order. */
  readonly versions: readonly number[];
  /** `QUIC v1`, `QUIC v2`, `draft-29`, or hex. */
  readonly versionNames: readonly string[];
}

/** A Retry packet (RFC 9000 §17.2.5) the probe followed. */
export interface QuicRetry {
  readonly token: Uint8Array;
  /** The server's new Source Connection ID (the Initial keys are derived from it). */
  readonly sourceConnectionId: Uint8Array;
  /** The Retry Integrity Tag matched (RFC 9001 §5.8). */
  readonly integrityVerified: boolean;
}

/** A TLS alert carried by a CONNECTION_CLOSE's CRYPTO_ERROR (RFC 9001 §4.8): always fatal, never encrypted. */
export interface QuicTlsAlert {
  readonly level: number;
  readonly levelName: string;
  readonly description: number;
  readonly name: string;
  readonly encrypted: boolean;
}

/**
 * What a QUIC client session needs of the TLS client it drives (hellokit's probe engine, or
 * any other): TLS records in, TLS records out (a second ClientHello after a
 * HelloRetryRequest), and what it learned. The session hands it the server's CRYPTO streams
 * as TLS handshake records: the Initial stream in plaintext records, the Handshake stream in
 * TLS 1.3 records sealed with the server handshake traffic secret the engine logs.
 */
export interface QuicTlsEngine {
  receive(records: Uint8Array, atMs: number): { readonly send: readonly Uint8Array[] };
  readonly done: boolean;
  /** Why the engine stopped: the session goes on reading only for `complete`, `server_hello`, `hello_retry_request`. */
  readonly stopReason: string | null;
  readonly error?: string;
  readonly serverHello?: { readonly cipherSuite: number };
  /** The server violation the engine aborted on, with the alert to send. */
  readonly abortedOn?: {
    readonly rule: string;
    readonly rfc: string;
    readonly alert: { readonly description: number };
  };
  /** Stops the engine when the session stops. */
  stop(reason: 'complete'): void;
}

/** Options of a {@link QuicClientSession}. */
export interface QuicClientSessionOptions {
  /** The long-header version sent: v1 and v2 use their own Initial keys; any other is sealed with v1's (to ask for Version Negotiation). */
  readonly version: number;
  /** The Destination Connection ID of the first Initial (the Initial keys' input). */
  readonly destinationConnectionId: Uint8Array;
  readonly sourceConnectionId: Uint8Array;
  /** Receives NSS key log lines as the TLS secrets become known. */
  readonly keylog?: (line: string) => void;
}

/** What the driver should do after a datagram. */
export interface QuicStep {
  readonly send: readonly Uint8Array[];
  readonly done: boolean;
}
