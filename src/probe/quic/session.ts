/**
 * The QUIC client session of a QUIC probe: the platform-neutral {@link QuicClientSession}
 * (src/quic/) driving hellokit's TLS probe engine, with the certificate decompressors injected
 * (hellokit/node passes Node's zlib and brotli).
 */
import type { KeyShare } from '../../crypto/key-share.ts';
import type { RandomSource } from '../../crypto/random.ts';
import type { ClientHello } from '../../handshake/types.ts';
import { QuicClientSession } from '../../quic/session.ts';
import type { QuicClientSessionOptions } from '../../quic/types.ts';
import { webCertificateDecompressors } from '../decompress.ts';
import { ProbeEngine } from '../engine.ts';
import type { StreamProbeOptions } from '../stream.ts';
import { quicHelloToSend } from './hello.ts';
import type { QuicProbeOptions } from './types.ts';

/** Options of a {@link QuicProbeSession}: the session's, and what the TLS engine is told. */
export interface QuicSessionOptions
  extends QuicClientSessionOptions,
    Pick<StreamProbeOptions, 'decompressors'> {
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
 * for (const d of s.start(0)) send(d);
 */
export class QuicProbeSession extends QuicClientSession<ProbeEngine> {
  /** @throws {RangeError} for connection IDs over 20 bytes */
  constructor(hello: ClientHello, keyShares: readonly KeyShare[], options: QuicSessionOptions) {
    const decrypt = options.decrypt ?? true;
    const decompressors = options.decompressors ?? webCertificateDecompressors();
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
          decompressors,
          ...(options.random ? { random: options.random } : {}),
        }),
      options,
    );
  }
}

/** The session of one QUIC probe: the hello to send (built with QUIC defaults unless given built) and the engine reading the answer. */
export function quicProbeSession(
  options: QuicProbeOptions & Pick<StreamProbeOptions, 'decompressors'>,
  version: number,
  destinationConnectionId: Uint8Array,
  sourceConnectionId: Uint8Array,
): QuicProbeSession {
  const hello = quicHelloToSend(options, sourceConnectionId);
  return new QuicProbeSession(hello, hello.keyShares ?? [], {
    version,
    destinationConnectionId,
    sourceConnectionId,
    retryOnHelloRetryRequest: options.retryOnHelloRetryRequest ?? true,
    decrypt: options.decrypt ?? true,
    abortOnViolation: options.abortOnViolation ?? true,
    ...(options.keylog ? { keylog: options.keylog } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.decompressors ? { decompressors: options.decompressors } : {}),
  });
}
