/**
 * Running a diagnosis in steps: find a hello the server accepts (the modern baseline, then
 * narrower ones); when the baseline was refused, bisect for the feature that makes the
 * difference; then send the variations of the working hello (concurrently, bounded), and
 * interpret what came back.
 */
import { acceptedAsOffered } from './answer.ts';
import { bisectRefusal, type Cause } from './bisect.ts';
import type { ProbeRun } from './finding.ts';
import { interpret } from './interpret.ts';
import { candidateHellos, type PlanOptions, TLS12, TLS13, type VariationId, variationPlan } from './plan.ts';
import { type DiscoveredChain, type Observations, spokenVersions, versionAccepted } from './rules.ts';
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
  /** The hellos tried until one is accepted (default {@link candidateHellos}). */
  readonly candidates?: readonly ProbeSpec[];
  /**
   * Finds every certificate chain the server has, starting from the hellos it accepted (one
   * per version it speaks); its probes count in the diagnosis. Without it, certificates are
   * read from the working hello and the hello without SNI.
   * @example diagnose(probe, { target, serverName, discoverCertificates })
   */
  readonly discoverCertificates?: (
    probe: ProbeFn,
    options: { readonly serverName: string | null; readonly accepted: readonly ProbeSpec[] },
  ) => Promise<readonly DiscoveredChain[]>;
}

/**
 * A reset, or a close before the server sent anything: says nothing sure about the hello. A
 * server out of connections (nginx past worker_connections, a per-address limit) drops the
 * extra ones that way; a refusal comes as an alert. Diagnose and scan send such probes again.
 */
export function silentFailure(answer: Pick<ProbeAnswer, 'outcome' | 'bytesReceived'>): boolean {
  return answer.outcome === 'reset' || (answer.outcome === 'closed' && answer.bytesReceived === 0);
}

/** Where a diagnosis is. `total` grows as steps decide what to send next. */
export interface DiagnoseProgress {
  readonly done: number;
  readonly total: number;
  readonly running: readonly string[];
}

/**
 * Hellos the server accepted, one per version it speaks (highest first): the working hello
 * for its own version, else the version probe that got it.
 */
export function acceptedHellos(o: Observations): ProbeSpec[] {
  const out: ProbeSpec[] = [];
  for (const version of spokenVersions(o)) {
    const run = [o.working, ...Object.values(o.variations)].find(
      (r) => r !== undefined && r.answer.serverHello?.version === version && versionAccepted(r, version),
    );
    if (run) out.push(run.spec);
  }
  return out;
}

/**
 * Diagnoses a server through `probe`: candidates one by one until one is accepted (nothing
 * more is sent when the first cannot connect or gets no TLS), the cause of a refused
 * baseline by bisection, the variations of the working hello, then the findings. A probe
 * that throws is a tool failure: the error propagates.
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
  const planOptions = { serverName: options.serverName, ipLiteral: options.ipLiteral } as const;
  const candidates = options.candidates ?? candidateHellos(planOptions);
  const all: ProbeRun[] = [];
  const skipped: string[] = [];
  const running = new Set<string>();
  let total = 1;
  const report = () => options.onProgress?.({ done: all.length, total, running: [...running] });

  /** One probe, sent again after a silent failure; undefined when the budget stopped it. */
  const send = async (spec: ProbeSpec): Promise<ProbeRun | undefined> => {
    if (options.shouldStop?.()) {
      skipped.push(spec.id);
      return undefined;
    }
    running.add(spec.id);
    report();
    let answer = await probe(spec);
    for (let attempt = 0; attempt < retries && silentFailure(answer); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      answer = await probe(spec);
    }
    const run = { spec, answer };
    all.push(run);
    running.delete(spec.id);
    report();
    return run;
  };
  const sendAll = async (specs: readonly ProbeSpec[]): Promise<ProbeRun[]> => {
    total += specs.length;
    const runs: ProbeRun[] = [];
    let next = 0;
    const worker = async () => {
      while (next < specs.length) {
        const run = await send(specs[next++]);
        if (run) runs.push(run);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, worker));
    return runs;
  };

  /** One more probe (bisection): counted, retried; undefined when the time budget stopped it. */
  const sendMore = async (spec: ProbeSpec): Promise<ProbeAnswer | undefined> => {
    total++;
    return (await send(spec))?.answer;
  };
  /** The same as a {@link ProbeFn} (certificate discovery): a probe the budget stopped is a timeout. */
  const sendOne: ProbeFn = async (spec) =>
    (await sendMore(spec)) ?? { outcome: 'timeout', error: 'not sent: the time budget ran out' };

  const tried: ProbeRun[] = [];
  let working: ProbeRun | undefined;
  for (const [i, spec] of candidates.entries()) {
    if (i > 0) total++;
    const run = await send(spec);
    if (!run) break;
    tried.push(run);
    if (acceptedAsOffered(run.spec, run.answer)) {
      working = run;
      break;
    }
    if (run.answer.outcome === 'connect_failed' || run.answer.outcome === 'not_tls') {
      skipped.push(...candidates.slice(i + 1).map((c) => c.id));
      break;
    }
  }

  let cause: Cause | undefined;
  const variations: { [K in VariationId]?: ProbeRun } = {};
  if (working) {
    if (working !== tried[0]) {
      cause = await bisectRefusal(sendMore, tried[0].spec, working.spec, working.answer.helloLength);
    }
    const base = working.spec;
    const variationOptions: PlanOptions = { ...planOptions, workingLength: working.answer.helloLength };
    const keep = (runs: readonly ProbeRun[]) => {
      for (const run of runs) variations[run.spec.id as VariationId] = run;
    };
    keep(await sendAll(variationPlan(base, 'first', variationOptions)));
    const negotiated = working.answer.serverHello?.version;
    const speaks = (version: number, id: 'version.tls1.3' | 'version.tls1.2') =>
      negotiated === version || versionAccepted(variations[id], version);
    const later = [
      ...(speaks(TLS13, 'version.tls1.3') ? variationPlan(base, 'tls13', variationOptions) : []),
      ...(speaks(TLS12, 'version.tls1.2') ? variationPlan(base, 'tls12', variationOptions) : []),
    ];
    keep(await sendAll(later));
    // Whether a client without a certificate gets in is asked only of a server that asks for one.
    const requested = [working, ...Object.values(variations)].some((r) => r?.answer.clientCertificate);
    if (requested && speaks(TLS13, 'version.tls1.3'))
      keep(await sendAll(variationPlan(base, 'client_certificate', variationOptions)));
    else if (requested && speaks(TLS12, 'version.tls1.2'))
      keep(await sendAll(variationPlan(base, 'client_certificate_tls12', variationOptions)));
  }

  let observations: Observations = {
    tried,
    ...(working ? { working } : {}),
    ...(cause ? { cause } : {}),
    variations,
    all,
  };
  const acceptedSpecs = acceptedHellos(observations);
  if (working && options.discoverCertificates) {
    const certificateChains = await options.discoverCertificates(sendOne, {
      serverName: options.serverName,
      accepted: acceptedSpecs,
    });
    observations = { ...observations, certificateChains };
  }
  return {
    target: options.target,
    serverName: options.serverName,
    findings: interpret(observations, options.checkedAt ?? Date.now()),
    probes: all,
    working: working?.spec.id ?? null,
    accepted: acceptedSpecs,
    skipped,
    elapsedMs: now() - started,
  };
}
