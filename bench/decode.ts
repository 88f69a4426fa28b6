/**
 * Decoder speed on a Chrome-sized ClientHello from the fixtures: a full typed decode (every
 * extension) and re-encode, against the floor any validating parser pays — a bare walk over
 * the record header, handshake header, fixed fields and extension headers — in the same run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeClientHello, parseClientHello } from '../src/handshake/client-hello.ts';
import { lengthWalk } from './length-walk.ts';
import { type BenchResult, formatResult, measure } from './measure.ts';

/** Runs the decode measurements; the last line is the ratio to the floor. */
export function benchDecode(minMillis = 500): { results: BenchResult[]; lines: string[] } {
  const bytes = new Uint8Array(
    readFileSync(join(process.cwd(), 'fixtures', 'clients', 'chromium-sni-1.bin')),
  );
  let sink = 0;
  const floor = measure(
    `length walk (floor), ${bytes.length} bytes`,
    () => {
      sink += lengthWalk(bytes);
    },
    minMillis,
  );
  const decode = measure(
    'typed decode, strict, every extension',
    () => {
      sink += parseClientHello(bytes).cipherSuites.length;
    },
    minMillis,
  );
  const roundTrip = measure(
    'typed decode + re-encode',
    () => {
      sink += encodeClientHello(parseClientHello(bytes)).length;
    },
    minMillis,
  );
  const results = [floor, decode, roundTrip];
  const lines = results.map((r) => formatResult('decode', r));
  lines.push(
    `decode: full typed decode is ${(floor.opsPerSecond / decode.opsPerSecond).toFixed(1)}x the floor (aim: within 10x); decode+encode ${(floor.opsPerSecond / roundTrip.opsPerSecond).toFixed(1)}x${sink < 0 ? '' : ''}`,
  );
  return { results, lines };
}
