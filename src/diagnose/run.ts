/**
 * Running a plan: probes go out concurrently (bounded), each answer is kept, and the
 * interpretation turns them into findings.
 */
import { interpret, type ProbeRun } from './interpret.ts';
import { diagnosePlan } from './plan.ts';
import type { Diagnosis, ProbeAnswer, ProbeFn, ProbeSpec } from './types.ts';

/** Options for {@link diagnose}. */
export interface DiagnoseOptions {
  /** `host:port` as shown in the report. */
  readonly target: string;
  /** The name to send as SNI (null: none to send). */
  readonly serverName: string | null;
  /** An IP literal for the `sni.ip` probe (default 127.0.0.1). */
  readonly ipLiteral?: string;
  /** How many probes run at once (default 8). */
  readonly concurrency?: number;
  /** Called when a probe starts or ends. */
  readonly onProgress?: (progress: DiagnoseProgress) => void;
  /** Checked before each probe starts; true stops starting new ones (the time budget ran out). */
  readonly shouldStop?: () => boolean;
  /** Milliseconds since some fixed point (default Date.now). */
  readonly now?: () => number;
  /** The wall-clock time certificates are checked against, ms since the epoch (default Date.now()). */
  readonly checkedAt?: number;
  /**
   * How many times a probe answered by a reset, or by a close before the server sent a byte,
   * is sent again (default 2, 50 ms then 100 ms apart). A server out of connections drops the
   * extra ones that way, and the diagnosis should not read that as intolerance; a server that
   * does it every time still gets the same answer.
   */
  readonly retries?: number;
  /** The plan to run (default {@link diagnosePlan}). */
  readonly plan?: readonly ProbeSpec[];
}

/**
 * A reset, or a close before the server sent anything: says nothing sure about the hello. A
 * server out of connections (nginx past worker_connections, a per-address limit) drops the
 * extra ones that way; a refusal comes as an alert. Diagnose and scan send such probes again.
 */
export function silentFailure(answer: Pick<ProbeAnswer, 'outcome' | 'bytesReceived'>): boolean {
  return answer.outcome === 'reset' || (answer.outcome === 'closed' && answer.bytesReceived === 0);
}

/** Where a diagnosis is. */
export interface DiagnoseProgress {
  readonly done: number;
  readonly total: number;
  readonly running: readonly string[];
}

/**
 * Runs `probe` over the plan with at most `concurrency` probes in flight, then interprets
 * the answers. The baseline goes first: when it cannot even connect, nothing else is sent.
 * A probe that throws is a tool failure: the error propagates.
 * @example const d = await diagnose(fakeProbe, { target: 'example.test:443', serverName: 'example.test' });
 */
export async function diagnose(probe: ProbeFn, options: DiagnoseOptions): Promise<Diagnosis> {
  const now = options.now ?? Date.now;
  const started = now();
  const concurrency = options.concurrency ?? 8;
  const retries = options.retries ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`"concurrency" expected a positive integer, got ${concurrency}`);
  }
  const plan = options.plan ?? diagnosePlan({ serverName: options.serverName, ipLiteral: options.ipLiteral });
  const runs: (ProbeRun | undefined)[] = new Array(plan.length);
  const skipped: string[] = [];
  const running = new Set<string>();
  let done = 0;
  const report = () => options.onProgress?.({ done, total: plan.length, running: [...running] });

  const runOne = async (index: number): Promise<void> => {
    const spec = plan[index];
    if (options.shouldStop?.()) {
      skipped.push(spec.id);
      return;
    }
    running.add(spec.id);
    report();
    let answer = await probe(spec);
    for (let attempt = 0; attempt < retries && silentFailure(answer); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      answer = await probe(spec);
    }
    runs[index] = { spec, answer };
    running.delete(spec.id);
    done++;
    report();
  };

  const baselineIndex = plan.findIndex((p) => p.id === 'baseline');
  const rest = plan.map((_, i) => i).filter((i) => i !== baselineIndex);
  if (baselineIndex >= 0) {
    await runOne(baselineIndex);
    const outcome = runs[baselineIndex]?.answer.outcome;
    if (outcome === 'connect_failed' || outcome === 'not_tls') {
      for (const i of rest) skipped.push(plan[i].id);
      rest.length = 0;
    }
  }
  let next = 0;
  const worker = async () => {
    while (next < rest.length) {
      const i = rest[next++];
      await runOne(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rest.length) }, worker));

  const completed = runs.filter((r): r is ProbeRun => r !== undefined);
  return {
    target: options.target,
    serverName: options.serverName,
    findings: interpret(completed, options.checkedAt ?? Date.now()),
    probes: completed,
    skipped,
    elapsedMs: now() - started,
  };
}
