import type { RandomSource } from '../crypto/random.ts';

/**
 * A uniformly random permutation of `items` (Fisher–Yates, as BoringSSL's
 * `ssl_setup_extension_permutation`), drawn from `random` so a seed reproduces it.
 * @example permute([1, 2, 3], seededRandom('x'))
 */
export function permute<T>(items: readonly T[], random: RandomSource): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const r = random(4);
    const j = (((r[0] << 24) | (r[1] << 16) | (r[2] << 8) | r[3]) >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
