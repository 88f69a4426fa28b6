/**
 * Fuzz cases without sockets: case derivation from the seed, case ids, the table, the shrink
 * view, delta debugging over a send function, and the pacer's bounds.
 */
import { describe, expect, test } from 'vitest';
import { clientHello } from '../../src/builder/client-hello.ts';
import { toHex } from '../../src/bytes/hex.ts';
import {
  type FuzzCase,
  type FuzzCaseResult,
  fuzzCase,
  fuzzCaseResult,
  fuzzMutators,
  fuzzTable,
  parseFuzzCaseId,
} from '../../src/fuzz/cases.ts';
import { minimizeCase, shrinkView } from '../../src/fuzz/minimize.ts';
import { createPacer } from '../../src/fuzz/pacer.ts';
import { runFuzzCases } from '../../src/fuzz/run.ts';
import { encodeClientHello } from '../../src/handshake/client-hello.ts';
import type { ProbeResult } from '../../src/probe/types.ts';

const hello = clientHello({ serverName: 'hellokit.test', seed: 'unit' });

describe('fuzz cases', () => {
  test('the same seed and index give the same mutation, whatever else ran', () => {
    const a = Array.from({ length: 30 }, (_, i) => fuzzCase(hello, 'unit', i + 1));
    const b = Array.from({ length: 30 }, (_, i) =>
      fuzzCase(clientHello({ serverName: 'hellokit.test', seed: 'unit' }), 'unit', 30 - i),
    ).reverse();
    expect(b.map((c) => [c.id, c.mutator, c.description])).toEqual(
      a.map((c) => [c.id, c.mutator, c.description]),
    );
    expect(b.map((c) => toHex(c.bytes))).toEqual(a.map((c) => toHex(c.bytes)));
    const other = Array.from({ length: 30 }, (_, i) => fuzzCase(hello, 'other', i + 1));
    expect(other.map((c) => c.description)).not.toEqual(a.map((c) => c.description));
  });

  test('index 0 is the unmutated hello', () => {
    const c = fuzzCase(hello, 'unit', 0);
    expect(c).toMatchObject({ id: 'unit-0', mutator: 'baseline' });
    expect(c.bytes).toEqual(encodeClientHello(hello));
  });

  test('--mutators restricts the draw', () => {
    const only = fuzzMutators(hello, ['truncate', 'record-type']);
    const cases = Array.from({ length: 20 }, (_, i) => fuzzCase(hello, 'unit', i + 1, only));
    expect(new Set(cases.map((c) => c.mutator))).toEqual(new Set(['truncate', 'record-type']));
    expect(() => fuzzMutators(hello, ['no-such'])).toThrow(RangeError);
  });

  test('case ids are SEED-INDEX, the index after the last dash', () => {
    expect(parseFuzzCaseId('s1-17')).toEqual({ seed: 's1', index: 17 });
    expect(parseFuzzCaseId('a-b-3')).toEqual({ seed: 'a-b', index: 3 });
    for (const bad of ['17', '-17', 's1-', 's1-x', 's1-1000001'])
      expect(() => parseFuzzCaseId(bad)).toThrow(RangeError);
  });

  test('the table counts mutator × outcome class and sums to the cases', () => {
    const c = (mutator: string, outcomeClass: string): FuzzCaseResult => ({
      id: 'x-1',
      index: 1,
      mutator,
      description: '',
      length: 1,
      outcome: 'alert',
      outcomeClass,
      interesting: false,
      violations: [],
      totalMs: 1,
    });
    const t = fuzzTable([
      c('truncate', 'timeout'),
      c('truncate', 'timeout'),
      c('flip-bytes', 'alert:decode_error'),
    ]);
    expect(t.total).toBe(3);
    expect(t.classes).toEqual(['alert:decode_error', 'timeout']);
    expect(t.rows).toEqual([
      { mutator: 'truncate', counts: { timeout: 2 }, total: 2 },
      { mutator: 'flip-bytes', counts: { 'alert:decode_error': 1 }, total: 1 },
    ]);
    expect(t.totals).toEqual({ timeout: 2, 'alert:decode_error': 1 });
  });
});

describe('shrink view', () => {
  test('a well-framed hello shrinks inside its handshake message, lengths recomputed', () => {
    const bytes = encodeClientHello(hello);
    const view = shrinkView(bytes);
    expect(view.framing).toBe('records+handshake');
    expect(view.rebuild(view.unit)).toEqual(bytes);
    expect(Array.from(view.rebuild(Uint8Array.of(7, 8)))).toEqual([22, 3, 1, 0, 6, 1, 0, 0, 2, 7, 8]);
  });

  test('a message over several records keeps the record sizes that still fit', () => {
    const bytes = encodeClientHello(clientHello({ seed: 'unit', fragment: 3 }));
    const view = shrinkView(bytes);
    expect(view.framing).toBe('records+handshake');
    expect(view.rebuild(view.unit)).toEqual(bytes);
    const small = view.rebuild(view.unit.subarray(0, 10));
    expect(small[0]).toBe(22);
    expect((small[3] << 8) | small[4]).toBe(14);
  });

  test('a wrong handshake length shrinks the record payload; broken records shrink as bytes', () => {
    const message = encodeClientHello(hello).slice();
    message[7] ^= 1; // handshake length no longer matches
    expect(shrinkView(message).framing).toBe('records');
    expect(shrinkView(message.subarray(0, 40)).framing).toBe('bytes');
  });
});

