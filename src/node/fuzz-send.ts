/**
 * `sendHelloBytes()`: the probe for bytes that are not a valid ClientHello. A mutated hello
 * often does not parse, so it cannot go through `probe()`, which sends a `ClientHello`
 * value; this connects, writes the bytes exactly (split where asked), and reads the answer
 * with the same engine, bounds and outcome mapping as `probe()`. It stops at the ServerHello
 * (no decryption, no HelloRetryRequest answer): the fuzzer only classifies answers.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseClientHello } from '../handshake/client-hello.ts';
import type { ClientHello } from '../handshake/types.ts';
import {
  DEFAULT_PROBE_IDLE_TIMEOUT_MS,
  DEFAULT_PROBE_MAX_BYTES,
  DEFAULT_PROBE_TIMEOUT_MS,
  parseProbeTarget,
} from './probe.ts';
import { conclude } from './probe-conclusion.ts';
import { ProbeEngine } from './probe-engine.ts';
import type { ProbeOutcome, ProbeResult, ProbeTarget, StopReason } from './probe-types.ts';

/** Options of {@link sendHelloBytes}. */
export interface SendHelloBytesOptions {
  /** Byte offsets where the bytes are cut into separate TCP writes. */
  readonly writes?: readonly number[];
  /** Whole-exchange limit in ms (default 10 000, as `probe()`). */
  readonly timeoutMs?: number;
  /** Longest silence once connected, in ms (default 5 000, never above `timeoutMs`). */
  readonly idleTimeoutMs?: number;
  /** Most bytes read (default 256 KiB). */
  readonly maxBytes?: number;
}

/**
 * The ClientHello the engine reads answers against: the bytes themselves when they parse,
 * else a minimal TLS 1.2 hello (the engine only needs one to exist; nothing of it is sent).
 */
function helloFor(bytes: Uint8Array): { hello: ClientHello; parsed: boolean } {
  try {
    return { hello: parseClientHello(bytes, { strict: false }), parsed: true };
  } catch {
    return {
      hello: {
        legacyVersion: 0x0303,
        random: new Uint8Array(32),
        legacySessionId: new Uint8Array(0),
        cipherSuites: [],
        legacyCompressionMethods: [0],
        extensions: null,
      },
      parsed: false,
    };
  }
}

/** probe()'s mapping from how reading stopped to the eight outcomes (probe.ts). */
function outcomeOf(engine: ProbeEngine, reason: StopReason): ProbeOutcome {
  if (reason === 'connect_failed') return 'connect_failed';
  if (engine.serverHello) return 'server_hello';
  if (reason === 'alert') return 'alert';
  if (engine.helloRetryRequest) return 'hello_retry_request';
  switch (reason) {
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

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`"${name}" expected a positive number, got ${value}`);
  return value;
}

/**
 * Sends `bytes` (one or more TLS records, valid or not) to `target` and reports the answer as
 * a {@link ProbeResult}. `sent` holds the hello when the bytes parse (leniently), else nothing.
 * @example
 * const r = await sendHelloBytes('127.0.0.1:8443', mutation.bytes, { timeoutMs: 2000 });
 * r.outcome // 'alert'
 * r.alert?.name // 'decode_error'
 * @throws {TypeError|RangeError} for a malformed target, option or split point
 */
