/**
 * Builder speed: build + encode with and without key generation, and key generation alone
 * per group, measured in one run. Each result is one line for `npm run bench`.
 */
import { clientHello } from '../src/builder/client-hello.ts';
import { generateKeyShare, seededRandom } from '../src/crypto/index.ts';
import { encodeClientHello } from '../src/handshake/client-hello.ts';
import { type BenchResult, formatResult, measure } from './measure.ts';

/** One measurement. */
export type BuildBenchResult = BenchResult;

const GROUPS: readonly [string, number][] = [
  ['x25519', 0x001d],
  ['secp256r1', 0x0017],
  ['secp384r1', 0x0018],
  ['secp521r1', 0x0019],
  ['X25519MLKEM768', 0x11ec],
  ['SecP256r1MLKEM768', 0x11eb],
  ['SecP384r1MLKEM1024', 0x11ed],
];

/**
 * Runs every builder measurement for about `minMillis` each.
 * @example for (const r of benchBuild()) console.log(formatBuildResult(r));
 */
export function benchBuild(minMillis = 300): BuildBenchResult[] {
  const random = seededRandom('bench');
  const results: BuildBenchResult[] = [];
  results.push(
    measure(
      'build+encode default, no key shares',
      () => {
        encodeClientHello(clientHello({ serverName: 'example.com', keyShares: [], randomSource: random }));
      },
      minMillis,
    ),
  );
  results.push(
    measure(
      'build+encode default (x25519 + P-256 keys)',
      () => {
        encodeClientHello(clientHello({ serverName: 'example.com', randomSource: random }));
      },
      minMillis,
    ),
  );
  results.push(
    measure(
      'build+encode chrome preset, no key shares',
      () => {
        encodeClientHello(
          clientHello({ preset: 'chrome', serverName: 'example.com', keyShares: [], randomSource: random }),
        );
      },
      minMillis,
    ),
  );
  results.push(
    measure(
      'build+encode chrome preset (X25519MLKEM768 + x25519 keys)',
      () => {
        encodeClientHello(clientHello({ preset: 'chrome', serverName: 'example.com', randomSource: random }));
      },
      minMillis,
    ),
  );
  for (const [name, group] of GROUPS) {
    results.push(measure(`key generation ${name}`, () => generateKeyShare(group, random), minMillis));
  }
  return results;
}

/** One line: name, ops/s and µs/op. */
export function formatBuildResult(r: BuildBenchResult): string {
  return formatResult('build', r);
}
