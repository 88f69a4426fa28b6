// Prints the size of the browser bundle (hellokit/browser), minified and gzipped, and the
// share of each source directory in it: `npm run size:browser`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildBrowserBundle } from './browser-bundle.mjs';

const dir = mkdtempSync(join(tmpdir(), 'hellokit-size-'));
try {
  const outfile = join(dir, 'hellokit.js');
  const meta = await buildBrowserBundle(outfile);
  const code = readFileSync(outfile);
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `hellokit/browser: ${kb(code.length)} minified, ${kb(gzipSync(code, { level: 9 }).length)} gzipped`,
  );
  const parts = new Map();
  for (const [file, { bytesInOutput }] of Object.entries(Object.values(meta.outputs)[0].inputs)) {
    const key = file.startsWith('src/')
      ? file.split('/').slice(0, 2).join('/')
      : file.includes('node_modules/')
        ? `node_modules/${file.split('node_modules/')[1].split('/').slice(0, 2).join('/')}`
        : file;
    parts.set(key, (parts.get(key) ?? 0) + bytesInOutput);
  }
  for (const [key, bytes] of [...parts].sort((a, b) => b[1] - a[1]).slice(0, 12))
    console.log(
      `  ${key.padEnd(28)} ${kb(bytes).padStart(10)}  ${((100 * bytes) / code.length).toFixed(1)}%`,
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
