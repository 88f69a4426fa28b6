/**
 * Finite-field Diffie-Hellman groups of RFC 7919 for TLS 1.3 key shares (RFC 8446
 * §4.2.8.1): the share is `g^x mod p` and the shared secret `Y^x mod p`, both left-padded
 * with zeros to the size of p. Modular exponentiation is noble's bigint `pow`.
 */
import { pow } from '@noble/curves/abstract/modular.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import type { RandomSource } from './random.ts';

/** One RFC 7919 group: safe prime p = 2q + 1, generator 2. */
export interface FfdheGroup {
  readonly name: string;
  readonly prime: bigint;
  /** Size of p, and of every share and secret, in bytes. */
  readonly byteLength: number;
  /** Private exponent size in bytes; at least RFC 7919 §5.2's short-exponent recommendation (225/275/325 bits). */
  readonly exponentLength: number;
}

const COMMON =
  'FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8' +
  'F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935984F0C70E0E68B77E2A689DAF3EFE872' +
  '1DF158A136ADE73530ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB19' +
  '0B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F619172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005' +
  'C58EF1837D1683B2C6F34A26C1B2EFFA886B4238';

const AFTER_3072 =
  '611FCFDCDE355B3B6519035BBC34F4DEF99C023861B46FC9D6E6C9077AD91D2691F7F7EE598CB0FAC186D91CAEFE130985139270B4130C93' +
  'BC437944F4FD4452E2D74DD364F2E21E71F54BFF5CAE82AB9C9DF69EE86D2BC522363A0DABC521979B0DEADA1DBF9A42D5C4484E0ABCD06B' +
  'FA53DDEF3C1B20EE3FD59D7C25E41D2B';

/** RFC 7919 Appendix A primes, by NamedGroup code point. */
export const FFDHE_GROUPS: ReadonlyMap<number, FfdheGroup> = new Map([
  [0x0100, group('ffdhe2048', `${COMMON}61285C97FFFFFFFFFFFFFFFF`, 32)],
  [0x0101, group('ffdhe3072', `${COMMON}${AFTER_3072}66C62E37FFFFFFFFFFFFFFFF`, 40)],
  [
    0x0102,
    group(
      'ffdhe4096',
      `${COMMON}${AFTER_3072}669E1EF16E6F52C3164DF4FB7930E9E4E58857B6AC7D5F42D69F6D187763CF1D5503400487F55BA57E31CC7A` +
        '7135C886EFB4318AED6A1E012D9E6832A907600A918130C46DC778F971AD0038092999A333CB8B7A1A1DB93D7140003C2A4ECEA9F98D0A' +
        'CC0A8291CDCEC97DCF8EC9B55A7F88A46B4DB5A851F44182E1C68A007E5E655F6AFFFFFFFFFFFFFFFF',
      48,
    ),
  ],
]);

function group(name: string, hex: string, exponentLength: number): FfdheGroup {
  return { name, prime: BigInt(`0x${hex}`), byteLength: hex.length / 2, exponentLength };
}

const TWO = BigInt(2);
const ONE = BigInt(1);

/** A private exponent and its public share `2^x mod p`, padded to the size of p. */
export function ffdheGenerate(
  g: FfdheGroup,
  random: RandomSource,
): { privateKey: Uint8Array; keyExchange: Uint8Array } {
  let privateKey = random(g.exponentLength);
  // x must not be 0 or 1; an all-zero draw is astronomically unlikely, but a scripted source can give it.
  if (bytesToNumberBE(privateKey) < TWO) privateKey = Uint8Array.of(...privateKey.subarray(1), 2);
  const y = pow(TWO, bytesToNumberBE(privateKey), g.prime);
  return { privateKey, keyExchange: numberToBytesBE(y, g.byteLength) };
}

/**
 * `peer^x mod p`, padded to the size of p, after checking the peer's share as RFC 8446
 * §4.2.8.1 requires (exact length, 1 < Y < p − 1).
 * @throws {Error} describing what is wrong with the peer's share
 */
export function ffdheAgree(g: FfdheGroup, privateKey: Uint8Array, peer: Uint8Array): Uint8Array {
  if (peer.length !== g.byteLength) {
    throw new Error(`${g.name} share must be left-padded to ${g.byteLength} bytes, got ${peer.length}`);
  }
  const y = bytesToNumberBE(peer);
  if (y <= ONE || y >= g.prime - ONE) throw new Error(`${g.name} share is outside 1 < Y < p-1`);
  const z = pow(y, bytesToNumberBE(privateKey), g.prime);
  if (z === ONE) throw new Error(`${g.name} shared secret is 1`);
  return numberToBytesBE(z, g.byteLength);
}
