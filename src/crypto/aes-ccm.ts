/**
 * AES-CCM (Counter with CBC-MAC: RFC 3610, NIST SP 800-38C), the AEAD of the TLS 1.3 suites
 * TLS_AES_128_CCM_SHA256 and TLS_AES_128_CCM_8_SHA256 (RFC 8446 §B.4; 12-byte nonce, tag of
 * 16 or 8 bytes). @noble/ciphers has the AES block cipher, CBC and CTR but no CCM, so the mode
 * is composed here from its public `cbc` (the CBC-MAC, over zero-padded blocks) and `ctr`
 * (the keystream, whose first block S0 masks the tag).
 */
import { cbc, ctr } from '@noble/ciphers/aes.js';
import { equalBytes } from '@noble/ciphers/utils.js';

const BLOCK = 16;
const ZERO_IV = new Uint8Array(BLOCK);

/** An AES-CCM instance bound to one key, nonce and additional data. */
export interface AesCcm {
  /** `ciphertext || tag`. */
  encrypt(plaintext: Uint8Array): Uint8Array;
  /**
   * The plaintext of `ciphertext || tag`.
   * @throws {Error} when the tag does not verify; no plaintext is released then
   */
  decrypt(ciphertextAndTag: Uint8Array): Uint8Array;
}

/**
 * AES-CCM with a 7..13-byte nonce and a tag of 4, 6, 8, 10, 12, 14 or 16 bytes.
 * @example
 * const sealed = aesCcm(key, nonce12, header, 16).encrypt(plaintext); // TLS_AES_128_CCM_SHA256
 * const opened = aesCcm(key, nonce12, header, 8).decrypt(sealed8);   // TLS_AES_128_CCM_8_SHA256
 * @throws {RangeError} for a key that is not 16, 24 or 32 bytes, or a bad nonce or tag length
 */
export function aesCcm(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array = new Uint8Array(0),
  tagLength = 16,
): AesCcm {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new RangeError(`AES-CCM key must be 16, 24 or 32 bytes, got ${key.length}`);
  }
  if (nonce.length < 7 || nonce.length > 13) {
    throw new RangeError(`AES-CCM nonce must be 7..13 bytes, got ${nonce.length}`);
  }
  if (!Number.isInteger(tagLength) || tagLength < 4 || tagLength > 16 || tagLength % 2 !== 0) {
    throw new RangeError(`AES-CCM tag must be 4, 6, 8, 10, 12, 14 or 16 bytes, got ${tagLength}`);
  }
  // L, the width of the length field and of the counter, is whatever the nonce leaves of 15 bytes.
  const lengthWidth = 15 - nonce.length;
  const counter0 = new Uint8Array(BLOCK);
  counter0[0] = lengthWidth - 1;
  counter0.set(nonce, 1);

  const mac = (payload: Uint8Array): Uint8Array => {
    checkPayloadLength(payload.length, lengthWidth);
    const header = encodeAadLength(aad.length);
    const aadBlocks = roundUp(header.length + aad.length);
    const input = new Uint8Array(BLOCK + aadBlocks + roundUp(payload.length));
    // B0 (RFC 3610 §2.2): flags = Adata · 64 + M' · 8 + L', then the nonce, then l(m).
    input[0] = (aad.length > 0 ? 0x40 : 0) | (((tagLength - 2) / 2) << 3) | (lengthWidth - 1);
    input.set(nonce, 1);
    for (let i = 0, n = payload.length; i < lengthWidth; i++, n = Math.floor(n / 256)) {
      input[BLOCK - 1 - i] = n & 0xff;
    }
    if (aad.length > 0) {
      input.set(header, BLOCK);
      input.set(aad, BLOCK + header.length);
    }
    input.set(payload, BLOCK + aadBlocks);
    const chain = cbc(key, ZERO_IV, { disablePadding: true }).encrypt(input);
    return chain.subarray(chain.length - BLOCK);
  };

  // CTR from A0: the first keystream block (S0) masks the tag, the following ones the payload.
  const keystreamXor = (first: Uint8Array, rest: Uint8Array): Uint8Array => {
    const data = new Uint8Array(BLOCK + rest.length);
    data.set(first, 0);
    data.set(rest, BLOCK);
    return ctr(key, counter0).encrypt(data);
  };

  return {
    encrypt(plaintext) {
      const out = keystreamXor(mac(plaintext), plaintext);
      const sealed = new Uint8Array(plaintext.length + tagLength);
      sealed.set(out.subarray(BLOCK), 0);
      sealed.set(out.subarray(0, tagLength), plaintext.length);
      return sealed;
    },
    decrypt(ciphertextAndTag) {
      if (ciphertextAndTag.length < tagLength) {
        throw new Error(
          `AES-CCM input is ${ciphertextAndTag.length} bytes, shorter than the ${tagLength}-byte tag`,
        );
      }
      const split = ciphertextAndTag.length - tagLength;
      const out = keystreamXor(new Uint8Array(BLOCK), ciphertextAndTag.subarray(0, split));
      const plaintext = out.subarray(BLOCK);
      const expected = mac(plaintext);
      for (let i = 0; i < tagLength; i++) expected[i] ^= out[i];
      // equalBytes compares every byte (no early exit) once the lengths match.
      if (!equalBytes(expected.subarray(0, tagLength), ciphertextAndTag.subarray(split))) {
        out.fill(0);
        throw new Error('AES-CCM tag does not verify');
      }
      return plaintext;
    },
  };
}

function roundUp(length: number): number {
  return Math.ceil(length / BLOCK) * BLOCK;
}

/** The encoding of l(a) before the additional data (RFC 3610 §2.2, SP 800-38C §A.2.2). */
function encodeAadLength(length: number): Uint8Array {
  if (length === 0) return new Uint8Array(0);
  if (length < 0xff00) return Uint8Array.of(length >> 8, length & 0xff);
  if (length <= 0xffffffff) {
    return Uint8Array.of(
      0xff,
      0xfe,
      length >>> 24,
      (length >>> 16) & 0xff,
      (length >>> 8) & 0xff,
      length & 0xff,
    );
  }
  throw new RangeError(`AES-CCM additional data of ${length} bytes is longer than 2^32 - 1`);
}

function checkPayloadLength(length: number, lengthWidth: number): void {
  if (lengthWidth < 7 && length >= 2 ** (8 * lengthWidth)) {
    throw new RangeError(
      `AES-CCM payload of ${length} bytes does not fit the ${lengthWidth}-byte length field a ${15 - lengthWidth}-byte nonce leaves`,
    );
  }
}
