/** Records: TLSPlaintext framing, fragmentation, alerts, change_cipher_spec, and the deframer for byte streams. */
export * from './alert.ts';
export * from './change-cipher-spec.ts';
export * from './deframer.ts';
export * from './fragment.ts';
export * from './not-tls.ts';
export * from './record.ts';
