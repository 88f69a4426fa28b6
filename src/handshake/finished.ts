/** Finished (RFC 8446 §4.4.4, RFC 5246 §7.4.9): verify_data fills the body. */
import type { Reader } from '../bytes/reader.ts';

/** A Finished. */
export interface Finished {
  readonly type: 'finished';
  /** 12 bytes in TLS 1.2, the hash length in TLS 1.3. */
  readonly verifyData: Uint8Array;
}

/** Reads a Finished body. */
export function readFinishedBody(r: Reader): Finished {
  return { type: 'finished', verifyData: r.rest() };
}
