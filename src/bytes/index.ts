export * from './errors.ts';
export * from './hex.ts';
export * from './json-view.ts';
export * from './reader.ts';
export * from './writer.ts';
