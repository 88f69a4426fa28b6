/**
 * `hellokit scan` against sslscan and testssl on the same local nginx, directly and through
 * a loopback TCP proxy that delays every chunk by 25 ms each way (a 50 ms round trip), with
 * the results checked equal. Run: `npm run bench:scan` or `npx vite-node bench/scan.ts`
 * (needs nginx, sslscan, testssl; `--no-testssl` skips the slow one).
 *
 * The direct scan runs twice. The first scan in the process also pays for what a process
 * does once: noble's precomputed curve tables and JIT warm-up. The second shows the scan alone.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { scanTarget } from '../src/node/scan.ts';
import { startPeer, stopAll } from '../test/peers/peers.ts';
import { sslscan, testsslSuites } from '../test/peers/reference-scanners.ts';

/** A loopback proxy to `port` that holds every chunk `delayMs` before passing it on, in order. */
async function delayingProxy(
  port: number,
  delayMs: number,
): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const pipe = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => {
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, delayMs);
    });
    from.on('end', () => setTimeout(() => to.end(), delayMs));
    from.on('error', () => to.destroy());
    from.on('close', () => setTimeout(() => to.destroy(), delayMs + 5));
  };
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('close', () => sockets.delete(s));
    }
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

type SuiteSets = Record<string, number[]>;

let hellokitProbes = '';

async function hellokit(port: number): Promise<SuiteSets> {
  const r = await scanTarget(`127.0.0.1:${port}`, { serverName: 'hellokit.test', concurrency: 32 });
  hellokitProbes = `${r.probes} probes, ${r.retries} retries`;
  const out: SuiteSets = {};
  for (const v of r.versions)
    if (v.supported) out[v.version] = v.cipherSuites.map((s) => s.code).sort((a, b) => a - b);
  return out;
}

/** sslscan's suites per version, keyed as hellokit names versions (`TLS 1.2`), sorted. */
async function sslscanSuites(port: number): Promise<SuiteSets> {
  const { suites } = await sslscan('127.0.0.1', port, 'hellokit.test');
  const out: SuiteSets = {};
  for (const [v, codes] of Object.entries(suites))
    out[v.replace('TLSv', 'TLS ')] = [...codes].sort((a, b) => a - b);
  return out;
}

function union(sets: SuiteSets): number[] {
  return [...new Set(Object.values(sets).flat())].sort((a, b) => a - b);
}

const withTestssl = !process.argv.includes('--no-testssl');
const peer = await startPeer('nginx', { names: ['hellokit.test'], cert: 'both' });
const proxy = await delayingProxy(peer.port, 25);
try {
  for (const [label, port] of [
    ['direct, first in the process', peer.port],
    ['direct, again', peer.port],
    ['proxy +25 ms each way', proxy.port],
  ] as const) {
    const hk = await timed(() => hellokit(port));
    const ss = await timed(() => sslscanSuites(port));
    const same = JSON.stringify(hk.value) === JSON.stringify(ss.value);
    let line = `scan ${label}: hellokit ${(hk.ms / 1000).toFixed(2)} s (${hellokitProbes}), sslscan ${(ss.ms / 1000).toFixed(2)} s, hellokit/sslscan ${(hk.ms / ss.ms).toFixed(2)}, results ${same ? 'equal' : 'DIFFER'}`;
    if (!same) line += `\n  hellokit ${JSON.stringify(hk.value)}\n  sslscan  ${JSON.stringify(ss.value)}`;
    if (withTestssl && label !== 'direct, again') {
      const ts = await timed(() => testsslSuites('127.0.0.1', port));
      const tsSame = JSON.stringify(union(hk.value)) === JSON.stringify(ts.value);
      line += `; testssl ${(ts.ms / 1000).toFixed(2)} s, hellokit/testssl ${(hk.ms / ts.ms).toFixed(2)}, results ${tsSame ? 'equal' : 'DIFFER'}`;
    }
    console.log(line);
  }
} finally {
  await proxy.close();
  await stopAll();
}
