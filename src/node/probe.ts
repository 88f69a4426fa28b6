/**
 * `probe()`: connect over TCP, send one ClientHello exactly as built (or exact raw bytes),
 * and read what the server answers, bounded by a total timeout, an idle timeout and a byte cap.
 *
 * When the flight has been read the probe sends nothing more (no client Finished, no alert)
 * and closes its side of the connection with a TCP FIN; servers log that as an aborted
 * handshake.
 */
import { connect, isIP, type Socket } from 'node:net';
import {
  engineFor,
  engineOptionsFrom,
  ProbeClock,
  plannedWrites,
  probeBounds,
  probeResult,
} from '../probe/session.ts';
import type { ProbeOptions, ProbeResult, ProbeTarget, StopReason } from '../probe/types.ts';
import { summarizeCertificates } from './certificates.ts';
import { nodeCertificateDecompressors } from './decompress.ts';
import { openKeyLogFile } from './keylog-file.ts';
import { type ConnectedTarget, parseProbeTarget } from './target.ts';

export {
  DEFAULT_PROBE_IDLE_TIMEOUT_MS,
  DEFAULT_PROBE_MAX_BYTES,
  DEFAULT_PROBE_TIMEOUT_MS,
  isBuiltHello,
  positiveOption,
} from '../probe/session.ts';
export { type ConnectedTarget, parseProbeTarget } from './target.ts';

/** What {@link probe} found, its target with the address the connection went to. */
export type NodeProbeResult = ProbeResult & { readonly target: ConnectedTarget };

/**
 * The key log sink; a file is opened (see openKeyLogFile: append, a new one 0600, no symbolic
 * link unless `follow`) before connecting, so a bad path fails early. A group- or
 * world-readable one is reported as a process warning.
 */
function keylogSink(keylog: ProbeOptions['keylog']): { write?: (line: string) => void; close: () => void } {
  if (!keylog) return { close: () => {} };
  if (typeof keylog === 'function') return { write: keylog, close: () => {} };
  const file = openKeyLogFile(keylog.file, { follow: keylog.follow === true });
  if (file.warning) process.emitWarning(file.warning, { code: 'HELLOKIT_KEYLOG_READABLE' });
  return file;
}

/**
 * Sends one ClientHello (a value, or exact `bytes`) to `target` and reports what came back.
 * @example
 * const r = await probe('127.0.0.1:8443', { serverName: 'hellokit.test' });
 * r.outcome // 'server_hello'
 * r.certificates[0].subjectAltNames // ['DNS:hellokit.test']
 * @example
 * const r = await probe({ host: '127.0.0.1', port: 8443 }); // no SNI
 * r.alert?.name // 'internal_error' from Caddy
 * @example
 * // bytes no ClientHello value can express: read the answer, stop after the ServerHello
 * const r = await probe('127.0.0.1:8443', { bytes: Uint8Array.of(22, 3, 1, 0, 1, 9) });
 * r.alert?.name // 'decode_error'
 * @throws {TypeError|RangeError} for a malformed target or option; every server behaviour is a result
 */
export function probe(target: ProbeTarget, options: ProbeOptions = {}): Promise<NodeProbeResult> {
  return runProbe(target, options, false);
}

/**
 * {@link probe} for scanners, which only ask what the server picks: reading stops at the
 * ServerHello (or HelloRetryRequest) in every version, so no TLS 1.2 Certificate or
 * ServerKeyExchange is read, no certificate is parsed and no TLS 1.3 flight is decrypted
 * (`decrypt` is ignored). The result has the same shape as probe()'s.
 * @internal used by `hellokit scan`
 * @throws {TypeError|RangeError} as {@link probe}
 */
export function probeServerHello(target: ProbeTarget, options: ProbeOptions = {}): Promise<NodeProbeResult> {
  return runProbe(target, options, true);
}

async function runProbe(
  target: ProbeTarget,
  options: ProbeOptions,
  stopAfterServerHello: boolean,
): Promise<NodeProbeResult> {
  const { host, port } = parseProbeTarget(target);
  const { timeoutMs, idleTimeoutMs, maxBytes } = probeBounds(options);
  const engineOptions = engineOptionsFrom(options, maxBytes, stopAfterServerHello);
  // Every option is checked before the key log file is opened, so a bad one leaves no file behind.
  let keylog: ReturnType<typeof keylogSink> | undefined;
  const engine = engineFor(options, {
    ...engineOptions,
    decompressors: nodeCertificateDecompressors,
    ...(options.keylog ? { keylog: (line: string) => keylog?.write?.(line) } : {}),
  });
  const writes = plannedWrites(engine.helloBytes, options.write ?? 'single');
  keylog = keylogSink(options.keylog);

  const clock = new ProbeClock(timeoutMs, idleTimeoutMs);
  const now = () => clock.now();
  let connectMs: number | null = null;
  let firstByteMs: number | null = null;
  // The address connected to; for a name, the one DNS gave (the last one tried when none connected).
  let ip: string | null = isIP(host) !== 0 ? host : null;

  const reason = await new Promise<StopReason>((resolve) => {
    let settled = false;
    let socket: Socket;
    const finish = (why: StopReason, error?: string) => {
      if (settled) return;
      settled = true;
      engine.stop(why, error);
      clock.clear();
      socket.removeAllListeners('data');
      // Our side closes with a FIN; destroy() follows so no handle outlives the probe.
      socket.end(() => socket.destroy());
      const hard = setTimeout(() => socket.destroy(), 200);
      hard.unref();
      resolve(engine.stopReason ?? why);
    };
    clock.start((why, error) =>
      connectMs === null
        ? finish('connect_failed', `connect timed out after ${timeoutMs} ms`)
        : finish(why, error),
    );
    socket = connect({ host, port, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
    socket.setNoDelay(true);
    socket.on('lookup', (error: Error | null, address: string | undefined) => {
      if (!error && address) ip = address;
    });
    socket.on('connectionAttempt', (address: string) => {
      ip = address;
    });
    socket.on('connect', () => {
      connectMs = now();
      ip = socket.remoteAddress ?? ip;
      clock.armIdle();
      clock.schedule(writes, (chunk) => {
        if (settled || socket.destroyed) return;
        engine.logSent(chunk, now());
        socket.write(chunk);
      });
    });
    socket.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (firstByteMs === null) firstByteMs = now();
      clock.armIdle();
      const step = engine.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), now());
      for (const b of step.send) {
        engine.logSent(b, now());
        socket.write(b);
      }
      if (step.waitMs !== undefined) clock.armIdle(step.waitMs);
      if (step.done) finish(engine.stopReason ?? 'complete');
    });
    socket.on('end', () => finish('closed'));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A RST answers only an established connection (a refused SYN is ECONNREFUSED), even
      // when it arrives before Node reports the connect: that is a reset, not a failed connect.
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') {
        connectMs ??= now();
        finish('reset', e.code);
      } else if (connectMs === null) finish('connect_failed', `${e.code ?? ''} ${e.message}`.trim());
      else finish('socket_error', `${e.code ?? ''} ${e.message}`.trim());
    });
    socket.on('close', () => finish('closed'));
  });

  const totalMs = now();
  keylog.close();
  const certificates = await summarizeCertificates(await engine.certificates());
  const result = probeResult(
    engine,
    reason,
    { host, port },
    { connectMs, firstByteMs, totalMs },
    certificates,
  );
  return { ...result, target: { host, port, ip } };
}
