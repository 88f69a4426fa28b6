/**
 * `probeQuicDatagrams()`: the QUIC probe over any datagram transport the caller has opened —
 * the server's datagrams in (one chunk each, from a web `ReadableStream` or an async iterable),
 * the client's out (a `WritableStream` or a send function). The same session, bounds and
 * {@link QuicProbeResult} as `probeQuic()` in hellokit/node, which runs it over a UDP socket.
 * Platform-neutral: global timers and `performance` only.
 */
import { systemRandom } from '../../crypto/random.ts';
import type { QuicStopReason } from '../../quic/types.ts';
import { QUIC_VERSION } from '../../quic/version.ts';
import { positiveOption } from '../session.ts';
import { type ProbeDuplex, type StreamProbeOptions, sinkOf, sourceOf } from '../stream.ts';
import { connectionId } from './hello.ts';
import { quicProbeResult } from './result.ts';
import { type QuicProbeSession, quicProbeSession } from './session.ts';
import type { QuicProbeOptions, QuicProbeResult, QuicProbeTimings } from './types.ts';

/** Default whole-probe timeout, ms. */
export const DEFAULT_QUIC_TIMEOUT_MS = 10_000;
/** Default idle timeout, ms. */
export const DEFAULT_QUIC_IDLE_TIMEOUT_MS = 5_000;
/** Default wait before the first resend, ms. */
export const DEFAULT_QUIC_RESEND_AFTER_MS = 1_000;
/** Default number of resends. */
export const DEFAULT_QUIC_MAX_RESENDS = 2;
/** Default read cap, bytes. */
export const DEFAULT_QUIC_MAX_BYTES: number = 256 * 1024;
/** Default read cap, datagrams. */
export const DEFAULT_QUIC_MAX_DATAGRAMS = 64;

/**
 * Options of {@link probeQuicDatagrams}: those of `probeQuic()` that do not name a socket, and
 * (as for `probeStream()`) what `result.target` says and how certificates are decompressed and
 * summarised.
 */
export interface QuicDatagramProbeOptions<C = Uint8Array>
  extends Omit<QuicProbeOptions, 'localAddress'>,
    Pick<StreamProbeOptions<C>, 'target' | 'decompressors' | 'summarizeCertificates'> {}

/**
 * One QUIC probe before it runs: its session and its bounds, every option checked.
 * @internal shared by probeQuicDatagrams() and hellokit/node's probeQuic()
 */
export interface QuicProbeSetup {
  readonly session: QuicProbeSession;
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly resendAfterMs: number;
  readonly maxResends: number;
  readonly maxBytes: number;
  readonly maxDatagrams: number;
}

/**
 * Checks a QUIC probe's options and makes its session (the hello, the connection IDs, the engine).
 * @internal shared by probeQuicDatagrams() and hellokit/node's probeQuic(), which checks before it opens a socket
 * @throws {TypeError|RangeError} naming a malformed option
 */
export function quicProbeSetup(
  options: QuicProbeOptions & Pick<StreamProbeOptions, 'decompressors'>,
): QuicProbeSetup {
  const timeoutMs = positiveOption('timeoutMs', options.timeoutMs, DEFAULT_QUIC_TIMEOUT_MS);
  const idleTimeoutMs = Math.min(
    timeoutMs,
    positiveOption('idleTimeoutMs', options.idleTimeoutMs, DEFAULT_QUIC_IDLE_TIMEOUT_MS),
  );
  const resendAfterMs = positiveOption('resendAfterMs', options.resendAfterMs, DEFAULT_QUIC_RESEND_AFTER_MS);
  const maxResends = options.maxResends ?? DEFAULT_QUIC_MAX_RESENDS;
  if (!Number.isInteger(maxResends) || maxResends < 0 || maxResends > 5)
    throw new RangeError(`"maxResends" expected 0..5, got ${maxResends}`);
  const maxBytes = positiveOption('maxBytes', options.maxBytes, DEFAULT_QUIC_MAX_BYTES);
  const maxDatagrams = positiveOption('maxDatagrams', options.maxDatagrams, DEFAULT_QUIC_MAX_DATAGRAMS);
  const version = options.version ?? QUIC_VERSION.v1;
  if (!Number.isInteger(version) || version <= 0 || version > 0xffffffff)
    throw new RangeError(`"version" expected a QUIC version 1..0xffffffff, got ${version}`);
  const random = options.random ?? systemRandom;
  const sourceConnectionId = connectionId('sourceConnectionId', options.sourceConnectionId, random, 0);
  const destinationConnectionId = connectionId(
    'destinationConnectionId',
    options.destinationConnectionId,
    random,
    8,
  );
  const session = quicProbeSession(options, version, destinationConnectionId, sourceConnectionId);
  return { session, timeoutMs, idleTimeoutMs, resendAfterMs, maxResends, maxBytes, maxDatagrams };
}

