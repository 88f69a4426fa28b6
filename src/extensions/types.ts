import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { EchOuterClientHello } from './ech.ts';
import type { KeyShareEntry } from './key-share.ts';

/** The messages that carry extensions (RFC 8446 §4.2 table), plus TLS 1.2's ServerHello. */
export type MessageContext =
  | 'client_hello'
  | 'server_hello'
  | 'hello_retry_request'
  | 'encrypted_extensions'
  | 'certificate'
  | 'certificate_request'
  | 'new_session_ticket';

/**
 * One extension as on the wire. `body` (extension_data) is the truth and is what gets
 * encoded; `value` is the typed view decoded from it, absent for unknown or GREASE types
 * (and, in lenient mode, when the body did not decode).
 */
export interface Extension<V = unknown> {
  /** ExtensionType code (IANA). */
  readonly type: number;
  /** extension_data, exactly as received or as encoded from a typed value. */
  readonly body: Uint8Array;
  /** Typed view of `body`. */
  readonly value?: V;
  /** Writes this number as the extension_data length instead of `body.length` (forgery). */
  readonly lengthOverride?: number;
}

/**
 * A row of the extension registry (BoringSSL's kExtensions, as data): how to read and
 * write one extension type in each message it may appear in.
 */
export interface ExtensionCodec<V = unknown> {
  readonly type: number;
  /** IANA name, e.g. `server_name`. */
  readonly name: string;
  /** Messages the extension may appear in (RFC 8446 §4.2); elsewhere it is `misplaced`. */
  readonly allowedIn: readonly MessageContext[];
  /** Reads the whole body; the caller checks that nothing is left over. */
  decode(r: Reader, context: MessageContext): V;
  /** Writes the body for `value`. */
  encode(w: Writer, value: V, context: MessageContext): void;
  /**
   * The ClientHello value the builder sends for this extension, from what it resolved from
   * its options; `null` when the options leave it out (then a raw body from
   * `extensionBodies`, if any, is sent instead). Rows without it are built from
   * {@link ExtensionCodec.clientHelloDefault} or a raw body.
   */
  readonly fromPlan?: (plan: HelloPlan) => V | null;
  /**
   * The ClientHello value of an extension that is the same for every client that sends it
   * (extended_master_secret, an empty session_ticket, status_request for OCSP), used when
   * the extension is in the builder's order and no raw body is given.
   */
  readonly clientHelloDefault?: V;
}

/**
 * What the ClientHello builder resolved from its options, as wire codes with GREASE values
 * already in place: the input of every registry row's `fromPlan`. `null` leaves the
 * extension out.
 */
export interface HelloPlan {
  /** server_name host_name (ASCII, RFC 6066 §3). */
  readonly serverName: string | null;
  readonly namedGroups: readonly number[] | null;
  /** key_share client_shares, in order (a GREASE entry included when placed). */
  readonly keyShares: readonly KeyShareEntry[] | null;
  readonly signatureAlgorithms: readonly number[] | null;
  /** supported_versions. */
  readonly versions: readonly number[] | null;
  /** ALPN ids as text (Latin-1 view, see `bytesOrText`) or bytes. */
  readonly alpn: readonly (string | Uint8Array)[] | null;
  readonly ecPointFormats: readonly number[] | null;
  readonly pskModes: readonly number[] | null;
  readonly certificateCompression: readonly number[] | null;
  /** An outer encrypted_client_hello (ECH GREASE). */
  readonly ech: EchOuterClientHello | null;
}
