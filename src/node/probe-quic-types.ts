/** Moved to the platform-neutral core: src/probe/quic/types.ts (the QUIC session's shapes are in src/quic/types.ts). */
export type * from '../probe/quic/types.ts';
export type { QuicConnectionClose } from '../quic/frames.ts';
export type {
  QuicDatagramRecord,
  QuicPacketRecord,
  QuicRetry,
  QuicStep,
  QuicStopReason,
  QuicVersionNegotiation,
} from '../quic/types.ts';
