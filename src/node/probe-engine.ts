/** Moved to the platform-neutral core: src/probe/engine.ts. */
export * from '../probe/engine.ts';
