/**
 * The QUIC probe (platform-neutral): probeQuicDatagrams() over any datagram transport, the QUIC
 * hello defaults, the result's shapes (and the base it shares with the TCP probe's result).
 * hellokit/node's probeQuic() runs it over UDP.
 */

export type { ProbeResultBase } from '../result-base.ts';
export {
  DEFAULT_QUIC_IDLE_TIMEOUT_MS,
  DEFAULT_QUIC_MAX_BYTES,
  DEFAULT_QUIC_MAX_DATAGRAMS,
  DEFAULT_QUIC_MAX_RESENDS,
  DEFAULT_QUIC_RESEND_AFTER_MS,
  DEFAULT_QUIC_TIMEOUT_MS,
  probeQuicDatagrams,
  type QuicDatagramProbeOptions,
} from './datagrams.ts';
export { quicHelloOptions } from './hello.ts';
export type { QuicSessionOptions } from './session.ts';
export type * from './types.ts';