export async function sendHelloBytes(
  target: ProbeTarget,
  bytes: Uint8Array,
  options: SendHelloBytesOptions = {},
): Promise<ProbeResult> {
  const { host, port } = parseProbeTarget(target);
  const timeoutMs = positive('timeoutMs', options.timeoutMs, DEFAULT_PROBE_TIMEOUT_MS);
  const idleTimeoutMs = Math.min(
    timeoutMs,
    positive('idleTimeoutMs', options.idleTimeoutMs, DEFAULT_PROBE_IDLE_TIMEOUT_MS),
  );
  const maxBytes = positive('maxBytes', options.maxBytes, DEFAULT_PROBE_MAX_BYTES);
  const cuts = [0, ...(options.writes ?? []), bytes.length];
  for (let i = 1; i < cuts.length - 1; i++) {
    if (!Number.isInteger(cuts[i]) || cuts[i] <= cuts[i - 1] || cuts[i] >= bytes.length)
      throw new RangeError(
        `"writes" offsets must increase within 1..${bytes.length - 1}, got ${options.writes?.join(', ')}`,
      );
  }
  const engineOptions = { retryOnHelloRetryRequest: false, decrypt: false, maxBytes };
  let { hello, parsed } = helloFor(bytes);
  let engine: ProbeEngine;
  try {
    engine = new ProbeEngine(hello, [], engineOptions);
  } catch {
    // A lenient parse the encoder refuses: read the answer against the stand-in hello.
    ({ hello, parsed } = helloFor(new Uint8Array(0)));
    engine = new ProbeEngine(hello, [], engineOptions);
  }

  const started = performance.now();
  const now = () => Math.round((performance.now() - started) * 1000) / 1000;
  let connectMs: number | null = null;
  let firstByteMs: number | null = null;

  const reason = await new Promise<StopReason>((resolve) => {
    let settled = false;
    let idleTimer: NodeJS.Timeout | undefined;
    let socket: Socket;
    const finish = (why: StopReason, error?: string) => {
      if (settled) return;
      settled = true;
      engine.stop(why, error);
      clearTimeout(totalTimer);
      if (idleTimer) clearTimeout(idleTimer);
      socket.removeAllListeners('data');
      socket.end(() => socket.destroy());
      const hard = setTimeout(() => socket.destroy(), 200);
      hard.unref();
      resolve(engine.stopReason ?? why);
    };
    const armIdle = () => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(
        () => finish('idle_timeout', `no byte from the server for ${idleTimeoutMs} ms`),
        idleTimeoutMs,
      );
    };
    const totalTimer = setTimeout(
      () =>
        finish(
          connectMs === null ? 'connect_failed' : 'timeout',
          connectMs === null
            ? `connect timed out after ${timeoutMs} ms`
            : `no complete answer within ${timeoutMs} ms`,
        ),
      timeoutMs,
    );
    socket = connect({ host, port });
    socket.setNoDelay(true);
    socket.on('connect', () => {
      connectMs = now();
      armIdle();
      for (let i = 1; i < cuts.length; i++) {
        const chunk = bytes.subarray(cuts[i - 1], cuts[i]);
        engine.logSent(chunk, now());
        socket.write(chunk);
      }
    });
    socket.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (firstByteMs === null) firstByteMs = now();
      armIdle();
      const step = engine.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), now());
      if (step.done) finish(engine.stopReason ?? 'complete');
    });
    socket.on('end', () => finish('closed'));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (connectMs === null) finish('connect_failed', `${e.code ?? ''} ${e.message}`.trim());
      else if (e.code === 'ECONNRESET' || e.code === 'EPIPE') finish('reset', e.code);
      else finish('socket_error', `${e.code ?? ''} ${e.message}`.trim());
    });
    socket.on('close', () => finish('closed'));
  });

  const alert = engine.alerts.find((a) => a.level !== 1) ?? engine.alerts[engine.alerts.length - 1];
  const base: Omit<ProbeResult, 'conclusion'> = {
    target: { host, port },
    outcome: outcomeOf(engine, reason),
    stopReason: reason,
    ...(alert ? { alert } : {}),
    alerts: engine.alerts,
    ...(engine.serverHello ? { serverHello: engine.serverHello } : {}),
    ...(engine.helloRetryRequest ? { helloRetryRequest: engine.helloRetryRequest } : {}),
    retried: false,
    certificates: [],
    ...(engine.serverKeyExchange ? { serverKeyExchange: engine.serverKeyExchange } : {}),
    certificateRequested: engine.certificateRequested,
    finishedVerified: false,
    serverMessages: engine.serverMessages,
    timings: { connectMs, firstByteMs, totalMs: now() },
    transcript: engine.transcript,
    ...(engine.notTls ? { notTls: engine.notTls } : {}),
    ...(engine.error !== undefined ? { error: engine.error } : {}),
    sent: parsed ? [hello] : [],
    bytesReceived: engine.bytesReceived,
  };
  // conclude() reads the hello for what an alert means; bytes that do not parse get the plain facts.
  const conclusion =
    parsed || !base.alert
      ? conclude({ ...base, sent: [hello] })
      : `${base.alert.levelName} alert ${base.alert.name} (${base.alert.description}) to bytes that do not parse as a ClientHello`;
  return { ...base, conclusion };
}
