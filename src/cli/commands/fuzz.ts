import { randomBytes } from 'node:crypto';
import { MUTATORS } from '../../arbitraries/mutators.ts';
import { type BuiltClientHello, clientHello } from '../../builder/client-hello.ts';
import { toHex } from '../../bytes/hex.ts';
import { jsonText } from '../../bytes/json-view.ts';
import { endpointText } from '../../capture/ip.ts';
import {
  FUZZ_DEFAULTS,
  FUZZ_MAX_RUNS,
  type FuzzCaseResult,
  type FuzzTable,
  fuzzCase,
  fuzzMutators,
  parseFuzzCaseId,
} from '../../fuzz/cases.ts';
import type { MinimizedCase, MinimizeOptions } from '../../fuzz/minimize.ts';
import { runFuzz, sendFuzzCase } from '../../node/fuzz.ts';
import { minimizeFuzzCase } from '../../node/fuzz-minimize.ts';
import { parseProbeTarget } from '../../node/probe.ts';
import type { ProbeResult } from '../../node/probe-types.ts';
import { durationFlag, type Flags, intFlag, parseFlags, stringFlag } from '../args.ts';
import type { Command, CommandIO } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { HELLO_FLAGS, helloOptionsFromFlags } from '../hello-flags.ts';
import { helloProblemsJson, unforgedHelloProblems, warnAboutHello } from '../hello-problems.ts';
import { schemaField, targetJson } from '../json-contract.ts';
import { Progress } from '../terminal.ts';
import { probeJson } from './probe.ts';

const FLAGS = {
  ...HELLO_FLAGS,
  runs: { type: 'string', value: 'N', help: `mutated hellos to send, 1..${FUZZ_MAX_RUNS} (default 100)` },
  seed: {
    type: 'string',
    value: 'S',
    help: 'seed of the hello and of every mutation; case ids are S-INDEX (default: a random seed, printed)',
  },
  mutators: { type: 'string', value: 'LIST', help: "mutator ids, ',' separated (default: all that apply)" },
  concurrency: { type: 'string', value: 'C', help: 'connections at once, 1..64 (default 4)' },
  rate: { type: 'string', value: 'R/s', help: 'connections started per second, 1..1000 (default 50)' },
  timeout: {
    type: 'string',
    value: 'TIME',
    help: 'per-case limit, 50ms..10m: 500ms, 3s; a bare number is seconds (default 3s)',
  },
  replay: { type: 'string', value: 'ID', help: 'resend case ID (S-INDEX) alone and print its full result' },
  minimize: {
    type: 'boolean',
    help: 'shrink an interesting case (the --replay one, else the first found) to its smallest bytes',
  },
  json: { type: 'boolean', help: 'print every case, the table and the baseline as JSON' },
} as const;

/** Most candidates `--minimize` sends. */
const MINIMIZE_PROBES = 200;

interface Settings {
  target: string;
  seed: string;
  runs: number;
  concurrency: number;
  ratePerSecond: number;
  timeoutMs: number;
  hello: BuiltClientHello;
  mutators: string[] | undefined;
  replay: number | undefined;
  minimize: boolean;
  json: boolean;
}

/** `--minimize` shrinks within the run's own bounds on the target. */
function minimizeOptions(s: Settings): MinimizeOptions {
  return {
    maxProbes: MINIMIZE_PROBES,
    concurrency: s.concurrency,
    ratePerSecond: s.ratePerSecond,
    timeoutMs: s.timeoutMs,
  };
}

