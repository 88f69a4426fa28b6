/** Handshake messages: ClientHello, ServerHello and the rest of the flight, their reassembly from records, and stream decoding. */
export * from './certificate.ts';
export * from './certificate-request.ts';
export * from './certificate-verify.ts';
export * from './client-hello.ts';
export * from './encrypted-extensions.ts';
export * from './end-of-early-data.ts';
export * from './finished.ts';
export * from './header.ts';
export * from './hello-fields.ts';
export * from './key-update.ts';
export * from './messages.ts';
export * from './new-session-ticket.ts';
export * from './reassembler.ts';
export * from './server-hello.ts';
export * from './server-hello-done.ts';
export * from './server-key-exchange.ts';
export * from './stream.ts';
export type * from './types.ts';
