/**
 * Decoder speed on a Chrome-sized ClientHello from the fixtures: a full typed decode (every
 * extension) and re-encode, against the floor any validating parser pays — a bare walk over
 * the record header, handshake header, fixed fields and extension headers — in the same run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeClientHello, parseClientHello } from '../src/handshake/client-hello.ts';
import { allocationFloor, census } from './allocation-floor.ts';
import { lengthWalk } from './length-walk.ts';
import { type BenchResult, formatResult, measure } from './measure.ts';

const LENIENT = { strict: false } as const;
const LENIENT_AT_5 = { strict: false, baseOffset: 5 } as const;

/** Runs the decode measurements; the last lines are the ratios to the floors. */
export function benchDecode(minMillis = 500): { results: BenchResult[]; lines: string[] } {
  const bytes = new Uint8Array(
    readFileSync(join(process.cwd(), 'fixtures', 'clients', 'chromium-sni-1.bin')),
  );
  // Results are kept, as a caller keeps them: a result the JIT can see die is not a fair figure.
  let sink = 0;
  let kept: unknown = null;
  const floor = measure(
    `length walk (floor), ${bytes.length} bytes`,
    () => {
      sink += lengthWalk(bytes);
    },
    minMillis,
  );
  const made = census(parseClientHello(bytes));
  const allocation = measure(
    `walk + creating the result (${made.views} views, ${made.objects} objects, ${made.arrays.length} arrays)`,
    () => {
      kept = allocationFloor(bytes, made);
    },
    minMillis,
  );
  const decode = measure(
    'typed decode, strict, every extension',
    () => {
      kept = parseClientHello(bytes);
    },
    minMillis,
  );
  const lenient = measure(
    'typed decode, lenient, every extension',
    () => {
      kept = parseClientHello(bytes, LENIENT);
    },
    minMillis,
  );
  // The form hellokit pcap decodes every hello in: the bare handshake message, lenient.
  const message = bytes.subarray(5);
  const lenientMessage = measure(
    'typed decode, lenient, bare handshake message (as pcap)',
    () => {
      kept = parseClientHello(message, LENIENT_AT_5);
    },
    minMillis,
  );
  const roundTrip = measure(
    'typed decode + re-encode',
    () => {
      kept = encodeClientHello(parseClientHello(bytes));
    },
    minMillis,
  );
  const results = [floor, allocation, decode, lenient, lenientMessage, roundTrip];
  const lines = results.map((r) => formatResult('decode', r));
  const ratio = (a: BenchResult, b: BenchResult): string =>
    (b.microsecondsPerOp / a.microsecondsPerOp).toFixed(1);
  lines.push(
    `decode: full typed decode is ${ratio(floor, decode)}x the length walk (aim: within 10x); decode+encode ${ratio(floor, roundTrip)}x${sink < 0 && kept ? '' : ''}`,
    `decode: creating the typed result alone is ${ratio(floor, allocation)}x the length walk; the typed decode is ${ratio(allocation, decode)}x that`,
    `decode: lenient, the typed decode is ${ratio(allocation, lenient)}x the result's creation; as a bare message ${ratio(allocation, lenientMessage)}x`,
  );
  return { results, lines };
}
