/**
 * `npm run bench:startup-phases`: where a `hellokit probe` process spends its time, each phase
 * measured cold in fresh processes (medians, runs interleaved): Node's own start, loading the
 * bin's probe bundle, the first key shares (x25519 and secp256r1, the default hello's), the
 * first handshake against a Node TLS 1.3 server on 127.0.0.1 (x25519, HKDF, AES-GCM and the
 * transcript hash all running for the first time), and the same work once warm. Node's native
 * crypto (OpenSSL) doing the key shares is printed beside, as the floor pure-JS crypto is held
 * against. Needs `npm run build` first (it loads dist/).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const url = (p: string) => pathToFileURL(join(root, p)).href;
const runs = Number(process.argv[2] ?? 11);

/** Each child prints one JSON object of phase → ms; every phase in it runs for the first time. */
const children = {
  boot: `console.log(JSON.stringify({ 'node start (to first line of user code)': performance.now() }))`,
  bundle: `const t = performance.now(); await import(${JSON.stringify(url('dist/cli-bundle/commands/probe.js'))});
console.log(JSON.stringify({ 'load the bin\\'s probe bundle': performance.now() - t }))`,
  crypto: `const ks = await import(${JSON.stringify(url('dist/crypto/key-share.js'))});
const { probe } = await import(${JSON.stringify(url('dist/node/probe.js'))});
const native = await import('node:crypto');
const out = {};
const time = (name, f) => { const t = performance.now(); const r = f(); out[name] = performance.now() - t; return r; };
time('first x25519 key share (noble)', () => ks.generateKeyShare(0x1d));
time('first secp256r1 key share (noble)', () => ks.generateKeyShare(0x17));
time('  warm: both again', () => { ks.generateKeyShare(0x1d); ks.generateKeyShare(0x17); });
let t = performance.now();
const first = await probe(process.env.TARGET, { serverName: 'startup.test' });
out['first probe(): connect, handshake, decrypt, certificate'] = performance.now() - t;
if (first.outcome !== 'server_hello' || !first.finishedVerified) throw new Error('the probe did not complete: ' + first.conclusion);
t = performance.now();
await probe(process.env.TARGET, { serverName: 'startup.test' });
out['  warm: a second probe()'] = performance.now() - t;
console.log(JSON.stringify(out));`,
  native: `const c = await import('node:crypto');
const out = {};
let t = performance.now();
c.generateKeyPairSync('x25519');
const ecdh = c.createECDH('prime256v1'); ecdh.generateKeys();
out['  native: both key shares (node:crypto)'] = performance.now() - t;
console.log(JSON.stringify(out));`,
} as const;

function child(code: string, target: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', code], {
      env: { ...process.env, TARGET: target },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    p.stdout.on('data', (d) => {
      text += d;
    });
    p.on('error', reject);
    p.on('exit', (status) =>
      status === 0 ? resolve(JSON.parse(text)) : reject(new Error(`a phase child exited ${status}`)),
    );
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  for (const f of ['dist/cli-bundle/commands/probe.js', 'dist/node/probe.js'])
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'hellokit-phases-'));
  const key = join(dir, 'k.pem');
  const cert = join(dir, 'c.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key]
      .concat(['-out', cert, '-days', '2', '-subj', '/CN=startup.test'])
      .concat(['-addext', 'subjectAltName=DNS:startup.test']),
    { stdio: 'ignore' },
  );
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = `127.0.0.1:${(server.address() as { port: number }).port}`;
  const times = new Map<string, number[]>();
  try {
    for (let i = 0; i < runs; i++)
      for (const code of Object.values(children))
        for (const [phase, ms] of Object.entries(await child(code, target)))
          times.set(phase, [...(times.get(phase) ?? []), ms]);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`probe start-up by phase, each cold in a fresh process, median of ${runs} (ms)`);
  for (const [phase, ms] of times) console.log(`  ${median(ms).toFixed(1).padStart(7)}  ${phase}`);
  const floor = median(times.get('node start (to first line of user code)') ?? []);
  console.log(`  a whole probe process within 2.5 × Node's start: ${(2.5 * floor).toFixed(0)} ms`);
}

await main();
