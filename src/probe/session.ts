/**
 * What `probe()` (hellokit/node, over a TCP socket) and `probeStream()` (any byte stream) share
 * around the engine: option checks, the engine a probe's options ask for, the planned writes,
 * and the one assembly of a {@link ProbeResult} from what the engine read. No I/O here.
 */
import { clientHello } from '../builder/client-hello.ts';
import { parseClientHello } from '../handshake/client-hello.ts';
import type { ClientHello } from '../handshake/types.ts';
import { conclude } from './conclusion.ts';
import { ProbeEngine, type ProbeEngineOptions } from './engine.ts';
import { DEFAULT_CERTIFICATE_WAIT_MS } from './states/client-certificate.ts';
import type {
  HelloWithKeyShares,
  ProbeOptions,
  ProbeOutcome,
  ProbeResult,
  ProbeTimings,
  StopReason,
  WriteStrategy,
} from './types.ts';

/** Default whole-probe timeout, ms. */
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;
/** Default idle timeout, ms. */
export const DEFAULT_PROBE_IDLE_TIMEOUT_MS = 5_000;
/** Default read cap, bytes. */
export const DEFAULT_PROBE_MAX_BYTES: number = 256 * 1024;

/**
 * A positive number option, or `fallback` when it is left out.
 * @internal shared by probe(), probeStream() and probeQuic()
 * @throws {RangeError} naming the option otherwise
 */
export function positiveOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new RangeError(`"${name}" expected a positive number, got ${value}`);
  return value;
}

/**
 * The writes (and the wait before each) for a strategy.
 * @throws {RangeError} for split offsets out of order or range, and for `per-record` over bytes
 *   that are not whole TLS records
 */
export function plannedWrites(
  bytes: Uint8Array,
  strategy: WriteStrategy,
): { chunk: Uint8Array; delayMs: number }[] {
  if (strategy === 'single') return [{ chunk: bytes, delayMs: 0 }];
  if (strategy === 'per-record' || 'perRecord' in strategy) {
    const delayMs = typeof strategy === 'object' ? (strategy.delayMs ?? 0) : 0;
    const out: { chunk: Uint8Array; delayMs: number }[] = [];
    let at = 0;
    while (at < bytes.length) {
      const end = at + 5 <= bytes.length ? at + 5 + ((bytes[at + 3] << 8) | bytes[at + 4]) : bytes.length + 1;
      if (end > bytes.length)
        throw new RangeError(
          `"write" per record needs bytes that are whole TLS records; the record at offset ${at} runs past the ${bytes.length} bytes`,
        );
      out.push({ chunk: bytes.subarray(at, end), delayMs: out.length === 0 ? 0 : delayMs });
      at = end;
    }
    return out;
  }
  const offsets = [...strategy.splitAt];
  let previous = 0;
  for (const o of offsets) {
    if (!Number.isInteger(o) || o <= previous || o >= bytes.length)
      throw new RangeError(
        `"splitAt" offsets must increase within 1..${bytes.length - 1}, got ${offsets.join(', ')}`,
      );
    previous = o;
  }
  const cuts = [0, ...offsets, bytes.length];
  return cuts.slice(1).map((end, i) => ({
    chunk: bytes.subarray(cuts[i], end),
    delayMs: i === 0 ? 0 : (strategy.delayMs ?? 0),
  }));
}

/** The one mapping from how reading stopped (and what was read) to the eight outcomes. */
export function outcomeOf(engine: ProbeEngine, reason: StopReason): ProbeOutcome {
  if (reason === 'connect_failed') return 'connect_failed';
  if (engine.serverHello) return 'server_hello';
  if (reason === 'alert') return 'alert';
  if (
    engine.helloRetryRequest &&
    (!engine.retried ||
      reason === 'hello_retry_request' ||
      reason === 'protocol_error' ||
      reason === 'violation')
  )
    return 'hello_retry_request';
  switch (reason) {
    case 'hello_retry_request':
      return 'hello_retry_request';
    case 'not_tls':
    case 'protocol_error':
    case 'max_bytes':
      return 'not_tls';
    case 'reset':
    case 'socket_error':
      return 'reset';
    case 'timeout':
    case 'idle_timeout':
      return 'timeout';
    default:
      return 'closed';
  }
}

