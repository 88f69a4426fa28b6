import { describe, expect, test } from 'vitest';
import {
  deriveSharedSecret,
  FFDHE_GROUPS,
  generateKeyShare,
  respondToKeyShare,
} from '../../src/crypto/index.ts';

/**
 * RFC 7919 Appendix A defines each prime as
 *   p = 2^b − 2^{b−64} + {⌊2^{b−130} e⌋ + X} · 2^64 − 1
 * with X the smallest value that makes p a safe prime. The X values are the ones the RFC
 * prints (A.1–A.5).
 */
const DEFINITIONS: [name: string, code: number, bits: number, x: bigint][] = [
  ['ffdhe2048', 0x0100, 2048, 560316n],
  ['ffdhe3072', 0x0101, 3072, 2625351n],
  ['ffdhe4096', 0x0102, 4096, 5736041n],
  ['ffdhe6144', 0x0103, 6144, 15705020n],
  ['ffdhe8192', 0x0104, 8192, 10965728n],
];

/** ⌊e · 2^precision⌋ − (tiny error), from Σ 1/k! in fixed point; exact in the top bits used here. */
function eFixedPoint(precision: number): bigint {
  let term = 1n << BigInt(precision);
  let sum = 0n;
  for (let k = 1n; term > 0n; k++) {
    sum += term;
    term /= k;
  }
  return sum;
}

describe('RFC 7919 primes', () => {
  const guard = 256;
  const e = eFixedPoint(8192 + guard);

  test.each(DEFINITIONS)('%s matches its definition from e and X', (name, code, bits, x) => {
    const g = FFDHE_GROUPS.get(code)!;
    expect(g.name).toBe(name);
    const b = BigInt(bits);
    const floorE = (e << (b - 130n)) >> BigInt(8192 + guard);
    const expected = (1n << b) - (1n << (b - 64n)) + (floorE + x) * (1n << 64n) - 1n;
    expect(g.prime.toString(16)).toBe(expected.toString(16));
  });

  test.each(DEFINITIONS)(
    '%s has the stated size, 64 one bits at both ends, and is 7 mod 8',
    (_name, code, bits) => {
      const g = FFDHE_GROUPS.get(code)!;
      expect(g.byteLength * 8).toBe(bits);
      expect(g.prime.toString(2).length).toBe(bits);
      const ones = (1n << 64n) - 1n;
      expect(g.prime >> BigInt(bits - 64)).toBe(ones);
      expect(g.prime & ones).toBe(ones);
      // A safe prime p = 2q + 1 with q odd is 3 mod 4; 2 generates the q-order subgroup when p ≡ 7 mod 8.
      expect(g.prime % 8n).toBe(7n);
    },
  );

  test('the private exponent is at least RFC 7919 §5.2’s minimum for each group', () => {
    const minimumBits: Record<string, number> = {
      ffdhe2048: 225,
      ffdhe3072: 275,
      ffdhe4096: 325,
      ffdhe6144: 375,
      ffdhe8192: 400,
    };
    for (const g of FFDHE_GROUPS.values()) {
      expect(g.exponentLength * 8, g.name).toBeGreaterThanOrEqual(minimumBits[g.name]);
      expect(generateKeyShare([...FFDHE_GROUPS].find(([, v]) => v === g)![0]).privateKeys[0].length).toBe(
        g.exponentLength,
      );
    }
  });

  test.each([0x0103, 0x0104])('group %i: client and simulated server agree on the secret', (code) => {
    const share = generateKeyShare(code);
    const server = respondToKeyShare(code, share.keyExchange);
    expect(server.keyExchange.length).toBe(FFDHE_GROUPS.get(code)!.byteLength);
    expect(deriveSharedSecret(share, server.keyExchange)).toEqual(server.sharedSecret);
  });
});
