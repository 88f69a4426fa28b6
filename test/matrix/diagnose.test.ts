/**
 * hellokit diagnose against the server matrix: each configuration of configurations.ts is
 * started again and diagnosed, and the findings are compared with what `openssl s_client`
 * settled about the same configuration (truth.json, written by scripts/matrix/collect.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Diagnosis, Finding } from '../../src/diagnose/index.ts';
import { cipherSuiteInfo, cipherSuiteName } from '../../src/iana/lookup.ts';
import { diagnoseTarget } from '../../src/node/diagnose.ts';
import { describePeer, stopAll } from '../peers/index.ts';
import { MATRIX } from './configurations.ts';
import { matrixRuns } from './runs.ts';
import { readTruth } from './truth.ts';

const truth = readTruth();

const diagnoses = matrixRuns(
  async (config, peer): Promise<Diagnosis> =>
    diagnoseTarget(`${peer.host}:${peer.port}`, { serverName: config.serverName, timeoutMs: 60_000 }),
);

afterAll(stopAll);

/** The three TLS 1.3 groups diagnose offers alone. */
const DIAGNOSED_GROUPS = ['x25519', 'secp256r1', 'secp384r1'];

function only(d: Diagnosis, id: string): Finding {
  const found = d.findings.filter((f) => f.id === id);
  expect(
    found.map((f) => f.id),
    `findings: ${d.findings.map((f) => f.id).join(', ')}`,
  ).toEqual([id]);
  return found[0];
}

const ids = (d: Diagnosis) => d.findings.map((f) => f.id);

