/**
 * TLS 1.3 record protection (RFC 8446 §5.2–5.3): AEAD over TLSInnerPlaintext with a
 * per-record nonce `iv XOR sequence number` and the 5-byte record header as additional data.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { concatBytes } from '../bytes/hex.ts';
import { aesCcm } from './aes-ccm.ts';
import { CryptoError } from './errors.ts';
import { type CipherSuiteParams, cipherSuiteParams, trafficKeys } from './key-schedule.ts';

// The same limits as records/ (which crypto/ may not import): RFC 8446 §5.1 and §5.2.
/** Largest TLSInnerPlaintext content (2^14), RFC 8446 §5.1. */
const MAX_PLAINTEXT_LENGTH = 16384;
/** Largest TLSCiphertext.encrypted_record (2^14 + 256), RFC 8446 §5.2. */
const MAX_CIPHERTEXT_LENGTH = 16384 + 256;
/** TLSCiphertext.opaque_type: always application_data (23). */
export const OUTER_CONTENT_TYPE = 23;
/** TLSCiphertext.legacy_record_version: always 0x0303. */
export const OUTER_RECORD_VERSION = 0x0303;

/**
 * One direction of a protected connection: cipher suite, key, IV and the next sequence
 * number (which {@link decryptRecord} and {@link encryptRecord} advance).
 */
export interface RecordProtectionState {
  readonly params: CipherSuiteParams;
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  /** Sequence number of the next record; starts at 0 and resets with each new key. */
  sequence: number;
}

/**
 * Record protection for one direction, from a traffic secret.
 * @example
 * const server = createRecordProtection(0x1301, secrets.serverHandshakeTrafficSecret);
 * const { contentType, content } = decryptRecord(server, record.subarray(0, 5), record.subarray(5));
 */
export function createRecordProtection(
  suite: number | CipherSuiteParams,
  trafficSecret: Uint8Array,
): RecordProtectionState {
  const params = typeof suite === 'number' ? cipherSuiteParams(suite) : suite;
  if (trafficSecret.length !== params.hashLength) {
    throw new RangeError(
      `traffic secret for ${params.name} must be ${params.hashLength} bytes, got ${trafficSecret.length}`,
    );
  }
  const { key, iv } = trafficKeys(params, trafficSecret);
  return { params, key, iv, sequence: 0 };
}

/** Record protection from an explicit key and IV (when the secret is not at hand). */
export function recordProtectionFromKeys(
  suite: number | CipherSuiteParams,
  key: Uint8Array,
  iv: Uint8Array,
  sequence = 0,
): RecordProtectionState {
  const params = typeof suite === 'number' ? cipherSuiteParams(suite) : suite;
  if (key.length !== params.keyLength)
    throw new RangeError(`key for ${params.name} must be ${params.keyLength} bytes, got ${key.length}`);
  if (iv.length !== params.ivLength)
    throw new RangeError(`iv for ${params.name} must be ${params.ivLength} bytes, got ${iv.length}`);
  return { params, key, iv, sequence };
}

/** The per-record nonce: the 64-bit sequence number, left-padded to iv length, XOR iv (§5.3). */
export function recordNonce(iv: Uint8Array, sequence: number): Uint8Array {
  if (!Number.isSafeInteger(sequence) || sequence < 0)
    throw new RangeError(`bad record sequence number ${sequence}`);
  const nonce = iv.slice();
  let hi = Math.floor(sequence / 0x1_0000_0000);
  let lo = sequence >>> 0;
  for (let i = 0; i < 4; i++) {
    nonce[nonce.length - 1 - i] ^= lo & 0xff;
    lo >>>= 8;
    nonce[nonce.length - 5 - i] ^= hi & 0xff;
    hi >>>= 8;
  }
  return nonce;
}

interface Aead {
  encrypt(plaintext: Uint8Array): Uint8Array;
  decrypt(ciphertext: Uint8Array): Uint8Array;
}

function aead(state: RecordProtectionState, nonce: Uint8Array, aad: Uint8Array): Aead {
  switch (state.params.aead) {
    case 'CHACHA20_POLY1305':
      return chacha20poly1305(state.key, nonce, aad);
    case 'AES_128_CCM':
    case 'AES_128_CCM_8':
      return aesCcm(state.key, nonce, aad, state.params.tagLength);
    default:
      return gcm(state.key, nonce, aad);
  }
}

/** The 5-byte TLSCiphertext header for an encrypted record of `length` bytes. */
export function ciphertextHeader(length: number): Uint8Array {
  return new Uint8Array([
    OUTER_CONTENT_TYPE,
    OUTER_RECORD_VERSION >> 8,
    OUTER_RECORD_VERSION & 0xff,
    length >> 8,
    length & 0xff,
  ]);
}

