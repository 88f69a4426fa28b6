/** Moved to the platform-neutral core: src/probe/types.ts. */
export type * from '../probe/types.ts';
