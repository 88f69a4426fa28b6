/** `mutationArb`: fast-check over the mutators, shrinking toward seed 0 and the first mutator. */
import fc from 'fast-check';
import type { ClientHello } from '../handshake/types.ts';
import { MUTATORS, type MutateOptions, type Mutation, mutate } from './mutators.ts';

/** Options of {@link mutationArb}. */
export interface MutationArbOptions extends MutateOptions {
  /** Mutator ids to draw from (default: every mutator that applies to the hello). */
  readonly mutators?: readonly string[];
}

/** A mutation with the seed that replays it: `mutate(hello, m.id, m.seed)`. */
export type SeededMutation = Mutation & { readonly seed: number };

/**
 * Broken versions of `hello`, each with its description and the seed that replays it.
 * @example
 * fc.assert(fc.property(mutationArb(helloBytes), (m) => {
 *   if (m.expect === 'reject') expect(() => parseClientHello(m.bytes)).toThrow(DecodeError);
 * }));
 */
export function mutationArb(
  hello: Uint8Array | ClientHello,
  options: MutationArbOptions = {},
): fc.Arbitrary<SeededMutation> {
  const ids = options.mutators ?? MUTATORS.filter((m) => m.applies(hello)).map((m) => m.id);
  if (ids.length === 0) throw new RangeError('no mutator applies to this hello');
  return fc
    .record({ id: fc.constantFrom(...ids), seed: fc.nat() })
    .map(({ id, seed }) => ({ ...mutate(hello, id, seed, options), seed }));
}
