/**
 * RSA encryption as a TLS 1.2 client uses it in an RSA key exchange: the pre-master secret
 * encrypted to the server certificate's key. BigInt arithmetic (noble's modular helpers): there
 * is no RSA in the noble libraries, and the core runs anywhere.
 */
import { pow } from '@noble/curves/abstract/modular.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import type { RandomSource } from './random.ts';

/**
 * RSAES-PKCS1-v1_5 encryption (RFC 8017 §7.2.1) of `message` to the key (`n`, `e`, big-endian):
 * what a TLS 1.2 client does to its pre-master secret in an RSA key exchange (RFC 5246 §7.4.7.1).
 * The result is as long as the modulus.
 * @throws {Error} when the message is too long for the modulus
 */
export function rsaPkcs1Encrypt(
  n: Uint8Array,
  e: Uint8Array,
  message: Uint8Array,
  random: RandomSource,
): Uint8Array {
  const modulus = bytesToNumberBE(n);
  const k = Math.ceil(modulus.toString(2).length / 8);
  if (message.length > k - 11)
    throw new Error(`RSA modulus of ${k} bytes is too short for ${message.length}`);
  const em = new Uint8Array(k);
  em[1] = 2;
  const padding = em.subarray(2, k - message.length - 1);
  for (let i = 0; i < padding.length; i++) {
    let b = 0;
    while (b === 0) b = random(1)[0];
    padding[i] = b;
  }
  em.set(message, k - message.length);
  return numberToBytesBE(pow(bytesToNumberBE(em), bytesToNumberBE(e), modulus), k);
}
