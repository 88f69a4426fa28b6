/**
 * Entry of the child process the memory tests run: the hellokit CLI, then its peak resident
 * memory on stderr as a last line `maxRSS <KiB>`. Bundled by the tests with esbuild and run by
 * plain `node`, so the figure is the CLI's own, not a test runner's.
 */
import { runCli } from '../../../src/cli/main.ts';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.stderr.write(`maxRSS ${process.resourceUsage().maxRSS}\n`);
  process.exit(process.exitCode ?? 0);
});
const code = await runCli(process.argv.slice(2));
process.stderr.write(`maxRSS ${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
