/** Capture readers (pcap, pcapng) and the TCP/QUIC handshake stream extraction above them. */

export * from '../bytes/range-buffer.ts';
export * from './handshake-progress.ts';
export * from './handshakes.ts';
export * from './ip.ts';
export * from './link.ts';
export * from './pcap.ts';
export * from './pcapng.ts';
export * from './quic.ts';
export * from './read-capture.ts';
export * from './scanner.ts';
export * from './source.ts';
export * from './streams.ts';
export * from './tcp.ts';
export * from './transport.ts';
export * from './types.ts';
export * from './warnings.ts';
export * from './window.ts';
