/** Moved to the platform-neutral core: src/probe/hello.ts. */
export * from '../probe/hello.ts';
