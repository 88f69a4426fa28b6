/** KeyUpdate (RFC 8446 §4.6.3): one byte, update_not_requested (0) or update_requested (1). */
import type { Reader } from '../bytes/reader.ts';

/** A KeyUpdate. */
export interface KeyUpdate {
  readonly type: 'key_update';
  readonly requestUpdate: number;
}

/** Reads a KeyUpdate body; strict mode rejects a value other than 0 or 1 (`illegal_parameter`). */
export function readKeyUpdateBody(r: Reader): KeyUpdate {
  const at = r.pos;
  const requestUpdate = r.u8('request_update');
  if (requestUpdate > 1) {
    r.problem('illegal-value', `request_update ${requestUpdate} is neither 0 nor 1`, {
      at,
      field: 'request_update',
    });
  }
  r.done();
  return { type: 'key_update', requestUpdate };
}
