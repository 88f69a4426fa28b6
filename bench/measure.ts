/** One timing loop for every benchmark: warm up, then run for at least `minMillis`. */
export interface BenchResult {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly microsecondsPerOp: number;
}

/** Runs `fn` repeatedly for at least `minMillis` after a short warm-up. */
export function measure(name: string, fn: () => void, minMillis: number): BenchResult {
  for (let i = 0; i < 50; i++) fn();
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMillis) {
    fn();
    ops++;
    elapsed = performance.now() - start;
  }
  return { name, opsPerSecond: (ops * 1000) / elapsed, microsecondsPerOp: (elapsed * 1000) / ops };
}

/** One line: area, name, ops/s and µs/op. */
export function formatResult(area: string, r: BenchResult): string {
  return `${area}: ${r.name.padEnd(60)} ${Math.round(r.opsPerSecond).toLocaleString('en-US').padStart(10)} ops/s  ${r.microsecondsPerOp.toFixed(2).padStart(9)} µs/op`;
}
