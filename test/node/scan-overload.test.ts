import { afterAll, expect, test } from 'vitest';
import { scanTarget } from '../../src/node/scan.ts';
import type { ScanResult } from '../../src/scan/scan.ts';
import { describePeer, startPeer, stopAll } from '../peers/index.ts';

afterAll(stopAll);

const found = (r: ScanResult) =>
  r.versions.map((v) => ({
    version: v.version,
    supported: v.supported,
    suites: v.cipherSuites.map((s) => s.code).sort((a, b) => a - b),
    groups: [...v.groups].sort(),
  }));

describePeer('nginx', () => {
  test('a scan with more probes at once than the server has connections finds the same as a gentle one', async () => {
    // The harness's nginx has worker_connections 64: it drops the connections past that
    // without a byte. Those are retried, not taken for refusals.
    const peer = await startPeer('nginx', { names: ['hellokit.test'] });
    const target = `${peer.host}:${peer.port}`;
    const gentle = await scanTarget(target, { serverName: 'hellokit.test', concurrency: 8 });
    // Two crowded scans at once: one alone seldom has more than 64 probes in flight.
    const crowded = await Promise.all(
      [1, 2].map(() => scanTarget(target, { serverName: 'hellokit.test', concurrency: 150 })),
    );
    expect(crowded[0].retries + crowded[1].retries).toBeGreaterThan(0);
    for (const r of crowded) {
      expect(r.transientFailures).toBe(0);
      expect(found(r)).toEqual(found(gentle));
    }
    expect(found(gentle).find((v) => v.version === 'TLS 1.3')?.suites).toEqual([0x1301, 0x1302, 0x1303]);
    await peer.stop();
  }, 120_000);
});
