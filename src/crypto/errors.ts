/**
 * Errors raised by hellokit's crypto layer.
 *
 * A fault caused by the peer's bytes (a bad key share, a record that fails its tag) is a
 * {@link CryptoError} carrying the alert a TLS implementation would send. Asking for
 * something hellokit cannot do (a group or cipher suite without an implementation) is an
 * {@link UnsupportedError}, a `RangeError` so it groups with the other API-misuse errors.
 */
import type { DecodeAlert } from '../bytes/errors.ts';
import { ALERT, type AlertName } from '../iana/alerts.ts';
import type { Satisfies } from '../iana/satisfies.ts';

/**
 * The alerts the crypto layer names: a decoder's, and decrypt_error (a record or signature that
 * fails to verify); their codes come from the one alert table, `ALERT` in iana/alerts.ts.
 */
export type CryptoAlert = DecodeAlert | 'decrypt_error';
type _CheckCryptoAlerts = Satisfies<CryptoAlert, AlertName>;

/**
 * A fault in bytes received from the peer, named by the alert a strict peer would send.
 * @example
 * try { decryptRecord(state, header, body) } catch (e) { if (e instanceof CryptoError) console.log(e.alert) } // 'bad_record_mac'
 */
export class CryptoError extends Error {
  override readonly name: 'CryptoError' = 'CryptoError';
  /** The alert a strict peer would send for this fault. */
  readonly alert: CryptoAlert;
  /** The alert's IANA code. */
  readonly alertCode: number;
  constructor(alert: CryptoAlert, message: string) {
    super(`${message} (${alert})`);
    this.alert = alert;
    this.alertCode = ALERT[alert];
  }
}

/** What kind of registry entry an {@link UnsupportedError} is about. */
export type UnsupportedKind = 'group' | 'cipher_suite';

/**
 * A named group or cipher suite that hellokit knows of but cannot compute with.
 * @example
 * try { generateKeyShare(0x6399) } catch (e) { if (e instanceof UnsupportedError) console.log(e.kind, e.code) }
 */
export class UnsupportedError extends RangeError {
  override readonly name: 'UnsupportedError' = 'UnsupportedError';
  readonly kind: UnsupportedKind;
  /** The IANA code point that was asked for. */
  readonly code: number;
  constructor(kind: UnsupportedKind, code: number, message: string) {
    super(message);
    this.kind = kind;
    this.code = code;
  }
}

/** `0x001d`-style rendering of a 16-bit code point for messages. */
export function hex16(code: number): string {
  return `0x${code.toString(16).padStart(4, '0')}`;
}
