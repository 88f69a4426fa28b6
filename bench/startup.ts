/**
 * `npm run bench:startup`: the wall time of whole `hellokit` processes against `node -e ''`
 * measured in the same run (medians, runs interleaved so machine noise hits all alike).
 * `probe` talks to a Node TLS 1.3 server on 127.0.0.1 started by this script; `decode`
 * reads a real Chromium ClientHello. Needs `npm run build` first (it runs dist/cli/main.js).
 *
 * Aims (issue: fast start): probe within 2.5× of `node -e ''`, decode within 1.6×.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The `bin` (the bundled CLI) and, for comparison, the CLI as tsc writes it. */
const cli = join(root, 'dist/cli-bundle/main.js');
const unbundled = join(root, 'dist/cli/main.js');
const runs = Number(process.argv[2] ?? 15);

function run(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) reject(new Error(`node ${args.join(' ')} exited ${code}`));
      else resolve(performance.now() - start);
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  if (!existsSync(cli) || !existsSync(unbundled))
    throw new Error('dist/cli-bundle/main.js or dist/cli/main.js is missing: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-startup-'));
  const key = join(dir, 'k.pem');
  const cert = join(dir, 'c.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=startup.test',
      '-addext',
      'subjectAltName=DNS:startup.test',
    ],
    { stdio: 'ignore' },
  );
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const hello = join(root, 'fixtures/clients/chromium-sni-1.bin');
  const cases: [string, string[]][] = [
    ["node -e ''", ['-e', '']],
    ['hellokit decode', [cli, 'decode', hello]],
    ['hellokit probe', [cli, 'probe', `127.0.0.1:${port}`, '--sni', 'startup.test']],
    ['  decode, unbundled', [unbundled, 'decode', hello]],
    ['  probe, unbundled', [unbundled, 'probe', `127.0.0.1:${port}`, '--sni', 'startup.test']],
  ];
  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  try {
    for (const [, args] of cases) await run(args); // warm the file cache
    for (let i = 0; i < runs; i++) for (const [name, args] of cases) times.get(name)?.push(await run(args));
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const floor = median(times.get("node -e ''") ?? []);
  const aims: Record<string, number> = { 'hellokit decode': 1.6, 'hellokit probe': 2.5 };
  console.log(`start-up, median of ${runs} runs each (interleaved)`);
  for (const [name] of cases) {
    const m = median(times.get(name) ?? []);
    const aim = aims[name];
    const ratio = m / floor;
    const verdict =
      name === "node -e ''"
        ? '(floor)'
        : aim === undefined
          ? `${ratio.toFixed(2)}× node -e ''`
          : `${ratio.toFixed(2)}× node -e '' (aim ≤ ${aim}×: ${ratio <= aim ? 'met' : 'not met'})`;
    console.log(`  ${name.padEnd(20)} ${m.toFixed(1).padStart(7)} ms  ${verdict}`);
  }
}

await main();
