/**
 * hellokit — build, parse, send and fuzz TLS ClientHellos, and read what a server answers.
 * This entry point is platform-neutral (Uint8Array only); sockets live in `hellokit/node`,
 * fast-check arbitraries in `hellokit/arbitraries`.
 */

export * from './builder/index.ts';
export * from './bytes/index.ts';
export * from './capture/index.ts';
export * from './crypto/index.ts';
export * from './diagnose/index.ts';
export * from './extensions/index.ts';
export * from './fingerprint/index.ts';
export * from './fingerprint/sslv2.ts';
export * from './handshake/index.ts';
export * from './handshake/sslv2-client-hello.ts';
export * from './iana/index.ts';
export * from './lint/index.ts';
export * from './probe/index.ts';
export * from './records/index.ts';
