/**
 * `/inspect` on `hellokit serve`: the page runs the browser bundle (built here as `npm run
 * build` builds it) in headless Chromium (driven by puppeteer-core), a real file from
 * fixtures/ is dropped on it — a drag of the file through Chromium's own input pipeline, so the
 * page gets a trusted drop event holding a File it reads with the file API — and the page shows
 * the JA4 the CLI computes for the same bytes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toHex } from '../../src/bytes/hex.ts';
import { type ServeRequestEvent, type ServeServer, startServe } from '../../src/node/serve.ts';
import { cli } from '../cli/run.ts';
import {
  buildBrowserBundle,
  describeBrowser,
  launchBrowser,
  pngSize,
  SERVE_NAME,
  screenshot,
} from '../helpers/browsers.ts';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'hellokit-inspect-'));
const BUNDLE = join(work, 'hellokit.js');

/** GET over HTTP/1.1 (serve's self-signed certificate accepted). */
function get(
  port: number,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, rejectUnauthorized: false, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

let server: ServeServer;
const requests: ServeRequestEvent[] = [];
beforeAll(async () => {
  await buildBrowserBundle(BUNDLE);
  server = await startServe({
    timeoutMs: 5000,
    browserBundle: BUNDLE,
    onRequest: (_l, e) => requests.push(e),
  });
}, 150_000);
afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('/inspect', () => {
  test('serves the page, its script and the browser bundle; the page may connect nowhere', async () => {
    const page = await get(server.port, '/inspect');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("connect-src 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('<script type="module" src="/inspect/inspect.js">');
    expect(page.body).not.toMatch(/(src|href)="https?:/);
    const script = await get(server.port, '/inspect/inspect.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain("from '/inspect/hellokit.js'");
    const bundle = await get(server.port, '/inspect/hellokit.js');
    expect(bundle.body).toBe(readFileSync(BUNDLE, 'utf8'));
    expect((await get(server.port, '/inspect/nothing')).status).toBe(404);
  });

  test('without the bundle built, /inspect says how to build it', async () => {
    const bare = await startServe({ timeoutMs: 5000, browserBundle: join(work, 'absent.js') });
    try {
      const page = await get(bare.port, '/inspect');
      expect(page.status).toBe(503);
      expect(page.body).toBe(
        'the inspector needs the browser bundle, which is not built: `npm run build` writes dist/browser/hellokit.js\n',
      );
    } finally {
      await bare.close();
    }
  });
});

const inspectUrl = () => `https://${SERVE_NAME}:${server.port}/inspect`;

/**
 * Waits until the page's status line speaks of `source` (the page writes it once it has the
 * bytes) and returns it. The wait is a page-side expression: the tests' TypeScript has no DOM types.
 */
async function statusOf(page: Page, source: string): Promise<string> {
  const prefix = JSON.stringify(`${source}: `);
  await page.waitForFunction(`document.getElementById('status')?.textContent?.startsWith(${prefix})`, {
    timeout: 20_000,
  });
  return page.$eval('#status', (e) => e.textContent ?? '');
}

/** The text of the element `id` on `page`. */
const textOf = (page: Page, id: string) => page.$eval(`#${id}`, (e) => e.textContent ?? '');

/** The JA4 `hellokit decode` prints for the file at `path`. */
const decodeJa4 = async (path: string) =>
  /\n {2}ja4: (\S+)\n/.exec((await cli(['decode', path])).stdout)?.[1];

/** The JA4 of each handshake `hellokit pcap --json` lists for `path`. */
const pcapJa4s = async (path: string) =>
  [...(await cli(['pcap', '--json', path])).stdout.matchAll(/"ja4":"([^"]+)"/g)].map((m) => m[1]);

describeBrowser('chromium', '/inspect in a real browser (Chromium)', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser('chromium');
    page = await browser.newPage();
    await page.goto(inspectUrl(), { waitUntil: 'load' });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const text = (id: string) => textOf(page, id);
  const clearStatus = () =>
    page.$eval('#status', (e) => {
      e.textContent = '';
    });

  /**
   * Drags the file at `path` from outside the page onto the drop zone and lets go: Chromium's
   * own drag-and-drop (DevTools Input.dispatchDragEvent with the file's path), so the page's
   * `drop` listener gets a trusted event whose dataTransfer holds the File.
   */
  async function dropFile(path: string): Promise<string> {
    await clearStatus();
    const zone = await page.$('#drop');
    if (!zone) throw new Error('the page has no drop zone');
    await zone.scrollIntoView();
    const box = await zone.boundingBox();
    if (!box) throw new Error('the drop zone is not displayed');
    const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const data = { items: [], files: [resolve(path)], dragOperationsMask: 1 };
    await page.mouse.dragEnter(point, data);
    await page.mouse.dragOver(point, data);
    await page.mouse.drop(point, data);
    return statusOf(page, basename(path));
  }

  const shownJa4s = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => text(`ja4-${i}`)));

  test('a captured Chromium hello dropped as a .bin file: the page shows the JA4 `hellokit decode` prints, and sends the bytes nowhere', async () => {
    const path = 'fixtures/clients/chromium-sni-1.bin';
    const expected = await decodeJa4(path);
    const seen = requests.length;
    expect(await dropFile(path)).toBe('chromium-sni-1.bin: 1953 bytes, tls, 1 ClientHello');
    expect(expected).toMatch(/^t13d\d{4}h2_/);
    expect(await text('ja4-0')).toBe(expected);
    expect(await text('known-0')).toMatch(/^chrome \(Chromium [\d.]+/);
    expect(await text('tree')).toMatch(/^record 0 @0: handshake/);
    expect(await text('annotated')).toContain('client_hello');
    // The page asked serve for nothing while it read and decoded the file.
    await new Promise((r) => setTimeout(r, 200));
    expect(requests.slice(seen)).toEqual([]);
  });

  test('the inspector renders a dropped hello (a screenshot; HELLOKIT_UPDATE_SCREENSHOT=1 writes docs/inspect-page.png)', async () => {
    await page.setViewport({ width: 1100, height: 1400 });
    expect(await dropFile('fixtures/clients/chromium-sni-1.bin')).toMatch(/^chromium-sni-1\.bin: /);
    await page.evaluate('window.scrollTo(0, 0)');
    const png = await screenshot(page, 'inspect-page.png');
    expect(pngSize(png)).toEqual({ width: 1100, height: 1400 });
    expect(png.length).toBeGreaterThan(20_000);
  });

  test('a pcapng capture dropped: each handshake with the JA4 `hellokit pcap` gives', async () => {
    const path = 'fixtures/captures/ip-fragments.pcapng';
    const expected = await pcapJa4s(path);
    expect(expected.length).toBe(2);
    expect(await dropFile(path)).toBe(
      `ip-fragments.pcapng: ${readFileSync(path).length} bytes, pcapng, 2 ClientHellos`,
    );
    expect(await shownJa4s(2)).toEqual(expected);
  });

  test('a classic .pcap (the pcapng capture rewritten by editcap) dropped: the JA4s `hellokit pcap` gives', async () => {
    const path = join(work, 'ip-fragments.pcap');
    await run('editcap', ['-F', 'pcap', 'fixtures/captures/ip-fragments.pcapng', path], { timeout: 30_000 });
    const expected = await pcapJa4s(path);
    expect(expected).toEqual(await pcapJa4s('fixtures/captures/ip-fragments.pcapng'));
    expect(await dropFile(path)).toBe(
      `ip-fragments.pcap: ${readFileSync(path).length} bytes, pcap, 2 ClientHellos`,
    );
    expect(await shownJa4s(2)).toEqual(expected);
  });

  test("a file picked with the page's file input: the JA4 `hellokit decode` prints", async () => {
    const path = 'fixtures/clients/firefox-sni.bin';
    const expected = await decodeJa4(path);
    await clearStatus();
    const input = await page.$('input#file');
    if (!input) throw new Error('the page has no file input');
    await input.uploadFile(resolve(path));
    await statusOf(page, 'firefox-sni.bin');
    expect(await text('ja4-0')).toBe(expected);
    expect(await text('known-0')).toMatch(/^firefox \(Mozilla Firefox/);
  });

  test("a hello given as hex in the link's fragment: the JA4 `hellokit decode` prints; only the page and its two scripts were fetched", async () => {
    const path = 'fixtures/clients/chromium-sni-2.bin';
    const bytes = new Uint8Array(readFileSync(path));
    const expected = await decodeJa4(path);
    const seen = requests.length;
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${inspectUrl()}#hex=${toHex(bytes)}`, { waitUntil: 'load' });
      expect(await statusOf(fresh, 'the link')).toBe(`the link: ${bytes.length} bytes, tls, 1 ClientHello`);
      expect(await fresh.$eval('#ja4-0', (e) => e.textContent)).toBe(expected);
    } finally {
      await fresh.close();
    }
    const fetched = requests.slice(seen).map((r) => r.path);
    expect(fetched).toEqual(
      expect.arrayContaining(['/inspect', '/inspect/inspect.js', '/inspect/hellokit.js']),
    );
    expect(
      fetched.every((p) =>
        ['/inspect', '/inspect/inspect.js', '/inspect/hellokit.js', '/favicon.ico'].includes(p),
      ),
    ).toBe(true);
  });

  test('text that is not hex: the page says what and where', async () => {
    await clearStatus();
    await page.goto(`${inspectUrl()}#hex=16%2003%20zz`, { waitUntil: 'load' });
    expect(await statusOf(page, 'the link')).toBe('the link: not hex: "z" at character 6');
  });
});

describeBrowser('firefox', '/inspect in Firefox ESR', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser('firefox');
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("a pcapng capture picked with the page's file input (WebDriver BiDi sets the file): the JA4s `hellokit pcap` gives", async () => {
    const path = 'fixtures/captures/ip-fragments.pcapng';
    const page = await browser.newPage();
    await page.goto(inspectUrl(), { waitUntil: 'load' });
    const input = await page.$('input#file');
    if (!input) throw new Error('the page has no file input');
    await input.uploadFile(resolve(path));
    expect(await statusOf(page, 'ip-fragments.pcapng')).toBe(
      `ip-fragments.pcapng: ${readFileSync(path).length} bytes, pcapng, 2 ClientHellos`,
    );
    expect([await textOf(page, 'ja4-0'), await textOf(page, 'ja4-1')]).toEqual(await pcapJa4s(path));
    await page.close();
  });

  test('a captured Firefox hello in a #hex= link: the JA4 `hellokit decode` prints, known as the firefox preset', async () => {
    const path = 'fixtures/clients/firefox-sni.bin';
    const page = await browser.newPage();
    await page.goto(`${inspectUrl()}#hex=${toHex(new Uint8Array(readFileSync(path)))}`, {
      waitUntil: 'load',
    });
    expect(await statusOf(page, 'the link')).toMatch(/^the link: \d+ bytes, tls, 1 ClientHello$/);
    expect(await textOf(page, 'ja4-0')).toBe(await decodeJa4(path));
    expect(await textOf(page, 'known-0')).toMatch(/^firefox \(Mozilla Firefox/);
    await page.close();
  });
});
