/**
 * Sources of random bytes. Key shares, ClientHello randoms and session ids take a
 * {@link RandomSource}, so tests and reproducible builds can pass {@link seededRandom}.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { concatBytes } from '../bytes/hex.ts';

/** Returns `n` random bytes. */
export type RandomSource = (n: number) => Uint8Array;

function checkCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`random byte count must be a non-negative integer, got ${n}`);
}

/**
 * The platform's cryptographically secure generator (`crypto.getRandomValues`, via noble).
 * @example systemRandom(32) // a fresh ClientHello random
 */
export const systemRandom: RandomSource = (n: number): Uint8Array => {
  checkCount(n);
  return randomBytes(n);
};

const SEED_DOMAIN = utf8ToBytes('hellokit seededRandom v1');
const CHUNK_BLOCKS = 16;
const BLOCK = 64;

/**
 * A deterministic stream of bytes: the ChaCha20 keystream under
 * `key = SHA-256("hellokit seededRandom v1" || tag || seed)` and an all-zero nonce.
 * The same seed gives the same bytes on every platform, however the reads are split.
 * Not for real secrets: anyone who knows the seed knows the keys.
 * @example
 * const random = seededRandom('test-1');
 * generateKeyShare(0x001d, random); // the same key share on every run
 */
export function seededRandom(seed: string | number | Uint8Array): RandomSource {
  let tagged: Uint8Array;
  if (typeof seed === 'string') tagged = concatBytes(utf8ToBytes('s:'), utf8ToBytes(seed));
  else if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    tagged = utf8ToBytes(`n:${seed}`);
  } else if (seed instanceof Uint8Array) tagged = concatBytes(utf8ToBytes('b:'), seed);
  else throw new TypeError('seed must be a string, a number or a Uint8Array');
  const key = sha256(concatBytes(SEED_DOMAIN, tagged));
  const nonce = new Uint8Array(12);
  let counter = 0;
  let pool = new Uint8Array(0);
  let at = 0;
  return (n: number): Uint8Array => {
    checkCount(n);
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (at === pool.length) {
        pool = chacha20(key, nonce, new Uint8Array(CHUNK_BLOCKS * BLOCK), undefined, counter);
        counter += CHUNK_BLOCKS;
        at = 0;
      }
      const take = Math.min(n - filled, pool.length - at);
      out.set(pool.subarray(at, at + take), filled);
      filled += take;
      at += take;
    }
    return out;
  };
}
