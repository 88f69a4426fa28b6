/**
 * The server-side ClientHello peek over a socket: peek/client-hello-peek.ts reads the client's
 * first flight and parses the ClientHello; this puts every byte back so the connection can still
 * be handed to `tls.TLSSocket`, a `tls.Server` or a proxy.
 */
import type { Socket } from 'node:net';
import { ClientHelloPeek, type PeekedClientHello, ReadClientHelloError } from '../peek/client-hello-peek.ts';

export {
  clientHelloServerName,
  type PeekedClientHello,
  ReadClientHelloError,
  type ReadClientHelloErrorCode,
} from '../peek/client-hello-peek.ts';

/** Options for {@link readClientHello}. */
export interface ReadClientHelloOptions {
  /** Give up when the whole hello has not arrived within this many ms (default 10 000). */
  readonly timeoutMs?: number;
  /**
   * Give up when no byte at all has come within this many ms (default: `timeoutMs`): a
   * `timeout` error, as for a hello that does not complete.
   */
  readonly firstByteTimeoutMs?: number;
  /** Most bytes read before giving up (default 65 536; a hello with post-quantum shares is ~1.8 KB). */
  readonly maxBytes?: number;
  /** Parse strictly (default false: odd hellos are still shown, their faults in `hello.problems`). */
  readonly strict?: boolean;
  /** Destroy the socket when reading fails (default true). */
  readonly destroyOnError?: boolean;
}

/**
 * Reads a ClientHello that may arrive in any number of TCP segments and records, parses
 * it, and unshifts every byte read back into `socket` (left paused), so the stream is
 * intact for `new tls.TLSSocket(socket, { isServer: true, … })` or a proxy.
 *
 * A client that sends something other than a ClientHello, more than `maxBytes`, or too
 * slowly, or closes early, gets a {@link ReadClientHelloError} and its socket is destroyed
 * (unless `destroyOnError: false`). An SSLv2-compatible CLIENT-HELLO is still `not-tls`,
 * but its whole record is read and the error carries it decoded in `sslv2Hello`.
 *
 * @example
 * net.createServer(async (socket) => {
 *   const { hello } = await readClientHello(socket, { timeoutMs: 5000 });
 *   console.log(clientHelloServerName(hello));
 *   tlsServer.emit('connection', socket);
 * });
 */
export function readClientHello(
  socket: Socket,
  options: ReadClientHelloOptions = {},
): Promise<PeekedClientHello> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const destroyOnError = options.destroyOnError ?? true;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new RangeError(`"timeoutMs" expected a positive number, got ${timeoutMs}`);
  const firstByteMs = Math.min(options.firstByteTimeoutMs ?? timeoutMs, timeoutMs);
  if (!(firstByteMs > 0))
    throw new RangeError(
      `"firstByteTimeoutMs" expected a positive number, got ${options.firstByteTimeoutMs}`,
    );

  const peek = new ClientHelloPeek({ maxBytes: options.maxBytes ?? 65_536, strict: options.strict ?? false });

  return new Promise((resolve, reject) => {
    let settled = false;
    const cleanup = () => {
      clearTimeout(timer);
      clearTimeout(firstByte);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
    };
    const fail = (error: ReadClientHelloError) => {
      if (settled) return;
      settled = true;
      cleanup();
      if (destroyOnError) socket.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      clearTimeout(firstByte);
      let peeked: PeekedClientHello | null;
      try {
        peeked = peek.push(chunk);
      } catch (e) {
        if (e instanceof ReadClientHelloError) return fail(e);
        throw e;
      }
      if (peeked === null) return;
      settled = true;
      cleanup();
      socket.pause();
      const bytes = peeked.bytes;
      socket.unshift(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      resolve(peeked);
    };
    const onEnd = () => fail(peek.closed());
    const onError = (e: Error) =>
      fail(
        new ReadClientHelloError(
          'closed',
          `the connection failed while reading the hello: ${e.message}`,
          peek.received(),
          {
            cause: e,
          },
        ),
      );
    const timer = setTimeout(() => fail(peek.timedOut(timeoutMs)), timeoutMs);
    // Armed after the whole-hello timer: with the same delay that one fires first and says the same.
    const firstByte =
      firstByteMs < timeoutMs ? setTimeout(() => fail(peek.timedOut(firstByteMs)), firstByteMs) : undefined;
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
    socket.resume();
  });
}
