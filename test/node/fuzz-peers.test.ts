/**
 * `hellokit fuzz` against real servers on loopback (openssl s_server and Caddy): every case
 * classified, the table sums to N, the seed fixes the cases, a replay gets the same answer,
 * and a minimized case is no longer than its input and still gets that answer.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fromHex } from '../../src/bytes/hex.ts';
import { outcomeClass } from '../../src/fuzz/cases.ts';
import { sendHelloBytes } from '../../src/node/fuzz-send.ts';
import { cli } from '../cli/run.ts';
import { describePeer, type Peer, startPeer, stopAll } from '../peers/index.ts';

afterAll(stopAll);

const NAME = 'hellokit.test';
const RUNS = 50;
const OUTCOMES = [
  'server_hello',
  'hello_retry_request',
  'alert',
  'closed',
  'reset',
  'timeout',
  'not_tls',
  'connect_failed',
];

interface CaseJson {
  id: string;
  index: number;
  mutator: string;
  description: string;
  length: number;
  outcome: string;
  alert?: { level: number; description: number; name: string };
  outcomeClass: string;
  interesting: boolean;
}

interface RunJson {
  seed: string;
  baseline: CaseJson;
  cases: CaseJson[];
  table: {
    classes: string[];
    rows: { mutator: string; counts: Record<string, number>; total: number }[];
    totals: Record<string, number>;
    total: number;
  };
}

/**
 * The fuzz checks for one server. s_server answers one connection at a time, so a case that
 * leaves it waiting would make the next ones time out: it runs with concurrency 1.
 */
function fuzzSuite(kind: 'openssl' | 'caddy', concurrency: number) {
  let peer: Peer;
  let target: string;
  const flags = () => [
    target,
    '--sni',
    NAME,
    '--seed',
    `${kind}1`,
    '--concurrency',
    String(concurrency),
    '--rate',
    '500/s',
    '--timeout',
    '1s',
  ];
  let first: RunJson;

  beforeAll(async () => {
    peer = await startPeer(kind, { names: [NAME] });
    target = `${peer.host}:${peer.port}`;
    const r = await cli(['fuzz', ...flags(), '--runs', String(RUNS), '--json']);
    expect(r.code, r.stderr).toBe(0);
    first = JSON.parse(r.stdout);
  });

  test('the baseline is the unmutated hello, answered with a ServerHello', () => {
    expect(first.baseline).toMatchObject({ id: `${kind}1-0`, mutator: 'baseline', outcome: 'server_hello' });
  });

  test('every case is classified and the table sums to N', () => {
    expect(first.cases).toHaveLength(RUNS);
    expect(first.cases.map((c) => c.id)).toEqual(Array.from({ length: RUNS }, (_, i) => `${kind}1-${i + 1}`));
    for (const c of first.cases) {
      expect(OUTCOMES).toContain(c.outcome);
      expect(c.outcome).not.toBe('connect_failed');
      if (c.outcome === 'alert') expect(c.outcomeClass).toBe(`alert:${c.alert!.name}`);
      expect(c.interesting).toBe(c.outcomeClass !== first.baseline.outcomeClass);
    }
    expect(first.table.total).toBe(RUNS);
    expect(first.table.rows.reduce((n, r) => n + r.total, 0)).toBe(RUNS);
    expect(Object.values(first.table.totals).reduce((n, v) => n + v, 0)).toBe(RUNS);
    for (const row of first.table.rows)
      expect(Object.values(row.counts).reduce((n, v) => n + v, 0)).toBe(row.total);
    // mutated hellos draw at least two different answers from a real server
    expect(first.table.classes.length).toBeGreaterThan(1);
    expect(first.cases.some((c) => c.interesting)).toBe(true);
  });

  test('the same seed gives the same cases and mutations', async () => {
    // each case depends on the seed and its index only, so a shorter run repeats a prefix
    const again = await cli(['fuzz', ...flags(), '--runs', '20', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const view = (cases: CaseJson[]) =>
      cases.map(({ id, mutator, description, length }) => ({ id, mutator, description, length }));
    expect(view((JSON.parse(again.stdout) as RunJson).cases)).toEqual(view(first.cases.slice(0, 20)));
  });

  test('--replay of a case gets the same outcome class', async () => {
    // one case of each class, answers before silences (a timeout costs the whole limit)
    const picked = new Map<string, CaseJson>();
    for (const c of first.cases) if (!picked.has(c.outcomeClass)) picked.set(c.outcomeClass, c);
    const cases = [...picked.values()].sort(
      (a, b) => Number(a.outcome === 'timeout') - Number(b.outcome === 'timeout'),
    );
    for (const c of cases.slice(0, 4)) {
      const r = await cli(['fuzz', ...flags(), '--replay', c.id, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const replayed = JSON.parse(r.stdout);
      expect(replayed.case).toMatchObject({ id: c.id, mutator: c.mutator, description: c.description });
      expect(replayed.case.outcomeClass, `${c.id} ${c.mutator}: ${c.description}`).toBe(c.outcomeClass);
      expect(replayed.result.outcome).toBe(c.outcome);
    }
  });

  test('--minimize returns bytes no longer than the case that still get its answer', async () => {
    const interesting = first.cases.find((c) => c.interesting && c.outcome !== 'timeout');
    expect(interesting, 'no interesting case to minimize').toBeDefined();
    const r = await cli(['fuzz', ...flags(), '--replay', interesting!.id, '--minimize', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { case: c, minimized } = JSON.parse(r.stdout);
    expect(minimized).not.toBeNull();
    expect(minimized.outcomeClass).toBe(c.outcomeClass);
    expect(minimized.length).toBeLessThanOrEqual(c.length);
    expect(minimized.length).toBe(fromHex(minimized.bytes).length);
    const answer = await sendHelloBytes(target, fromHex(minimized.bytes), {
      timeoutMs: 1000,
      ...(minimized.writes ? { writes: minimized.writes } : {}),
    });
    expect(outcomeClass(answer)).toBe(c.outcomeClass);
  });

  test('a run with --minimize prints the table and the minimal bytes', async () => {
    const r = await cli(['fuzz', ...flags(), '--runs', '8', '--minimize']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^baseline \S+-0 \(\d+ bytes, unmutated\): server_hello/m);
    expect(r.stdout).toMatch(/^mutator +.* total$/m);
    expect(r.stdout).toMatch(/^total +.* 8$/m);
    expect(r.stdout).toMatch(/^(minimized \S+ \(.+\): \d+ → \d+ bytes|nothing to minimize)/m);
  });
}

describePeer('openssl', () => fuzzSuite('openssl', 1));
describePeer('caddy', () => fuzzSuite('caddy', 4));
