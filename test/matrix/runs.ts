/**
 * Runs one piece of work (a scan, a diagnosis) against every server of the matrix, a few
 * servers at a time, each started with its configuration and stopped when its work is done.
 * The tests then read the results per configuration id, so the servers run concurrently
 * while each test still asserts one thing about one server.
 */
import { peerAvailable } from '../peers/peers.ts';
import type { Peer } from '../peers/types.ts';
import { MATRIX, type MatrixConfiguration, startConfiguration } from './configurations.ts';

/** How many servers run at once (each scan itself runs many probes concurrently). */
const SERVERS_AT_ONCE = 4;

/**
 * A lazy runner: the first `get` starts `work` on every configuration whose server can run
 * here; `get(id)` resolves to that configuration's result (or rejects with its error).
 */
export function matrixRuns<T>(
  work: (config: MatrixConfiguration, peer: Peer) => Promise<T>,
): (id: string) => Promise<T> {
  let runs: Map<string, Promise<T>> | undefined;
  const start = () => {
    const map = new Map<string, Promise<T>>();
    const queue = MATRIX.filter((c) => peerAvailable(c.kind));
    const slots: (() => void)[] = [];
    let active = 0;
    const acquire = async () => {
      if (active >= SERVERS_AT_ONCE) await new Promise<void>((resolve) => slots.push(resolve));
      active++;
    };
    const release = () => {
      active--;
      slots.shift()?.();
    };
    for (const config of queue) {
      const run = (async () => {
        await acquire();
        let peer: Peer | undefined;
        try {
          peer = await startConfiguration(config);
          return await work(config, peer);
        } finally {
          await peer?.stop();
          release();
        }
      })();
      run.catch(() => undefined);
      map.set(config.id, run);
    }
    return map;
  };
  return (id) => {
    runs ??= start();
    const run = runs.get(id);
    if (!run) return Promise.reject(new Error(`matrix: configuration "${id}" did not run here`));
    return run;
  };
}
