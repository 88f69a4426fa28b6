/**
 * `hellokit/arbitraries`: fast-check arbitraries for records, alerts, extensions,
 * ClientHellos and ServerHellos, and the mutators that break a valid hello one field at a
 * time. fast-check is a peer dependency.
 */
export * from './client-hello.ts';
export * from './extension-bodies.ts';
export * from './extensions.ts';
export * from './field-map.ts';
export * from './mutation-arb.ts';
export * from './mutators.ts';
export * from './records.ts';
export * from './server-hello.ts';
