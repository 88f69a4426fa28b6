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
