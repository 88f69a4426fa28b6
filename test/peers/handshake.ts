import { type ConnectionOptions, connect, type PeerCertificate as NodePeerCertificate } from 'node:tls';
import type { Peer } from './types.ts';

/** What Node's TLS client saw: a completed handshake, or the failure with the alert number if one came. */
export type HandshakeResult =
  | {
      ok: true;
      protocol: string | null;
      certificate: NodePeerCertificate;
      /** e.g. `{ type: 'ECDH', name: 'secp384r1', size: 384 }`. */
      ephemeralKey: { type?: string; name?: string; size?: number } | null;
      alpn: string | false | null;
      cipher: string;
    }
  | { ok: false; code: string | undefined; message: string; alert: number | undefined };

/**
 * Connects with Node's own TLS client (no verification: the certificates are self-signed) and
 * closes right after the handshake. `servername: undefined` sends no SNI (Node never sends an IP).
 */
export function handshake(
  peer: Peer,
  options: Omit<ConnectionOptions, 'host' | 'port'> = {},
): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: peer.host, port: peer.port, rejectUnauthorized: false, ...options });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, code: 'TIMEOUT', message: 'no handshake within 5 s', alert: undefined });
    }, 5_000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve({
        ok: true,
        protocol: socket.getProtocol(),
        certificate: socket.getPeerCertificate(),
        ephemeralKey: socket.getEphemeralKeyInfo(),
        alpn: socket.alpnProtocol,
        cipher: socket.getCipher().standardName,
      });
      socket.destroy();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      // OpenSSL's message ends in "SSL alert number N" when the server sent a fatal alert.
      const alert = /SSL alert number (\d+)/.exec(error.message);
      resolve({
        ok: false,
        code: error.code,
        message: error.message,
        alert: alert ? Number(alert[1]) : undefined,
      });
    });
  });
}
