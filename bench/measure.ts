/**
 * One timing loop for every benchmark. Operations run in batches long enough (≥ 1 ms) that
 * reading the clock (about 0.05–0.1 µs a call here) does not count as work: a sub-microsecond
 * operation timed one call at a time measures mostly `performance.now()`. The figure is the
 * median of the batches' per-operation times, so one descheduled batch on a noisy machine
 * moves it little.
 */
export interface BenchResult {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly microsecondsPerOp: number;
}

const BATCH_MILLIS = 1;
const MAX_BATCH = 1 << 20;
const WARM_UP_MILLIS = 1000;

/** Runs `fn` in timed batches for at least `minMillis` after a warm-up. */
export function measure(name: string, fn: () => void, minMillis: number): BenchResult {
  // Warm up for a while, not a count: V8 re-optimises a hot decode several times over its
  // first few hundred milliseconds, and the steady state is what a long-running user sees.
  const warm = performance.now();
  for (let i = 0; i < 50 || performance.now() - warm < WARM_UP_MILLIS; i++) fn();
  let batch = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    if (performance.now() - t >= BATCH_MILLIS || batch >= MAX_BATCH) break;
    batch *= 2;
  }
  const perOp: number[] = [];
  const start = performance.now();
  while (perOp.length < 5 || performance.now() - start < minMillis) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    perOp.push((performance.now() - t) / batch);
  }
  perOp.sort((a, b) => a - b);
  const millis = perOp[perOp.length >> 1];
  return { name, opsPerSecond: 1000 / millis, microsecondsPerOp: millis * 1000 };
}

/** One line: area, name, ops/s and µs/op. */
export function formatResult(area: string, r: BenchResult): string {
  return `${area}: ${r.name.padEnd(60)} ${Math.round(r.opsPerSecond).toLocaleString('en-US').padStart(10)} ops/s  ${r.microsecondsPerOp.toFixed(2).padStart(9)} µs/op`;
}

/** Batch size that makes one batch of `fn` last at least {@link BATCH_MILLIS}. */
function batchSize(fn: () => void): number {
  let batch = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    if (performance.now() - t >= BATCH_MILLIS || batch >= MAX_BATCH) return batch;
    batch *= 2;
  }
}

function median(values: number[]): number {
  return values.sort((p, q) => p - q)[values.length >> 1];
}

function result(name: string, millisPerOp: number): BenchResult {
  return { name, opsPerSecond: 1000 / millisPerOp, microsecondsPerOp: millisPerOp * 1000 };
}

/** Two measurements taken in alternating batches, and the median of their per-pair ratios. */
export interface PairedResult {
  readonly floor: BenchResult;
  readonly result: BenchResult;
  /** Median over the pairs of (result µs/op) / (floor µs/op). */
  readonly ratio: number;
}

/**
 * Measures `fn` against `floor` in alternating batches, so both see the same load: on a
 * shared machine the load changes from second to second, and two figures taken one after
 * the other can be off by 2x in either direction; the ratio of neighbouring batches is not.
 */
export function measureAgainst(
  floorName: string,
  floor: () => void,
  name: string,
  fn: () => void,
  minMillis: number,
): PairedResult {
  const warm = performance.now();
  for (let i = 0; i < 50 || performance.now() - warm < WARM_UP_MILLIS; i++) {
    floor();
    fn();
  }
  const floorBatch = batchSize(floor);
  const batch = batchSize(fn);
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  const start = performance.now();
  while (a.length < 5 || performance.now() - start < minMillis) {
    let t = performance.now();
    for (let i = 0; i < floorBatch; i++) floor();
    const x = (performance.now() - t) / floorBatch;
    t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    const y = (performance.now() - t) / batch;
    a.push(x);
    b.push(y);
    ratios.push(y / x);
  }
  return { floor: result(floorName, median(a)), result: result(name, median(b)), ratio: median(ratios) };
}

/**
 * Measures a synchronous `fn` against an asynchronous `peer` in alternating batches (as
 * {@link measureAgainst}); the ratio is the median over the pairs of (peer µs/op) / (fn µs/op),
 * how many times faster `fn` is.
 */
export async function measurePeer(
  name: string,
  fn: () => void,
  peerName: string,
  peer: () => Promise<unknown>,
  minMillis: number,
): Promise<{ result: BenchResult; peer: BenchResult; speedup: number }> {
  const warm = performance.now();
  for (let i = 0; i < 50 || performance.now() - warm < WARM_UP_MILLIS; i++) {
    fn();
    await peer();
  }
  const batch = batchSize(fn);
  let peerBatch = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < peerBatch; i++) await peer();
    if (performance.now() - t >= BATCH_MILLIS || peerBatch >= MAX_BATCH) break;
    peerBatch *= 2;
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  const ratios: number[] = [];
  const start = performance.now();
  while (ours.length < 5 || performance.now() - start < minMillis) {
    let t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    const x = (performance.now() - t) / batch;
    t = performance.now();
    for (let i = 0; i < peerBatch; i++) await peer();
    const y = (performance.now() - t) / peerBatch;
    ours.push(x);
    theirs.push(y);
    ratios.push(y / x);
  }
  return {
    result: result(name, median(ours)),
    peer: result(peerName, median(theirs)),
    speedup: median(ratios),
  };
}
