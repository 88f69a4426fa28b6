/**
 * Reads the cipher suite table from the compact text cipher-suites.generated.ts holds: one
 * line a suite, `CODE NAME OPENSSL ALIASES KX AUTH CIPHER MAC HASH MIN MAX FLAGS`, with `-` for
 * a missing OpenSSL name or alias list, aliases joined by `,`, codes and versions in hex, and
 * FLAGS the letters of `aead`, `scsv` and `iana` that are true (`-` for none). A string with
 * one line a suite is a third of the size of the object literals it replaces in a bundle.
 */
import type { Authentication, CipherSuiteInfo, KeyExchange } from './cipher-suite-types.ts';

/** The rows of `text`, with the same fields (in the same order) the object literals had. */
export function parseCipherSuiteRows<R extends CipherSuiteInfo>(text: string): readonly R[] {
  const rows: CipherSuiteInfo[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [code, name, openssl, aliases, kx, auth, cipher, mac, hash, min, max, flags] = line.split(' ');
    rows.push({
      code: Number.parseInt(code, 16),
      name,
      ...(openssl === '-' ? {} : { openssl }),
      ...(aliases === '-' ? {} : { aliases: aliases.split(',') }),
      keyExchange: kx as KeyExchange,
      authentication: auth as Authentication,
      cipher,
      mac,
      hash,
      aead: flags.includes('a'),
      minVersion: Number.parseInt(min, 16),
      maxVersion: Number.parseInt(max, 16),
      ...(flags.includes('s') ? { scsv: true } : {}),
      iana: flags.includes('i'),
    });
  }
  return rows as R[];
}
