/** Bytes: the bounded Reader, the Writer with length-prefix scopes, hex, the decode and encode errors, JSON views. */
export * from './errors.ts';
export * from './hex.ts';
export * from './json-view.ts';
export * from './reader.ts';
export * from './writer.ts';