function rateFlag(flags: Flags): number {
  const raw = stringFlag(flags, 'rate');
  if (raw === undefined) return FUZZ_DEFAULTS.ratePerSecond;
  const m = /^(\d+)(?:\/s)?$/.exec(raw.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  if (!(n >= 1 && n <= 1000))
    throw new UsageError(
      `fuzz: --rate expects connections per second 1..1000 (e.g. 50 or 50/s), got ${JSON.stringify(raw)}`,
    );
  return n;
}

function settings(argv: readonly string[]): Settings {
  const { flags, positionals } = parseFlags('fuzz', argv, FLAGS);
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'fuzz: needs the target, HOST[:PORT]'
        : `fuzz: one target only, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  const target = positionals[0];
  try {
    parseProbeTarget(target);
  } catch (e) {
    throw new UsageError(
      `fuzz: bad target ${JSON.stringify(target)}: ${(e as Error).message.replace(/^"target" /, '')}`,
    );
  }
  const runs = intFlag('fuzz', flags, 'runs', FUZZ_DEFAULTS.runs, 1, FUZZ_MAX_RUNS);
  const concurrency = intFlag('fuzz', flags, 'concurrency', FUZZ_DEFAULTS.concurrency, 1, 64);
  const ratePerSecond = rateFlag(flags);
  const timeoutMs = durationFlag('fuzz', flags, 'timeout', FUZZ_DEFAULTS.timeoutMs, 50, 600_000);

  let seed = stringFlag(flags, 'seed');
  if (seed !== undefined && !/^[\w.:]{1,64}$/.test(seed))
    throw new UsageError(
      `fuzz: --seed takes 1..64 letters, digits, '_', '.' or ':', got ${JSON.stringify(seed)}`,
    );
  const replayId = stringFlag(flags, 'replay');
  let replay: number | undefined;
  if (replayId !== undefined) {
    let parsed: { seed: string; index: number };
    try {
      parsed = parseFuzzCaseId(replayId);
    } catch (e) {
      throw new UsageError(`fuzz: --replay: ${(e as Error).message}`);
    }
    if (seed !== undefined && seed !== parsed.seed)
      throw new UsageError(`fuzz: --replay ${replayId} is a case of seed ${parsed.seed}, not --seed ${seed}`);
    seed = parsed.seed;
    replay = parsed.index;
  }
  seed ??= randomBytes(4).toString('hex');

  let mutators: string[] | undefined;
  const list = stringFlag(flags, 'mutators');
  if (list !== undefined) {
    mutators = list
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const known = new Set(MUTATORS.map((m) => m.id));
    const unknown = mutators.filter((id) => !known.has(id));
    if (mutators.length === 0 || unknown.length > 0)
      throw new UsageError(
        `fuzz: --mutators: ${mutators.length === 0 ? 'no mutator given' : `unknown ${unknown.join(', ')}`} (known: ${[...known].join(', ')})`,
      );
  }

  let hello: BuiltClientHello;
  try {
    hello = clientHello({ ...helloOptionsFromFlags('fuzz', flags), seed });
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) throw new UsageError(`fuzz: ${e.message}`);
    throw e;
  }
  try {
    fuzzMutators(hello, mutators);
  } catch (e) {
    throw new UsageError(`fuzz: --mutators: ${(e as Error).message}`);
  }
  return {
    target,
    seed,
    runs,
    concurrency,
    ratePerSecond,
    timeoutMs,
    hello,
    mutators,
    replay,
    minimize: flags.minimize === true,
    json: flags.json === true,
  };
}

function alertText(c: Pick<FuzzCaseResult, 'alert'>): string {
  return c.alert ? ` ${c.alert.name} (${c.alert.description})` : '';
}

/** The mutator × outcome table as aligned text columns. */
export function formatFuzzTable(table: FuzzTable): string {
  const header = ['mutator', ...table.classes, 'total'];
  const rows = table.rows.map((r) => [
    r.mutator,
    ...table.classes.map((c) => String(r.counts[c] ?? '')),
    String(r.total),
  ]);
  rows.push(['total', ...table.classes.map((c) => String(table.totals[c])), String(table.total)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function minimizedJson(m: MinimizedCase) {
  return {
    id: m.id,
    outcomeClass: m.outcomeClass,
    outcome: m.result.outcome,
    ...(m.result.alert ? { alert: m.result.alert } : {}),
    originalLength: m.originalLength,
    length: m.bytes.length,
    bytes: toHex(m.bytes),
    ...(m.writes ? { writes: m.writes } : {}),
    framing: m.framing,
    probes: m.probes,
    complete: m.complete,
  };
}

function minimizedText(m: MinimizedCase): string {
  return [
    `minimized ${m.id} (${m.outcomeClass}): ${m.originalLength} → ${m.bytes.length} bytes after ${m.probes} probes${m.complete ? '' : ' (probe budget spent, may shrink further)'}; framing kept: ${m.framing}`,
    `  outcome: ${m.result.outcome}${alertText(m.result)}`,
    `  bytes: ${toHex(m.bytes)}`,
    ...(m.writes ? [`  writes split at: ${m.writes.join(', ')}`] : []),
  ].join('\n');
}

function resultText(r: ProbeResult): string[] {
  const lines = [
    `  outcome: ${r.outcome}${r.alert ? ` — ${r.alert.levelName} alert ${r.alert.name} (${r.alert.description})` : ''} (stopped: ${r.stopReason})`,
    `  ${r.conclusion}`,
  ];
  if (r.error) lines.push(`  error: ${r.error}`);
  if (r.notTls) lines.push(`  first bytes: ${toHex(r.notTls.firstBytes)}`);
  lines.push(
    `  timings: connect ${r.timings.connectMs ?? '-'} ms, first byte ${r.timings.firstByteMs ?? '-'} ms, total ${r.timings.totalMs} ms; ${r.bytesReceived} bytes received`,
  );
  const shown = r.transcript.slice(0, 40);
  for (const t of shown) {
    const what = t.messages && t.messages.length > 0 ? ` [${t.messages.join(', ')}]` : '';
    lines.push(
      `  ${t.direction === 'sent' ? '→' : '←'} ${t.atMs.toFixed(1)} ms ${t.contentTypeName} ${t.length} bytes${what}`,
    );
  }
  if (r.transcript.length > shown.length)
    lines.push(`  … ${r.transcript.length - shown.length} more records`);
  return lines;
}

async function replay(s: Settings, index: number, io: CommandIO): Promise<number> {
  const mutators = fuzzMutators(s.hello, s.mutators);
  const baselineCase = fuzzCase(s.hello, s.seed, 0, mutators);
  const baseline = await sendFuzzCase(s.target, baselineCase, { timeoutMs: s.timeoutMs });
  if (baseline.result.outcome === 'connect_failed') return connectFailed(baseline.result, io);
  const c = fuzzCase(s.hello, s.seed, index, mutators);
  const { summary, result } = await sendFuzzCase(s.target, c, {
    timeoutMs: s.timeoutMs,
    baselineClass: baseline.summary.outcomeClass,
  });
  let minimized: MinimizedCase | null = null;
  if (s.minimize && summary.interesting) {
    minimized = await minimizeFuzzCase(s.target, c, summary.outcomeClass, minimizeOptions(s));
  }
  if (s.json) {
    io.out(
      jsonText({
        ...schemaField('fuzz'),
        target: targetJson(s.target),
        seed: s.seed,
        baseline: baseline.summary,
        case: { ...summary, bytes: toHex(c.bytes), ...(c.writes ? { writes: c.writes } : {}) },
        result: replayedResultJson(result),
        ...helloProblemsJson(unforgedHelloProblems(s.hello)),
        ...(s.minimize ? { minimized: minimized ? minimizedJson(minimized) : null } : {}),
      }),
    );
    return EXIT.ok;
  }
  const out = [
    `baseline ${baseline.summary.id}: ${baseline.summary.outcomeClass}`,
    `case ${c.id}: ${c.mutator} — ${c.description}`,
    `  ${summary.outcomeClass}${summary.interesting ? ' (differs from the baseline)' : ' (same as the baseline)'}`,
    ...resultText(result),
    `  bytes (${c.bytes.length}): ${toHex(c.bytes)}`,
    ...(c.writes ? [`  writes split at: ${c.writes.join(', ')}`] : []),
  ];
  if (s.minimize) {
    out.push(
      minimized ? minimizedText(minimized) : `nothing to minimize: ${c.id} is answered as the baseline is`,
    );
  }
  io.out(`${out.join('\n')}\n`);
  return EXIT.ok;
}

/** The baseline could not connect: no case is sent, and the target counts as unreachable. */
function connectFailed(r: { readonly conclusion: string }, io: CommandIO): number {
  io.err(`hellokit fuzz: ${r.conclusion}; no case sent\n`);
  return EXIT.unreachable;
}

/** An interesting case to shrink: an answer over silence when there is one (each timeout costs the whole limit). */
function caseToMinimize(cases: readonly FuzzCaseResult[]): FuzzCaseResult | undefined {
  const interesting = cases.filter((c) => c.interesting);
  return interesting.find((c) => c.outcome !== 'timeout') ?? interesting[0];
}

/** `hellokit fuzz HOST[:PORT]`: send mutated hellos, tally the outcomes. */
export const fuzzCommand: Command = {
  name: 'fuzz',
  summary: 'send mutated hellos (reproducible from --seed), tally mutator × outcome',
  usage:
    'fuzz HOST[:PORT] [--runs N] [--seed S] [--mutators LIST] [hello flags] [--concurrency C] [--rate R/s] [--timeout TIME] [--replay ID] [--minimize] [--json]',
  flags: FLAGS,
  async run(argv: readonly string[], io: CommandIO): Promise<number> {
    const s = settings(argv);
    // Only the seed hello: the cases are forged on purpose.
    const helloProblems = warnAboutHello(s.hello, s.json, io);
    if (s.replay !== undefined) return replay(s, s.replay, io);
    const progress = io.isTTY ? new Progress(io, s.runs, 'cases') : undefined;
    const report = await runFuzz(s.target, {
      hello: s.hello,
      seed: s.seed,
      runs: s.runs,
      ...(s.mutators ? { mutators: s.mutators } : {}),
      concurrency: s.concurrency,
      ratePerSecond: s.ratePerSecond,
      timeoutMs: s.timeoutMs,
      ...(progress ? { onCase: (_c: FuzzCaseResult, done: number) => progress.update(done) } : {}),
    });
    progress?.clear();
    if (report.baseline.outcome === 'connect_failed') return connectFailed(report.baseline, io);
    let minimized: MinimizedCase | null = null;
    const chosen = s.minimize ? caseToMinimize(report.cases) : undefined;
    if (chosen) {
      const mutators = fuzzMutators(s.hello, s.mutators);
      minimized = await minimizeFuzzCase(
        s.target,
        fuzzCase(s.hello, s.seed, chosen.index, mutators),
        chosen.outcomeClass,
        minimizeOptions(s),
      );
    }
    if (s.json) {
      io.out(
        jsonText({
          ...schemaField('fuzz'),
          target: targetJson(report.target),
          seed: report.seed,
          runs: s.runs,
          elapsedMs: report.elapsedMs,
          baseline: report.baseline,
          cases: report.cases,
          table: report.table,
          ...helloProblemsJson(helloProblems),
          ...(s.minimize ? { minimized: minimized ? minimizedJson(minimized) : null } : {}),
        }),
      );
      return EXIT.ok;
    }
    const interesting = report.cases.filter((c) => c.interesting);
    const violated = new Map<string, number>();
    for (const c of report.cases)
      for (const rule of c.violations) violated.set(rule, (violated.get(rule) ?? 0) + 1);
    const out = [
      `fuzz ${endpointText(report.target.host, report.target.port)}, seed ${report.seed}, ${s.runs} cases in ${(report.elapsedMs / 1000).toFixed(1)} s`,
      `baseline ${report.baseline.id} (${report.baseline.length} bytes, unmutated): ${report.baseline.outcomeClass} — ${report.baseline.conclusion}`,
      '',
      formatFuzzTable(report.table),
      '',
      `${interesting.length} case${interesting.length === 1 ? '' : 's'} answered differently from the baseline${interesting.length > 0 ? ':' : '.'}`,
      ...interesting
        .slice(0, 20)
        .map((c) => `  ${c.id}  ${c.outcome}${alertText(c)}  ${c.mutator}: ${c.description}`),
      ...(interesting.length > 20 ? [`  … ${interesting.length - 20} more (--json lists every case)`] : []),
      `replay one with: hellokit fuzz ${s.target} --replay ID (and the same hello flags and --mutators)`,
      ...[...violated].map(
        ([rule, n]) => `! server violation ${rule} in ${n} answer${n === 1 ? '' : 's'} (docs/violations.md)`,
      ),
    ];
    if (s.minimize)
      out.push(
        '',
        minimized
          ? minimizedText(minimized)
          : 'nothing to minimize: every case was answered as the baseline was',
      );
    io.out(`${out.join('\n')}\n`);
    return EXIT.ok;
  },
};

/** The replayed case's result: the `probe --json` object (its shapes), without its own schema field. */
function replayedResultJson(result: ProbeResult): Record<string, unknown> {
  const { schema: _schema, ...fields } = probeJson(result) as Record<string, unknown>;
  return fields;
}
