/**
 * `minimizeFuzzCase()`: fuzz/minimize.ts's delta debugging, with each candidate sent to a
 * real server through {@link sendFuzzCase}.
 */
import type { FuzzCase } from '../fuzz/cases.ts';
import { type MinimizedCase, type MinimizeOptions, minimizeCase } from '../fuzz/minimize.ts';
import { sendFuzzCase } from './fuzz.ts';
import type { ProbeTarget } from './probe-types.ts';

/**
 * Shrinks case `c`, whose answer from `target` was `outcomeClass`, to the smallest bytes found
 * that still get that answer. Sends at most `maxProbes` candidates, within the same bounds as a run.
 * @example
 * const small = await minimizeFuzzCase('127.0.0.1:8443', c, 'alert:decode_error');
 * small.bytes.length <= c.bytes.length // true
 */
export function minimizeFuzzCase(
  target: ProbeTarget,
  c: FuzzCase,
  outcomeClass: string,
  options: MinimizeOptions = {},
): Promise<MinimizedCase> {
  const send = async (candidate: FuzzCase, timeoutMs: number) =>
    (await sendFuzzCase(target, candidate, { timeoutMs })).summary;
  return minimizeCase(c, outcomeClass, send, options);
}
