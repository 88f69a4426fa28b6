/** Alert messages (RFC 8446 §6): `AlertLevel level; AlertDescription description`. */
import { Reader, type ReaderOptions } from '../bytes/reader.ts';
import { CONTENT_TYPES, type TLSPlaintext } from './record.ts';

/** AlertLevel codes. */
export const ALERT_LEVELS = { warning: 1, fatal: 2 } as const;

/** One alert. Codes are numbers (the IANA names live in the iana layer). */
export interface Alert {
  /** 1 warning, 2 fatal. */
  readonly level: number;
  /** AlertDescription code, e.g. 40 handshake_failure, 80 internal_error. */
  readonly description: number;
}

/**
 * Decodes an alert record's fragment: exactly two bytes. Strict mode rejects a level other
 * than warning/fatal (`illegal_parameter`).
 * @example decodeAlert(new Uint8Array([2, 40])) // { level: 2, description: 40 }
 * @throws {DecodeError}
 */
export function decodeAlert(bytes: Uint8Array, options: ReaderOptions = {}): Alert {
  const r = new Reader(bytes, { path: ['alert'], ...options });
  return readAlert(r);
}

/** Reads one alert from `r` and checks that nothing follows. */
export function readAlert(r: Reader): Alert {
  const levelAt = r.pos;
  const level = r.u8('level');
  const description = r.u8('description');
  if (level !== ALERT_LEVELS.warning && level !== ALERT_LEVELS.fatal) {
    r.problem('illegal-value', `alert level ${level} is neither warning (1) nor fatal (2)`, {
      at: levelAt,
      field: 'level',
    });
  }
  r.done();
  return { level, description };
}

/** The two bytes of an alert. */
export function encodeAlert(alert: Alert): Uint8Array {
  return new Uint8Array([alert.level, alert.description]);
}

/**
 * An alert record.
 * @example alertRecord({ level: 2, description: 40 }) // 15 03 03 00 02 02 28
 */
export function alertRecord(alert: Alert, version = 0x0303): TLSPlaintext {
  return { contentType: CONTENT_TYPES.alert, version, fragment: encodeAlert(alert) };
}
