/**
 * The TLS 1.2 PRF (RFC 5246 §5) and master secret derivation (§8.1, RFC 7627), enough
 * to write `CLIENT_RANDOM` key log lines for TLS 1.2 connections.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { concatBytes } from '../bytes/hex.ts';
import type { HashName } from './key-schedule.ts';

const HASHES = { sha256, sha384 } as const;

/**
 * PRF(secret, label, seed) = P_<hash>(secret, label + seed), truncated to `length` bytes.
 * SHA-256 unless the cipher suite names SHA-384.
 * @example tls12Prf('sha256', secret, 'key expansion', concatBytes(serverRandom, clientRandom), 40)
 */
export function tls12Prf(
  hash: HashName,
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): Uint8Array {
  if (!Number.isInteger(length) || length < 0)
    throw new RangeError(`PRF output length must be a non-negative integer, got ${length}`);
  const h = HASHES[hash];
  const labelSeed = concatBytes(utf8ToBytes(label), seed);
  const out = new Uint8Array(length);
  let a = labelSeed; // A(0)
  let filled = 0;
  while (filled < length) {
    a = hmac(h, secret, a); // A(i) = HMAC(secret, A(i-1))
    const block = hmac(h, secret, concatBytes(a, labelSeed));
    const take = Math.min(block.length, length - filled);
    out.set(block.subarray(0, take), filled);
    filled += take;
  }
  return out;
}

function check32(name: string, value: Uint8Array): void {
  if (value.length !== 32) throw new RangeError(`"${name}" expected 32 bytes, got ${value.length}`);
}

/** master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]. */
export function tls12MasterSecret(
  hash: HashName,
  preMasterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): Uint8Array {
  check32('clientRandom', clientRandom);
  check32('serverRandom', serverRandom);
  return tls12Prf(hash, preMasterSecret, 'master secret', concatBytes(clientRandom, serverRandom), 48);
}

/** The extended master secret (RFC 7627 §4): PRF(pre_master_secret, "extended master secret", session_hash)[0..47]. */
export function tls12ExtendedMasterSecret(
  hash: HashName,
  preMasterSecret: Uint8Array,
  sessionHash: Uint8Array,
): Uint8Array {
  return tls12Prf(hash, preMasterSecret, 'extended master secret', sessionHash, 48);
}
