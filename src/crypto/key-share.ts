/**
 * Key shares for the TLS 1.3 key_share extension (RFC 8446 §4.2.8): generating the
 * client's share, deriving the shared secret from the server's, and a simulated server
 * side (for tests and hellokit's own servers).
 *
 * Every share is real, so a real server accepts it. Wire formats:
 * - x25519, x448: the raw u-coordinate (RFC 7748).
 * - secp256r1/384r1/521r1: an uncompressed point `0x04 || X || Y`; the secret is X
 *   (RFC 8446 §7.4.2).
 * - ffdhe2048/3072/4096/6144/8192: `g^x mod p` left-padded to the size of p (RFC 8446 §4.2.8.1, RFC 7919).
 * - MLKEM512/768/1024: the encapsulation key from the client, the ciphertext from the
 *   server (draft-ietf-tls-mlkem).
 * - hybrids (draft-ietf-tls-ecdhe-mlkem): X25519MLKEM768 puts ML-KEM first, the two
 *   SecP*MLKEM* groups put ECDH first; shares and secrets concatenate in that order.
 */

import { x448 } from '@noble/curves/ed448.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { concatBytes } from '../bytes/hex.ts';
import { CryptoError, hex16, UnsupportedError } from './errors.ts';
import { FFDHE_GROUPS, type FfdheGroup, ffdheAgree, ffdheGenerate } from './ffdhe.ts';
import { type RandomSource, systemRandom } from './random.ts';

/** A client key share: the group, the exact wire `key_exchange` bytes, and the private part. */
export interface KeyShare {
  /** NamedGroup code point. */
  readonly group: number;
  /** The `key_exchange` bytes as sent in `KeyShareEntry`. */
  readonly keyExchange: Uint8Array;
  /**
   * Private material, one entry per component in wire order (a scalar for ECDH, the
   * ML-KEM decapsulation key; both for a hybrid). Keep it to call {@link deriveSharedSecret}.
   */
  readonly privateKeys: readonly Uint8Array[];
}

/** What a server answers to a client share: its own `key_exchange` and the shared secret. */
export interface KeyShareResponse {
  readonly keyExchange: Uint8Array;
  readonly sharedSecret: Uint8Array;
}

/** Sizes of a group's shares, in bytes. */
export interface KeyShareSizes {
  readonly name: string;
  /** Length of the client's `key_exchange`. */
  readonly clientShareLength: number;
  /** Length of the server's `key_exchange`. */
  readonly serverShareLength: number;
  /** Length of the shared secret fed to HKDF-Extract. */
  readonly sharedSecretLength: number;
}

/** One component of a share: an ECDH curve or a KEM. */
interface Component {
  readonly label: string;
  readonly clientLength: number;
  readonly serverLength: number;
  readonly secretLength: number;
  generate(random: RandomSource): { keyExchange: Uint8Array; privateKey: Uint8Array };
  /** Client side: private key and the server's component → secret. Throws a plain Error on a bad share. */
  derive(privateKey: Uint8Array, server: Uint8Array): Uint8Array;
  /** Server side: the client's component → server component and secret. */
  respond(client: Uint8Array, random: RandomSource): { keyExchange: Uint8Array; sharedSecret: Uint8Array };
}

interface MontgomeryLike {
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
}

function montgomery(label: string, curve: MontgomeryLike, size: number): Component {
  const dh = (sk: Uint8Array, pk: Uint8Array): Uint8Array => {
    if (pk.length !== size) throw new Error(`${label} share must be ${size} bytes, got ${pk.length}`);
    let secret: Uint8Array;
    try {
      secret = curve.getSharedSecret(sk, pk);
    } catch {
      // RFC 8446 §7.4.2: an all-zero result (a low-order point) must abort the handshake.
      throw new Error(`${label} share is a low-order point (all-zero shared secret)`);
    }
    if (secret.every((b) => b === 0)) throw new Error(`${label} shared secret is all zero`);
    return secret;
  };
  return {
    label,
    clientLength: size,
    serverLength: size,
    secretLength: size,
    generate(random) {
      const privateKey = random(size);
      return { privateKey, keyExchange: curve.getPublicKey(privateKey) };
    },
    derive: dh,
    respond(client, random) {
      const sk = random(size);
      const sharedSecret = dh(sk, client);
      return { keyExchange: curve.getPublicKey(sk), sharedSecret };
    },
  };
}

