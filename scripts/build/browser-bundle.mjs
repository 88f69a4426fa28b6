// The browser bundle: the core plus inspect() (src/browser.ts) as one minified ES module,
// published as `hellokit/browser` and served by `hellokit serve` under /inspect.
import { build } from 'esbuild';

/** Builds the browser bundle to `outfile`; returns esbuild's metafile. */
export async function buildBrowserBundle(outfile = 'dist/browser/hellokit.js') {
  const result = await build({
    entryPoints: ['src/browser.ts'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile,
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}