/** `code message`, as Node words a socket error (`ECONNREFUSED recv ECONNREFUSED`). */
function errorText(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  return `${typeof code === 'string' ? code : ''} ${message}`.trim();
}

/**
 * Runs a QUIC probe's datagram exchange over `transport` until the session stops: the first
 * Initial, resends while the server is silent (doubling the wait each time), every server
 * datagram read within the byte and datagram caps, the timeouts, and the closing datagram.
 * Before any packet of this connection came back, a write that fails (the datagram could not
 * be sent) or an error of the readable with code `ECONNREFUSED` (ICMP port unreachable on a
 * connected UDP socket) is `connect_failed`; any other error is `socket_error`. The transport
 * is let go of (its readable cancelled, its writable closed) when the exchange ends.
 */
function exchange(setup: QuicProbeSetup, transport: ProbeDuplex): Promise<QuicProbeTimings> {
  const { session, timeoutMs, idleTimeoutMs, resendAfterMs, maxResends, maxBytes, maxDatagrams } = setup;
  const started = performance.now();
  const now = () => Math.round((performance.now() - started) * 1000) / 1000;
  let firstByteMs: number | null = null;
  let fail: (e: unknown, sending: boolean) => void = () => {};
  const source = sourceOf(transport.readable);
  const sink = sinkOf(transport.writable, (e) => fail(e, true));

  return new Promise<QuicProbeTimings>((resolve) => {
    let settled = false;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let resendTimer: ReturnType<typeof setTimeout> | undefined;
    let resends = 0;
    const send = (datagrams: readonly Uint8Array[]) => {
      for (const d of datagrams) sink.write(d);
    };
    const finish = (why: QuicStopReason, error?: string) => {
      if (settled) return;
      settled = true;
      session.stop(why, error);
      clearTimeout(totalTimer);
      clearTimeout(idleTimer);
      clearTimeout(resendTimer);
      if (why !== 'connect_failed' && why !== 'socket_error') send(session.closeDatagram(now()));
      sink.close();
      source.stop();
      resolve({ firstByteMs, totalMs: now() });
    };
    fail = (e, sending) => {
      const refused = sending || (e as { code?: unknown } | null)?.code === 'ECONNREFUSED';
      finish(!session.answered && refused ? 'connect_failed' : 'socket_error', errorText(e));
    };
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(
        () => finish('idle_timeout', `no datagram for ${idleTimeoutMs} ms`),
        idleTimeoutMs,
      );
    };
    const armResend = () => {
      if (resends >= maxResends) return;
      resendTimer = setTimeout(
        () => {
          if (settled || session.answered) return;
          resends++;
          send(session.resend(now()));
          armIdle();
          armResend();
        },
        resendAfterMs * 2 ** resends,
      );
    };
    const receive = (datagram: Uint8Array) => {
      // The cap holds to the byte: a datagram that would cross it is not read at all.
      if (session.bytesReceived + datagram.byteLength > maxBytes)
        return finish(
          'max_bytes',
          `stopped reading at ${session.bytesReceived} bytes: the next datagram (${datagram.byteLength} bytes) would pass the ${maxBytes}-byte cap`,
        );
      firstByteMs ??= now();
      armIdle();
      let step: ReturnType<QuicProbeSession['receive']>;
      try {
        step = session.receive(datagram.slice(), now());
      } catch (e) {
        // Every server behaviour is a result, never an exception out of the transport.
        return finish('protocol_error', (e as Error).message);
      }
      send(step.send);
      if (step.done) return finish(session.stopReason ?? 'protocol_error');
      if (session.bytesReceived >= maxBytes)
        finish('max_bytes', `stopped reading after ${session.bytesReceived} bytes`);
      else if (session.datagramsReceived >= maxDatagrams)
        finish('max_datagrams', `stopped reading after ${session.datagramsReceived} datagrams`);
    };

    const totalTimer = setTimeout(
      () => finish('timeout', `no complete answer within ${timeoutMs} ms`),
      timeoutMs,
    );
    try {
      send(session.start(now()));
    } catch (e) {
      return finish('connect_failed', (e as Error).message);
    }
    armIdle();
    armResend();
    void (async () => {
      try {
        for (;;) {
          const next = await source.next();
          if (settled) return;
          if (next.done) return finish('socket_error', 'the datagram transport closed');
          if (!(next.value instanceof Uint8Array))
            return finish('socket_error', `the transport gave a ${typeof next.value}, not a Uint8Array`);
          receive(next.value);
          if (settled) return;
        }
      } catch (e) {
        fail(e, false);
      }
    })();
  });
}