interface WeierstrassLike {
  readonly lengths: { readonly seed?: number; readonly secretKey?: number };
  keygen(seed?: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array };
  getPublicKey(secretKey: Uint8Array, isCompressed?: boolean): Uint8Array;
  getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array, isCompressed?: boolean): Uint8Array;
}

function weierstrass(label: string, curve: WeierstrassLike, fieldLength: number): Component {
  const pointLength = 1 + 2 * fieldLength;
  const seedLength = curve.lengths.seed!;
  const dh = (sk: Uint8Array, pk: Uint8Array): Uint8Array => {
    // RFC 8446 §4.2.8.2: only the uncompressed form is allowed in TLS 1.3.
    if (pk.length !== pointLength || pk[0] !== 0x04) {
      throw new Error(
        `${label} share must be an uncompressed point (0x04, ${pointLength} bytes), got ${pk.length} bytes starting 0x${(pk[0] ?? 0).toString(16).padStart(2, '0')}`,
      );
    }
    let point: Uint8Array;
    try {
      point = curve.getSharedSecret(sk, pk, false);
    } catch (e) {
      throw new Error(`${label} share is not a valid curve point: ${(e as Error).message}`);
    }
    return point.slice(1, 1 + fieldLength);
  };
  const keygen = (random: RandomSource) => {
    const { secretKey } = curve.keygen(random(seedLength));
    return { secretKey, publicKey: curve.getPublicKey(secretKey, false) };
  };
  return {
    label,
    clientLength: pointLength,
    serverLength: pointLength,
    secretLength: fieldLength,
    generate(random) {
      const { secretKey, publicKey } = keygen(random);
      return { privateKey: secretKey, keyExchange: publicKey };
    },
    derive: dh,
    respond(client, random) {
      const { secretKey, publicKey } = keygen(random);
      return { keyExchange: publicKey, sharedSecret: dh(secretKey, client) };
    },
  };
}

