/**
 * hellokit — build, parse, send and fuzz TLS ClientHellos, and read what a server answers.
 * This entry point is platform-neutral (Uint8Array only); sockets live in `hellokit/node`,
 * fast-check arbitraries in `hellokit/arbitraries`.
 */

// The layers, lowest first; docs/api.md lists the names most programs need, then every export
// by layer. A name means one thing in all three entry points (test/public-api.test.ts).

// The builder: clientHello, presets, GREASE, padding, permutation.
export * from './builder/index.ts';
// Bytes: Reader, Writer, hex, DecodeError / EncodeError, JSON views.
export * from './bytes/index.ts';
// Captures: pcap / pcapng readers and the handshakes in them.
export * from './capture/index.ts';
// Crypto: key shares, the TLS 1.3 key schedule, record protection, key logs.
export * from './crypto/index.ts';
// Diagnose: probe plans and their reading, written against a probe function.
export * from './diagnose/index.ts';
// Extensions: the registry and one codec per extension (findExtension, extension bodies).
export * from './extensions/index.ts';
// Fingerprints and views: JA3, JA3S, JA4, clientHelloSummary, diffClientHellos.
export * from './fingerprint/index.ts';
export * from './fingerprint/sslv2.ts';
// Fuzz cases (platform-neutral): seeded mutations, their tally, delta debugging over a send function.
export * from './fuzz/cases.ts';
export * from './fuzz/minimize.ts';
export * from './fuzz/run.ts';
// Handshake messages: parseClientHello, encodeClientHello, ServerHello, decodeStream, SSLv2 hellos.
export * from './handshake/index.ts';
export * from './handshake/sslv2-client-hello.ts';
// IANA registries: code ⇄ name tables and lookups (cipherSuiteName, lookupGroup, …).
export * from './iana/index.ts';
// Lint: validateClientHello and its rules.
export * from './lint/index.ts';
// The server-side ClientHello peek (platform-neutral): a client's first flight, chunk by chunk.
export * from './peek/client-hello-peek.ts';
// Probe rules (platform-neutral): the server conformance checks hellokit/node's probe applies.
export * from './probe/index.ts';
// The QUIC probe (platform-neutral): probeQuicDatagrams over any datagram transport (hellokit/node's probeQuic runs it over UDP).
export * from './probe/quic/index.ts';
// QUIC: Initial keys, packet protection, frames, CRYPTO reassembly, transport parameters, the client session.
export * from './quic/index.ts';
// Records: framing, fragmentation, alerts, change_cipher_spec, the stream deframer.
export * from './records/index.ts';
// Scan (platform-neutral): versions, suites, groups and certificates through any probe transport.
export * from './scan/scan.ts';
