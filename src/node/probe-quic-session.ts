/**
 * The QUIC client session of `probeQuic()`: the platform-neutral {@link QuicClientSession}
 * (src/quic/) driving hellokit's TLS probe engine, with Node's certificate decompressors.
 */
import type { KeyShare } from '../crypto/key-share.ts';
import type { RandomSource } from '../crypto/random.ts';
import type { ClientHello } from '../handshake/types.ts';
import { QuicClientSession } from '../quic/session.ts';
import type { QuicClientSessionOptions } from '../quic/types.ts';
import { nodeCertificateDecompressors } from './decompress.ts';
import { ProbeEngine } from './probe-engine.ts';

/** Options of a {@link QuicProbeSession}: the session's, and what the TLS engine is told. */
export interface QuicSessionOptions extends QuicClientSessionOptions {
  readonly retryOnHelloRetryRequest?: boolean;
  /** Decrypt the server's Handshake packets (default true); false stops at the ServerHello. */
  readonly decrypt?: boolean;
  readonly abortOnViolation?: boolean;
  readonly random?: RandomSource;
}

/** Most bytes the engine accepts: both CRYPTO streams at their cap (64 KiB each). */
const MAX_ENGINE_BYTES = 128 * 1024;

/**
 * One QUIC connection attempt with hellokit's probe engine reading the TLS handshake.
 * @example
 * const s = new QuicProbeSession(hello, hello.keyShares, { version: 1, destinationConnectionId: dcid, sourceConnectionId: scid });
 * for (const d of s.start(0)) socket.send(d);
 */
export class QuicProbeSession extends QuicClientSession<ProbeEngine> {
  /** @throws {RangeError} for connection IDs over 20 bytes */
  constructor(hello: ClientHello, keyShares: readonly KeyShare[], options: QuicSessionOptions) {
    const decrypt = options.decrypt ?? true;
    super(
      hello,
      (keylog) =>
        new ProbeEngine(hello, keyShares, {
          stopAfterServerHello: !decrypt,
          decrypt,
          abortOnViolation: options.abortOnViolation ?? true,
          keylog,
          retryOnHelloRetryRequest: options.retryOnHelloRetryRequest ?? true,
          maxBytes: MAX_ENGINE_BYTES,
          decompressors: nodeCertificateDecompressors,
          ...(options.random ? { random: options.random } : {}),
        }),
      options,
    );
  }
}
