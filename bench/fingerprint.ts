/**
 * Fingerprint speed on a Chrome-sized ClientHello from the fixtures: decode + JA4 (and the
 * four JA4 forms, and JA3) against the floor the fingerprint cannot avoid, measured in the
 * same run: the length walk of a validating parser plus the hashes of the fingerprint's own
 * strings (two SHA-256 for JA4, one MD5 for JA3), already built, as bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { md5 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromLatin1 } from '../src/bytes/hex.ts';
import { ja3, ja3All, ja3Full } from '../src/fingerprint/ja3.ts';
import { ja4, ja4All } from '../src/fingerprint/ja4.ts';
import { parseClientHello } from '../src/handshake/client-hello.ts';
import { lengthWalk } from './length-walk.ts';
import { type BenchResult, formatResult, measure } from './measure.ts';

/** Runs the fingerprint measurements; the last lines are the ratios to the floors. */
export function benchFingerprint(minMillis = 500): { results: BenchResult[]; lines: string[] } {
  const bytes = new Uint8Array(
    readFileSync(join(process.cwd(), 'fixtures', 'clients', 'chromium-sni-1.bin')),
  );
  const hello = parseClientHello(bytes);
  // The strings JA4's two hashes read: part b and part c of ja4_r (the sorted lists).
  const [, , b, ...c] = ja4All(hello).ja4_r.split('_');
  const partB = fromLatin1(b);
  const partC = fromLatin1(c.join('_'));
  const ja3Text = fromLatin1(ja3Full(hello));
  let sink = 0;
  let kept: unknown = null;
  const ja4Floor = measure(
    'length walk + 2 SHA-256 of the JA4 lists (JA4 floor)',
    () => {
      sink += lengthWalk(bytes) + sha256(partB)[0] + sha256(partC)[0];
    },
    minMillis,
  );
  const decodeJa4 = measure(
    'typed decode + JA4',
    () => {
      kept = ja4(parseClientHello(bytes));
    },
    minMillis,
  );
  const decodeJa4All = measure(
    'typed decode + the four JA4 forms (ja4All)',
    () => {
      kept = ja4All(parseClientHello(bytes));
    },
    minMillis,
  );
  const bytesJa4 = measure(
    'JA4 from the bytes, ja4(bytes) (no typed decode)',
    () => {
      kept = ja4(bytes);
    },
    minMillis,
  );
  const ja3Floor = measure(
    'length walk + MD5 of the JA3 string (JA3 floor)',
    () => {
      sink += lengthWalk(bytes) + md5(ja3Text)[0];
    },
    minMillis,
  );
  const decodeJa3 = measure(
    'typed decode + JA3',
    () => {
      kept = ja3(parseClientHello(bytes));
    },
    minMillis,
  );
  const decodeJa3All = measure(
    'typed decode + JA3 and its string (ja3All)',
    () => {
      kept = ja3All(parseClientHello(bytes));
    },
    minMillis,
  );
  const bytesJa3 = measure(
    'JA3 from the bytes, ja3(bytes) (no typed decode)',
    () => {
      kept = ja3(bytes);
    },
    minMillis,
  );
  const results = [ja4Floor, decodeJa4, decodeJa4All, bytesJa4, ja3Floor, decodeJa3, decodeJa3All, bytesJa3];
  const lines = results.map((r) => formatResult('fingerprint', r));
  const ratio = (floor: BenchResult, r: BenchResult): string =>
    (r.microsecondsPerOp / floor.microsecondsPerOp).toFixed(1);
  lines.push(
    `fingerprint: decode + JA4 is ${ratio(ja4Floor, decodeJa4)}x its floor (aim: within 2x); the four forms ${ratio(ja4Floor, decodeJa4All)}x${sink < 0 && kept ? '' : ''}`,
    `fingerprint: JA4 from the bytes is ${ratio(ja4Floor, bytesJa4)}x the JA4 floor`,
    `fingerprint: decode + JA3 is ${ratio(ja3Floor, decodeJa3)}x its floor (length walk + MD5); JA3 from the bytes ${ratio(ja3Floor, bytesJa3)}x`,
  );
  return { results, lines };
}
