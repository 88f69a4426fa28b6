// Bundles the CLI into a few files (dist/cli-bundle/: one per command, loaded when that
// command runs) so a `hellokit` process loads a handful of modules instead of a hundred:
// ESM loading, not the work, dominated its start-up. The library stays as tsc writes it.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { buildBrowserBundle } from './browser-bundle.mjs';

// Chunk names carry content hashes: start empty so old chunks do not pile up.
rmSync('dist/cli-bundle', { recursive: true, force: true });

await build({
  // The pcap command's worker threads run a script of their own (src/cli/commands/pcap-batch.ts finds it).
  entryPoints: { main: 'src/cli/main.ts', 'pcap-worker': 'src/node/pcap-worker.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/cli-bundle',
  chunkNames: 'chunks/[name]-[hash]',
  // The certificate maker for serve and the demo is loaded from node_modules as Node would load
  // it (its ESM build, after its Reflect polyfill), not bundled in its CommonJS form.
  external: ['@peculiar/x509', 'reflect-metadata'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});

await buildBrowserBundle();
