/**
 * What the demo server and `hellokit serve` share after their ClientHello peek: a listening
 * loopback server, and Node's TLS taking over a peeked socket within a time limit.
 */
import type { Server, Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';

/** Starts `server` listening on `host:port` (port 0: any free port) and resolves with the port it got. */
export async function listenOn(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * The server side of TLS over `socket` (whose peeked bytes readClientHello put back), offering
 * `alpn`; a socket idle for `timeoutMs` or failing is destroyed.
 */
export function acceptTls(
  socket: Socket,
  context: SecureContext,
  alpn: readonly string[],
  timeoutMs: number,
): TLSSocket {
  const tls = new TLSSocket(socket, { isServer: true, secureContext: context, ALPNProtocols: [...alpn] });
  tls.setTimeout(timeoutMs, () => tls.destroy());
  tls.on('error', () => tls.destroy());
  return tls;
}
