/** Diagnose: probe plans and their interpretation, written against a `probe` function. */
export * from './certificates.ts';
export * from './format.ts';
export * from './interpret.ts';
export * from './plan.ts';
export * from './run.ts';
export type * from './types.ts';
