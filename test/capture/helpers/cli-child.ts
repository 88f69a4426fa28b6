/** Runs the hellokit CLI in a child `node` process (bundled once with esbuild) and reports its peak memory. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

let bundled: Promise<string> | undefined;

/** The CLI bundled into one .mjs file in a temp dir (built on first use). */
export function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hellokit-cli-')), 'pcap-child.mjs');
    await build({
      entryPoints: [join(process.cwd(), 'test/capture/helpers/pcap-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: out,
      logLevel: 'silent',
    });
    return out;
  })();
  return bundled;
}

export interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident memory of the child in bytes. */
  readonly maxRss: number;
}

/**
 * Runs `hellokit ARGS` in a child process. `stopAfterLines` closes its stdout after that many
 * lines, as `| head -n N` does.
 */
export async function runCliChild(args: string[], stopAfterLines?: number): Promise<ChildResult> {
  const entry = await cliBundle();
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    stdout += d;
    if (stopAfterLines !== undefined && stdout.split('\n').length > stopAfterLines) {
      stdout = stdout.split('\n').slice(0, stopAfterLines).join('\n');
      child.stdout.destroy();
    }
  });
  child.stderr.on('data', (d: string) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  const rss = /maxRSS (\d+)\n$/.exec(stderr);
  return {
    code,
    stdout,
    stderr: stderr.replace(/maxRSS \d+\n$/, ''),
    maxRss: rss ? Number(rss[1]) * 1024 : Number.NaN,
  };
}
