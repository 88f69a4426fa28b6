/** Diagnose: probe plans and their interpretation, written against a `probe` function. */
export * from './answer.ts';
export * from './bisect.ts';
export * from './certificates.ts';
export * from './finding.ts';
export * from './format.ts';
export * from './interpret.ts';
export * from './plan.ts';
export * from './rules.ts';
export * from './run.ts';
export * from './spec-hello.ts';
export type * from './types.ts';
