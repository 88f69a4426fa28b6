/** hellokit's crypto layer: key shares, the TLS 1.3 key schedule, record protection, key logs. */

export * from './aes-ccm.ts';
export {
  type CryptoAlert,
  CryptoError,
  UnsupportedError,
  type UnsupportedKind,
} from './errors.ts';
export * from './ffdhe.ts';
export * from './key-schedule.ts';
export * from './key-share.ts';
export * from './keylog.ts';
export * from './random.ts';
export * from './record-protection.ts';
export * from './tls12-prf.ts';
