/**
 * The catalogue against real servers: every case × every harness peer, compared with
 * expected.json. With HELLOKIT_CATALOGUE_UPDATE=1 the run rewrites expected.json and
 * docs/catalogue.md from what the servers answered instead.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CATALOGUE } from '../../src/catalogue/cases.ts';
import { type Peer, type PeerKind, peerAvailable, startPeer, stopAll } from '../peers/index.ts';
import { missingReason } from '../peers/peers.ts';
import {
  differences,
  type ExpectedFile,
  expectedFile,
  formatExpected,
  renderDoc,
  UPDATE_COMMAND,
} from './report.ts';
import { CATALOGUE_PEERS, type Observations, runCatalogue } from './runner.ts';

const EXPECTED_PATH = fileURLToPath(new URL('./expected.json', import.meta.url));
const DOC_PATH = fileURLToPath(new URL('../../docs/catalogue.md', import.meta.url));
const UPDATE = process.env.HELLOKIT_CATALOGUE_UPDATE === '1';
/** Runs per case and server when updating: enough to catch closed/reset races. */
const UPDATE_REPEATS = Number(process.env.HELLOKIT_CATALOGUE_REPEATS ?? 3);

const missing = CATALOGUE_PEERS.filter((k) => !peerAvailable(k));

function readExpected(): ExpectedFile {
  return JSON.parse(readFileSync(EXPECTED_PATH, 'utf8')) as ExpectedFile;
}

afterAll(stopAll);

if (missing.length > 0 && !process.env.CI) {
  const reasons = missing.map((k) => `${k}: ${missingReason(k)}`).join('; ');
  console.warn(`[hellokit] skipping the ClientHello catalogue: ${reasons}`);
  describe.skip(`ClientHello catalogue (skipped: ${reasons})`, () => {
    test('runs', () => {});
  });
} else {
  describe('ClientHello catalogue against every harness peer', () => {
    let observations: Observations = {};
    const servers: Partial<Record<PeerKind, string>> = {};

    beforeAll(async () => {
      if (missing.length > 0) return;
      const peers: Peer[] = await Promise.all(CATALOGUE_PEERS.map((k) => startPeer(k)));
      for (const p of peers) servers[p.kind] = p.software;
      try {
        observations = await runCatalogue(peers, CATALOGUE, { repeats: UPDATE ? UPDATE_REPEATS : 1 });
      } finally {
        await Promise.all(peers.map((p) => p.stop()));
      }
      if (UPDATE) {
        writeFileSync(EXPECTED_PATH, formatExpected(expectedFile(observations, servers, UPDATE_REPEATS)));
        writeFileSync(DOC_PATH, renderDoc(CATALOGUE, observations, servers, UPDATE_REPEATS));
      }
    }, 180_000);

    test('every peer is available (a catalogue run that skips a server is a failure in CI)', () => {
      expect(missing.map((k) => `${k}: ${missingReason(k)}`)).toEqual([]);
    });

    test('expected.json lists exactly the catalogue cases and servers', () => {
      expect(existsSync(EXPECTED_PATH), `no expected.json; run ${UPDATE_COMMAND}`).toBe(true);
      const expected = readExpected();
      expect(Object.keys(expected.cases)).toEqual(CATALOGUE.map((c) => c.id));
      for (const c of CATALOGUE)
        expect(Object.keys(expected.cases[c.id]).sort(), c.id).toEqual([...CATALOGUE_PEERS].sort());
    });

    test.each(CATALOGUE.map((c) => [c.id, c] as const))('%s: every server answers as recorded', (id) => {
      const expected = readExpected();
      const seen = observations[id] ?? {};
      for (const kind of CATALOGUE_PEERS)
        expect(seen[kind]?.length ?? 0, `${id} was not sent to ${kind}`).toBeGreaterThan(0);
      expect(differences(id, expected.cases[id], seen, servers)).toEqual([]);
    });
  });
}
