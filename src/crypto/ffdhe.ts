/**
 * Finite-field Diffie-Hellman groups of RFC 7919 for TLS 1.3 key shares (RFC 8446
 * §4.2.8.1): the share is `g^x mod p` and the shared secret `Y^x mod p`, both left-padded
 * with zeros to the size of p. Modular exponentiation is noble's bigint `pow`.
 */
import { pow } from '@noble/curves/abstract/modular.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import type { RandomSource } from './random.ts';

/** One RFC 7919 group: safe prime p = 2q + 1, generator 2. */
export interface FfdheGroup {
  readonly name: string;
  readonly prime: bigint;
  /** Size of p, and of every share and secret, in bytes. */
  readonly byteLength: number;
  /**
   * Private exponent size in bytes. A full-size exponent is not needed: RFC 7919 §5.2 allows
   * short exponents of at least 225/275/325/375/400 bits for ffdhe2048/3072/4096/6144/8192
   * (about twice each group's security strength, as NIST SP 800-56A asks), so hellokit uses
   * 256/320/384/384/448 bits. With its 448-bit exponent an ffdhe8192 share takes about 40 ms
   * on Node 20, where a full 8192-bit exponent takes about 0.8 s.
   */
  readonly exponentLength: number;
}

/** The leading digits every RFC 7919 prime shares (they all start from the binary expansion of e). */
const COMMON =
  'FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8' +
  'F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935984F0C70E0E68B77E2A689DAF3EFE872' +
  '1DF158A136ADE73530ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB19' +
  '0B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F619172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005' +
  'C58EF1837D1683B2C6F34A26C1B2EFFA886B4238';

/** Shared by ffdhe3072 and larger. */
const AFTER_3072 =
  '611FCFDCDE355B3B6519035BBC34F4DEF99C023861B46FC9D6E6C9077AD91D2691F7F7EE598CB0FAC186D91CAEFE130985139270B4130C93' +
  'BC437944F4FD4452E2D74DD364F2E21E71F54BFF5CAE82AB9C9DF69EE86D2BC522363A0DABC521979B0DEADA1DBF9A42D5C4484E0ABCD06B' +
  'FA53DDEF3C1B20EE3FD59D7C25E41D2B';

/** Shared by ffdhe4096 and larger. */
const AFTER_4096 =
  '669E1EF16E6F52C3164DF4FB7930E9E4E58857B6AC7D5F42D69F6D187763CF1D5503400487F55BA57E31CC7A7135C886EFB4318AED6A1E01' +
  '2D9E6832A907600A918130C46DC778F971AD0038092999A333CB8B7A1A1DB93D7140003C2A4ECEA9F98D0ACC0A8291CDCEC97DCF8EC9B55A' +
  '7F88A46B4DB5A851F44182E1C68A007E';

/** Shared by ffdhe6144 and ffdhe8192. */
const AFTER_6144 =
  '5E0DD9020BFD64B645036C7A4E677D2C38532A3A23BA4442CAF53EA63BB454329B7624C8917BDD64B1C0FD4CB38E8C334C701C3ACDAD0657' +
  'FCCFEC719B1F5C3E4E46041F388147FB4CFDB477A52471F7A9A96910B855322EDB6340D8A00EF092350511E30ABEC1FFF9E3A26E7FB29F8C' +
  '183023C3587E38DA0077D9B4763E4E4B94B2BBC194C6651E77CAF992EEAAC0232A281BF6B3A739C1226116820AE8DB5847A67CBEF9C9091B' +
  '462D538CD72B03746AE77F5E62292C311562A846505DC82DB854338AE49F5235C95B91178CCF2DD5CACEF403EC9D1810C6272B045B3B71F9' +
  'DC6B80D63FDD4A8E9ADB1E6962A69526D43161C1A41D570D7938DAD4A40E329C';

