/**
 * `webSocketDuplex()`: a WebSocket to a WebSocket-to-TCP bridge, as the pair of web streams
 * `probeStream()` takes. A browser has no TCP socket; a bridge (websockify, or a few lines of
 * the `ws` package in front of `net.connect`) relays each binary message to a TCP connection
 * and back, so the probe's bytes reach a real TLS server unchanged. Platform-neutral: it uses
 * only the WHATWG WebSocket interface (browsers, Deno, Bun, Node 22+, and the `ws` package).
 */
import type { ProbeDuplex } from './probe/index.ts';

/** The fields of a WebSocket event {@link webSocketDuplex} reads (`data` of a message, `code` and `reason` of a close). */
export interface WebSocketEventLike {
  readonly type?: string;
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
}

/** The part of the WHATWG `WebSocket` interface {@link webSocketDuplex} uses. */
export interface WebSocketLike {
  /** Set to `'arraybuffer'`, so binary messages arrive as ArrayBuffer rather than Blob. */
  binaryType: string;
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(
    type: 'open' | 'message' | 'close' | 'error',
    listener: (event: WebSocketEventLike) => void,
  ): void;
}

const CONNECTING = 0;
const OPEN = 1;
/** RFC 6455 §7.4.1: a normal closure. */
const NORMAL_CLOSURE = 1000;

/** The bytes of one message, or a reason it has none a byte stream can carry. */
function bytesOf(data: unknown): Uint8Array | string {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (typeof data === 'string') return 'the WebSocket sent a text message; a TCP bridge sends binary only';
  return `the WebSocket sent a ${Object.prototype.toString.call(data)} message, not binary bytes`;
}

/**
 * The two ends of `socket` as web streams: each binary message the bridge sends is one chunk of
 * `readable` (which ends when the socket closes, and fails on a text message or a socket
 * error), and each chunk written to `writable` is one binary message (sent once the socket
 * is open; closing `writable` closes the socket normally). Cancelling `readable` closes the
 * socket too. Give it a socket that is connecting or open; its messages from then on are kept.
 * @example
 * import { probeStream, webSocketDuplex } from 'hellokit/browser';
 * const r = await probeStream(webSocketDuplex(new WebSocket('ws://127.0.0.1:8080/bridge')), {
 *   serverName: 'hellokit.test',
 * });
 * r.serverHello?.versionName // 'TLS 1.3'
 * @throws {TypeError} when `socket` is not a WebSocket, or is already closing or closed
 */
export function webSocketDuplex(socket: WebSocketLike): ProbeDuplex & {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
} {
  if (
    !socket ||
    typeof socket.send !== 'function' ||
    typeof socket.close !== 'function' ||
    typeof socket.addEventListener !== 'function'
  )
    throw new TypeError('"socket" expected a WebSocket (send, close, addEventListener)');
  if (socket.readyState !== CONNECTING && socket.readyState !== OPEN)
    throw new TypeError(
      `"socket" expected a connecting or open WebSocket, got readyState ${socket.readyState}`,
    );
  socket.binaryType = 'arraybuffer';
  const on = (type: 'open' | 'message' | 'close' | 'error', listener: (event: WebSocketEventLike) => void) =>
    socket.addEventListener(type, listener);
  let ended = false;
  const stop = () => {
    if (socket.readyState === CONNECTING || socket.readyState === OPEN) socket.close(NORMAL_CLOSURE);
  };

  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      on('message', (event) => {
        if (ended) return;
        const bytes = bytesOf(event.data);
        if (typeof bytes === 'string') {
          ended = true;
          controller.error(new TypeError(bytes));
          stop();
        } else controller.enqueue(bytes);
      });
      on('error', () => {
        if (ended) return;
        ended = true;
        controller.error(new Error('the WebSocket failed'));
      });
      on('close', (event) => {
        if (ended) return;
        ended = true;
        const { code, reason } = event;
        // 1000 (normal) and 1005 (no status) are a bridge's way of passing on the server's FIN.
        if (code === undefined || code === NORMAL_CLOSURE || code === 1005) controller.close();
        else
          controller.error(new Error(`the WebSocket closed with code ${code}${reason ? `: ${reason}` : ''}`));
      });
    },
    cancel() {
      ended = true;
      stop();
    },
  });

  const opened = new Promise<void>((resolve, reject) => {
    if (socket.readyState === OPEN) return resolve();
    on('open', () => resolve());
    on('close', () => reject(new Error('the WebSocket closed before it opened')));
    on('error', () => reject(new Error('the WebSocket could not connect')));
  });
  opened.catch(() => {});

  const writable = new WritableStream<Uint8Array>({
    start: () => opened,
    write(chunk) {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('expected Uint8Array chunks');
      if (socket.readyState !== OPEN) throw new Error('the WebSocket is closed');
      socket.send(chunk);
    },
    close: stop,
    abort: stop,
  });

  return { readable, writable };
}
