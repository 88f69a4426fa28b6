/**
 * TLS 1.2 record protection, enough for a client to send its Finished: the key block (RFC 5246
 * §6.3) and the sealing of one record with
 * - AES-GCM (§6.2.3.3, RFC 5288 §3: a 4-byte implicit salt from the key block and an 8-byte
 *   explicit nonce carried in the record, here the sequence number);
 * - ChaCha20-Poly1305 (RFC 7905 §2: the 12-byte IV XOR the sequence number, as in TLS 1.3);
 * - AES-CBC with HMAC (§6.2.3.2: an explicit random IV, MAC-then-encrypt, or encrypt-then-MAC
 *   when the server negotiated RFC 7366's encrypt_then_mac).
 * The additional data and the MAC cover seq_num || type || version || length.
 */
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { concatBytes } from '../bytes/hex.ts';
import type { HashName } from './key-schedule.ts';
import { type RandomSource, systemRandom } from './random.ts';
import { recordNonce } from './record-protection.ts';
import { tls12Prf } from './tls12-prf.ts';

/** The TLS 1.2 record ciphers covered, by the IANA table's cipher column. */
export type Tls12Cipher = 'AES_128_GCM' | 'AES_256_GCM' | 'CHACHA20_POLY1305' | 'AES_128_CBC' | 'AES_256_CBC';

/** The record MAC of a CBC suite, by the IANA table's mac column. */
export type Tls12Mac = 'SHA1' | 'SHA256' | 'SHA384';

const CIPHERS: Readonly<Record<Tls12Cipher, { readonly keyLength: number; readonly ivLength: number }>> = {
  AES_128_GCM: { keyLength: 16, ivLength: 4 },
  AES_256_GCM: { keyLength: 32, ivLength: 4 },
  CHACHA20_POLY1305: { keyLength: 32, ivLength: 12 },
  // The key block's IVs of CBC suites are unused since TLS 1.1: each record carries its own.
  AES_128_CBC: { keyLength: 16, ivLength: 16 },
  AES_256_CBC: { keyLength: 32, ivLength: 16 },
};

const MACS = { SHA1: sha1, SHA256: sha256, SHA384: sha384 } as const;

/**
 * The record protection of a suite, from the IANA table's cipher and mac columns, when this
 * module can seal records with it; undefined otherwise (CCM, 3DES, Camellia, …).
 */
export function tls12RecordCipher(
  cipher: string,
  mac: string,
): { cipher: Tls12Cipher; mac?: Tls12Mac } | undefined {
  if (!Object.hasOwn(CIPHERS, cipher)) return undefined;
  if (mac === 'AEAD') return cipher.endsWith('_CBC') ? undefined : { cipher: cipher as Tls12Cipher };
  if (!cipher.endsWith('_CBC') || !Object.hasOwn(MACS, mac)) return undefined;
  return { cipher: cipher as Tls12Cipher, mac: mac as Tls12Mac };
}

/** One direction's keys and its next sequence number. */
export interface Tls12RecordKeys {
  readonly cipher: Tls12Cipher;
  readonly key: Uint8Array;
  /** The GCM salt (4 bytes), the ChaCha20-Poly1305 IV (12), or the unused CBC IV (16). */
  readonly iv: Uint8Array;
  /** CBC suites: the record MAC and its key. */
  readonly mac?: Tls12Mac;
  readonly macKey?: Uint8Array;
  /** CBC suites: RFC 7366 encrypt-then-MAC, when the server echoed encrypt_then_mac. */
  readonly encryptThenMac?: boolean;
  sequence: number;
}

/**
 * The client's and the server's write keys from the master secret (RFC 5246 §6.3):
 * key_block = PRF(master_secret, "key expansion", server_random + client_random), cut into the
 * MAC keys (CBC suites), the encryption keys and the IVs, client's before server's.
 */
