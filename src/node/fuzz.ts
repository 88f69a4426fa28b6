/**
 * The fuzz runner behind `hellokit fuzz`: sends the unmutated hello once as the baseline,
 * then N mutated hellos, each drawn from the seed and its index, classifies every answer
 * and tallies mutator × outcome. Case `S-17` is always the same mutation of the same hello:
 * its random source is seeded with the fuzz seed and the index, so it can be replayed alone.
 */
import { performance } from 'node:perf_hooks';
import { MUTATORS, type Mutator, randomInt } from '../arbitraries/mutators.ts';
import { seededRandom } from '../crypto/random.ts';
import { encodeClientHello } from '../handshake/client-hello.ts';
import type { ClientHello } from '../handshake/types.ts';
import { createPacer } from './fuzz-pacer.ts';
import { sendHelloBytes } from './fuzz-send.ts';
import { parseProbeTarget } from './probe.ts';
import type { ProbeOutcome, ProbeResult, ProbeTarget } from './probe-types.ts';

/** Most cases one run may send. */
export const FUZZ_MAX_RUNS = 100_000;
/** Defaults: modest, so a fuzz run never floods a server. */
export const FUZZ_DEFAULTS = {
  runs: 100,
  concurrency: 4,
  ratePerSecond: 50,
  timeoutMs: 3000,
} as const;

/** One mutated hello, ready to send. */
export interface FuzzCase {
  /** `SEED-INDEX`; index 0 is the unmutated baseline. */
  readonly id: string;
  readonly index: number;
  /** The mutator's id (`baseline` for index 0). */
  readonly mutator: string;
  /** What was broken, with field paths and offsets. */
  readonly description: string;
  readonly bytes: Uint8Array;
  /** TCP write split points, for mutations about writes. */
  readonly writes?: readonly number[];
}

/** The alert of an answer, names included. */
export interface FuzzAlert {
  readonly level: number;
  readonly description: number;
  readonly name: string;
}

/** How a case was answered. */
export interface FuzzCaseResult {
  readonly id: string;
  readonly index: number;
  readonly mutator: string;
  readonly description: string;
  readonly length: number;
  readonly outcome: ProbeOutcome;
  readonly alert?: FuzzAlert;
  /** `outcome`, with the alert name for alerts: `alert:decode_error`. What the table counts. */
  readonly outcomeClass: string;
  /** True when the class differs from the baseline's. */
  readonly interesting: boolean;
  /**
   * Rule ids of the server's RFC violations in its answer (`ProbeResult.violations`), checked
   * against the mutated hello as hellokit reads it (leniently: a server that reads a mangled
   * field otherwise may look like it broke a rule).
   */
  readonly violations: readonly string[];
  readonly totalMs: number;
}

/** Counts of mutator × outcome class. */
export interface FuzzTable {
  /** Outcome classes, as columns, sorted. */
  readonly classes: readonly string[];
  readonly rows: readonly {
    readonly mutator: string;
    readonly counts: Record<string, number>;
    readonly total: number;
  }[];
  /** Per class over all mutators. */
  readonly totals: Record<string, number>;
  readonly total: number;
}

/** Options of {@link runFuzz}. */
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

/** What {@link runFuzz} found. */
export interface FuzzReport {
  readonly target: { readonly host: string; readonly port: number };
  readonly seed: string;
  readonly baseline: FuzzCaseResult & { readonly conclusion: string };
  /** In index order; empty when the baseline could not connect. */
  readonly cases: readonly FuzzCaseResult[];
  readonly table: FuzzTable;
  readonly elapsedMs: number;
}

/** The mutators a run draws from, in table order. @throws {RangeError} for an unknown id or none applying */
export function fuzzMutators(hello: ClientHello, ids?: readonly string[]): readonly Mutator[] {
  const known = new Map(MUTATORS.map((m) => [m.id, m]));
  const chosen = ids
    ? ids.map((id) => {
        const m = known.get(id);
        if (!m) throw new RangeError(`unknown mutator ${JSON.stringify(id)}`);
        return m;
      })
    : MUTATORS;
  const applying = chosen.filter((m) => m.applies(hello));
  if (applying.length === 0) throw new RangeError('no chosen mutator applies to this hello');
  return applying;
}

/** `SEED-INDEX`. */
export function fuzzCaseId(seed: string, index: number): string {
  return `${seed}-${index}`;
}

/**
 * The seed and index of a case id (the index follows the last `-`).
 * @example parseFuzzCaseId('s1-17') // { seed: 's1', index: 17 }
 * @throws {RangeError} when the id has no `-INDEX`
 */
export function parseFuzzCaseId(id: string): { seed: string; index: number } {
  const at = id.lastIndexOf('-');
  const index = Number(id.slice(at + 1));
  if (at <= 0 || !/^\d+$/.test(id.slice(at + 1)) || index > FUZZ_MAX_RUNS)
    throw new RangeError(`a case id is SEED-INDEX with INDEX 0..${FUZZ_MAX_RUNS}, got ${JSON.stringify(id)}`);
  return { seed: id.slice(0, at), index };
}

