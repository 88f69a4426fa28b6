/** QUIC (platform-neutral): versions, Initial and packet keys, packet protection, frames, CRYPTO reassembly, transport parameters and the client session. */
export * from './crypto-stream.ts';
export * from './frames.ts';
export * from './header.ts';
export { QUIC_MIN_INITIAL_DATAGRAM } from './initial-sender.ts';
export * from './keys.ts';
export * from './protection.ts';
export * from './session.ts';
export * from './transport-parameters.ts';
export type * from './types.ts';
export * from './varint.ts';
export * from './version.ts';
