/**
 * The fuzz runner behind `hellokit fuzz` over sockets: fuzz/run.ts's run, each case sent to the
 * target with {@link sendHelloBytes}.
 */
import { FUZZ_DEFAULTS, type FuzzCase, type FuzzCaseResult, fuzzCaseResult } from '../fuzz/cases.ts';
import { type FuzzOptions, type FuzzReport, runFuzzCases } from '../fuzz/run.ts';
import { sendHelloBytes } from './fuzz-send.ts';
import { parseProbeTarget } from './probe.ts';
import type { ProbeResult, ProbeTarget } from './probe-types.ts';

/** Case `c`'s bytes to `target`, split at its writes, within `timeoutMs`. */
function sendCase(target: ProbeTarget, c: FuzzCase, timeoutMs: number): Promise<ProbeResult> {
  return sendHelloBytes(target, c.bytes, {
    timeoutMs,
    idleTimeoutMs: timeoutMs,
    ...(c.writes ? { writes: c.writes } : {}),
  });
}

/** Sends one case and classifies the answer; the full result comes along. */
export async function sendFuzzCase(
  target: ProbeTarget,
  c: FuzzCase,
  options: { readonly timeoutMs?: number; readonly baselineClass?: string } = {},
): Promise<{ summary: FuzzCaseResult; result: ProbeResult }> {
  const result = await sendCase(target, c, options.timeoutMs ?? FUZZ_DEFAULTS.timeoutMs);
  return { summary: fuzzCaseResult(c, result, options.baselineClass), result };
}

/**
 * Sends the baseline, then `runs` mutated hellos to `target`, within the concurrency and rate
 * bounds, and tallies the answers. Every server behaviour is a result; only bad options throw.
 * @example
 * const report = await runFuzz('127.0.0.1:8443', { hello: clientHello({ seed: 's1' }), seed: 's1', runs: 50 });
 * report.table.totals // { 'alert:decode_error': 31, server_hello: 12, timeout: 7 }
 * @throws {TypeError} for a malformed target
 * @throws {RangeError} for runs outside 1..FUZZ_MAX_RUNS, an unknown mutator, bad bounds
 */
export function runFuzz(target: ProbeTarget, options: FuzzOptions): Promise<FuzzReport> {
  const address = parseProbeTarget(target);
  return runFuzzCases((c, timeoutMs) => sendCase(address, c, timeoutMs), address, options);
}