export function tls12KeyBlock(
  hash: HashName,
  suite: { readonly cipher: Tls12Cipher; readonly mac?: Tls12Mac; readonly encryptThenMac?: boolean },
  masterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): { readonly client: Tls12RecordKeys; readonly server: Tls12RecordKeys } {
  const { keyLength, ivLength } = CIPHERS[suite.cipher];
  const macLength = suite.mac ? MACS[suite.mac].outputLen : 0;
  const block = tls12Prf(
    hash,
    masterSecret,
    'key expansion',
    concatBytes(serverRandom, clientRandom),
    2 * (macLength + keyLength + ivLength),
  );
  let at = 0;
  const take = (n: number) => {
    at += n;
    return block.slice(at - n, at);
  };
  const [clientMac, serverMac] = [take(macLength), take(macLength)];
  const [clientKey, serverKey] = [take(keyLength), take(keyLength)];
  const [clientIv, serverIv] = [take(ivLength), take(ivLength)];
  const keys = (key: Uint8Array, iv: Uint8Array, macKey: Uint8Array): Tls12RecordKeys => ({
    cipher: suite.cipher,
    key,
    iv,
    ...(suite.mac ? { mac: suite.mac, macKey, encryptThenMac: suite.encryptThenMac === true } : {}),
    sequence: 0,
  });
  return { client: keys(clientKey, clientIv, clientMac), server: keys(serverKey, serverIv, serverMac) };
}

/** seq_num || type || version || length, what the AEAD's additional data and the MAC start with. */
function header(sequence: number, contentType: number, length: number): Uint8Array {
  const out = new Uint8Array(13);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(sequence));
  out.set([contentType, 0x03, 0x03, length >> 8, length & 0xff], 8);
  return out;
}

/** `data` padded to the AES block as TLS pads (§6.2.3.2: padding_length + 1 bytes of padding_length). */
function padded(data: Uint8Array): Uint8Array {
  const padding = 15 - (data.length % 16);
  const out = new Uint8Array(data.length + padding + 1);
  out.set(data);
  out.fill(padding, data.length);
  return out;
}

/**
 * `plaintext` of `contentType` sealed as one TLS 1.2 record (header included), and
 * `keys.sequence` advanced. `random` gives a CBC record's IV.
 * @example sealTls12Record(client, 22, finishedMessage) // the client's encrypted Finished
 */
export function sealTls12Record(
  keys: Tls12RecordKeys,
  contentType: number,
  plaintext: Uint8Array,
  random: RandomSource = systemRandom,
): Uint8Array {
  const pseudo = header(keys.sequence, contentType, plaintext.length);
  let fragment: Uint8Array;
  if (keys.cipher === 'CHACHA20_POLY1305') {
    fragment = chacha20poly1305(keys.key, recordNonce(keys.iv, keys.sequence), pseudo).encrypt(plaintext);
  } else if (keys.cipher === 'AES_128_GCM' || keys.cipher === 'AES_256_GCM') {
    // The explicit nonce: the sequence number, as OpenSSL, Go and rustls send it.
    const explicit = pseudo.subarray(0, 8);
    fragment = concatBytes(
      explicit,
      gcm(keys.key, concatBytes(keys.iv, explicit), pseudo).encrypt(plaintext),
    );
  } else {
    const mac = MACS[keys.mac ?? 'SHA1'];
    const macKey = keys.macKey ?? new Uint8Array(0);
    const iv = random(16);
    const encrypt = (data: Uint8Array) => cbc(keys.key, iv, { disablePadding: true }).encrypt(padded(data));
    if (keys.encryptThenMac) {
      const ciphertext = concatBytes(iv, encrypt(plaintext));
      const tag = hmac(
        mac,
        macKey,
        concatBytes(header(keys.sequence, contentType, ciphertext.length), ciphertext),
      );
      fragment = concatBytes(ciphertext, tag);
    } else {
      const tag = hmac(mac, macKey, concatBytes(pseudo, plaintext));
      fragment = concatBytes(iv, encrypt(concatBytes(plaintext, tag)));
    }
  }
  keys.sequence++;
  return concatBytes(
    Uint8Array.of(contentType, 0x03, 0x03, fragment.length >> 8, fragment.length & 0xff),
    fragment,
  );
}
