/** Moved to the platform-neutral core: src/probe/conclusion.ts. */
export * from '../probe/conclusion.ts';
