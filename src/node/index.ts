/** hellokit/node: the socket layer — probe, the server-side ClientHello peek, scan, diagnose, serve and the demo server. */

// The platform-neutral halves of diagnose, fuzz and scan (also in `hellokit`), still exported
// here beside their socket adapters so that code importing them from hellokit/node keeps working.
export * from '../diagnose/spec-hello.ts';
export * from '../fuzz/cases.ts';
export * from '../fuzz/minimize.ts';
export * from '../fuzz/run.ts';
// The QUIC probe's platform-neutral half (also in `hellokit`): its defaults, the QUIC hello, probeQuicDatagrams.
export * from '../probe/quic/index.ts';
// The QUIC pieces hellokit/node exported before they moved to the platform-neutral core (src/quic/).
export {
  ackFrame,
  type BareLongHeader,
  clientTransportParameters,
  connectionCloseFrame,
  cryptoFrame,
  encodeVarint,
  type InitialFrames,
  QUIC_MIN_INITIAL_DATAGRAM,
  quicVersionName,
  readBareLongHeader,
  readInitialFrames,
  TRANSPORT_PARAMETER,
  transportErrorName,
  versionNegotiationVersions,
} from '../quic/index.ts';
export * from '../scan/scan.ts';
export * from './certificates.ts';
export * from './decompress.ts';
export * from './demo-server.ts';
export * from './diagnose.ts';
export * from './fuzz.ts';
export * from './fuzz-minimize.ts';
export * from './fuzz-send.ts';
export * from './probe.ts';
export * from './probe-conclusion.ts';
export * from './probe-engine.ts';
export * from './probe-hello.ts';
export * from './probe-json.ts';
export * from './probe-quic.ts';
export * from './probe-quic-session.ts';
export type * from './probe-quic-types.ts';
export type * from './probe-types.ts';
export * from './read-client-hello.ts';
export * from './scan.ts';
export * from './serve.ts';
export * from './track-client-hellos.ts';
