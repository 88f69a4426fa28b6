/** hellokit/node: the socket layer (probe). Other Node-only tools add their exports here. */
export * from './certificates.ts';
export * from './probe.ts';
export * from './probe-conclusion.ts';
export * from './probe-engine.ts';
export * from './probe-hello.ts';
export * from './probe-json.ts';
export type * from './probe-types.ts';