/**
 * Runs a probe set up by {@link quicProbeSetup} over `transport` and makes its result, its
 * certificates summarised by `summarize` (given the DER chain, end-entity first).
 * @internal shared by probeQuicDatagrams() and hellokit/node's probeQuic()
 */
export async function runQuicProbe<C>(
  setup: QuicProbeSetup,
  transport: ProbeDuplex,
  target: QuicProbeResult['target'],
  summarize: (chain: readonly Uint8Array[]) => readonly C[] | Promise<readonly C[]>,
): Promise<QuicProbeResult<C>> {
  const timings = await exchange(setup, transport);
  const certificates = await summarize(await setup.session.engine.certificates());
  return quicProbeResult(setup.session, target, timings, certificates);
}

/**
 * Sends one ClientHello in a QUIC Initial over `transport` (each chunk one datagram) and
 * reports what came back, as `probeQuic()` does over UDP: a Deno or Bun UDP socket, a test's
 * in-memory pair, a tunnel that carries datagrams. Before any answer, a write that fails or
 * an error of the readable with code `ECONNREFUSED` is `connect_failed`.
 * @example
 * const r = await probeQuicDatagrams({ readable: datagramsIn, writable: (d) => udp.send(d) }, { serverName: 'hellokit.test' });
 * r.outcome // 'server_hello'
 * r.certificates[0] // Uint8Array: the end-entity certificate's DER
 * @throws {TypeError|RangeError} for a malformed transport or option; every server behaviour is a result
 */
export function probeQuicDatagrams(
  transport: ProbeDuplex,
  options?: QuicDatagramProbeOptions<Uint8Array> & { readonly summarizeCertificates?: undefined },
): Promise<QuicProbeResult<Uint8Array>>;
export function probeQuicDatagrams<C>(
  transport: ProbeDuplex,
  options: QuicDatagramProbeOptions<C> & {
    readonly summarizeCertificates: QuicDatagramProbeOptions<C>['summarizeCertificates'];
  },
): Promise<QuicProbeResult<C>>;
export async function probeQuicDatagrams<C>(
  transport: ProbeDuplex,
  options: QuicDatagramProbeOptions<C> = {},
): Promise<QuicProbeResult<C | Uint8Array>> {
  if (!transport || typeof transport !== 'object')
    throw new TypeError(
      `"transport" expected { readable, writable }, got ${transport === null ? 'null' : typeof transport}`,
    );
  return runQuicProbe<C | Uint8Array>(
    quicProbeSetup(options),
    transport,
    options.target ?? { host: '', port: 0 },
    options.summarizeCertificates ?? ((chain) => chain),
  );
}