/**
 * Case `index` of a run with `seed`: the mutator and its choices come from one random source
 * seeded with both, so the case is the same whatever ran before it.
 * @example fuzzCase(clientHello({ seed: 's1' }), 's1', 17).description
 */
export function fuzzCase(
  hello: ClientHello,
  seed: string,
  index: number,
  mutators: readonly Mutator[] = fuzzMutators(hello),
): FuzzCase {
  const id = fuzzCaseId(seed, index);
  if (index === 0) {
    return {
      id,
      index,
      mutator: 'baseline',
      description: 'the unmutated hello',
      bytes: encodeClientHello(hello),
    };
  }
  const random = seededRandom(`hellokit fuzz ${id}`);
  const mutator = mutators[randomInt(random, mutators.length)];
  const m = mutator.apply(hello, random);
  return {
    id,
    index,
    mutator: m.id,
    description: m.description,
    bytes: m.bytes,
    ...(m.writes && m.writes.length > 0 ? { writes: m.writes } : {}),
  };
}

/** `alert:NAME` for alerts, the outcome otherwise. */
export function outcomeClass(result: Pick<ProbeResult, 'outcome' | 'alert'>): string {
  return result.outcome === 'alert' && result.alert ? `alert:${result.alert.name}` : result.outcome;
}

/** Sends one case and classifies the answer; the full result comes along. */
export async function sendFuzzCase(
  target: ProbeTarget,
  c: FuzzCase,
  options: { readonly timeoutMs?: number; readonly baselineClass?: string } = {},
): Promise<{ summary: FuzzCaseResult; result: ProbeResult }> {
  const timeoutMs = options.timeoutMs ?? FUZZ_DEFAULTS.timeoutMs;
  const result = await sendHelloBytes(target, c.bytes, {
    timeoutMs,
    idleTimeoutMs: timeoutMs,
    ...(c.writes ? { writes: c.writes } : {}),
  });
  const cls = outcomeClass(result);
  const summary: FuzzCaseResult = {
    id: c.id,
    index: c.index,
    mutator: c.mutator,
    description: c.description,
    length: c.bytes.length,
    outcome: result.outcome,
    ...(result.alert
      ? {
          alert: {
            level: result.alert.level,
            description: result.alert.description,
            name: result.alert.name,
          },
        }
      : {}),
    outcomeClass: cls,
    interesting: options.baselineClass !== undefined && cls !== options.baselineClass,
    violations: (result.violations ?? []).map((v) => v.rule),
    totalMs: result.timings.totalMs,
  };
  return { summary, result };
}

/** The mutator × outcome class table of `cases`. */
export function fuzzTable(cases: readonly FuzzCaseResult[]): FuzzTable {
  const rows = new Map<string, Record<string, number>>();
  const totals: Record<string, number> = {};
  for (const c of cases) {
    const row = rows.get(c.mutator) ?? {};
    row[c.outcomeClass] = (row[c.outcomeClass] ?? 0) + 1;
    rows.set(c.mutator, row);
    totals[c.outcomeClass] = (totals[c.outcomeClass] ?? 0) + 1;
  }
  const order = new Map(MUTATORS.map((m, i) => [m.id, i]));
  return {
    classes: Object.keys(totals).sort(),
    rows: [...rows]
      .sort(([a], [b]) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || a.localeCompare(b))
      .map(([mutator, counts]) => ({
        mutator,
        counts,
        total: Object.values(counts).reduce((n, v) => n + v, 0),
      })),
    totals,
    total: cases.length,
  };
}

/**
 * Sends the baseline, then `runs` mutated hellos to `target`, within the concurrency and rate
 * bounds, and tallies the answers. Every server behaviour is a result; only bad options throw.
 * @example
 * const report = await runFuzz('127.0.0.1:8443', { hello: clientHello({ seed: 's1' }), seed: 's1', runs: 50 });
 * report.table.totals // { 'alert:decode_error': 31, server_hello: 12, timeout: 7 }
 * @throws {RangeError} for runs outside 1..FUZZ_MAX_RUNS, an unknown mutator, bad bounds
 */
export async function runFuzz(target: ProbeTarget, options: FuzzOptions): Promise<FuzzReport> {
  const address = parseProbeTarget(target);
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
  const baselineSent = await pace(() => sendFuzzCase(address, baselineCase, { timeoutMs }));
  const baselineClass = baselineSent.summary.outcomeClass;
  const baseline = { ...baselineSent.summary, conclusion: baselineSent.result.conclusion };
  // Nothing listens there: sending N more connections would only repeat that.
  if (baselineSent.result.outcome === 'connect_failed') {
    return {
      target: address,
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
        const { summary } = await sendFuzzCase(address, c, { timeoutMs, baselineClass });
        cases[index - 1] = summary;
        done++;
        options.onCase?.(summary, done);
      });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? FUZZ_DEFAULTS.concurrency }, worker));
  return {
    target: address,
    seed: options.seed,
    baseline,
    cases,
    table: fuzzTable(cases),
    elapsedMs: Math.round(performance.now() - started),
  };
}
