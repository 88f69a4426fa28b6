/**
 * A JSON-ready view of a {@link ProbeResult}: bytes become lower-case hex strings, so
 * `JSON.stringify(probeResultToJson(r))` is safe to print. The private key shares of the
 * hellos sent are left out.
 */
import { jsonView } from '../bytes/json-view.ts';
import type { ProbeResult } from './probe-types.ts';

/** `T` with every `Uint8Array` replaced by its hex string, recursively. */
export type Jsonified<T> = T extends Uint8Array
  ? string
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/**
 * The result with bytes as hex.
 * @example console.log(JSON.stringify(probeResultToJson(await probe('127.0.0.1:8443')), null, 2));
 */
export function probeResultToJson(result: ProbeResult): Jsonified<ProbeResult> {
  // a built hello carries the private halves of its key shares: never print those
  const sent = result.sent.map((h) => {
    const { keyShares: _private, ...hello } = h as typeof h & { keyShares?: unknown };
    return hello;
  });
  return jsonView({ ...result, sent }) as Jsonified<ProbeResult>;
}
