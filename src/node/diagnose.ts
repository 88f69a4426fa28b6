/**
 * The Node driver of diagnose: sends each planned hello (diagnose/spec-hello.ts builds it)
 * with `probe()`, and keeps the whole run inside one time budget.
 */
import { isIP } from 'node:net';
import { endpointText } from '../capture/ip.ts';
import { discoverCertificates } from '../diagnose/certificate-discovery.ts';
import type { DiagnoseProgress, Diagnosis, ProbeFn } from '../diagnose/index.ts';
import { type DiagnoseOptions, diagnose } from '../diagnose/run.ts';
import { specProbe } from '../diagnose/spec-hello.ts';
import { parseProbeTarget, probe } from './probe.ts';

/** Options for {@link probeFunction}. */
export interface ProbeFunctionOptions {
  /** Limit for one probe, ms (default 5 000). */
  readonly timeoutMs?: number;
  /** When the whole run must end (a `Date.now()` value); probes get at most what is left. */
  readonly deadline?: number;
}

/**
 * A {@link ProbeFn} that sends each plan entry to `target` with hellokit/node's `probe()`.
 * @example const fn = probeFunction('127.0.0.1:8443'); await fn(candidateHellos({ serverName: 'x' })[0]);
 */
export function probeFunction(target: string, options: ProbeFunctionOptions = {}): ProbeFn {
  const perProbe = options.timeoutMs ?? 5_000;
  const deadline = options.deadline;
  return specProbe(
    (probeOptions) => probe(target, probeOptions),
    () => Math.min(perProbe, deadline === undefined ? perProbe : Math.max(100, deadline - Date.now())),
  );
}

/** Options for {@link diagnoseTarget}. */
export interface DiagnoseTargetOptions {
  /** SNI to send (default: the target's host when it is a name, none for an IP address). */
  readonly serverName?: string | null;
  /** Probes at once (default 8). */
  readonly concurrency?: number;
  /** The whole diagnosis must end within this many ms (default 20 000). */
  readonly timeoutMs?: number;
  /** Limit for one probe (default 5 000 ms, never past the whole budget). */
  readonly probeTimeoutMs?: number;
  readonly onProgress?: (progress: DiagnoseProgress) => void;
  /** The probe to use (default: real sockets to `target`); tests pass fakes. */
  readonly probe?: ProbeFn;
  /**
   * Certificate discovery over the accepted hellos (see `DiagnoseOptions.discoverCertificates`);
   * default {@link discoverCertificates}: every chain per key type and SNI; `false` checks only
   * the working hello's chain and the one without SNI.
   */
  readonly discoverCertificates?: DiagnoseOptions['discoverCertificates'] | false;
}

/**
 * Diagnoses `host:port`: runs the plan with bounded concurrency inside the time budget.
 * @example const d = await diagnoseTarget('example.test:443'); d.findings.map((f) => f.id)
 * @throws {TypeError} for a malformed target
 */
export async function diagnoseTarget(
  target: string,
  options: DiagnoseTargetOptions = {},
): Promise<Diagnosis> {
  const { host, port } = parseProbeTarget(target);
  const serverName = options.serverName !== undefined ? options.serverName : isIP(host) ? null : host;
  const budget = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + budget;
  const fn =
    options.probe ??
    probeFunction(target, { timeoutMs: Math.min(options.probeTimeoutMs ?? 5_000, budget), deadline });
  return diagnose(fn, {
    target: endpointText(host, port),
    serverName,
    ipLiteral: isIP(host) ? host : '127.0.0.1',
    concurrency: options.concurrency ?? 8,
    shouldStop: () => Date.now() >= deadline - 50,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.discoverCertificates === false
      ? {}
      : { discoverCertificates: options.discoverCertificates ?? discoverCertificates }),
  });
}
