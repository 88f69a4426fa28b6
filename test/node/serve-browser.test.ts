/**
 * `hellokit serve --json` visited by real browsers (Debian's Chromium and Firefox ESR, driven by
 * puppeteer-core): the page each browser gets shows that browser's own JA4, equal to the one
 * serve logged for the connection on its NDJSON log. `HELLOKIT_UPDATE_SCREENSHOT=1` also writes
 * the screenshot docs/serve.md shows (docs/serve-page.png).
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { bufferIO } from '../cli/run.ts';
import {
  type BrowserName,
  describeBrowser,
  launchBrowser,
  pngSize,
  SERVE_NAME,
  screenshot,
} from '../helpers/browsers.ts';

/** One NDJSON line of `serve --json` (hellokit.serve-log/1). */
interface LogLine {
  readonly schema: string;
  readonly event: 'connection' | 'request';
  readonly remote: string;
  readonly serverName?: string | null;
  readonly ja4?: string;
  readonly knownClients?: readonly { preset: string; client: string }[];
  readonly path?: string;
  readonly version?: string;
  readonly akamai?: string;
}

const io = bufferIO();
let done: Promise<number>;
let port = 0;
const log = (): LogLine[] =>
  io.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);

beforeAll(async () => {
  // The CLI itself, on a port it picks, logging NDJSON: the log the tests compare the pages with.
  done = runCli(['serve', '--port', '0', '--json'], io);
  const listening = /listening on https:\/\/127\.0\.0\.1:(\d+)\//;
  for (let i = 0; i < 250 && !listening.test(io.stderr); i++) await new Promise((r) => setTimeout(r, 20));
  port = Number(listening.exec(io.stderr)?.[1]);
  if (!(port > 0)) throw new Error(`serve did not say where it listens: ${io.stderr}`);
});
afterAll(async () => {
  process.emit('SIGTERM');
  expect(await done).toBe(0);
});

/** Opens `/` and returns what the page shows next to what serve logged for that connection. */
async function visit(page: Page) {
  const seen = log().length;
  const response = await page.goto(`https://${SERVE_NAME}:${port}/`, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  const text = (id: string) => page.$eval(`#${id}`, (e) => e.textContent ?? '');
  const shown = { ja4: await text('fp-ja4'), akamai: await text('fp-akamai') };
  const match = await page.$eval('body', (b) => b.querySelector('.match')?.textContent ?? null);
  const lines = log().slice(seen);
  const request = lines.find((l) => l.event === 'request' && l.path === '/');
  const connection = lines.find((l) => l.event === 'connection' && l.remote === request?.remote);
  return { shown, match, request, connection, userAgent: await page.evaluate('navigator.userAgent') };
}

/** What each browser is known by: its user agent, its HTTP/2 fingerprint, the client serve names. */
const BROWSERS = [
  {
    name: 'chromium',
    title: 'Chromium',
    userAgent: /HeadlessChrome\/\d+/,
    // Chromium's settings and window (Chrome has sent these since version 106).
    akamai: '1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p',
    match: /^Looks like Chromium [\d.]+/,
    preset: 'chrome',
  },
  {
    name: 'firefox',
    title: 'Firefox ESR',
    userAgent: /Firefox\/\d+/,
    // Firefox's own settings, window and pseudo-header order.
    akamai: '1:65536;2:0;4:131072;5:16384|12517377|0|m,p,a,s',
    match: /^Looks like Mozilla Firefox [\d.]+esr/,
    preset: 'firefox',
  },
] as const satisfies readonly { name: BrowserName; [k: string]: unknown }[];

for (const known of BROWSERS) {
  describeBrowser(known.name, `hellokit serve in ${known.title}`, () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser(known.name);
    });
    afterAll(async () => {
      await browser?.close();
    });

    test(`the page shows ${known.title}'s own JA4 (t13d…h2), the one serve logged for its connection, and its HTTP/2 fingerprint`, async () => {
      const page = await browser.newPage();
      const { shown, match, request, connection, userAgent } = await visit(page);
      expect(userAgent).toMatch(known.userAgent);
      expect(request?.schema).toBe('hellokit.serve-log/1');
      expect(request?.version).toBe('h2');
      expect(connection?.serverName).toBe(SERVE_NAME);
      expect(shown.ja4).toBe(connection?.ja4);
      expect(shown.ja4).toMatch(/^t13d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$/);
      expect(shown.akamai).toBe(request?.akamai);
      expect(request?.akamai).toBe(known.akamai);
      expect(match).toMatch(known.match);
      expect(connection?.knownClients?.map((k) => k.preset)).toContain(known.preset);
      await page.close();
    });

    // The screenshot docs/serve.md shows is Chromium's.
    if (known.name === 'chromium')
      test('the page renders (a screenshot; HELLOKIT_UPDATE_SCREENSHOT=1 writes docs/serve-page.png)', async () => {
        const page = await browser.newPage();
        await page.setViewport({ width: 1100, height: 1500 });
        await page.goto(`https://${SERVE_NAME}:${port}/`, { waitUntil: 'load' });
        const png = await screenshot(page, 'serve-page.png');
        await page.close();
        expect(pngSize(png)).toEqual({ width: 1100, height: 1500 });
        expect(png.length).toBeGreaterThan(20_000);
      });
  });
}
