/**
 * SHA-256/384, HMAC, HKDF, AES-GCM, ChaCha20-Poly1305 and the AES block modes by Node's crypto
 * (OpenSSL), behind the calls the TLS 1.3 key schedule, record protection, AES-CCM and QUIC
 * header protection make on `@noble/hashes` and `@noble/ciphers`. The bin
 * (scripts/build/bundle.mjs) gives those modules these instead: a `hellokit probe` process runs
 * its key schedule and opens its records once, and noble's first run of each (cold hash code,
 * AES tables built when its module loads, GHASH tables) was most of the handshake's own time
 * (docs/performance.md). The library keeps noble, which runs everywhere.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, type Hash } from 'node:crypto';

/** A running hash, as noble's `create()` gives it. */
export interface RunningHash {
  update(data: Uint8Array): RunningHash;
  digest(): Uint8Array;
  clone(): RunningHash;
}

/** A hash as key-schedule.ts uses noble's: called on a message, its OpenSSL name and lengths, and `create()`. */
export interface NativeHash {
  (message: Uint8Array): Uint8Array;
  readonly algorithm: 'sha256' | 'sha384';
  readonly outputLen: number;
  readonly blockLen: number;
  create(): RunningHash;
}

function running(state: Hash): RunningHash {
  return {
    update(data) {
      state.update(data);
      return this;
    },
    digest: () => new Uint8Array(state.digest()),
    clone: () => running(state.copy()),
  };
}

function nativeHash(algorithm: 'sha256' | 'sha384', outputLen: number, blockLen: number): NativeHash {
  const digest = (message: Uint8Array) => new Uint8Array(createHash(algorithm).update(message).digest());
  return Object.assign(digest, {
    algorithm,
    outputLen,
    blockLen,
    create: () => running(createHash(algorithm)),
  });
}

export const sha256: NativeHash = nativeHash('sha256', 32, 64);
export const sha384: NativeHash = nativeHash('sha384', 48, 128);

/** HMAC (RFC 2104). */
export function hmac(hash: NativeHash, key: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(hash.algorithm, key).update(message).digest());
}

/** HKDF-Extract (RFC 5869 §2.2): no salt is a string of HashLen zeros. */
export function extract(hash: NativeHash, ikm: Uint8Array, salt?: Uint8Array): Uint8Array {
  return hmac(hash, salt && salt.length > 0 ? salt : new Uint8Array(hash.outputLen), ikm);
}

/** HKDF-Expand (RFC 5869 §2.3). */
export function expand(
  hash: NativeHash,
  prk: Uint8Array,
  info: Uint8Array = new Uint8Array(0),
  length: number = hash.outputLen,
): Uint8Array {
  if (length > 255 * hash.outputLen)
    throw new RangeError(`HKDF-Expand: length ${length} is over 255 × HashLen`);
  const out = new Uint8Array(length);
  let block = new Uint8Array(0);
  for (let at = 0, counter = 1; at < length; counter++) {
    block = new Uint8Array(
      createHmac(hash.algorithm, prk).update(block).update(info).update(Uint8Array.of(counter)).digest(),
    );
    out.set(block.subarray(0, length - at), at);
    at += block.length;
  }
  return out;
}

/** An AEAD with its key, nonce and additional data fixed, as noble's `gcm(key, nonce, aad)`. */
export interface Aead {
  encrypt(plaintext: Uint8Array): Uint8Array;
  /** Throws when the 16-byte tag at the end does not verify. */
  decrypt(ciphertext: Uint8Array): Uint8Array;
}

const TAG_LENGTH = 16;

function aead(algorithm: string, key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array): Aead {
  return {
    encrypt(plaintext) {
      const c = createCipheriv(algorithm as 'aes-128-gcm', key, nonce, { authTagLength: TAG_LENGTH });
      if (aad) c.setAAD(aad);
      const body = Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
      return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    },
    decrypt(ciphertext) {
      if (ciphertext.length < TAG_LENGTH) throw new Error('ciphertext is shorter than its tag');
      const d = createDecipheriv(algorithm as 'aes-128-gcm', key, nonce, { authTagLength: TAG_LENGTH });
      if (aad) d.setAAD(aad);
      d.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_LENGTH));
      const body = Buffer.concat([
        d.update(ciphertext.subarray(0, ciphertext.length - TAG_LENGTH)),
        d.final(),
      ]);
      return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    },
  };
}

/** AES-GCM with a 16-byte tag; AES-128 or AES-256 by the key's length. */
export function gcm(key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array): Aead {
  if (key.length !== 16 && key.length !== 32 && key.length !== 24)
    throw new RangeError(`AES-GCM key must be 16, 24 or 32 bytes, got ${key.length}`);
  return aead(`aes-${key.length * 8}-gcm`, key, nonce, aad);
}

/** ChaCha20-Poly1305 (RFC 8439). */
export function chacha20poly1305(key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array): Aead {
  return aead('chacha20-poly1305', key, nonce, aad);
}

/** A block mode with its key (and IV) fixed, as noble's `cbc(key, iv, opts)`, `ctr` and `ecb`. */
export interface BlockCipher {
  encrypt(plaintext: Uint8Array): Uint8Array;
  decrypt(ciphertext: Uint8Array): Uint8Array;
}

/** Options of noble's block modes that callers pass: `disablePadding` (PKCS#7 padding otherwise). */
export interface BlockOptions {
  readonly disablePadding?: boolean;
}

function aesMode(
  mode: 'ecb' | 'cbc' | 'ctr',
  key: Uint8Array,
  iv: Uint8Array | null,
  padding: boolean,
): BlockCipher {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32)
    throw new RangeError(`AES key must be 16, 24 or 32 bytes, got ${key.length}`);
  const algorithm = `aes-${key.length * 8}-${mode}`;
  const run = (decipher: boolean, input: Uint8Array): Uint8Array => {
    const c = decipher ? createDecipheriv(algorithm, key, iv) : createCipheriv(algorithm, key, iv);
    c.setAutoPadding(padding);
    const out = Buffer.concat([c.update(input), c.final()]);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  };
  return { encrypt: (p) => run(false, p), decrypt: (c) => run(true, c) };
}

/** AES-ECB (QUIC header protection masks one block with it, RFC 9001 §5.4.3). */
export function ecb(key: Uint8Array, options: BlockOptions = {}): BlockCipher {
  return aesMode('ecb', key, null, options.disablePadding !== true);
}

/** AES-CBC (AES-CCM's CBC-MAC). */
export function cbc(key: Uint8Array, iv: Uint8Array, options: BlockOptions = {}): BlockCipher {
  return aesMode('cbc', key, iv, options.disablePadding !== true);
}

/** AES-CTR with a 128-bit big-endian counter block, as noble's and OpenSSL's (AES-CCM's encryption). */
export function ctr(key: Uint8Array, counter: Uint8Array): BlockCipher {
  return aesMode('ctr', key, counter, false);
}
