/**
 * The QUIC client session of `probeQuic()` with Node's defaults: the platform-neutral
 * QuicProbeSession (src/probe/quic/session.ts) with Node's zlib and brotli certificate
 * decompressors unless others are given.
 */
import type { KeyShare } from '../crypto/key-share.ts';
import type { ClientHello } from '../handshake/types.ts';
import { QuicProbeSession as CoreQuicProbeSession, type QuicSessionOptions } from '../probe/quic/session.ts';
import { nodeCertificateDecompressors } from './decompress.ts';

export type { QuicSessionOptions };

/**
 * One QUIC connection attempt with hellokit's probe engine reading the TLS handshake.
 * @example
 * const s = new QuicProbeSession(hello, hello.keyShares, { version: 1, destinationConnectionId: dcid, sourceConnectionId: scid });
 * for (const d of s.start(0)) socket.send(d);
 */
export class QuicProbeSession extends CoreQuicProbeSession {
  /** @throws {RangeError} for connection IDs over 20 bytes */
  constructor(hello: ClientHello, keyShares: readonly KeyShare[], options: QuicSessionOptions) {
    super(hello, keyShares, { decompressors: nodeCertificateDecompressors, ...options });
  }
}