/**
 * True when `hello` is a built ClientHello (from `clientHello()` or a parse), not builder options.
 * @internal shared by probe(), probeStream() and probeQuic()
 */
export function isBuiltHello(hello: NonNullable<ProbeOptions['hello']>): hello is HelloWithKeyShares {
  return 'legacyCompressionMethods' in hello && hello.random instanceof Uint8Array && 'extensions' in hello;
}

/** The hello `options` ask for: the built one given, or `clientHello()` of the options given. */
function helloToSend(options: ProbeOptions): HelloWithKeyShares {
  const given = options.hello;
  if (given && isBuiltHello(given)) return given;
  return clientHello({
    ...(given ?? {}),
    ...(options.serverName !== undefined ? { serverName: options.serverName } : {}),
  });
}

/** The ClientHello `bytes` carry, parsed leniently (so a mutated hello still reads), or null. */
function helloIn(bytes: Uint8Array): ClientHello | null {
  try {
    return parseClientHello(bytes, { strict: false });
  } catch {
    return null;
  }
}

/**
 * The engine for `options`: a hello to encode, or (`options.bytes`) the exact bytes to send.
 * Raw bytes are decrypted and a HelloRetryRequest answered only with the caller's key shares.
 */
export function engineFor(
  options: ProbeOptions,
  engineOptions: Omit<ProbeEngineOptions, 'helloBytes'>,
): ProbeEngine {
  const { bytes } = options;
  if (bytes === undefined) {
    const hello = helloToSend(options);
    return new ProbeEngine(hello, options.keyShares ?? hello.keyShares ?? [], engineOptions);
  }
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`"bytes" expected a Uint8Array, got ${typeof bytes}`);
  if (options.hello !== undefined || options.serverName !== undefined)
    throw new TypeError('"bytes" is sent instead of a hello: give "bytes" or "hello"/"serverName", not both');
  const keyShares = options.keyShares ?? [];
  const owned = keyShares.length > 0;
  return new ProbeEngine(helloIn(bytes), keyShares, {
    ...engineOptions,
    retryOnHelloRetryRequest: owned && engineOptions.retryOnHelloRetryRequest !== false,
    decrypt: owned && engineOptions.decrypt !== false,
    helloBytes: bytes,
  });
}

/**
 * A probe's bounds from its options, checked: the whole-probe timeout, the idle timeout (never
 * above the whole one) and the byte cap.
 * @throws {RangeError} naming an option that is not a positive number
 */
export function probeBounds(options: ProbeOptions): {
  timeoutMs: number;
  idleTimeoutMs: number;
  maxBytes: number;
} {
  const timeoutMs = positiveOption('timeoutMs', options.timeoutMs, DEFAULT_PROBE_TIMEOUT_MS);
  const idleTimeoutMs = Math.min(
    timeoutMs,
    positiveOption('idleTimeoutMs', options.idleTimeoutMs, DEFAULT_PROBE_IDLE_TIMEOUT_MS),
  );
  const maxBytes = positiveOption('maxBytes', options.maxBytes, DEFAULT_PROBE_MAX_BYTES);
  return { timeoutMs, idleTimeoutMs, maxBytes };
}

