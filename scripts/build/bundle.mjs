// Bundles the CLI (the package's bin) into dist/cli-bundle/: main.js (argument dispatch and
// help) and one self-contained file per command in commands/, imported only when that command
// runs. A `hellokit` process so loads two modules: Node's ESM loader costs about 1.5 ms per
// module file, which with esbuild's shared chunks (18 of them for decode) was a quarter of
// decode's start-up (docs/performance.md). Code shared by several commands is repeated in
// each of their files; the library stays as tsc writes it.
import { readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { buildBrowserBundle } from './browser-bundle.mjs';

const outdir = 'dist/cli-bundle';
rmSync(outdir, { recursive: true, force: true });

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The certificate maker for serve and the demo is loaded from node_modules as Node would load
  // it (its ESM build, after its Reflect polyfill), not bundled in its CommonJS form.
  external: ['@peculiar/x509', 'reflect-metadata'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/** src/cli/commands/index.ts imports each command as `./NAME.ts`: in the bundle that is commands/NAME.js. */
const commandsApart = {
  name: 'commands-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/[\w-]+\.ts$/ }, (args) =>
      args.kind === 'dynamic-import' && /[\\/]src[\\/]cli[\\/]commands[\\/]index\.ts$/.test(args.importer)
        ? { path: `./commands/${args.path.slice(2, -3)}.js`, external: true }
        : undefined,
    );
  },
};

/**
 * In the bin, fingerprints hash their texts with Node's crypto (src/node/native-hex-digests.ts):
 * digest.ts's import of hex-digests.ts (noble) is redirected. A JA3 or JA4 text is hashed
 * several times faster so, which `hellokit pcap` does up to five times a handshake when its
 * memo misses. The library keeps noble.
 */
const nativeDigests = {
  name: 'native-digests',
  setup(b) {
    b.onResolve({ filter: /^\.\/hex-digests\.ts$/ }, (args) =>
      args.importer.replaceAll('\\', '/').endsWith('/src/fingerprint/digest.ts')
        ? { path: new URL('../../src/node/native-hex-digests.ts', import.meta.url).pathname }
        : undefined,
    );
  },
};

await build({ ...common, entryPoints: { main: 'src/cli/main.ts' }, outdir, plugins: [commandsApart] });
// The pcap command's worker threads run a script of their own (src/cli/commands/pcap-batch.ts finds it).
await build({
  ...common,
  entryPoints: { 'pcap-worker': 'src/cli/pcap-worker.ts' },
  outdir,
  plugins: [nativeDigests],
});

const commands = readdirSync('src/cli/commands')
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -3));
/**
 * In the bin, the crypto a probe runs once per process is Node's (OpenSSL): the key shares'
 * X25519 and NIST curves (src/node/native-curves.ts), and the TLS 1.3 key schedule's hashes, the
 * record AEADs, AES-CCM's block modes and QUIC header protection (src/node/native-symmetric.ts).
 * noble's first run of each, and the AES tables its module builds when it loads, cost a probe
 * more than all the rest of its work (docs/performance.md). Only the imports of the modules
 * named here are redirected; the library, and everything else in the bin, keeps noble.
 */
const NATIVE = [
  {
    importer: 'src/crypto/key-share.ts',
    from: /^@noble\/curves\/(ed25519|nist)\.js$/,
    to: 'native-curves.ts',
  },
  {
    importer: 'src/crypto/key-schedule.ts',
    from: /^@noble\/hashes\/(hkdf|hmac|sha2)\.js$/,
    to: 'native-symmetric.ts',
  },
  {
    importer: 'src/crypto/record-protection.ts',
    from: /^@noble\/ciphers\/(aes|chacha)\.js$/,
    to: 'native-symmetric.ts',
  },
  { importer: 'src/crypto/aes-ccm.ts', from: /^@noble\/ciphers\/aes\.js$/, to: 'native-symmetric.ts' },
  // probe --answer-certificate-request in TLS 1.2: the client's sealed Finished.
  {
    importer: 'src/crypto/tls12-record.ts',
    from: /^@noble\/ciphers\/(aes|chacha)\.js$/,
    to: 'native-symmetric.ts',
  },
  // probe --quic: its header protection, and the server's Initials read with the capture reader's code.
  { importer: 'src/quic/keys.ts', from: /^@noble\/ciphers\/aes\.js$/, to: 'native-symmetric.ts' },
  { importer: 'src/quic/protection.ts', from: /^@noble\/ciphers\/aes\.js$/, to: 'native-symmetric.ts' },
];
/**
 * The commands that make key shares or connect get OpenSSL's crypto, and pcap, which decrypts
 * QUIC Initials and already loads Node's crypto for its fingerprints' hashes (noble's AES
 * tables cost it 13 ms at start); the others (decode, …) keep noble.
 */
const NATIVE_COMMANDS = new Set(['build', 'probe', 'scan', 'diagnose', 'fuzz', 'pcap']);

const nativeCrypto = {
  name: 'native-crypto',
  setup(b) {
    b.onResolve({ filter: /^@noble\// }, (args) => {
      const importer = args.importer.replaceAll('\\', '/');
      const rule = NATIVE.find((r) => importer.endsWith(`/${r.importer}`) && r.from.test(args.path));
      return rule ? { path: new URL(`../../src/node/${rule.to}`, import.meta.url).pathname } : undefined;
    });
  },
};

const entries = (names) => Object.fromEntries(names.map((c) => [c, `src/cli/commands/${c}.ts`]));
await build({
  ...common,
  entryPoints: entries(commands.filter((c) => !NATIVE_COMMANDS.has(c))),
  outdir: `${outdir}/commands`,
  plugins: [nativeDigests],
});
await build({
  ...common,
  entryPoints: entries(commands.filter((c) => NATIVE_COMMANDS.has(c))),
  outdir: `${outdir}/commands`,
  plugins: [nativeCrypto, nativeDigests],
});

await buildBrowserBundle();
