import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';

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
}
