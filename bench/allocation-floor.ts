/**
 * The second floor of a typed decode: what creating its result costs, with no decoding. A
 * typed ClientHello is made of `Uint8Array` views (random, session id, every extension body,
 * host names, key shares), arrays and small objects; on V8 a view alone costs about as much
 * as the whole length walk. This floor does the length walk and then creates as many views,
 * objects and arrays (of the same lengths) as a parse result holds, reading and checking
 * nothing, so a decode's ratio to it is the cost of the decoding itself.
 */
import { lengthWalk } from './length-walk.ts';

/** What a decoded value is made of. */
export interface Census {
  /** `Uint8Array` views. */
  readonly views: number;
  /** Plain objects. */
  readonly objects: number;
  /** The length of every array. */
  readonly arrays: readonly number[];
}

/** Counts the views, objects and arrays reachable from `value`. */
export function census(value: unknown): Census {
  let views = 0;
  let objects = 0;
  const arrays: number[] = [];
  const visit = (v: unknown): void => {
    if (v instanceof Uint8Array) views++;
    else if (Array.isArray(v)) {
      arrays.push(v.length);
      for (const item of v) visit(item);
    } else if (typeof v === 'object' && v !== null) {
      objects++;
      for (const item of Object.values(v)) visit(item);
    }
  };
  visit(value);
  return { views, objects, arrays };
}

/**
 * The length walk over `bytes`, then `c.views` views into it, `c.objects` objects holding
 * them and arrays of `c.arrays`' lengths filled from the bytes, all kept in the returned
 * array, so none of it can be optimised away (as a parse's result is kept by its caller).
 */
export function allocationFloor(bytes: Uint8Array, c: Census): unknown[] {
  const walked = lengthWalk(bytes);
  const span = bytes.length - 64;
  const out: unknown[] = new Array(c.objects + c.arrays.length);
  let view = bytes;
  for (let i = 0; i < c.views || i < c.objects; i++) {
    const at = (i * 61 + walked) % span;
    if (i < c.views) view = bytes.subarray(at, at + 32);
    if (i < c.objects) out[i] = { at, view };
  }
  for (let k = 0; k < c.arrays.length; k++) {
    const length = c.arrays[k];
    const a = new Array<number>(length);
    for (let j = 0; j < length; j++) a[j] = bytes[j];
    out[c.objects + k] = a;
  }
  return out;
}
