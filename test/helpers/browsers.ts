/**
 * Real browsers for the tests, driven by puppeteer-core: Debian's Chromium (over the DevTools
 * protocol) and Firefox ESR (over WebDriver BiDi), both the system's own binaries — nothing
 * downloads a browser. Headless, self-signed certificates accepted, one temporary profile per
 * launch (puppeteer removes it on close), and host names that resolve to loopback only.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { describe, test } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The browsers the tests drive. */
export type BrowserName = 'chromium' | 'firefox';

/** Where Debian installs them (.ci/install-peers.sh installs both). */
export const BROWSER_EXECUTABLES: Readonly<Record<BrowserName, string>> = {
  chromium: '/usr/bin/chromium',
  firefox: '/usr/bin/firefox-esr',
};

/** The name the tests give serve; both browsers map it to 127.0.0.1, so they send it as SNI without DNS. */
export const SERVE_NAME = 'serve.hellokit.test';

/**
 * `describe` for tests that need `browser`. Without it the suite is skipped with a warning —
 * unless `CI` is set, where the suite holds one failing test instead (CI installs both browsers).
 */
export function describeBrowser(browser: BrowserName, title: string, fn: () => void): void {
  const executable = BROWSER_EXECUTABLES[browser];
  if (existsSync(executable)) {
    describe(title, fn);
    return;
  }
  if (process.env.CI) {
    describe(title, () => {
      test(`${browser} is installed (CI is set, so a missing browser is a failure)`, () => {
        throw new Error(`${executable} is missing: .ci/install-peers.sh installs it`);
      });
    });
    return;
  }
  console.warn(`[hellokit] skipping "${title}": ${executable} is not installed`);
  describe.skip(title, fn);
}

/**
 * Starts `browser` headless. Chromium resolves only {@link SERVE_NAME} (to 127.0.0.1; every
 * other name fails), Firefox resolves it to loopback through `network.dns.localDomains`, and
 * puppeteer's own defaults turn off both browsers' background traffic (updates, telemetry).
 * Chromium runs without its sandbox: it refuses to start as root with one, and on a CI runner
 * that restricts unprivileged user namespaces it cannot build one; the pages it loads here are
 * the tests' own, from loopback.
 */
export function launchBrowser(browser: BrowserName): Promise<Browser> {
  const common = {
    executablePath: BROWSER_EXECUTABLES[browser],
    headless: true,
    acceptInsecureCerts: true,
    timeout: 60_000,
    protocolTimeout: 60_000,
  } as const;
  if (browser === 'firefox')
    return puppeteer.launch({
      ...common,
      browser: 'firefox',
      extraPrefsFirefox: { 'network.dns.localDomains': SERVE_NAME },
    });
  return puppeteer.launch({
    ...common,
    browser: 'chrome',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      `--host-resolver-rules=MAP ${SERVE_NAME} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
    ],
  });
}

/**
 * Builds the browser bundle (`hellokit/browser`) to `outfile` as `npm run build` does
 * (scripts/build/browser-bundle.mjs), in a process of its own, so a test runs the bundle of
 * the sources it tests rather than whatever dist/ holds.
 */
export async function buildBrowserBundle(outfile: string): Promise<void> {
  await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const { buildBrowserBundle } = await import('./scripts/build/browser-bundle.mjs'); await buildBrowserBundle(process.argv[1]);",
      outfile,
    ],
    { timeout: 120_000, cwd: ROOT },
  );
}

/**
 * Takes a screenshot of `page` as it is (the viewport) and returns the PNG. With
 * `HELLOKIT_UPDATE_SCREENSHOT` set it also writes it to docs/`name`, the picture the docs show.
 */
export async function screenshot(page: Page, name: `${string}.png`): Promise<Uint8Array> {
  const png = await page.screenshot({ type: 'png' });
  if (process.env.HELLOKIT_UPDATE_SCREENSHOT) writeFileSync(join(ROOT, 'docs', name), png);
  return png;
}

/** The width and height a PNG's IHDR gives, or null when `png` is not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((b, i) => png[i] !== b)) return null;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
