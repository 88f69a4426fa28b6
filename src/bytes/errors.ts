/**
 * Errors raised by hellokit's codecs.
 *
 * Decoding throws only {@link DecodeError}. It names what went wrong (`code`), where
 * (`offset` into the input and a field `path` such as
 * `client_hello.extensions[3].server_name.host_name`), and the alert a strict TLS peer
 * would send for the same fault (RFC 8446 §6.2).
 */

/** Why a decode failed. */
export type DecodeErrorCode =
  | 'truncated'
  | 'trailing'
  | 'bad-length'
  | 'empty-list'
  | 'duplicate'
  | 'misplaced'
  | 'missing'
  | 'illegal-value'
  | 'too-large'
  | 'unexpected-message'
  | 'not-tls';

/**
 * The alerts a decoder may name, by their IANA names. The codes live in the one alert table,
 * `ALERT` in iana/alerts.ts (which also checks at compile time that every name here is an IANA
 * name): `ALERT[error.alert]` or `lookupAlert(error.alert)` gives the code.
 */
export type DecodeAlert =
  | 'unexpected_message'
  | 'bad_record_mac'
  | 'record_overflow'
  | 'handshake_failure'
  | 'illegal_parameter'
  | 'decode_error'
  | 'protocol_version'
  | 'internal_error'
  | 'missing_extension'
  | 'unsupported_extension'
  | 'unrecognized_name';

/** One element of a field path: a field name or a list index. */
export type PathSegment = string | number;

/** Renders path segments as `a.b[3].c`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out === '' ? '(root)' : out;
}

/** A fault found while decoding, as thrown by {@link DecodeError} or collected in lenient mode. */
export interface Problem {
  readonly code: DecodeErrorCode;
  readonly offset: number;
  readonly path: string;
  readonly alert: DecodeAlert;
  readonly detail: string;
}

/**
 * The one error type decoders throw.
 * @example
 * try { parseClientHello(bytes) } catch (e) { if (e instanceof DecodeError) console.log(e.path, e.offset, e.alert) }
 */
export class DecodeError extends Error implements Problem {
  override readonly name: 'DecodeError' = 'DecodeError';
  readonly code: DecodeErrorCode;
  readonly offset: number;
  readonly path: string;
  /** The alert a strict peer would send, by its IANA name (its code: `ALERT[e.alert]`). */
  readonly alert: DecodeAlert;
  readonly detail: string;

  constructor(problem: Problem) {
    super(
      `${problem.path} at offset ${problem.offset}: ${problem.detail} (${problem.code}, alert ${problem.alert})`,
    );
    this.code = problem.code;
    this.offset = problem.offset;
    this.path = problem.path;
    this.alert = problem.alert;
    this.detail = problem.detail;
  }
}

/** Thrown when a value cannot be written: content longer than its length prefix allows. */
export class EncodeError extends Error {
  override readonly name: 'EncodeError' = 'EncodeError';
  readonly path: string;
  constructor(path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.path = path;
  }
}

/** The default alert for each error code, as BoringSSL defaults parse failures to decode_error. */
export const DEFAULT_ALERT: Readonly<Record<DecodeErrorCode, DecodeAlert>> = {
  truncated: 'decode_error',
  trailing: 'decode_error',
  'bad-length': 'decode_error',
  'empty-list': 'decode_error',
  duplicate: 'illegal_parameter',
  misplaced: 'illegal_parameter',
  missing: 'missing_extension',
  'illegal-value': 'illegal_parameter',
  'too-large': 'record_overflow',
  'unexpected-message': 'unexpected_message',
  'not-tls': 'decode_error',
};
