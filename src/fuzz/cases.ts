/**
 * Fuzz cases and their tally, platform-neutral: case `S-17` is always the same mutation of the
 * same hello (its random source is seeded with the fuzz seed and the index, so it can be
 * replayed alone), an answer is classified by its outcome and alert, and the classes are
 * counted per mutator. Sending the cases is hellokit/node's `runFuzz`.
 */
import { MUTATORS, type Mutator, randomInt } from '../arbitraries/mutators.ts';
import { seededRandom } from '../crypto/random.ts';
import { encodeClientHello } from '../handshake/client-hello.ts';
import type { ClientHello } from '../handshake/types.ts';
import type { ProbeOutcome, ProbeResult } from '../probe/types.ts';

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

/**
 * How case `c` was answered by `result`: its outcome class, and whether that class differs from
 * the baseline's (`baselineClass`; nothing is interesting without one).
 */
export function fuzzCaseResult(c: FuzzCase, result: ProbeResult, baselineClass?: string): FuzzCaseResult {
  const cls = outcomeClass(result);
  return {
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
    interesting: baselineClass !== undefined && cls !== baselineClass,
    violations: (result.violations ?? []).map((v) => v.rule),
    totalMs: result.timings.totalMs,
  };
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