describe('pacer', () => {
  test('never runs more than `concurrency` tasks at once', async () => {
    const pace = createPacer(3, 10_000);
    let active = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        pace(async () => {
          active++;
          most = Math.max(most, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(most).toBe(3);
  });

  test('spaces starts by 1/rate', async () => {
    const pace = createPacer(10, 50);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => pace(async () => starts.push(performance.now()))));
    expect(starts[5] - starts[0]).toBeGreaterThanOrEqual(5 * 20 - 5);
  });
});

describe('minimizing over a send function', () => {
  /** A fatal decode_error alert exactly when the bytes still hold `needle`, else a ServerHello. */
  const answer =
    (needle: Uint8Array) =>
    async (c: FuzzCase): Promise<FuzzCaseResult> => {
      const hit = toHex(c.bytes).includes(toHex(needle));
      // Only the fields fuzzCaseResult reads of a probe result.
      const result = {
        outcome: hit ? 'alert' : 'server_hello',
        ...(hit ? { alert: { level: 2, description: 50, name: 'decode_error' } } : {}),
        violations: [],
        timings: { totalMs: 0 },
      } as unknown as ProbeResult;
      return fuzzCaseResult(c, result);
    };

  test('shrinks raw bytes to the bytes the answer depends on', async () => {
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => i);
    const c: FuzzCase = { id: 'unit-1', index: 1, mutator: 'x', description: '', bytes };
    const m = await minimizeCase(c, 'alert:decode_error', answer(Uint8Array.of(20, 21, 22)), {
      ratePerSecond: 1e6,
    });
    expect(m.framing).toBe('bytes');
    expect(Array.from(m.bytes)).toEqual([20, 21, 22]);
    expect(m.complete).toBe(true);
    expect(m.result.outcomeClass).toBe('alert:decode_error');
    expect(m.originalLength).toBe(64);
  });

  test('stops at maxProbes and says the shrinking is incomplete', async () => {
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => i);
    const c: FuzzCase = { id: 'unit-1', index: 1, mutator: 'x', description: '', bytes };
    const m = await minimizeCase(c, 'alert:decode_error', answer(Uint8Array.of(5)), {
      maxProbes: 3,
      ratePerSecond: 1e6,
    });
    expect(m.complete).toBe(false);
    expect(m.probes).toBeLessThanOrEqual(4);
    expect(toHex(m.bytes)).toContain('05');
  });

  test('a well-framed hello keeps its record and handshake lengths while it shrinks', async () => {
    const c = fuzzCase(hello, 'unit', 0);
    const sni = new TextEncoder().encode('hellokit.test');
    const m = await minimizeCase(c, 'alert:decode_error', answer(sni), { ratePerSecond: 1e6 });
    expect(m.framing).toBe('records+handshake');
    expect(m.bytes.length).toBe(5 + 4 + sni.length);
    expect((m.bytes[3] << 8) | m.bytes[4]).toBe(4 + sni.length);
    expect(toHex(m.bytes.subarray(9))).toBe(toHex(sni));
  });
});

describe('a fuzz run over a send function', () => {
  const result = (outcome: string) =>
    ({ outcome, violations: [], timings: { totalMs: 0 }, conclusion: outcome }) as unknown as ProbeResult;
  const target = { host: 'in-memory', port: 0 };

  test('sends the baseline and every case once, and the table counts them all', async () => {
    const sent: string[] = [];
    const send = async (c: FuzzCase) => {
      sent.push(c.id);
      return result(c.index === 0 || c.mutator === 'truncate' ? 'server_hello' : 'closed');
    };
    const report = await runFuzzCases(send, target, {
      hello,
      seed: 'unit',
      runs: 25,
      ratePerSecond: 1e6,
    });
    expect(sent.sort()).toEqual(Array.from({ length: 26 }, (_, i) => `unit-${i}`).sort());
    expect(report.cases.map((c) => c.id)).toEqual(Array.from({ length: 25 }, (_, i) => `unit-${i + 1}`));
    expect(report.table.total).toBe(25);
    for (const c of report.cases) expect(c.interesting).toBe(c.outcomeClass !== 'server_hello');
  });

  test('stops after the baseline when nothing could be reached', async () => {
    let calls = 0;
    const report = await runFuzzCases(
      async () => {
        calls++;
        return result('connect_failed');
      },
      target,
      { hello, seed: 'unit', runs: 10, ratePerSecond: 1e6 },
    );
    expect(calls).toBe(1);
    expect(report.cases).toEqual([]);
    expect(report.baseline.outcomeClass).toBe('connect_failed');
  });
});
