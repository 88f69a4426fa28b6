/**
 * The ClientHello of a QUIC probe and its connection IDs: QUIC's defaults under the caller's
 * hello options (TLS 1.3, ALPN h3, an empty legacy_session_id, quic_transport_parameters).
 */
import { type ClientHelloOptions, clientHello } from '../../builder/client-hello.ts';
import type { RandomSource } from '../../crypto/random.ts';
import { clientTransportParameters } from '../../quic/transport-parameters.ts';
import { isBuiltHello } from '../session.ts';
import type { HelloWithKeyShares } from '../types.ts';
import type { QuicProbeOptions } from './types.ts';

const QUIC_EXTENSION = 57;
const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

function mentionsTransportParameters(o: ClientHelloOptions): boolean {
  const named = (t: string | number) => t === QUIC_EXTENSION || t === 'quic_transport_parameters';
  return (
    (o.addExtensions ?? []).some((e) => named(e.type)) ||
    (o.replaceExtensions ?? []).some((e) => named(e.type)) ||
    Object.keys(o.extensionBodies ?? {}).some((k) => named(k) || Number(k) === QUIC_EXTENSION)
  );
}

/**
 * The ClientHello options of a QUIC probe: the caller's, over QUIC defaults (TLS 1.3 only and
 * its suites unless a preset or the caller says otherwise, ALPN h3, an empty legacy_session_id),
 * plus quic_transport_parameters naming `sourceConnectionId` unless the caller gave that extension.
 * @example clientHello(quicHelloOptions({ serverName: 'example.test' }, scid))
 */
export function quicHelloOptions(
  options: ClientHelloOptions,
  sourceConnectionId: Uint8Array,
): ClientHelloOptions {
  // An option given as undefined leaves the QUIC default in place.
  const given = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as ClientHelloOptions;
  const plain = given.preset === undefined;
  return {
    ...(plain && given.tls === undefined && given.versions === undefined ? { tls: '1.3' as const } : {}),
    ...(plain && given.cipherSuites === undefined && given.rawCipherSuites === undefined
      ? { cipherSuites: TLS13_SUITES }
      : {}),
    alpn: ['h3'],
    sessionId: 0,
    ...given,
    ...(mentionsTransportParameters(given)
      ? {}
      : {
          addExtensions: [
            ...(given.addExtensions ?? []),
            { type: QUIC_EXTENSION, body: clientTransportParameters(sourceConnectionId) },
          ],
        }),
  };
}

/** The hello a QUIC probe sends: the built one given, or one built with QUIC defaults under the options given. */
export function quicHelloToSend(
  options: QuicProbeOptions,
  sourceConnectionId: Uint8Array,
): HelloWithKeyShares {
  const given = options.hello;
  if (given && isBuiltHello(given)) return given;
  return clientHello(
    quicHelloOptions(
      { ...(given ?? {}), ...(options.serverName !== undefined ? { serverName: options.serverName } : {}) },
      sourceConnectionId,
    ),
  );
}

/**
 * A connection ID given in the options (checked) or 8 random bytes.
 * @throws {RangeError} naming the option when the given one is not `min`..20 bytes
 */
export function connectionId(
  name: string,
  given: Uint8Array | undefined,
  random: RandomSource,
  min: number,
): Uint8Array {
  if (given === undefined) return random(8);
  if (!(given instanceof Uint8Array) || given.length < min || given.length > 20)
    throw new RangeError(
      `"${name}" expected ${min}..20 bytes, got ${given instanceof Uint8Array ? given.length : typeof given}`,
    );
  return given;
}