interface KemLike {
  readonly lengths: {
    readonly publicKey?: number;
    readonly cipherText?: number;
    readonly seed?: number;
    readonly msg?: number;
  };
  keygen(seed?: Uint8Array): { secretKey: Uint8Array; publicKey: Uint8Array };
  encapsulate(publicKey: Uint8Array, msg?: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array };
  decapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

function kem(label: string, impl: KemLike): Component {
  const ekLength = impl.lengths.publicKey!;
  const ctLength = impl.lengths.cipherText!;
  return {
    label,
    clientLength: ekLength,
    serverLength: ctLength,
    secretLength: 32,
    generate(random) {
      const { secretKey, publicKey } = impl.keygen(random(impl.lengths.seed!));
      return { privateKey: secretKey, keyExchange: publicKey };
    },
    derive(sk, ct) {
      if (ct.length !== ctLength)
        throw new Error(`${label} ciphertext must be ${ctLength} bytes, got ${ct.length}`);
      // ML-KEM decapsulation never fails: a forged ciphertext gives an unrelated secret
      // (implicit rejection), which then surfaces as a bad Finished or bad_record_mac.
      return impl.decapsulate(ct, sk);
    },
    respond(ek, random) {
      if (ek.length !== ekLength)
        throw new Error(`${label} encapsulation key must be ${ekLength} bytes, got ${ek.length}`);
      let out: { cipherText: Uint8Array; sharedSecret: Uint8Array };
      try {
        // FIPS 203 §7.2 modulus check happens inside encapsulate.
        out = impl.encapsulate(ek, random(impl.lengths.msg ?? 32));
      } catch (e) {
        throw new Error(`${label} encapsulation key is invalid: ${(e as Error).message}`);
      }
      return { keyExchange: out.cipherText, sharedSecret: out.sharedSecret };
    },
  };
}

function finiteField(g: FfdheGroup): Component {
  return {
    label: g.name,
    clientLength: g.byteLength,
    serverLength: g.byteLength,
    secretLength: g.byteLength,
    generate: (random) => ffdheGenerate(g, random),
    derive: (sk, server) => ffdheAgree(g, sk, server),
    respond(client, random) {
      const own = ffdheGenerate(g, random);
      return { keyExchange: own.keyExchange, sharedSecret: ffdheAgree(g, own.privateKey, client) };
    },
  };
}

const X25519 = montgomery('X25519', x25519, 32);
const X448 = montgomery('X448', x448, 56);
const P256 = weierstrass('P-256', p256 as unknown as WeierstrassLike, 32);
const P384 = weierstrass('P-384', p384 as unknown as WeierstrassLike, 48);
const P521 = weierstrass('P-521', p521 as unknown as WeierstrassLike, 66);
const MLKEM512 = kem('ML-KEM-512', ml_kem512);
const MLKEM768 = kem('ML-KEM-768', ml_kem768);
const MLKEM1024 = kem('ML-KEM-1024', ml_kem1024);

interface GroupImpl {
  readonly name: string;
  /** Components in wire order; shares and secrets are their concatenation in this order. */
  readonly components: readonly Component[];
}

/** The groups hellokit computes with, by NamedGroup code point. */
const GROUPS: ReadonlyMap<number, GroupImpl> = new Map<number, GroupImpl>([
  [0x0017, { name: 'secp256r1', components: [P256] }],
  [0x0018, { name: 'secp384r1', components: [P384] }],
  [0x0019, { name: 'secp521r1', components: [P521] }],
  [0x001d, { name: 'x25519', components: [X25519] }],
  [0x001e, { name: 'x448', components: [X448] }],
  ...[...FFDHE_GROUPS].map(([code, g]): [number, GroupImpl] => [
    code,
    { name: g.name, components: [finiteField(g)] },
  ]),
  [0x0200, { name: 'MLKEM512', components: [MLKEM512] }],
  [0x0201, { name: 'MLKEM768', components: [MLKEM768] }],
  [0x0202, { name: 'MLKEM1024', components: [MLKEM1024] }],
  // draft-ietf-tls-ecdhe-mlkem §4.3: X25519MLKEM768 is the one hybrid with ML-KEM first.
  [0x11eb, { name: 'SecP256r1MLKEM768', components: [P256, MLKEM768] }],
  [0x11ec, { name: 'X25519MLKEM768', components: [MLKEM768, X25519] }],
  [0x11ed, { name: 'SecP384r1MLKEM1024', components: [P384, MLKEM1024] }],
]);

/** Groups hellokit knows by name but cannot compute, with the reason. */
const UNSUPPORTED: ReadonlyMap<number, string> = new Map([
  [
    0x6399,
    'X25519Kyber768Draft00 (0x6399) uses Kyber round 3, which is not ML-KEM and no maintained ' +
      'library hellokit depends on implements it; offer X25519MLKEM768 (0x11ec) instead',
  ],
]);

/** NamedGroup code points {@link generateKeyShare} accepts, in code point order. */
export const SUPPORTED_KEY_SHARE_GROUPS: readonly number[] = Object.freeze([...GROUPS.keys()]);

function groupImpl(group: number): GroupImpl {
  if (!Number.isInteger(group) || group < 0 || group > 0xffff) {
    throw new RangeError(`group must be a 16-bit NamedGroup code point, got ${group}`);
  }
  const impl = GROUPS.get(group);
  if (impl) return impl;
  const reason = UNSUPPORTED.get(group);
  throw new UnsupportedError(
    'group',
    group,
    reason ??
      `no key share implementation for group ${hex16(group)}; supported: ${[...GROUPS.values()].map((g) => g.name).join(', ')}`,
  );
}

/** True when {@link generateKeyShare} can make a share for `group`. */
export function isSupportedKeyShareGroup(group: number): boolean {
  return GROUPS.has(group);
}

/**
 * Share and secret sizes of a supported group.
 * @example keyShareSizes(0x11ec) // { name: 'X25519MLKEM768', clientShareLength: 1216, serverShareLength: 1120, sharedSecretLength: 64 }
 * @throws {UnsupportedError} for a group hellokit cannot compute with
 */
export function keyShareSizes(group: number): KeyShareSizes {
  const impl = groupImpl(group);
  let clientShareLength = 0;
  let serverShareLength = 0;
  let sharedSecretLength = 0;
  for (const c of impl.components) {
    clientShareLength += c.clientLength;
    serverShareLength += c.serverLength;
    sharedSecretLength += c.secretLength;
  }
  return { name: impl.name, clientShareLength, serverShareLength, sharedSecretLength };
}

function split(bytes: Uint8Array, lengths: readonly number[]): Uint8Array[] | null {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (bytes.length !== total) return null;
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const len of lengths) {
    parts.push(bytes.subarray(at, at + len));
    at += len;
  }
  return parts;
}

