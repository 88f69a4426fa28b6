export * from './alert.ts';
export * from './change-cipher-spec.ts';
export * from './deframer.ts';
export * from './fragment.ts';
export * from './not-tls.ts';
export * from './record.ts';
