/**
 * The Node driver of diagnose: turns each planned {@link ProbeSpec} into a real hello,
 * sends it with `probe()`, and keeps the whole run inside one time budget.
 */
import { isIP } from 'node:net';
import { type BuiltClientHello, clientHello } from '../builder/client-hello.ts';
import { discoverCertificates } from '../diagnose/certificate-discovery.ts';
import type { DiagnoseProgress, Diagnosis, ProbeAnswer, ProbeFn, ProbeSpec } from '../diagnose/index.ts';
import { type DiagnoseOptions, diagnose } from '../diagnose/run.ts';
import { encodeClientHello, encodeClientHelloMessage } from '../handshake/client-hello.ts';
import { parseProbeTarget, probe } from './probe.ts';
import type { WriteStrategy } from './probe-types.ts';

/** Options for {@link probeFunction}. */
export interface ProbeFunctionOptions {
  /** Limit for one probe, ms (default 5 000). */
  readonly timeoutMs?: number;
  /** When the whole run must end (a `Date.now()` value); probes get at most what is left. */
  readonly deadline?: number;
}

/**
 * The ClientHello (built with hellokit's builder, with its key shares) and write strategy a
 * plan entry stands for: padded to `padToLength`, split over `records`, written in
 * `segmentBytes` pieces 20 ms apart. TLS 1.0/1.1 hellos are TLS 1.2-shaped hellos with that
 * legacy_version and no supported_versions.
 */
export function helloForSpec(spec: ProbeSpec): { hello: BuiltClientHello; write: WriteStrategy } {
  const maxVersion = Math.max(...spec.versions);
  const tls13 = spec.versions.includes(0x0304);
  const hello = clientHello({
    serverName: spec.serverName,
    ...(tls13 ? { versions: spec.versions } : { tls: '1.2' as const, legacyVersion: maxVersion }),
    cipherSuites: spec.cipherSuites,
    groups: spec.groups,
    keyShares: tls13 ? (spec.keyShareGroups ?? spec.groups.slice(0, 1)) : null,
    alpn: spec.alpn ?? null,
    ...(spec.signatureAlgorithms ? { signatureAlgorithms: spec.signatureAlgorithms } : {}),
    grease: spec.grease ?? false,
    padding: spec.padToLength ?? false,
    ...(spec.records !== undefined && spec.records > 1 ? { fragment: spec.records } : {}),
  });
  let write: WriteStrategy = 'single';
  if (spec.segmentBytes !== undefined) {
    const total = encodeClientHello(hello).length;
    const splitAt: number[] = [];
    for (let at = spec.segmentBytes; at < total; at += spec.segmentBytes) splitAt.push(at);
    write = { splitAt, delayMs: 20 };
  }
  return { hello, write };
}

/**
 * A {@link ProbeFn} that sends each plan entry to `target` with hellokit/node's `probe()`.
 * @example const fn = probeFunction('127.0.0.1:8443'); await fn(candidateHellos({ serverName: 'x' })[0]);
 */
export function probeFunction(target: string, options: ProbeFunctionOptions = {}): ProbeFn {
  const perProbe = options.timeoutMs ?? 5_000;
  return async (spec: ProbeSpec): Promise<ProbeAnswer> => {
    const { hello, write } = helloForSpec(spec);
    const left = options.deadline === undefined ? perProbe : Math.max(100, options.deadline - Date.now());
    const timeoutMs = Math.min(perProbe, left);
    const result = await probe(target, {
      hello,
      keyShares: hello.keyShares,
      write,
      timeoutMs,
      idleTimeoutMs: timeoutMs,
      // Every answer is read to its end: a ServerHello followed by an alert (Caddy's encrypted
      // no_application_protocol) is a refusal, and only the decrypted flight shows it.
      decrypt: true,
    });
    return { ...result, ip: result.target.ip, helloLength: encodeClientHelloMessage(hello).length };
  };
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
  const shown = isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
  return diagnose(fn, {
    target: shown,
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