/** A decrypted record: the real content type from TLSInnerPlaintext and its content. */
export interface DecryptedRecord {
  readonly contentType: number;
  readonly content: Uint8Array;
  /** How many zero bytes of padding followed the content type. */
  readonly paddingLength: number;
}

/**
 * Opens one TLSCiphertext and advances `state.sequence`. The header is authenticated as
 * received; the zero padding after the content type is stripped.
 * @example
 * const { contentType, content } = decryptRecord(state, bytes.subarray(0, 5), bytes.subarray(5, 5 + length));
 * @throws {CryptoError} `bad_record_mac` when the tag does not verify, `record_overflow` for an
 *   oversized record, `unexpected_message` when the plaintext is all padding
 */
export function decryptRecord(
  state: RecordProtectionState,
  header: Uint8Array,
  ciphertext: Uint8Array,
): DecryptedRecord {
  if (header.length !== 5) throw new RangeError(`record header must be 5 bytes, got ${header.length}`);
  if (ciphertext.length > MAX_CIPHERTEXT_LENGTH) {
    throw new CryptoError(
      'record_overflow',
      `encrypted record is ${ciphertext.length} bytes, at most ${MAX_CIPHERTEXT_LENGTH} allowed`,
    );
  }
  const sequence = state.sequence;
  if (ciphertext.length < state.params.tagLength) {
    throw new CryptoError(
      'bad_record_mac',
      `encrypted record ${sequence} is ${ciphertext.length} bytes, shorter than the ${state.params.tagLength}-byte tag`,
    );
  }
  let plaintext: Uint8Array;
  try {
    plaintext = aead(state, recordNonce(state.iv, sequence), header).decrypt(ciphertext);
  } catch {
    throw new CryptoError(
      'bad_record_mac',
      `record ${sequence} failed ${state.params.aead} authentication: bad_record_mac`,
    );
  }
  state.sequence = sequence + 1;
  let end = plaintext.length;
  while (end > 0 && plaintext[end - 1] === 0) end--;
  if (end === 0) {
    throw new CryptoError(
      'unexpected_message',
      `record ${sequence} decrypted to padding only, no content type`,
    );
  }
  if (end - 1 > MAX_PLAINTEXT_LENGTH) {
    throw new CryptoError(
      'record_overflow',
      `record ${sequence} content is ${end - 1} bytes, at most ${MAX_PLAINTEXT_LENGTH} allowed`,
    );
  }
  return {
    contentType: plaintext[end - 1],
    content: plaintext.subarray(0, end - 1),
    paddingLength: plaintext.length - end,
  };
}

/** Options for {@link encryptRecord}. */
export interface EncryptRecordOptions {
  /** Zero bytes appended after the content type (RFC 8446 §5.4). Default 0. */
  readonly padding?: number;
  /** Override the header's length field (to send a wrong length on purpose); it is still the AAD. */
  readonly lengthOverride?: number;
}

/** An encrypted record, as separate header and body and as the whole record. */
export interface EncryptedRecord {
  readonly header: Uint8Array;
  readonly ciphertext: Uint8Array;
  /** `header || ciphertext`. */
  readonly record: Uint8Array;
}

/**
 * Seals `content` of `contentType` as one TLSCiphertext and advances `state.sequence`.
 * @example encryptRecord(state, 22, finishedMessage).record
 * @throws {RangeError} when the content exceeds 2^14 bytes or the padding would push the record past its limit
 */
export function encryptRecord(
  state: RecordProtectionState,
  contentType: number,
  content: Uint8Array,
  options: EncryptRecordOptions = {},
): EncryptedRecord {
  const padding = options.padding ?? 0;
  if (!Number.isInteger(contentType) || contentType < 1 || contentType > 255) {
    throw new RangeError(`content type must be 1..255, got ${contentType}`);
  }
  if (!Number.isInteger(padding) || padding < 0)
    throw new RangeError(`padding must be a non-negative integer, got ${padding}`);
  if (content.length > MAX_PLAINTEXT_LENGTH) {
    throw new RangeError(
      `record content is ${content.length} bytes, at most ${MAX_PLAINTEXT_LENGTH} allowed`,
    );
  }
  const innerLength = content.length + 1 + padding;
  const length = innerLength + state.params.tagLength;
  if (innerLength > MAX_PLAINTEXT_LENGTH + 1 || length > MAX_CIPHERTEXT_LENGTH) {
    throw new RangeError(
      `content plus padding make a ${innerLength}-byte TLSInnerPlaintext, at most ${MAX_PLAINTEXT_LENGTH + 1} allowed`,
    );
  }
  const inner = new Uint8Array(innerLength);
  inner.set(content, 0);
  inner[content.length] = contentType;
  const header = ciphertextHeader(options.lengthOverride ?? length);
  const ciphertext = aead(state, recordNonce(state.iv, state.sequence), header).encrypt(inner);
  state.sequence++;
  return { header, ciphertext, record: concatBytes(header, ciphertext) };
}
