/**
 * `/inspect` on `hellokit serve`: the page runs the browser bundle (built here as `npm run
 * build` builds it) in headless Chromium, and shows the JA4 the CLI computes for the same
 * real captured bytes. Chromium's --dump-dom cannot drop a file, so the test gives the page
 * its bytes through the URL fragment (`/inspect#hex=…`, `#b64=…`); a dropped file takes the
 * same path (inspect() on its bytes) once the browser has read it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toHex } from '../../src/bytes/hex.ts';
import { type ServeRequestEvent, type ServeServer, startServe } from '../../src/node/serve.ts';
import { cli } from '../cli/run.ts';
import { chromium, chromiumAvailable, SERVE_NAME } from '../helpers/chromium.ts';

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
  await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const { buildBrowserBundle } = await import('./scripts/build/browser-bundle.mjs'); await buildBrowserBundle(process.argv[1]);",
      BUNDLE,
    ],
    { timeout: 120_000 },
  );
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

describe.skipIf(!chromiumAvailable())('/inspect in a real browser (Chromium)', () => {
  const profile = mkdtempSync(join(tmpdir(), 'hellokit-chromium-inspect-'));
  afterAll(() => rmSync(profile, { recursive: true, force: true }));
  const shown = (dom: string, id: string) =>
    new RegExp(`id="${id}">([^<]*)<`).exec(dom)?.[1]?.replaceAll('&amp;', '&');

  test('a captured Chromium hello given as hex in the fragment: the page shows the JA4 `hellokit decode` prints', async () => {
    const path = 'fixtures/clients/chromium-sni-1.bin';
    const bytes = new Uint8Array(readFileSync(path));
    const expected = /\n {2}ja4: (\S+)\n/.exec((await cli(['decode', path])).stdout)?.[1];
    const seen = requests.length;
    const url = `https://${SERVE_NAME}:${server.port}/inspect#hex=${toHex(bytes)}`;
    const { stdout } = await chromium(join(profile, 'hex'), ['--dump-dom', url]);
    expect(expected).toMatch(/^t13d\d{4}h2_/);
    expect(shown(stdout, 'ja4-0')).toBe(expected);
    expect(shown(stdout, 'known-0')).toMatch(/^chrome \(Chromium [\d.]+/);
    expect(stdout).toContain('id="status" role="status">the link: 1953 bytes, tls, 1 ClientHello<');
    expect(stdout).toMatch(/<pre id="tree">record 0 @0: handshake/);
    // Chromium fetched the page and its two scripts, and sent none of the bytes.
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

  test('a pcapng capture given as base64: each handshake with the JA4 `hellokit pcap` gives', async () => {
    const path = 'fixtures/captures/ip-fragments.pcapng';
    const bytes = readFileSync(path);
    const expected = [...(await cli(['pcap', '--json', path])).stdout.matchAll(/"ja4":"([^"]+)"/g)].map(
      (m) => m[1],
    );
    const url = `https://${SERVE_NAME}:${server.port}/inspect#b64=${encodeURIComponent(bytes.toString('base64'))}`;
    const { stdout } = await chromium(join(profile, 'pcapng'), ['--dump-dom', url]);
    expect(expected.length).toBe(2);
    expect(expected.map((_, i) => shown(stdout, `ja4-${i}`))).toEqual(expected);
    expect(stdout).toContain(`the link: ${bytes.length} bytes, pcapng, 2 ClientHellos`);
  });

  test('text that is not hex: the page says what and where', async () => {
    const url = `https://${SERVE_NAME}:${server.port}/inspect#hex=16%2003%20zz`;
    const { stdout } = await chromium(join(profile, 'bad'), ['--dump-dom', url]);
    expect(stdout).toContain('id="status" role="status">the link: not hex: "z" at character 6<');
  });
});
