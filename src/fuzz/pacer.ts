/**
 * The fuzzer's bounds on the target: at most `concurrency` connections at once, and starts
 * spaced at least `1000 / ratePerSecond` ms apart. Platform-neutral: the global `performance`
 * clock and `setTimeout` are in every runtime hellokit supports.
 */

/** Runs tasks within the bounds; each call waits for a slot and its start time. */
export type Pacer = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A pacer for `concurrency` tasks at once and `ratePerSecond` starts a second.
 * @example
 * const pace = createPacer(4, 50);
 * const results = await Promise.all(cases.map((c) => pace(() => send(c))));
 * @throws {RangeError} when a bound is not a positive number
 */
export function createPacer(concurrency: number, ratePerSecond: number): Pacer {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`"concurrency" expected a positive integer, got ${concurrency}`);
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0)
    throw new RangeError(`"ratePerSecond" expected a positive number, got ${ratePerSecond}`);
  const interval = 1000 / ratePerSecond;
  let active = 0;
  let nextStart = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    // The slot passes straight to the next waiter, so `active` never overshoots.
    if (next) next();
    else active--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < concurrency) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      const now = performance.now();
      const start = Math.max(now, nextStart);
      nextStart = start + interval;
      if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
      return await task();
    } finally {
      release();
    }
  };
}
