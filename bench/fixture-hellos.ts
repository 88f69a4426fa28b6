/**
 * The rotation the fingerprint benches read: every ClientHello in fixtures/clients (20 real
 * hellos from browsers, curl, wget, OpenSSL, GnuTLS, Go, Node and Python, 188 to 1,953
 * bytes), in name order. A bench steps through them call by call, so a figure is the mean
 * over distinct hellos, not one hello the branch predictor and the caches have learnt.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fixture hellos' bytes, in file-name order. */
export function fixtureHellos(): Uint8Array[] {
  const dir = join(process.cwd(), 'fixtures', 'clients');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.bin'))
    .sort()
    .map((name) => new Uint8Array(readFileSync(join(dir, name))));
}

/** A function returning 0, 1, …, n − 1, 0, 1, … (the next hello of the rotation). */
export function rotation(n: number): () => number {
  let i = -1;
  return () => {
    i = i + 1 === n ? 0 : i + 1;
    return i;
  };
}
