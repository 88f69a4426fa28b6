/**
 * hellokit scan against the server matrix: each configuration of configurations.ts is
 * started again and scanned, and every answer is compared with what `openssl s_client`
 * settled about the same configuration (truth.json, written by scripts/matrix/collect.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scanTarget } from '../../src/node/scan.ts';
import type { ScanResult } from '../../src/scan/scan.ts';
import { describePeer, stopAll } from '../peers/index.ts';
import { MATRIX } from './configurations.ts';
import { type ScanFacts, scanFacts } from './read-scan.ts';
import { matrixRuns } from './runs.ts';
import { readTruth } from './truth.ts';

const DAY_MS = 86_400_000;
const truth = readTruth();

const scans = matrixRuns(
  async (config, peer): Promise<ScanResult> =>
    scanTarget(`${peer.host}:${peer.port}`, { serverName: config.serverName, timeoutMs: 90_000 }),
);

afterAll(stopAll);

const hex = (codes: readonly number[]) => codes.map((c) => `0x${c.toString(16).padStart(4, '0')}`);

/** The status truth.json gives a certificate, from its notAfter at test time. */
function status(notAfter: string): string {
  const days = Math.floor((Date.parse(notAfter) - Date.now()) / DAY_MS);
  return days < 0 ? 'expired' : days < 14 ? 'expiring' : 'valid';
}

for (const config of MATRIX) {
  const entry = truth.servers.find((s) => s.id === config.id);
  describePeer(config.kind, () => {
    describe(`scan ${config.id} (${config.shows})`, () => {
      if (!entry) {
        test('has its truth collected', () => {
          throw new Error(`truth.json has no entry for ${config.id}: run scripts/matrix/collect.ts`);
        });
        return;
      }
      const t = entry.truth;
      let facts: ScanFacts;
      let result: ScanResult;
      beforeAll(async () => {
        result = await scans(config.id);
        facts = scanFacts(result);
      }, 150_000);

      test(`finds the versions s_client settled: ${t.versions.join(', ')}`, () => {
        expect(result.error).toBeUndefined();
        expect(facts.versions).toEqual(t.versions);
      });

      for (const version of t.versions) {
        test(`finds the ${t.suites[version].length} ${version} suites s_client settled`, () => {
          expect(hex(facts.suites[version] ?? []), `${version} suites`).toEqual(hex(t.suites[version]));
        });
      }

      for (const [version, kind] of Object.entries(t.order)) {
        test(`says whose order decides in ${version}: ${kind}`, () => {
          expect(facts.order[version], `${version} order`).toBe(kind);
        });
        const preference = t.serverPreference[version];
        if (kind === 'server' && preference) {
          test(`lists ${version} suites in the server's order`, () => {
            expect(hex(facts.listed[version] ?? [])).toEqual(hex(preference));
          });
        }
      }

      if (t.versions.includes('TLS 1.2')) {
        test(`finds the TLS 1.2 curves: ${t.tls12Curves.join(', ') || 'none'}`, () => {
          // A curve s_client could not decide (the server took its companion P-256) is not asserted.
          const found = facts.tls12Curves.filter((c) => !t.tls12CurvesUndecided.includes(c));
          expect(found).toEqual([...t.tls12Curves]);
        });
        test(`says which TLS 1.2 curves need the certificate's curve beside them: ${t.tls12CurvesNeedingCompany.join(', ') || 'none'}`, () => {
          const needing = facts.tls12CurvesNeedingCompany.filter((c) => !t.tls12CurvesUndecided.includes(c));
          expect(needing).toEqual([...t.tls12CurvesNeedingCompany]);
        });
        test(`reports the TLS 1.2 DHE parameter size: ${t.tls12DheBits ?? 'no DHE'}`, () => {
          expect(facts.tls12DheBits).toBe(t.tls12DheBits);
        });
      }
      if (t.versions.includes('TLS 1.3')) {
        test(`finds the TLS 1.3 groups: ${t.tls13Groups.join(', ')}`, () => {
          expect(facts.tls13Groups).toEqual([...t.tls13Groups]);
        });
      }

      const described = t.certificates.map(
        (c) => `${c.keyType} ${c.status}${c.selfSigned ? ' self-signed' : ''}, ${c.chainLength} in chain`,
      );
      test(`reports every certificate once, with its whole chain: ${described.join('; ')}`, () => {
        const ours = facts.certificates.map(
          (c) =>
            `${c.keyType} ${status(c.notAfter)}${c.selfSigned ? ' self-signed' : ''}, ${c.chainLength} in chain`,
        );
        expect(ours.sort()).toEqual([...described].sort());
      });
    });
  });
}
