/** Debian's headless Chromium for the tests that load serve's pages in a real browser. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { which } from '../peers/process.ts';

const run = promisify(execFile);

/** The name the tests give serve; Chromium maps it to 127.0.0.1, so it sends it as SNI without DNS. */
export const SERVE_NAME = 'serve.hellokit.test';

/** Whether chromium is installed; under CI its absence fails the run (.ci/install-peers.sh installs it). */
export function chromiumAvailable(): boolean {
  const available = which('chromium') !== undefined;
  if (!available && process.env.CI)
    throw new Error('chromium is not installed (CI installs it with .ci/install-peers.sh)');
  return available;
}

/** Runs headless Chromium with `args` (--dump-dom URL, --screenshot=…), a profile of its own. */
export function chromium(profile: string, args: string[]): Promise<{ stdout: string }> {
  return run(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--ignore-certificate-errors',
      `--user-data-dir=${profile}`,
      `--host-resolver-rules=MAP ${SERVE_NAME} 127.0.0.1`,
      ...args,
    ],
    { timeout: 60_000, maxBuffer: 16 << 20 },
  );
}
