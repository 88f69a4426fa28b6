/**
 * SHA-256 and MD5 of the short texts a fingerprint hashes, straight to hex. A capture has
 * tens of thousands of hellos a second to fingerprint, each with up to four SHA-256 (JA4 and
 * JA4_o) and one MD5 (JA3) of a few hundred bytes: for inputs that short, a general hasher's
 * per-call work (a hasher object, its buffers and views, the digest array, the hex string
 * built from it) costs more than the compression itself. These run in reused typed arrays,
 * read the input in place, and write the hex digits directly; they allocate only the result
 * string. The digests equal @noble/hashes' (test/fingerprint/digest.test.ts compares them on
 * random inputs of every length near the block boundaries). Not for secrets: nothing here
 * tries to run in constant time.
 */

/** The last, padded block(s) of a message: at most two blocks. */
const tail = new Uint8Array(128);

const SHA256_K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const sha256State = new Int32Array(8);
const sha256W = new Int32Array(64);

/** One SHA-256 block: the 16 big-endian words at `bytes[at, at + 64)`. */
function sha256Block(bytes: Uint8Array, at: number): void {
  const w = sha256W;
  for (let i = 0; i < 16; i++) {
    const p = at + 4 * i;
    w[i] = (bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15];
    const y = w[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  const h = sha256State;
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  let e = h[4];
  let f = h[5];
  let g = h[6];
  let k = h[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (k + S1 + ((e & f) ^ (~e & g)) + SHA256_K[i] + w[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
  h[5] = (h[5] + f) | 0;
  h[6] = (h[6] + g) | 0;
  h[7] = (h[7] + k) | 0;
}

/**
 * Copies the message's last partial block into {@link tail} with the padding (0x80, zeros,
 * the bit length in 8 bytes, big- or little-endian); how many tail blocks there are.
 */
function pad(bytes: Uint8Array, from: number, to: number, bigEndian: boolean): number {
  const rest = to - from;
  for (let i = 0; i < rest; i++) tail[i] = bytes[from + i];
  tail[rest] = 0x80;
  const blocks = rest + 9 <= 64 ? 1 : 2;
  const end = 64 * blocks;
  tail.fill(0, rest + 1, end - 8);
  // The message is bytes[0, to): its bit length, below 2^53, as two 32-bit words.
  const bits = to * 8;
  const high = Math.floor(bits / 0x100000000);
  const low = bits >>> 0;
  for (let i = 0; i < 4; i++) {
    if (bigEndian) {
      tail[end - 8 + i] = (high >>> (24 - 8 * i)) & 0xff;
      tail[end - 4 + i] = (low >>> (24 - 8 * i)) & 0xff;
    } else {
      tail[end - 8 + i] = (low >>> (8 * i)) & 0xff;
      tail[end - 4 + i] = (high >>> (8 * i)) & 0xff;
    }
  }
  return blocks;
}

/**
 * The first `hexDigits` hex digits (at most 64) of the SHA-256 of `bytes`.
 * @example sha256Hex(fromLatin1('abc'), 12) // 'ba7816bf8f01'
 */
export function sha256Hex(bytes: Uint8Array, hexDigits: number = 64): string {
  const h = sha256State;
  h[0] = 0x6a09e667;
  h[1] = 0xbb67ae85;
  h[2] = 0x3c6ef372;
  h[3] = 0xa54ff53a;
  h[4] = 0x510e527f;
  h[5] = 0x9b05688c;
  h[6] = 0x1f83d9ab;
  h[7] = 0x5be0cd19;
  const whole = bytes.length & ~63;
  for (let at = 0; at < whole; at += 64) sha256Block(bytes, at);
  const blocks = pad(bytes, whole, bytes.length, true);
  for (let i = 0; i < blocks; i++) sha256Block(tail, 64 * i);
  // Whole words through Number#toString (one native call per 8 digits, not a string per digit).
  let out = '';
  for (let i = 0; i < hexDigits; i += 8) out += word(h[i >> 3]);
  return out.length === hexDigits ? out : out.slice(0, hexDigits);
}

/** Eight hex digits of a 32-bit word, big-endian. */
function word(w: number): string {
  const hex = (w >>> 0).toString(16);
  return hex.length === 8 ? hex : '00000000'.slice(hex.length) + hex;
}

/** MD5 per-step shift amounts and sine constants (RFC 1321 §3.4). */
const MD5_S = new Uint8Array([
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9,
  14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15,
  21, 6, 10, 15, 21,
]);
const MD5_K = new Int32Array(64);
for (let i = 0; i < 64; i++) MD5_K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) | 0;
const md5State = new Int32Array(4);
const md5X = new Int32Array(16);

/** One MD5 block: the 16 little-endian words at `bytes[at, at + 64)`. */
function md5Block(bytes: Uint8Array, at: number): void {
  const x = md5X;
  for (let i = 0; i < 16; i++) {
    const p = at + 4 * i;
    x[i] = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
  }
  let a = md5State[0];
  let b = md5State[1];
  let c = md5State[2];
  let d = md5State[3];
  for (let i = 0; i < 64; i++) {
    let f: number;
    let g: number;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    const t = (a + f + MD5_K[i] + x[g]) | 0;
    const s = MD5_S[i];
    a = d;
    d = c;
    c = b;
    b = (b + ((t << s) | (t >>> (32 - s)))) | 0;
  }
  md5State[0] = (md5State[0] + a) | 0;
  md5State[1] = (md5State[1] + b) | 0;
  md5State[2] = (md5State[2] + c) | 0;
  md5State[3] = (md5State[3] + d) | 0;
}

/**
 * The MD5 of `bytes`, 32 lower-case hex digits.
 * @example md5Hex(fromLatin1('abc')) // '900150983cd24fb0d6963f7d28e17f72'
 */
export function md5Hex(bytes: Uint8Array): string {
  md5State[0] = 0x67452301;
  md5State[1] = 0xefcdab89 | 0;
  md5State[2] = 0x98badcfe | 0;
  md5State[3] = 0x10325476;
  const whole = bytes.length & ~63;
  for (let at = 0; at < whole; at += 64) md5Block(bytes, at);
  const blocks = pad(bytes, whole, bytes.length, false);
  for (let i = 0; i < blocks; i++) md5Block(tail, 64 * i);
  let out = '';
  for (let i = 0; i < 4; i++) {
    // MD5 writes its words little-endian: swap the bytes, then eight digits.
    const w = md5State[i];
    out += word(((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | ((w >>> 24) & 0xff));
  }
  return out;
}