/** The engine options a probe's options give (the key log sink and decompressors are the driver's). */
export function engineOptionsFrom(
  options: ProbeOptions,
  maxBytes: number,
  stopAfterServerHello: boolean,
): Omit<ProbeEngineOptions, 'helloBytes'> {
  return {
    retryOnHelloRetryRequest: options.retryOnHelloRetryRequest ?? true,
    decrypt: options.decrypt ?? true,
    abortOnViolation: options.abortOnViolation ?? true,
    maxBytes,
    ...(options.answerCertificateRequest
      ? {
          answerCertificateRequest: true,
          certificateWaitMs: Math.min(
            positiveOption('certificateWaitMs', options.certificateWaitMs, DEFAULT_CERTIFICATE_WAIT_MS),
            positiveOption('idleTimeoutMs', options.idleTimeoutMs, DEFAULT_PROBE_IDLE_TIMEOUT_MS),
          ),
        }
      : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(stopAfterServerHello ? { stopAfterServerHello } : {}),
  };
}

/** The result of a probe whose engine stopped for `reason`, with its certificates as the driver made them. */
export function probeResult<C>(
  engine: ProbeEngine,
  reason: StopReason,
  target: ProbeResult['target'],
  timings: ProbeTimings,
  certificates: readonly C[],
): ProbeResult<C> {
  const alert = engine.alerts.find((a) => a.level !== 1) ?? engine.alerts[engine.alerts.length - 1];
  const clientCertificate = engine.clientCertificate;
  const base: Omit<ProbeResult<C>, 'conclusion'> = {
    target,
    outcome: outcomeOf(engine, reason),
    stopReason: reason,
    ...(alert ? { alert } : {}),
    alerts: engine.alerts,
    ...(engine.serverHello ? { serverHello: engine.serverHello } : {}),
    ...(engine.helloRetryRequest ? { helloRetryRequest: engine.helloRetryRequest } : {}),
    retried: engine.retried,
    certificates,
    ...(engine.serverKeyExchange ? { serverKeyExchange: engine.serverKeyExchange } : {}),
    ...(engine.encryptedExtensions ? { encryptedExtensions: engine.encryptedExtensions } : {}),
    certificateRequested: engine.certificateRequested,
    ...(clientCertificate ? { clientCertificate } : {}),
    finishedVerified: engine.finishedVerified,
    serverMessages: engine.serverMessages,
    timings,
    transcript: engine.transcript,
    ...(engine.notTls ? { notTls: engine.notTls } : {}),
    ...(engine.error !== undefined ? { error: engine.error } : {}),
    sent: engine.sent,
    bytesReceived: engine.bytesReceived,
    violations: engine.violations,
    ...(engine.abortedOn ? { abort: engine.abortedOn } : {}),
  };
  return { ...base, conclusion: conclude(base) };
}

/**
 * The clock and deadlines of one probe: milliseconds since it started, the whole-probe timer,
 * the idle timer re-armed on every read, and the delayed writes of a write strategy, all
 * cleared at once. Global timers and `performance` only, so any platform's driver can use it.
 */
export class ProbeClock {
  private readonly started = performance.now();
  private total?: ReturnType<typeof setTimeout>;
  private idle?: ReturnType<typeof setTimeout>;
  private readonly delayed: ReturnType<typeof setTimeout>[] = [];
  private expire: (why: 'timeout' | 'idle_timeout', error: string) => void = () => {};

  private readonly timeoutMs: number;
  private readonly idleTimeoutMs: number;

  constructor(timeoutMs: number, idleTimeoutMs: number) {
    this.timeoutMs = timeoutMs;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /** Milliseconds since the probe started, to the microsecond. */
  now(): number {
    return Math.round((performance.now() - this.started) * 1000) / 1000;
  }

  /** Starts the whole-probe timer; `expire` is called once a deadline passes. */
  start(expire: (why: 'timeout' | 'idle_timeout', error: string) => void): void {
    this.expire = expire;
    this.total = setTimeout(
      () => expire('timeout', `no complete answer within ${this.timeoutMs} ms`),
      this.timeoutMs,
    );
  }

  /**
   * (Re)starts the idle timer: called when the conversation starts and on every read, and with
   * `ms` when the engine asks for a shorter wait (`EngineStep.waitMs`).
   */
  armIdle(ms: number = this.idleTimeoutMs): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.expire('idle_timeout', `no byte from the server for ${ms} ms`), ms);
  }

  /** Sends the planned writes: the first now, each later one after its delay. */
  schedule(
    writes: readonly { chunk: Uint8Array; delayMs: number }[],
    send: (chunk: Uint8Array) => void,
  ): void {
    let delay = 0;
    for (const w of writes) {
      delay += w.delayMs;
      if (delay === 0) send(w.chunk);
      else this.delayed.push(setTimeout(() => send(w.chunk), delay));
    }
  }

  /** Clears every timer. */
  clear(): void {
    clearTimeout(this.total);
    clearTimeout(this.idle);
    for (const t of this.delayed) clearTimeout(t);
  }
}
