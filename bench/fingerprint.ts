/**
 * Fingerprint speed over the rotation of fixture hellos (bench/fixture-hellos.ts, each call the
 * next of 20 distinct hellos): decode + JA4 (and the four JA4 forms, JA4 from the bytes, and
 * the same for JA3) against the floor the fingerprint cannot avoid: the length walk of a
 * validating parser plus the hashes of the fingerprint's own text (two SHA-256 for JA4, one MD5
 * for JA3), already built, as bytes, hashed with the same digest the fingerprints use
 * (src/fingerprint/digest.ts). Each row is measured in batches alternating with its floor's,
 * so the ratio holds on a loaded machine. Every fingerprint row is run twice: with the digest
 * memo off (every text hashed, as the floor hashes it) and on (a text seen before is a map
 * lookup; the 21 hellos' texts are all seen after the first round, as the few client builds of
 * a real capture are).
 */
import { fromLatin1 } from '../src/bytes/hex.ts';
import { md5HexOf, setDigestMemo, sha256HexOf, type ViewedBytes } from '../src/fingerprint/digest.ts';
import { ja3, ja3Full } from '../src/fingerprint/ja3.ts';
import { ja4, ja4All } from '../src/fingerprint/ja4.ts';
import { parseClientHello } from '../src/handshake/client-hello.ts';
import { fixtureHellos, rotation } from './fixture-hellos.ts';
import { lengthWalk } from './length-walk.ts';
import { type BenchResult, formatResult, measureAgainst } from './measure.ts';

/** Runs the fingerprint measurements: each row, its floor in the same batches, the ratio. */
export function benchFingerprint(minMillis = 1000): { results: BenchResult[]; lines: string[] } {
  const hellos = fixtureHellos();
  // The texts JA4's two hashes read: parts b and c of ja4_r (the sorted lists); JA3's string.
  // Each with its DataView made once, as the fingerprints' own text buffer keeps one.
  const viewed = (text: string): ViewedBytes => {
    const bytes = fromLatin1(text);
    return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  };
  const partB: ViewedBytes[] = [];
  const partC: ViewedBytes[] = [];
  const ja3Text: ViewedBytes[] = [];
  for (const bytes of hellos) {
    const [, b, ...c] = ja4All(bytes).ja4_r.split('_');
    partB.push(viewed(b));
    partC.push(viewed(c.join('_')));
    ja3Text.push(viewed(ja3Full(bytes)));
  }
  const sha256Hex12 = (t: ViewedBytes) => sha256HexOf(t, 0, t.bytes.length, 12);
  const n = hellos.length;
  // Results are kept, as a caller keeps them: a result the JIT can see die is not a fair figure.
  let sink = 0;
  let kept: unknown = null;
  const ja4Floor =
    (next = rotation(n)) =>
    (): void => {
      const i = next();
      sink += lengthWalk(hellos[i]) + sha256Hex12(partB[i]).length + sha256Hex12(partC[i]).length;
    };
  const ja3Floor =
    (next = rotation(n)) =>
    (): void => {
      const i = next();
      sink += lengthWalk(hellos[i]) + md5HexOf(ja3Text[i], 0, ja3Text[i].bytes.length).length;
    };
  // Each row steps through the hellos on its own.
  const each = (fn: (bytes: Uint8Array) => unknown) => {
    const next = rotation(n);
    return (): void => {
      kept = fn(hellos[next()]);
    };
  };
  const JA4_FLOOR = 'length walk + 2 SHA-256 of the JA4 lists (JA4 floor)';
  const JA3_FLOOR = 'length walk + MD5 of the JA3 string (JA3 floor)';
  const rows: [string, () => () => void, string, () => void, string][] = [
    // No fingerprint: what the typed decode alone costs against the floor, for the row below it.
    [JA4_FLOOR, ja4Floor, 'typed decode alone, parseClientHello(bytes)', each(parseClientHello), ''],
    [JA4_FLOOR, ja4Floor, 'typed decode + JA4', each((b) => ja4(parseClientHello(b))), 'aim: within 2x'],
    [
      JA4_FLOOR,
      ja4Floor,
      'typed decode + the four JA4 forms (ja4All)',
      each((b) => ja4All(parseClientHello(b))),
      '',
    ],
    [JA4_FLOOR, ja4Floor, 'JA4 from the bytes, ja4(bytes)', each(ja4), 'aim: within 2x'],
    [JA4_FLOOR, ja4Floor, 'the four JA4 forms from the bytes, ja4All(bytes)', each(ja4All), ''],
    [JA3_FLOOR, ja3Floor, 'typed decode + JA3', each((b) => ja3(parseClientHello(b))), ''],
    [JA3_FLOOR, ja3Floor, 'JA3 from the bytes, ja3(bytes)', each(ja3), ''],
  ];
  const results: BenchResult[] = [];
  const lines: string[] = [
    `fingerprint: ${n} fixture hellos in rotation (${Math.min(...hellos.map((b) => b.length))}–${Math.max(...hellos.map((b) => b.length))} bytes), each call the next`,
  ];
  // Each fingerprint row without the memo, then with it; the floors never use it.
  const runs = rows.flatMap(([floorName, floor, name, fn, aim], index) =>
    (index === 0 ? [false] : [false, true]).map((memo) => ({
      floorName,
      floor,
      name: index === 0 ? name : `${name}, ${memo ? 'memo' : 'no memo'}`,
      fn,
      aim,
      memo,
    })),
  );
  const measured = runs.map(({ floorName, floor, name, fn, memo }) => {
    setDigestMemo(memo);
    return measureAgainst(floorName, floor(), name, fn, minMillis);
  });
  setDigestMemo(true);
  // A floor's batches can run slow for a whole row (the load, or the JIT): each row's ratio
  // is also given against the fastest median its floor had in this run.
  const fastest = new Map<string, number>();
  for (const r of measured)
    fastest.set(
      r.floor.name,
      Math.min(fastest.get(r.floor.name) ?? Number.POSITIVE_INFINITY, r.floor.microsecondsPerOp),
    );
  measured.forEach((r, i) => {
    const { name, aim } = runs[i];
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