for (const config of MATRIX) {
  const entry = truth.servers.find((s) => s.id === config.id);
  describePeer(config.kind, () => {
    describe(`diagnose ${config.id} (${config.shows})`, () => {
      if (!entry) {
        test('has its truth collected', () => {
          throw new Error(`truth.json has no entry for ${config.id}: run scripts/matrix/collect.ts`);
        });
        return;
      }
      const t = entry.truth;
      let d: Diagnosis;
      beforeAll(async () => {
        d = await diagnoses(config.id);
      }, 150_000);

      test('keeps every explanation readable (under 1,000 characters, however many names a certificate has)', () => {
        const long = d.findings.filter((f) => f.explanation.length >= 1000).map((f) => f.id);
        expect(long).toEqual([]);
      });

      test('starts from a hello the server accepts (no handshake_refused, no unreachable)', () => {
        expect(ids(d)).not.toContain('handshake_refused');
        expect(ids(d)).not.toContain('unreachable');
      });

      if (t.sni.without === 'handshake') {
        test('says SNI is optional (s_client without SNI completes)', () => {
          only(d, 'sni_optional');
        });
      } else {
        test(`says SNI is required, with the alert s_client got without it (${t.sni.without})`, () => {
          const alert = only(d, 'sni_required').alert as { description: number } | null;
          expect(alert === null ? 'closed' : `alert ${alert.description}`).toBe(t.sni.without);
        });
      }

      test(`names the versions s_client settled: ${t.versions.join(', ')}`, () => {
        expect(only(d, 'versions').accepted).toEqual(t.versions);
      });

      if (t.versions.includes('TLS 1.3') && !t.versions.includes('TLS 1.2')) {
        test('warns that a client offering only TLS 1.2 is refused, with what it gets', () => {
          const f = only(d, 'versions');
          expect(f.severity).toBe('warning');
          expect(f.explanation).toMatch(/a client offering only TLS 1\.2 gets alert \d+/);
        });
      }

      if (t.versions.includes('TLS 1.2')) {
        const auth = [
          ...new Set(
            t.certificates.flatMap((c) =>
              c.hellos
                .filter((h) => h.startsWith('TLS 1.2 ') && h.endsWith(' SNI'))
                .map((h) => h.split(' ')[2]),
            ),
          ),
        ].sort();
        test(`names the TLS 1.2 authentication the server has: ${auth.join(', ')}`, () => {
          expect([...(only(d, 'tls12_auth').accepted as string[])].sort()).toEqual(auth);
        });
        const tls12Suites = t.suites['TLS 1.2'].map((c) => cipherSuiteName(c));
        if (auth.length === 1) {
          test(`suggests in the tls12_auth fix a TLS 1.2 suite the server takes (${auth[0]} only)`, () => {
            const fix = only(d, 'tls12_auth').fix ?? '';
            const named = fix.match(/TLS_\w+/g) ?? [];
            expect(named.length, fix).toBeGreaterThan(0);
            for (const suite of named) expect(tls12Suites).toContain(suite);
          });
        }
      }

      if (t.versions.includes('TLS 1.2')) {
        // A client without ChaCha20-Poly1305 (FIPS mode) offers AES suites only in TLS 1.2.
        const aes = t.suites['TLS 1.2'].some((c) => (cipherSuiteInfo(c)?.cipher ?? '').includes('AES'));
        test(`says whether a client offering only AES suites is refused in TLS 1.2 (s_client settled ${aes ? 'an AES suite' : 'none'})`, () => {
          const f = only(d, 'tls12_ciphers');
          if (aes) {
            expect(f.explanation).not.toMatch(/only AES suites/);
          } else {
            expect(f.severity).toBe('warning');
            expect(f.explanation).toMatch(
              /a client offering only AES suites, as FIPS-mode builds do, gets alert 40/,
            );
            // The fix names a suite to offer: one s_client settled the server takes.
            const named = f.fix?.match(/TLS_\w+/g) ?? [];
            expect(named.length, f.fix).toBeGreaterThan(0);
            for (const suite of named)
              expect(t.suites['TLS 1.2'].map((c) => cipherSuiteName(c))).toContain(suite);
          }
        });
      }

      if (t.versions.includes('TLS 1.3')) {
        const groups = DIAGNOSED_GROUPS.filter((g) => t.tls13Groups.includes(g));
        test(`names the TLS 1.3 groups among x25519, P-256, P-384: ${groups.join(', ') || 'none'}`, () => {
          expect(only(d, 'tls13_groups').accepted).toEqual(groups);
        });
        // The family of each suite s_client settled, by its cipher (IANA registry).
        const familyOf = (code: number): string => {
          const cipher = cipherSuiteInfo(code)?.cipher ?? '';
          return cipher.includes('GCM')
            ? 'AES-GCM'
            : cipher.includes('CHACHA20')
              ? 'ChaCha20-Poly1305'
              : 'AES-CCM';
        };
        const families = ['AES-GCM', 'ChaCha20-Poly1305', 'AES-CCM'].filter((name) =>
          t.suites['TLS 1.3'].some((c) => familyOf(c) === name),
        );
        test(`names the TLS 1.3 cipher families s_client settled: ${families.join(', ')}`, () => {
          const f = only(d, 'tls13_ciphers');
          expect(f.accepted).toEqual(families);
          expect(f.severity).toBe(families.includes('AES-GCM') ? 'info' : 'warning');
        });
        if (groups.length === 0) {
          test(`names a group the server took instead, one of ${t.tls13Groups.join(', ')}`, () => {
            const others = only(d, 'tls13_groups').others as string[];
            expect(others.length).toBeGreaterThan(0);
            for (const g of others) expect(t.tls13Groups).toContain(g);
          });
        }
      }

      if (t.alpn.unknownOnly === 'ignored') {
        test('says an unknown-only ALPN is ignored (s_client completes without ALPN)', () => {
          expect(only(d, 'alpn').unknownProtocol).toBe('ignored');
        });
      } else {
        test(`says an unknown-only ALPN is refused with ${t.alpn.unknownOnly}, as s_client saw`, () => {
          const f = only(d, 'alpn');
          expect(f.unknownProtocol).not.toBe('ignored');
          expect(`alert ${(f.alert as { description: number } | undefined)?.description}`).toBe(
            t.alpn.unknownOnly,
          );
          expect(f.explanation).not.toMatch(/still connects/);
        });
      }
      test(`says which protocol the server picks from h2, http/1.1: ${t.alpn.chosen ?? 'none'}`, () => {
        expect(only(d, 'alpn').chosen).toBe(t.alpn.chosen);
      });
      const refusedAlone = (['h2', 'http/1.1'] as const).filter(
        (p) => t.alpn.alone[p] !== 'chosen' && t.alpn.alone[p] !== 'ignored',
      );
      test(`names the protocols a client offering only that one is refused for: ${refusedAlone.join(', ') || 'none'}`, () => {
        const f = only(d, 'alpn');
        expect(f.refusedAlone).toEqual(refusedAlone);
        for (const p of refusedAlone) {
          const alert = (f.alerts as Record<string, { description: number } | null>)[p];
          expect(alert === null ? 'closed' : `alert ${alert?.description}`).toBe(t.alpn.alone[p]);
        }
        // A server without http/1.1 refuses most HTTP clients: worth a warning, not an info line.
        if (refusedAlone.includes('http/1.1')) expect(f.severity).toBe('warning');
      });

      if (!t.tls13Intolerant) {
        test('blames no refusal on offering TLS 1.3 (the server is not TLS 1.3-intolerant)', () => {
          const blamed = d.findings.filter((f) => f.id === 'intolerance' && /TLS 1\.3/.test(f.explanation));
          expect(blamed).toEqual([]);
        });
      } else {
        test('names offering TLS 1.3 as what the server refuses', () => {
          expect(only(d, 'intolerance').explanation).toMatch(/offering TLS 1\.3/i);
        });
      }

      if (!t.versions.includes('TLS 1.3') && !t.versions.includes('TLS 1.2')) {
        test(`names the versions a modern hello offers as why it is refused (the server speaks only ${t.versions.join(', ')})`, () => {
          expect(only(d, 'baseline_refused').feature).toBe('versions');
        });
      }

      const expectedCause = config.baselineRefused;
      if (expectedCause) {
        test(`says why the modern hello is refused: ${JSON.stringify(expectedCause)}`, () => {
          expect(only(d, 'baseline_refused')).toMatchObject(expectedCause);
        });
        // The fix names what to offer: a suite or a group the server took, as s_client settled.
        const offer =
          expectedCause.feature === 'cipher_suites'
            ? Object.values(t.suites)
                .flat()
                .map((c) => cipherSuiteName(c))
            : expectedCause.feature === 'groups'
              ? [...t.tls13Groups, ...t.tls12Curves]
              : [];
        if (offer.length > 0) {
          test(`names in its fix what to offer, one of: ${offer.join(', ')}`, () => {
            const fix = only(d, 'baseline_refused').fix ?? '';
            expect(
              offer.some((name) => fix.includes(name)),
              fix,
            ).toBe(true);
          });
        }
      }

      const statuses = new Set(t.certificates.map((c) => c.status));
      const checks: [string, boolean][] = [
        ['cert_expired', statuses.has('expired')],
        ['cert_expiring', statuses.has('expiring')],
        ['cert_self_signed', t.certificates.some((c) => c.selfSigned)],
      ];
      for (const [id, expected] of checks) {
        test(`${expected ? 'reports' : 'does not report'} ${id} (${t.certificates.length} certificate${t.certificates.length === 1 ? '' : 's'}: ${t.certificates.map((c) => `${c.keyType} ${c.status}`).join(', ')})`, () => {
          expect(ids(d).includes(id), `findings: ${ids(d).join(', ')}`).toBe(expected);
        });
      }
    });
  });
}
