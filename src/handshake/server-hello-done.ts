/** ServerHelloDone (RFC 5246 §7.4.5): an empty body. */
import type { Reader } from '../bytes/reader.ts';

/** A ServerHelloDone. */
export interface ServerHelloDone {
  readonly type: 'server_hello_done';
}

/** Reads a ServerHelloDone body, which must be empty. */
export function readServerHelloDoneBody(r: Reader): ServerHelloDone {
  r.done();
  return { type: 'server_hello_done' };
}
