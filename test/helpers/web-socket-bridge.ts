/**
 * A WebSocket-to-TCP bridge on loopback (the `ws` package), the way a page reaches a TLS server:
 * each WebSocket connection to `/bridge` opens one TCP connection to the one fixed target, each
 * binary message is written to it, and each TCP chunk comes back as one binary message; the
 * server's FIN closes the WebSocket normally (1000). The same HTTP server also serves the few
 * static files a test page needs (the browser bundle), so the page and the bridge share an origin.
 */
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { WebSocketServer } from 'ws';

/** A file the bridge's HTTP server serves. */
export interface StaticFile {
  readonly type: string;
  readonly body: string;
}

export interface Bridge {
  readonly port: number;
  /** WebSocket connections the bridge has taken. */
  readonly connections: () => number;
  close(): Promise<void>;
}

/** Largest WebSocket message the bridge takes (a ClientHello is a few KB). */
const MAX_MESSAGE = 1 << 20;

/** Starts the bridge on 127.0.0.1 (a free port), relaying to `target` (a loopback address). */
export async function startBridge(
  target: { readonly host: string; readonly port: number },
  files: Readonly<Record<string, StaticFile>> = {},
): Promise<Bridge> {
  if (!/^127\.|^::1$/.test(target.host))
    throw new Error(`the bridge relays to loopback only, not ${target.host}`);
  const http: Server = createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  const wss = new WebSocketServer({ server: http, path: '/bridge', maxPayload: MAX_MESSAGE });
  const sockets = new Set<Socket>();
  let taken = 0;
  wss.on('connection', (ws) => {
    taken++;
    const tcp = connect(target.port, target.host);
    sockets.add(tcp);
    tcp.setNoDelay(true);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        ws.close(1003, 'binary messages only');
        return;
      }
      tcp.write(data as Buffer);
    });
    tcp.on('data', (chunk) => ws.send(chunk, { binary: true }));
    tcp.on('end', () => ws.close(1000));
    tcp.on('error', (e: NodeJS.ErrnoException) => ws.close(1011, e.code ?? 'tcp error'));
    tcp.on('close', () => sockets.delete(tcp));
    ws.on('close', () => tcp.end());
    ws.on('error', () => tcp.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    connections: () => taken,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