function badShare(impl: GroupImpl, group: number, side: string, detail: string): CryptoError {
  return new CryptoError(
    'illegal_parameter',
    `bad ${side} key share for ${impl.name} (${hex16(group)}): ${detail}`,
  );
}

/**
 * A fresh client key share for `group`.
 * @example
 * const share = generateKeyShare(0x001d); // x25519
 * share.keyExchange.length // 32
 * @throws {UnsupportedError} for a group hellokit cannot compute with (e.g. 0x6399)
 */
export function generateKeyShare(group: number, random: RandomSource = systemRandom): KeyShare {
  const impl = groupImpl(group);
  const keyExchanges: Uint8Array[] = [];
  const privateKeys: Uint8Array[] = [];
  for (const c of impl.components) {
    const part = c.generate(random);
    keyExchanges.push(part.keyExchange);
    privateKeys.push(part.privateKey);
  }
  return { group, keyExchange: concatBytes(...keyExchanges), privateKeys };
}

/**
 * The shared secret from our client share and the server's `key_exchange` (the IKM of
 * the handshake secret, RFC 8446 §7.1).
 * @example const secret = deriveSharedSecret(share, serverHello.keyShare.keyExchange)
 * @throws {CryptoError} (`illegal_parameter`) naming the group when the server's share is malformed or invalid
 */
export function deriveSharedSecret(share: KeyShare, serverKeyExchange: Uint8Array): Uint8Array {
  const impl = groupImpl(share.group);
  if (share.privateKeys.length !== impl.components.length) {
    throw new TypeError(
      `key share for ${impl.name} has ${share.privateKeys.length} private keys, expected ${impl.components.length}`,
    );
  }
  const parts = split(
    serverKeyExchange,
    impl.components.map((c) => c.serverLength),
  );
  if (!parts) {
    const { serverShareLength } = keyShareSizes(share.group);
    throw badShare(
      impl,
      share.group,
      'server',
      `expected ${serverShareLength} bytes, got ${serverKeyExchange.length}`,
    );
  }
  const secrets: Uint8Array[] = [];
  impl.components.forEach((c, i) => {
    try {
      secrets.push(c.derive(share.privateKeys[i], parts[i]));
    } catch (e) {
      throw badShare(impl, share.group, 'server', (e as Error).message);
    }
  });
  return concatBytes(...secrets);
}

/**
 * The server side of a key exchange: answers a client's `key_exchange` with a share of
 * our own and returns the shared secret both sides now hold. For tests and for
 * hellokit's own servers.
 * @example
 * const client = generateKeyShare(0x11ec);
 * const server = respondToKeyShare(0x11ec, client.keyExchange);
 * deriveSharedSecret(client, server.keyExchange) // equals server.sharedSecret
 * @throws {CryptoError} (`illegal_parameter`) naming the group when the client's share is malformed or invalid
 */
export function respondToKeyShare(
  group: number,
  clientKeyExchange: Uint8Array,
  random: RandomSource = systemRandom,
): KeyShareResponse {
  const impl = groupImpl(group);
  const parts = split(
    clientKeyExchange,
    impl.components.map((c) => c.clientLength),
  );
  if (!parts) {
    const { clientShareLength } = keyShareSizes(group);
    throw badShare(
      impl,
      group,
      'client',
      `expected ${clientShareLength} bytes, got ${clientKeyExchange.length}`,
    );
  }
  const keyExchanges: Uint8Array[] = [];
  const secrets: Uint8Array[] = [];
  impl.components.forEach((c, i) => {
    let out: { keyExchange: Uint8Array; sharedSecret: Uint8Array };
    try {
      out = c.respond(parts[i], random);
    } catch (e) {
      throw badShare(impl, group, 'client', (e as Error).message);
    }
    keyExchanges.push(out.keyExchange);
    secrets.push(out.sharedSecret);
  });
  return { keyExchange: concatBytes(...keyExchanges), sharedSecret: concatBytes(...secrets) };
}
