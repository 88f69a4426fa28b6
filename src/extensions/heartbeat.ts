import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import type { ExtensionCodec } from './types.ts';

/** heartbeat: `HeartbeatMode mode` (RFC 6520 §2). */
export interface HeartbeatExtension {
  /** 1 peer_allowed_to_send, 2 peer_not_allowed_to_send. */
  readonly mode: number;
}

/** heartbeat (15). An unknown mode is `illegal_parameter` (RFC 6520 §2). */
export const heartbeatCodec: ExtensionCodec<HeartbeatExtension> = {
  type: 15,
  name: 'heartbeat',
  allowedIn: ['client_hello', 'server_hello', 'encrypted_extensions'],
  decode(r: Reader): HeartbeatExtension {
    const at = r.pos;
    const mode = r.u8('mode');
    if (mode !== 1 && mode !== 2) r.problem('illegal-value', `heartbeat mode ${mode} is not 1 or 2`, { at });
    return { mode };
  },
  encode(w: Writer, value: HeartbeatExtension): void {
    w.u8(value.mode, 'mode');
  },
};
