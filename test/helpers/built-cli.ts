import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI (the package's bin, a bundle), for tests that must measure a process of its own. */
export const CLI: string = join(root, 'dist/cli-bundle/main.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Builds dist/ (what `npm run build` does) when the bin is missing or older than src/; CI builds it before
 * the tests, so there this only checks. Returns the path of the CLI.
 */
export function ensureBuiltCli(): string {
  let built = 0;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {}
  if (built < newest(join(root, 'src'))) {
    const build = { cwd: root, stdio: 'inherit' } as const;
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')],
      build,
    );
    // The bin is the bundle: tsc alone would leave it as old as it was.
    execFileSync(process.execPath, [join(root, 'scripts/build/bundle.mjs')], build);
  }
  return CLI;
}

/** Peak resident memory of a live process, bytes (Linux /proc VmHWM). */
export function peakRss(pid: number): number {
  const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
  const kb = /VmHWM:\s+(\d+) kB/.exec(status);
  if (!kb) throw new Error(`no VmHWM for process ${pid}`);
  return Number(kb[1]) * 1024;
}
