/** Client and server hello fingerprints: JA3, JA3S and JA4 (with `_r`, `_o`, `_ro`). */

export type { FingerprintableHello } from '../handshake/hello-fields.ts';
export { GREASE_VALUES, isGrease, withoutGrease } from './grease.ts';
export * from './hello-diff.ts';
export * from './hello-summary.ts';
export { type Ja3Fingerprints, type Ja3sInput, ja3, ja3All, ja3Full, ja3s, ja3sFull } from './ja3.ts';
export {
  type Ja4AlpnRule,
  type Ja4Fingerprints,
  type Ja4Options,
  type Ja4Transport,
  ja4,
  ja4_o,
  ja4_r,
  ja4_ro,
  ja4All,
} from './ja4.ts';
