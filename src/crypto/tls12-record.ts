/**
 * TLS 1.2 AEAD record protection, enough for a client to send its Finished: the key block
 * (RFC 5246 §6.3) and the sealing of one record (§6.2.3.3) with AES-GCM (RFC 5288 §3: a 4-byte
 * implicit salt from the key block and an 8-byte explicit nonce carried in the record, here the
 * sequence number) or ChaCha20-Poly1305 (RFC 7905 §2: the 12-byte IV XOR the sequence number,
 * as in TLS 1.3). The additional data is seq_num || type || version || length. CBC and CCM
 * suites are not covered.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { concatBytes } from '../bytes/hex.ts';
import type { HashName } from './key-schedule.ts';
import { recordNonce } from './record-protection.ts';
import { tls12Prf } from './tls12-prf.ts';

/** The TLS 1.2 AEADs covered, by the IANA table's cipher column. */
export type Tls12Aead = 'AES_128_GCM' | 'AES_256_GCM' | 'CHACHA20_POLY1305';

const AEADS: Readonly<Record<Tls12Aead, { readonly keyLength: number; readonly ivLength: number }>> = {
  AES_128_GCM: { keyLength: 16, ivLength: 4 },
  AES_256_GCM: { keyLength: 32, ivLength: 4 },
  CHACHA20_POLY1305: { keyLength: 32, ivLength: 12 },
};

/** `cipher` (the IANA table's column) when this module can seal records with it. */
export function tls12Aead(cipher: string): Tls12Aead | undefined {
  return Object.hasOwn(AEADS, cipher) ? (cipher as Tls12Aead) : undefined;
}

/** One direction's keys and its next sequence number. */
export interface Tls12RecordKeys {
  readonly aead: Tls12Aead;
  readonly key: Uint8Array;
  /** The GCM salt (4 bytes) or the ChaCha20-Poly1305 IV (12). */
  readonly iv: Uint8Array;
  sequence: number;
}

/**
 * The client's and the server's write keys from the master secret (RFC 5246 §6.3: AEAD suites
 * have no MAC keys): key_block = PRF(master_secret, "key expansion", server_random + client_random).
 */
export function tls12KeyBlock(
  hash: HashName,
  aead: Tls12Aead,
  masterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): { readonly client: Tls12RecordKeys; readonly server: Tls12RecordKeys } {
  const { keyLength, ivLength } = AEADS[aead];
  const block = tls12Prf(
    hash,
    masterSecret,
    'key expansion',
    concatBytes(serverRandom, clientRandom),
    2 * (keyLength + ivLength),
  );
  const at = (i: number, n: number) => block.slice(i, i + n);
  return {
    client: { aead, key: at(0, keyLength), iv: at(2 * keyLength, ivLength), sequence: 0 },
    server: { aead, key: at(keyLength, keyLength), iv: at(2 * keyLength + ivLength, ivLength), sequence: 0 },
  };
}

/** The 8 bytes of a sequence number, big-endian. */
function sequenceBytes(sequence: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(sequence));
  return out;
}

/**
 * `plaintext` of `contentType` sealed as one TLS 1.2 record (header included), and
 * `keys.sequence` advanced.
 * @example sealTls12Record(client, 22, finishedMessage) // the client's encrypted Finished
 */
export function sealTls12Record(
  keys: Tls12RecordKeys,
  contentType: number,
  plaintext: Uint8Array,
): Uint8Array {
  const seq = sequenceBytes(keys.sequence);
  const aad = concatBytes(
    seq,
    Uint8Array.of(contentType, 0x03, 0x03, plaintext.length >> 8, plaintext.length & 0xff),
  );
  let fragment: Uint8Array;
  if (keys.aead === 'CHACHA20_POLY1305') {
    fragment = chacha20poly1305(keys.key, recordNonce(keys.iv, keys.sequence), aad).encrypt(plaintext);
  } else {
    // The explicit nonce: the sequence number, as OpenSSL, Go and rustls send it.
    fragment = concatBytes(seq, gcm(keys.key, concatBytes(keys.iv, seq), aad).encrypt(plaintext));
  }
  keys.sequence++;
  return concatBytes(
    Uint8Array.of(contentType, 0x03, 0x03, fragment.length >> 8, fragment.length & 0xff),
    fragment,
  );
}