/** RFC 7919 Appendix A primes, by NamedGroup code point. */
export const FFDHE_GROUPS: ReadonlyMap<number, FfdheGroup> = new Map([
  [0x0100, group('ffdhe2048', `${COMMON}61285C97FFFFFFFFFFFFFFFF`, 32)],
  [0x0101, group('ffdhe3072', `${COMMON}${AFTER_3072}66C62E37FFFFFFFFFFFFFFFF`, 40)],
  [0x0102, group('ffdhe4096', `${COMMON}${AFTER_3072}${AFTER_4096}5E655F6AFFFFFFFFFFFFFFFF`, 48)],
  [
    0x0103,
    group('ffdhe6144', `${COMMON}${AFTER_3072}${AFTER_4096}${AFTER_6144}D0E40E65FFFFFFFFFFFFFFFF`, 48),
  ],
  [
    0x0104,
    group(
      'ffdhe8192',
      `${COMMON}${AFTER_3072}${AFTER_4096}${AFTER_6144}` +
        'CFF46AAA36AD004CF600C8381E425A31D951AE64FDB23FCEC9509D43687FEB69EDD1CC5E0B8CC3BDF64B10EF86B63142A3AB8829555B2F74' +
        '7C932665CB2C0F1CC01BD70229388839D2AF05E454504AC78B7582822846C0BA35C35F5C59160CC046FD8251541FC68C9C86B022BB709987' +
        '6A460E7451A8A93109703FEE1C217E6C3826E52C51AA691E0E423CFC99E9E31650C1217B624816CDAD9A95F9D5B8019488D9C0A0A1FE3075' +
        'A577E23183F81D4A3F2FA4571EFC8CE0BA8A4FE8B6855DFE72B0A66EDED2FBABFBE58A30FAFABE1C5D71A87E2F741EF8C1FE86FEA6BBFDE5' +
        '30677F0D97D11D49F7A8443D0822E506A9F4614E011E2A94838FF88CD68C8BB7C5C6424CFFFFFFFFFFFFFFFF',
      56,
    ),
  ],
]);

function group(name: string, hex: string, exponentLength: number): FfdheGroup {
  return { name, prime: BigInt(`0x${hex}`), byteLength: hex.length / 2, exponentLength };
}

const TWO = BigInt(2);
const ONE = BigInt(1);

/** A private exponent and its public share `2^x mod p`, padded to the size of p. */
export function ffdheGenerate(
  g: FfdheGroup,
  random: RandomSource,
): { privateKey: Uint8Array; keyExchange: Uint8Array } {
  let privateKey = random(g.exponentLength);
  // x must not be 0 or 1; an all-zero draw is astronomically unlikely, but a scripted source can give it.
  if (bytesToNumberBE(privateKey) < TWO) privateKey = Uint8Array.of(...privateKey.subarray(1), 2);
  const y = pow(TWO, bytesToNumberBE(privateKey), g.prime);
  return { privateKey, keyExchange: numberToBytesBE(y, g.byteLength) };
}

/**
 * `peer^x mod p`, padded to the size of p, after checking the peer's share as RFC 8446
 * §4.2.8.1 requires (exact length, 1 < Y < p − 1).
 * @throws {Error} describing what is wrong with the peer's share
 */
export function ffdheAgree(g: FfdheGroup, privateKey: Uint8Array, peer: Uint8Array): Uint8Array {
  if (peer.length !== g.byteLength) {
    throw new Error(`${g.name} share must be left-padded to ${g.byteLength} bytes, got ${peer.length}`);
  }
  const y = bytesToNumberBE(peer);
  if (y <= ONE || y >= g.prime - ONE) throw new Error(`${g.name} share is outside 1 < Y < p-1`);
  const z = pow(y, bytesToNumberBE(privateKey), g.prime);
  if (z === ONE) throw new Error(`${g.name} shared secret is 1`);
  return numberToBytesBE(z, g.byteLength);
}

/**
 * TLS 1.2 DHE with the server's own prime and generator (RFC 5246 §8.1.2, the ServerKeyExchange's
 * dh_p, dh_g, dh_Ys): a private exponent of 256 bits, the client's Yc = g^x mod p, and the
 * pre-master secret Z = Ys^x mod p with its leading zero bytes stripped.
 * @throws {Error} when p is even or too small, or Ys is not 1 < Ys < p − 1
 */
export function dheAgree(
  p: Uint8Array,
  g: Uint8Array,
  ys: Uint8Array,
  random: RandomSource,
): { keyExchange: Uint8Array; secret: Uint8Array } {
  const prime = bytesToNumberBE(p);
  if (prime < BigInt(0xffff) || (prime & ONE) === BigInt(0)) throw new Error('DH prime is too small or even');
  const y = bytesToNumberBE(ys);
  if (y <= ONE || y >= prime - ONE) throw new Error('DH share is outside 1 < Ys < p-1');
  const x = (bytesToNumberBE(random(32)) % (prime - TWO)) + ONE;
  const yc = pow(bytesToNumberBE(g), x, prime);
  const z = pow(y, x, prime);
  if (z <= ONE) throw new Error('DH shared secret is 0 or 1');
  const secret = numberToBytesBE(z, p.length);
  let start = 0;
  while (start < secret.length - 1 && secret[start] === 0) start++;
  return { keyExchange: numberToBytesBE(yc, p.length), secret: secret.subarray(start) };
}
