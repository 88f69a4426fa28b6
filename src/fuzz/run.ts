/**
 * A fuzz run, platform-neutral: sends the unmutated hello once as the baseline, then N mutated
 * hellos (cases.ts draws them from the seed and the index) through the `send` function given,
 * within the pacer's bounds, classifies every answer and tallies mutator × outcome.
 * hellokit/node's `runFuzz` sends over sockets.
 */

import type { ClientHello } from '../handshake/types.ts';
import type { ProbeResult } from '../probe/types.ts';
import {
  FUZZ_DEFAULTS,
  FUZZ_MAX_RUNS,
  type FuzzCase,
  type FuzzCaseResult,
  type FuzzTable,
  fuzzCase,
  fuzzCaseResult,
  fuzzMutators,
  fuzzTable,
} from './cases.ts';
import { createPacer } from './pacer.ts';

/** Sends one case's bytes (split at its `writes`) within `timeoutMs` and reads the answer. */
export type SendFuzzBytes = (c: FuzzCase, timeoutMs: number) => Promise<ProbeResult>;

/** Options of a fuzz run ({@link runFuzzCases}, hellokit/node's `runFuzz`). */
export interface FuzzOptions {
  /** The unmutated hello (e.g. `clientHello({ seed })`). */
  readonly hello: ClientHello;
  /** What case ids start with; the random source of every case derives from it. */
  readonly seed: string;
  /** Cases to send, 1..FUZZ_MAX_RUNS (default 100). */
  readonly runs?: number;
  /** Mutator ids to draw from (default: every mutator that applies to the hello). */
  readonly mutators?: readonly string[];
  /** Connections at once (default 4). */
  readonly concurrency?: number;
  /** Connection starts per second (default 50). */
  readonly ratePerSecond?: number;
  /** Per-case limit, ms (default 3000). */
  readonly timeoutMs?: number;
  /** Called as each case is answered (in completion order). */
  readonly onCase?: (result: FuzzCaseResult, done: number) => void;
}

/** What a fuzz run found. */
export interface FuzzReport {
  readonly target: { readonly host: string; readonly port: number };
  readonly seed: string;
  readonly baseline: FuzzCaseResult & { readonly conclusion: string };
  /** In index order; empty when the baseline could not connect. */
  readonly cases: readonly FuzzCaseResult[];
  readonly table: FuzzTable;
  readonly elapsedMs: number;
}

/**
 * Sends the baseline, then `runs` mutated hellos through `send` to `target`, within the
 * concurrency and rate bounds, and tallies the answers. Every server behaviour is a result; only
 * bad options throw.
 * @example
 * const report = await runFuzzCases(send, { host: '127.0.0.1', port: 8443 }, { hello, seed: 's1', runs: 50 });
 * report.table.totals // { 'alert:decode_error': 31, server_hello: 12, timeout: 7 }
 * @throws {RangeError} for runs outside 1..FUZZ_MAX_RUNS, an unknown mutator, bad bounds
 */
export async function runFuzzCases(
  send: SendFuzzBytes,
  target: FuzzReport['target'],
  options: FuzzOptions,
): Promise<FuzzReport> {
  const runs = options.runs ?? FUZZ_DEFAULTS.runs;
  if (!Number.isInteger(runs) || runs < 1 || runs > FUZZ_MAX_RUNS)
    throw new RangeError(`"runs" expected 1..${FUZZ_MAX_RUNS}, got ${runs}`);
  const timeoutMs = options.timeoutMs ?? FUZZ_DEFAULTS.timeoutMs;
  const mutators = fuzzMutators(options.hello, options.mutators);
  const pace = createPacer(
    options.concurrency ?? FUZZ_DEFAULTS.concurrency,
    options.ratePerSecond ?? FUZZ_DEFAULTS.ratePerSecond,
  );
  const started = performance.now();
  const baselineCase = fuzzCase(options.hello, options.seed, 0, mutators);
  const baselineSent = await pace(async () => {
    const result = await send(baselineCase, timeoutMs);
    return { summary: fuzzCaseResult(baselineCase, result), result };
  });
  const baselineClass = baselineSent.summary.outcomeClass;
  const baseline = { ...baselineSent.summary, conclusion: baselineSent.result.conclusion };
  // Nothing listens there: sending N more connections would only repeat that.
  if (baselineSent.result.outcome === 'connect_failed') {
    return {
      target,
      seed: options.seed,
      baseline,
      cases: [],
      table: fuzzTable([]),
      elapsedMs: Math.round(performance.now() - started),
    };
  }

  const cases: FuzzCaseResult[] = new Array(runs);
  let done = 0;
  let next = 1;
  // As many workers as connections allowed; each takes the next index (no promise per case).
  const worker = async () => {
    while (next <= runs) {
      const index = next++;
      await pace(async () => {
        const c = fuzzCase(options.hello, options.seed, index, mutators);
        const summary = fuzzCaseResult(c, await send(c, timeoutMs), baselineClass);
        cases[index - 1] = summary;
        done++;
        options.onCase?.(summary, done);
      });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? FUZZ_DEFAULTS.concurrency }, worker));
  return {
    target,
    seed: options.seed,
    baseline,
    cases,
    table: fuzzTable(cases),
    elapsedMs: Math.round(performance.now() - started),
  };
}
