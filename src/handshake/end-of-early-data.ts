/** EndOfEarlyData (RFC 8446 §4.5): an empty body. */
import type { Reader } from '../bytes/reader.ts';

/** An EndOfEarlyData. */
export interface EndOfEarlyData {
  readonly type: 'end_of_early_data';
}

/** Reads an EndOfEarlyData body, which must be empty. */
export function readEndOfEarlyDataBody(r: Reader): EndOfEarlyData {
  r.done();
  return { type: 'end_of_early_data' };
}
