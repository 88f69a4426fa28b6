/**
 * Fingerprint speed on a Chrome-sized ClientHello from the fixtures: decode + JA4 (and the
 * four JA4 forms, JA4 from the bytes, and the same for JA3) against the floor the fingerprint
 * cannot avoid: the length walk of a validating parser plus the hashes of the fingerprint's
 * own text (two SHA-256 for JA4, one MD5 for JA3), already built, as bytes, hashed with the same
 * digest the fingerprints use (src/fingerprint/digest.ts). Each row is
 * measured in batches alternating with its floor's, so the ratio holds on a loaded machine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromLatin1 } from '../src/bytes/hex.ts';
import { md5Hex, sha256Hex } from '../src/fingerprint/digest.ts';
import { ja3, ja3All, ja3Full } from '../src/fingerprint/ja3.ts';
import { ja4, ja4All } from '../src/fingerprint/ja4.ts';
import { parseClientHello } from '../src/handshake/client-hello.ts';
import { lengthWalk } from './length-walk.ts';
import { type BenchResult, formatResult, measureAgainst } from './measure.ts';

/** Runs the fingerprint measurements: each row, its floor in the same batches, the ratio. */
export function benchFingerprint(minMillis = 1000): { results: BenchResult[]; lines: string[] } {
  const bytes = new Uint8Array(
    readFileSync(join(process.cwd(), 'fixtures', 'clients', 'chromium-sni-1.bin')),
  );
  const hello = parseClientHello(bytes);
  // The text JA4's two hashes read: parts b and c of ja4_r (the sorted lists).
  const [, b, ...c] = ja4All(hello).ja4_r.split('_');
  const partB = fromLatin1(b);
  const partC = fromLatin1(c.join('_'));
  const ja3Text = fromLatin1(ja3Full(hello));
  // Results are kept, as a caller keeps them: a result the JIT can see die is not a fair figure.
  let sink = 0;
  let kept: unknown = null;
  const ja4Floor = (): void => {
    sink += lengthWalk(bytes) + sha256Hex(partB, 12).length + sha256Hex(partC, 12).length;
  };
  const ja3Floor = (): void => {
    sink += lengthWalk(bytes) + md5Hex(ja3Text).length;
  };
  const JA4_FLOOR = 'length walk + 2 SHA-256 of the JA4 lists (JA4 floor)';
  const JA3_FLOOR = 'length walk + MD5 of the JA3 string (JA3 floor)';
  const rows: [string, () => void, string, () => void, string][] = [
    [
      JA4_FLOOR,
      ja4Floor,
      'typed decode + JA4',
      () => (kept = ja4(parseClientHello(bytes))),
      'aim: within 2x',
    ],
    [
      JA4_FLOOR,
      ja4Floor,
      'typed decode + the four JA4 forms (ja4All)',
      () => (kept = ja4All(parseClientHello(bytes))),
      '',
    ],
    [JA4_FLOOR, ja4Floor, 'JA4 from the bytes, ja4(bytes)', () => (kept = ja4(bytes)), 'aim: within 2x'],
    [JA3_FLOOR, ja3Floor, 'typed decode + JA3', () => (kept = ja3(parseClientHello(bytes))), ''],
    [
      JA3_FLOOR,
      ja3Floor,
      'typed decode + JA3 and its string (ja3All)',
      () => (kept = ja3All(parseClientHello(bytes))),
      '',
    ],
    [JA3_FLOOR, ja3Floor, 'JA3 from the bytes, ja3(bytes)', () => (kept = ja3(bytes)), ''],
  ];
  const results: BenchResult[] = [];
  const lines: string[] = [];
  const measured = rows.map(([floorName, floor, name, fn]) =>
    measureAgainst(floorName, floor, name, fn, minMillis),
  );
  // A floor's batches can run slow for a whole row (the load, or the JIT): each row's ratio
  // is also given against the fastest median its floor had in this run.
  const fastest = new Map<string, number>();
  for (const r of measured)
    fastest.set(
      r.floor.name,
      Math.min(fastest.get(r.floor.name) ?? Number.POSITIVE_INFINITY, r.floor.microsecondsPerOp),
    );
  measured.forEach((r, i) => {
    const [, , name, , aim] = rows[i];
    results.push(r.floor, r.result);
    const best = r.result.microsecondsPerOp / (fastest.get(r.floor.name) ?? r.floor.microsecondsPerOp);
    lines.push(
      formatResult('fingerprint', r.floor),
      formatResult('fingerprint', r.result),
      `fingerprint: ${name} is ${r.ratio.toFixed(1)}x its floor, ${best.toFixed(1)}x the run's fastest floor${aim ? ` (${aim})` : ''}${sink < 0 && kept ? '' : ''}`,
    );
  });
  return { results, lines };
}
