/**
 * `sendHelloBytes()`: {@link probe} with raw `bytes`, in the shape the fuzzer uses. A mutated
 * hello often does not parse; probe() writes the bytes exactly, split where asked, reads the
 * answer and stops after the ServerHello (no decryption, no HelloRetryRequest answer).
 */
import { probe } from './probe.ts';
import type { ProbeResult, ProbeTarget } from './probe-types.ts';

/** Options of {@link sendHelloBytes}. */
export interface SendHelloBytesOptions {
  /** Byte offsets where the bytes are cut into separate TCP writes. */
  readonly writes?: readonly number[];
  /** Whole-exchange limit in ms (default 10 000, as `probe()`). */
  readonly timeoutMs?: number;
  /** Longest silence once connected, in ms (default 5 000, never above `timeoutMs`). */
  readonly idleTimeoutMs?: number;
  /** Most bytes read (default 256 KiB). */
  readonly maxBytes?: number;
}

/**
 * Sends `bytes` (one or more TLS records, valid or not) to `target` and reports the answer as
 * a {@link ProbeResult}: `probe(target, { bytes, write: { splitAt: writes }, ... })`. `sent`
 * holds the hello when the bytes parse (leniently), else nothing.
 * @example
 * const r = await sendHelloBytes('127.0.0.1:8443', mutation.bytes, { timeoutMs: 2000 });
 * r.outcome // 'alert'
 * r.alert?.name // 'decode_error'
 * @throws {TypeError|RangeError} for a malformed target, option or split point
 */
export function sendHelloBytes(
  target: ProbeTarget,
  bytes: Uint8Array,
  options: SendHelloBytesOptions = {},
): Promise<ProbeResult> {
  const { writes, ...bounds } = options;
  return probe(target, {
    bytes,
    ...(writes && writes.length > 0 ? { write: { splitAt: writes } } : {}),
    ...bounds,
  });
}
