import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseRandom, formatSummary, runFuzz } from '../../src/fuzz/engine.ts';

function readDir(dir: string): Uint8Array[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(dir, f))));
}

const fixtures = join(import.meta.dirname, '../../fixtures');
const inputs = {
  clientHellos: readDir(join(fixtures, 'clients')),
  serverFlights: readDir(join(fixtures, 'servers')),
  sslv2Hellos: readDir(join(fixtures, 'clients', 'sslv2')),
};

describe('decoder fuzzer (the npm run fuzz loop, short and fixed-seed)', () => {
  it('20,000 cases from seed 1: only DecodeError escapes, every strict parse re-encodes byte-identically', () => {
    const summary = runFuzz(inputs, { cases: 20_000, seed: 1, caseTimeLimitMs: 5000 });
    const report = summary.findings.map(
      (f) => `${f.kind} in ${f.decoder} (case ${f.caseIndex}): ${f.message}\n  ${f.origin}\n  ${f.inputHex}`,
    );
    expect(report, formatSummary(summary)).toEqual([]);
    expect(summary.cases).toBe(20_000);
    for (const decoder of [
      'records.strict',
      'deframer',
      'parseClientHello.strict',
      'parseClientHello.lenient',
      'parseServerHello.strict',
      'parseHandshakeMessage.strict',
      'decodeStream.strict',
      'decodeExtensions.strict',
      'decodeAlert',
      'readCapture',
      'captureStreams',
      'captureHandshakes',
      'parseSslv2ClientHello.strict',
    ]) {
      expect(summary.perDecoder[decoder]?.runs, decoder).toBeGreaterThan(0);
    }
    // The inputs reach past the first bytes: some mutated hellos still parse, many do not.
    const ch = summary.perDecoder['parseClientHello.strict'];
    expect(ch.parsed).toBeGreaterThan(0);
    expect(ch.rejected).toBeGreaterThan(0);
    const v2 = summary.perDecoder['parseSslv2ClientHello.strict'];
    expect(v2.parsed).toBeGreaterThan(0);
    expect(v2.rejected).toBeGreaterThan(0);
  });

  it('replays one case alone with the same outcome', () => {
    const one = runFuzz(inputs, { cases: 1, firstCase: 37, seed: 9 });
    const again = runFuzz(inputs, { cases: 1, firstCase: 37, seed: 9 });
    expect(one.cases).toBe(1);
    expect(again.perDecoder).toEqual(one.perDecoder);
    const other = runFuzz(inputs, { cases: 20, firstCase: 100, seed: 9 });
    expect(other.perDecoder).not.toEqual(runFuzz(inputs, { cases: 20, firstCase: 100, seed: 10 }).perDecoder);
    expect(caseRandom(9, 37)()).toBe(caseRandom(9, 37)());
    expect(caseRandom(9, 37)()).not.toBe(caseRandom(9, 38)());
  });

  it('reports a case over the time limit as slow, with its seed and input hex', () => {
    const summary = runFuzz(
      { clientHellos: inputs.clientHellos, serverFlights: inputs.serverFlights },
      {
        cases: 200,
        seed: 3,
        now: (() => {
          let t = 0;
          return () => (t += 1000);
        })(),
        caseTimeLimitMs: 10,
      },
    );
    // A clock that jumps a second per call makes every case "slow": findings carry input and seed.
    expect(summary.findings.length).toBeGreaterThan(0);
    expect(summary.findings[0].kind).toBe('slow');
    expect(summary.findings[0].seed).toBe(3);
    expect(summary.findings[0].inputHex).toMatch(/^[0-9a-f]*$/);
  });
});
